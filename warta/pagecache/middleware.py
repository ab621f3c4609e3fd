"""``PageCacheMiddleware``: stores readers' pages from inside Django, and gives every
reader page an ETag, a Last-Modified, ``Cache-Control`` and a compressed body."""

from django.core.cache import cache
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpResponseNotModified, QueryDict

from .answers import build_page, environ_answer
from .counting import count_environ
from .decorators import is_page_cached
from .keys import (
    KEPT_PARAMS,
    canonical_host,
    enabled,
    environ_key,
    has_personal_cookie,
    host_key,
    page_key,
)
from .worker import state

PAGE_TIMEOUT = 24 * 3600  # pages and host -> blog entries alike


def is_reader_page(request, response):
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and is_page_cached(match.func)
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
    meta = request.META
    return (
        key is not None
        and enabled()
        and request.method == "GET"
        and getattr(request, "blog", None) is not None
        and getattr(request, "page_token", None) is not None
        and "private" not in cache_control
        and "no-store" not in cache_control
        and canonical_host(meta.get("HTTP_HOST", ""), meta.get("SERVER_PORT")) is not None
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
        key = environ_key(request.META)
        if key is not None and key[3]:
            query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")  # as WSGIRequest.GET
            request.GET = ReadParameters(query, encoding=request.encoding)
        response = self.get_response(request)
        if not is_reader_page(request, response):
            return response
        personal = is_personal(request, response)
        store = not personal and storable(request, response, key)
        token = getattr(request, "page_token", None)
        blog = getattr(request, "blog", None)
        page = build_page(
            response, token, compress=store, personal=personal, blog_id=getattr(blog, "pk", None)
        )
        if page.views_of is not None:
            count_environ(page.views_of, request.META)  # a miss is a view, as a hit is
        if store:
            cache.set(page_key(request.page_token, key), page.stored(), PAGE_TIMEOUT)
            state.remember((request.page_token, key), page)
            if state.hosts.get(key[1]) != request.blog.pk:
                cache.set(host_key(key[1]), request.blog.pk, PAGE_TIMEOUT)
                state.remember_host(key[1], request.blog.pk)
        status, headers, body = environ_answer(page, request.META)
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
