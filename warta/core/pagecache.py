"""Full-page cache for readers, answered before Django's request cycle starts.

A reader's page (anonymous GET/HEAD, no personal cookie, a reader or feed view, status
200, no cookie set) is stored once with its gzip and brotli variants under a key made of
the blog's *generation token*, the scheme, the Host header, the path and the normalised
query. ``Blog.bump_generation()`` runs on every write a reader could see and forgets the
token, so one write invalidates every page of the blog in every process at once.

Only one spelling of a request is stored: its Host already canonical (see
``canonical_host``) and each kept parameter's value canonical and read by the page's view.
Other spellings are answered by Django and not stored, so random requests cannot fill the
cache, and a page, whose links are built from the Host, is never served to another Host.

A hit costs one token read (a ``stat()`` of a small file next to the file cache, or one
Redis GET) plus a dict lookup in the worker's own memory, and no SQL query:
``CachedApplication`` (see ``warta/wsgi.py``) answers it without entering Django.
``PageCacheMiddleware`` (outermost) stores pages, and gives every reader page an ETag,
a Last-Modified, ``Cache-Control`` and a compressed body; both answer 304 on a match.
"""

import gzip
import hashlib
import os
import secrets
import time
from email.utils import formatdate, parsedate_to_datetime
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

import brotli
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.db import transaction
from django.http import HttpResponseNotModified, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

from .handlers import MATCH_KEY, reader_match
from .memory import BoundedMemory

MAX_PAGE = 100_000  # as reader.views.paginate
MAX_QUERY = 200  # characters of a search the view reads


def page_number(value):
    """``2``, not ``02``, ``+2``, ``٢`` or ``abc``: the view answers those too (or 404s)."""
    if value.isascii() and value.isdigit() and value[0] != "0" and int(value) <= MAX_PAGE:
        return value
    return None


def search_words(value):
    """A search as the view reads it: stripped, printable, at most ``MAX_QUERY`` long."""
    if value and len(value) <= MAX_QUERY and value.isprintable() and value == value.strip():
        return value
    return None


# Query parameters a reader page reads, each with its canonical values: any other parameter
# or value makes the request uncacheable, so a random ``?x=...`` or ``?page=0001`` cannot
# fill the cache (and benchmarks get a miss with ``?nocache=N``).
KEPT_PARAMS = {"page": page_number, "q": search_words, "alt": {"rss": "rss"}.get}
# Blogger's mobile flag, the parameters Blogger's links and feed readers add that no Warta
# page reads, and the click trackers that chat apps and ad networks append (``utm_*`` too):
# the same page. A post going viral on Facebook arrives with a different ``fbclid`` on every
# visit; keeping it in the key would make every visit a miss.
DROPPED_PARAMS = frozenset(
    {
        "m",
        "showComment",
        "max-results",
        "start-index",
        "updated-max",
        "by-date",
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "igshid",
        "twclid",
        "ttclid",
        "mc_cid",
        "mc_eid",
        "_ga",
    }
)


def is_dropped(name):
    return name in DROPPED_PARAMS or name.startswith("utm_")


CACHED_APPS = frozenset({"reader", "syndication"})
# Browsers and shared caches may keep a reader's page, and revalidate it on every use; a
# personal page only the reader's own browser.
CACHE_CONTROL = "public, max-age=0, must-revalidate"
PRIVATE_CACHE_CONTROL = "private, max-age=0, must-revalidate"
# A token is refreshed after this long even without a write: it bounds how long a rare
# fill-versus-bump race (see ``token_for``) could keep a stale page.
TOKEN_TTL = 300
HOT_BYTES = 64 * 1024 * 1024
MAX_HOSTS = 10_000  # hosts a worker remembers the blog of
PAGE_TIMEOUT = 24 * 3600  # pages and host -> blog entries alike
SKIPPED_HEADERS = frozenset(
    {"content-length", "content-encoding", "etag", "last-modified", "vary", "set-cookie"}
)


class StoredPage(NamedTuple):
    etag: str
    last_modified: float
    headers: tuple
    body: bytes
    gzip: bytes | None
    br: bytes | None

    @property
    def size(self):
        return len(self.body) + len(self.gzip or b"") + len(self.br or b"")


# ---------------------------------------------------------------- what may be cached


def enabled():
    return os.environ.get("WARTA_PAGECACHE", "on").lower() not in {"0", "off", "false", "no"}


def normalised_query(query_string):
    """The query a page is stored under, or None when a parameter, a repeated parameter or
    a value that is not canonical makes it uncacheable."""
    if not query_string:
        return ""
    kept = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        canonical = KEPT_PARAMS.get(name)
        if canonical is None:
            if is_dropped(name):
                continue
            return None
        if name in kept or canonical(value) is None:
            return None
        kept[name] = value
    return urlencode(sorted(kept.items()))


def canonical_host(environ):
    """The Host header when it is the one spelling its pages are stored under: lowercase,
    no trailing dot, no ``www.``, and no port but the server's own; else None.

    A page's links (canonical, feeds, sharing) are built from the Host, so two spellings
    never share a stored page: the others are served by Django, not stored, and find none."""
    host = environ.get("HTTP_HOST", "")
    if ":" in host and not host.endswith("]"):  # an IPv6 literal is bracketed
        name, _, port = host.rpartition(":")
        if port != environ.get("SERVER_PORT"):
            return None
    else:
        name = host
    if name and name == name.lower() and name[-1] != "." and not name.startswith("www."):
        return host
    return None


def has_personal_cookie(cookie_header):
    """A session, a flash message or one of Warta's own cookies (``warta_*``) personalise."""
    if not cookie_header:
        return False
    personal = {settings.SESSION_COOKIE_NAME, "messages"}
    for part in cookie_header.split(";"):
        name = part.split("=", 1)[0].strip()
        if name in personal or name.startswith("warta_"):
            return True
    return False


def request_key(environ):
    """``(scheme, host, path, query)`` of a cacheable request, else None."""
    if not is_anonymous_read(environ):
        return None
    query = normalised_query(environ.get("QUERY_STRING", ""))
    if query is None:
        return None
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    # As sent: only canonical hosts are stored (see ``storable``), so no other spelling finds
    # a page, and a hit costs no work on the host.
    return scheme, environ.get("HTTP_HOST", ""), environ.get("PATH_INFO", "/"), query


def page_key(token, key):
    raw = "|".join((token, *key)).encode("utf-8", "surrogateescape")
    return "pagecache:page:" + hashlib.sha1(raw).hexdigest()


def host_key(host):
    return "pagecache:host:" + hashlib.sha1(host.encode("utf-8", "surrogateescape")).hexdigest()


# ---------------------------------------------------------------- generation tokens


def new_token(generation):
    """``generation.millis.nonce``: the nonce keeps a page of a deleted (or, in tests, rolled
    back) blog whose id is reused from ever matching the new blog; the time is the pages'
    Last-Modified."""
    return f"{generation}.{int(time.time() * 1000)}.{secrets.token_hex(4)}"


def token_time(token):
    return int(token.split(".")[1]) / 1000


class FileTokens:
    """Tokens as small files beside the file cache: reading one is a ``stat()`` while it is
    unchanged. The ``.djcache`` suffix lets ``cache.clear()`` remove them with the pages."""

    def __init__(self, directory):
        self.directory = str(directory)
        self.memo = {}

    def path(self, blog_id):
        return os.path.join(self.directory, f"pagegen-{blog_id}.djcache")

    def get(self, blog_id):
        path = self.path(blog_id)
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return None
        if time.time() - stat.st_mtime > TOKEN_TTL:
            return None
        stamp = (stat.st_ino, stat.st_mtime_ns)
        memo = self.memo.get(blog_id)
        if memo is not None and memo[0] == stamp:
            return memo[1]
        try:
            with open(path, encoding="ascii") as file:
                token = file.read()
        except FileNotFoundError:
            return None
        self.memo[blog_id] = (stamp, token)
        return token

    def add(self, blog_id, token):
        path = self.path(blog_id)
        try:
            os.makedirs(self.directory, exist_ok=True)
        except OSError:
            return None
        temporary = f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        with open(temporary, "w", encoding="ascii") as file:
            file.write(token)
        try:
            try:
                os.link(temporary, path)  # atomic: the first process to fill wins
            except FileExistsError:
                if self.get(blog_id) is None:  # expired: replace it
                    os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return self.get(blog_id)

    def forget(self, blog_id):
        try:
            os.unlink(self.path(blog_id))
        except FileNotFoundError:
            pass


class CacheTokens:
    """Tokens in the shared cache (Redis): one GET per hit, seen by every process."""

    def key(self, blog_id):
        return f"pagecache:gen:{blog_id}"

    def get(self, blog_id):
        return cache.get(self.key(blog_id))

    def add(self, blog_id, token):
        cache.add(self.key(blog_id), token, TOKEN_TTL)
        return cache.get(self.key(blog_id))

    def forget(self, blog_id):
        cache.delete(self.key(blog_id))


class _State:
    """Per-process memory: each worker keeps its own copy; nothing here is authoritative
    (tokens are re-validated on every request), so workers can never disagree for long."""

    def __init__(self):
        self.tokens_for = None
        self.tokens = None
        self.hosts = {}
        self.hot = BoundedMemory(HOT_BYTES, size_of=HotPage.size_of)

    def token_store(self):
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


class HotPage:
    """A page in a worker's memory, with its answers ready: a hit whose request carries no
    condition gets status, headers and body built once, not per request."""

    __slots__ = ("page", "answers")
    MAX_ANSWERS = 8  # distinct (method, Accept-Encoding) pairs kept per page

    def __init__(self, page):
        self.page = page
        self.answers = {}

    @staticmethod
    def size_of(hot):
        return hot.page.size

    def answer(self, environ):
        if environ.get("HTTP_IF_NONE_MATCH") or environ.get("HTTP_IF_MODIFIED_SINCE"):
            return answer(self.page, environ)
        shape = (environ.get("REQUEST_METHOD"), environ.get("HTTP_ACCEPT_ENCODING", ""))
        ready = self.answers.get(shape)
        if ready is None:
            ready = answer(self.page, environ)
            if len(self.answers) < self.MAX_ANSWERS:
                self.answers[shape] = ready
        status, headers, body = ready
        return status, list(headers), body


state = _State()


def token_for(blog):
    """The blog's current token, filled from the row this request just read; None when the
    cache cannot keep one (Redis is down): the page is then served, not stored.

    A write that lands between that read and the fill could leave an old token for up to
    ``TOKEN_TTL`` seconds; ``bump_generation`` forgets again on commit to keep it rare.
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


# ---------------------------------------------------------------- lookup and answer


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
        page = cache.get(page_key(token, key))
        if page is not None:
            hot = state.remember((token, key), page) or HotPage(page)
    return hot


def not_modified(page, if_none_match, if_modified_since):
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or page.etag.removeprefix("W/") in tags
    if if_modified_since:
        try:
            return parsedate_to_datetime(if_modified_since).timestamp() >= int(page.last_modified)
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def variant(page, accept_encoding):
    if accept_encoding and len(page.body) > 200:
        # A page that was not stored is compressed only into the encoding asked for.
        if "br" in accept_encoding:
            return "br", page.br if page.br is not None else compress_br(page.body)
        if "gzip" in accept_encoding:
            return "gzip", page.gzip if page.gzip is not None else compress_gzip(page.body)
    return None, page.body


def answer(page, environ):
    """``(status, headers, body)`` for a stored page, honouring conditions and encodings."""
    common = [
        ("ETag", page.etag),
        ("Last-Modified", formatdate(page.last_modified, usegmt=True)),
    ]
    headers = list(page.headers)
    if not_modified(page, environ.get("HTTP_IF_NONE_MATCH"), environ.get("HTTP_IF_MODIFIED_SINCE")):
        kept = [(k, v) for k, v in headers if k.lower() in ("cache-control", "vary")]
        return 304, kept + common, b""
    encoding, body = variant(page, environ.get("HTTP_ACCEPT_ENCODING", ""))
    if encoding:
        headers.append(("Content-Encoding", encoding))
    headers.append(("Content-Length", str(len(body))))
    if environ.get("REQUEST_METHOD") == "HEAD":
        body = b""
    return 200, headers + common, body


STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}


class CachedApplication:
    """WSGI wrapper: answer a cache hit without entering Django; send an anonymous reader's
    miss to ``reader_app`` (the short middleware chain, core/handlers.py), the rest to
    ``django_app``."""

    def __init__(self, django_app, reader_app=None):
        self.django_app = django_app
        self.reader_app = reader_app

    def __call__(self, environ, start_response):
        key = request_key(environ)
        if key is not None:
            hot = lookup_hot(key)
            if hot is not None:
                status, headers, body = hot.answer(environ)
                headers.append(("X-Cache", "hit"))
                start_response(STATUS_LINES[status], headers)
                return [body]
        return self.handler_for(environ)(environ, start_response)

    def handler_for(self, environ):
        if self.reader_app is None or not is_anonymous_read(environ):
            return self.django_app
        match = reader_match(environ, CACHED_APPS)
        if match is None:
            return self.django_app
        environ[MATCH_KEY] = match
        return self.reader_app


def is_anonymous_read(environ):
    return environ.get("REQUEST_METHOD") in ("GET", "HEAD") and not has_personal_cookie(
        environ.get("HTTP_COOKIE", "")
    )


# ---------------------------------------------------------------- storing (inside Django)


def content_etag(body):
    return 'W/"' + hashlib.sha1(body).hexdigest()[:24] + '"'


def compress_gzip(body):
    return gzip.compress(body, compresslevel=6, mtime=0)


def compress_br(body):
    return brotli.compress(body, quality=8)


def build_page(response, token, *, compress, personal=False):
    body = response.content
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if "Accept-Encoding" not in vary:
        vary.append("Accept-Encoding")
    if personal:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    else:
        response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
    headers.append(("Vary", ", ".join(vary)))
    if "Last-Modified" in response:
        last_modified = parsedate_to_datetime(response["Last-Modified"]).timestamp()
    else:
        last_modified = token_time(token) if token else time.time()
    return StoredPage(
        etag=response.headers.get("ETag") or content_etag(body),
        last_modified=last_modified,
        headers=tuple(headers),
        body=body,
        gzip=compress_gzip(body) if compress else None,
        br=compress_br(body) if compress else None,
    )


def is_reader_page(request, response):
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.app_name in CACHED_APPS
        and response.status_code == 200
        and not response.streaming
        and request.method in ("GET", "HEAD")
    )


def is_personal(request, response):
    """A page made for one reader: they are signed in, or carry a session, a message or one
    of Warta's own cookies (their pending comment), or the page sets a cookie."""
    return (
        has_personal_cookie(request.META.get("HTTP_COOKIE", ""))
        or bool(response.cookies)
        or (hasattr(request, "user") and request.user.is_authenticated)
    )


class ReadParameters(QueryDict):
    """``request.GET`` that notes which parameters the view asked for: a page is stored
    under a query only when its view read each kept parameter of it. An article ignores
    ``?page=7``, and an archive of a year ``?q=``: such requests are served, not stored."""

    def __init__(self, *args, **kwargs):
        self.read = set()
        super().__init__(*args, **kwargs)
        self.read = set()  # filling the dict asked for every name

    def __getitem__(self, key):  # also get() and items()
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def lists(self):  # also urlencode()
        self.read.update(self.keys())
        return super().lists()

    def __copy__(self):  # also copy(): a copy may be read anywhere
        self.read.update(self.keys())
        return super().__copy__()

    def __deepcopy__(self, memo):
        self.read.update(self.keys())
        return super().__deepcopy__(memo)


def read_every_kept_parameter(request, key):
    if not key[3]:
        return True
    query = request.GET
    kept = [name for name in query.keys() if name in KEPT_PARAMS]
    return isinstance(query, ReadParameters) and query.read.issuperset(kept)


def storable(request, response, key):
    cache_control = response.headers.get("Cache-Control", "")
    return (
        key is not None
        and enabled()
        and request.method == "GET"
        and getattr(request, "blog", None) is not None
        and getattr(request, "page_token", None) is not None
        and "private" not in cache_control
        and "no-store" not in cache_control
        and canonical_host(request.META) is not None
        # The scheme the page's links were built with: X-Forwarded-Proto from a client that
        # is not behind the trusted proxy makes no entry of its own.
        and key[0] == request.scheme
        and read_every_kept_parameter(request, key)
    )


class PageCacheMiddleware:
    """Outermost middleware: store reader pages, and give every reader page validators,
    a compressed body and 304 answers. Placed first so stored headers are the final ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request_key(request.META)
        if key is not None and key[3]:
            query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")  # as WSGIRequest.GET
            request.GET = ReadParameters(query, encoding=request.encoding)
        response = self.get_response(request)
        if not is_reader_page(request, response):
            return response
        personal = is_personal(request, response)
        store = not personal and storable(request, response, key)
        token = getattr(request, "page_token", None)
        page = build_page(response, token, compress=store, personal=personal)
        if store:
            cache.set(page_key(request.page_token, key), page, PAGE_TIMEOUT)
            state.remember((request.page_token, key), page)
            if state.hosts.get(key[1]) != request.blog.pk:
                cache.set(host_key(key[1]), request.blog.pk, PAGE_TIMEOUT)
                state.remember_host(key[1], request.blog.pk)
        status, headers, body = answer(page, request.META)
        headers.append(("X-Cache", "miss"))
        if status == 304:
            not_modified_response = HttpResponseNotModified()
            for name, value in headers:
                not_modified_response[name] = value
            not_modified_response.cookies = response.cookies
            return not_modified_response
        for name in ("Vary", "Content-Encoding"):
            if name in response:
                del response[name]
        response.content = body
        current = response.headers
        for name, value in headers:
            if current.get(name) != value:  # most are already there, as the view set them
                response[name] = value
        return response
