"""Full-page cache for readers, answered before Django's request cycle starts.

A reader's page (anonymous GET/HEAD, no personal cookie, a view marked ``@page_cached``,
status 200, no cookie set) is stored once with its gzip and brotli variants under a key
made of the blog's *generation token*, the scheme, the Host header, the path and the
normalised query. ``Blog.bump_generation()`` runs on every write a reader could see and
forgets the token, so one write invalidates every page of the blog in every process.

One module per concern:

- ``keys``: which requests may be cached and the key each is stored under;
- ``tokens``: the blogs' generation tokens, as files beside the file cache or in Redis;
- ``worker``: what one worker process remembers (hot pages, host -> blog) and the lookup;
- ``answers``: stored pages, validators (ETag, Last-Modified, 304) and encodings;
- ``middleware``: ``PageCacheMiddleware``, which stores pages from inside Django;
- ``wsgi`` and ``rsgi``: the hit path outside Django, for granian's two interfaces;
- ``handlers``: the anonymous readers' short middleware chain for misses;
- ``decorators``: ``page_cached``, how a view opts in.

The switch is ``settings.WARTA_PAGECACHE`` (``WARTA_PAGECACHE=off`` in the environment),
read at each use.
"""
