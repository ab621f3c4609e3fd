"""What one worker process remembers, and the lookup of a stored page.

Nothing here is authoritative: tokens are read again on every request, so workers never
disagree for long. A hit costs one token read (a ``stat()`` of a small file beside the file
cache, or one Redis GET) plus a dict lookup in this memory, and no SQL query.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.utils.module_loading import import_string

from warta.core.memory import BoundedMemory

from .answers import StoredPage, answer
from .keys import enabled, host_key, page_key
from .tokens import CacheTokens, FileTokens, new_token

HOT_BYTES = 64 * 1024 * 1024
MAX_HOSTS = 10_000  # hosts a worker remembers the blog of
HIT = ("X-Cache", "hit")


class HotPage:
    """A page in a worker's memory, with its answers ready: a hit whose request carries no
    condition gets status, headers and body built once, not per request. The answers are
    shared between requests: whoever sends one must not change its header list."""

    __slots__ = ("page", "answers", "views_of")
    MAX_ANSWERS = 8  # distinct (method, Accept-Encoding) pairs kept per page

    def __init__(self, page):
        self.page = page
        self.answers = {}
        self.views_of = page.views_of

    @staticmethod
    def size_of(hot):
        return hot.page.size

    def answer(self, method, accept_encoding, if_none_match=None, if_modified_since=None):
        """``(status, headers, body)`` of a hit, ``X-Cache: hit`` included."""
        if if_none_match or if_modified_since:
            status, headers, body = answer(
                self.page, method, accept_encoding, if_none_match, if_modified_since
            )
            headers.append(HIT)
            return status, headers, body
        ready = self.answers.get((method, accept_encoding))
        if ready is None:
            status, headers, body = answer(self.page, method, accept_encoding, None, None)
            headers.append(HIT)
            ready = status, headers, body
            if len(self.answers) < self.MAX_ANSWERS:
                self.answers[(method, accept_encoding)] = ready
        return ready


class WorkerMemory:
    def __init__(self):
        self.tokens_for = None
        self.tokens = None
        self.hosts = {}
        self.hot = BoundedMemory(HOT_BYTES, size_of=HotPage.size_of)

    def token_store(self):
        """Token files beside a file cache, else tokens in the shared cache; chosen again
        (and this memory emptied) when the cache settings change, as in tests."""
        config = settings.CACHES["default"]
        where = (config["BACKEND"], str(config.get("LOCATION", "")))
        if where != self.tokens_for:
            if issubclass(import_string(config["BACKEND"]), FileBasedCache):
                self.tokens = FileTokens(config["LOCATION"])
            else:
                self.tokens = CacheTokens()
            self.tokens_for = where
            self.hosts.clear()
            self.hot.clear()
        return self.tokens

    def remember(self, key, page):
        """The page kept in this worker's memory under ``key``; None when too large."""
        return self.hot.put(key, HotPage(page))

    def remember_host(self, host, blog_id):
        if len(self.hosts) >= MAX_HOSTS:
            self.hosts.clear()
        self.hosts[host] = blog_id


state = WorkerMemory()


def token_for(blog):
    """The blog's current token, filled from the row this request just read; None when the
    cache cannot keep one (Redis is down): the page is then served, not stored.

    A write that lands between that read and the fill could leave an old token for up to
    ``TOKEN_TTL`` seconds; ``forget_generation`` forgets again on commit to keep it rare.
    """
    tokens = state.token_store()
    return tokens.get(blog.pk) or tokens.add(blog.pk, new_token(blog.generation)) or None


def forget_generation(blog_id):
    """Forget the token now (this process reads its own writes) and again on commit, so a
    reader that filled it from the row before the write committed cannot keep it."""
    tokens = state.token_store()
    tokens.forget(blog_id)
    transaction.on_commit(lambda: tokens.forget(blog_id))


def current_generation(blog_id):
    """The token every cached page of the blog is keyed by, or "" when there is none (before
    the first page, or while the cache is down). "" equals no token, not even the None that
    ``token_for`` gives while the cache is down, so what a worker remembers under that None
    is read again on each request, and the cache is used again as soon as it answers."""
    return state.token_store().get(blog_id) or ""


def lookup(key):
    """The stored page for a request key, from this worker's memory or the shared cache."""
    hot = lookup_hot(key)
    return hot.page if hot is not None else None


def lookup_hot(key):
    if not enabled():
        return None
    tokens = state.token_store()
    host = key[1]
    blog_id = state.hosts.get(host)
    if blog_id is None:
        blog_id = cache.get(host_key(host))
        if blog_id is None:
            return None
        state.remember_host(host, blog_id)
    token = tokens.get(blog_id)
    if token is None:
        return None
    hot = state.hot.get((token, key))
    if hot is None:
        stored = cache.get(page_key(token, key))
        if stored is not None:
            page = StoredPage.from_stored(stored)
            hot = state.remember((token, key), page) or HotPage(page)
    return hot
