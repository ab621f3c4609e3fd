"""Full-text search over a blog's posts: SQLite FTS5 or PostgreSQL tsvector (GIN)."""

from django.db import connection

from .sql import postgresql_match, sqlite_matching_ids
from .text import query_stems

# A search lists at most the newest this-many matches: a word found in most posts of a
# million-post blog would otherwise cost a count of all of them on every results page.
MAX_RESULTS = 1000


def matching(posts, query):
    """``posts`` narrowed to the newest ``MAX_RESULTS`` whose title or body has every word of
    ``query`` (each word stemmed, then matched as a prefix). Empty when nothing searchable
    is left."""
    stems = query_stems(query)
    if not stems:
        return posts.none()
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{stem}:*" for stem in stems)
        found = posts.filter(postgresql_match(tsquery))
    else:
        match = " AND ".join(f'"{stem}"*' for stem in stems)
        found = posts.filter(id__in=sqlite_matching_ids(match))
    newest = found.order_by("-published_at", "-pk").values("pk")[:MAX_RESULTS]
    return posts.filter(pk__in=newest)
