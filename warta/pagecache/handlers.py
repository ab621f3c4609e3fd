"""Django's WSGI handler with a shorter middleware chain for anonymous readers.

A reader with none of Warta's personal cookies (no session, no flash message, no
``warta_*`` claim), asking with GET or HEAD for a reader or feed page, has no session to
load, no user to look up and no message to show: ``SessionMiddleware``,
``AuthenticationMiddleware``, ``MessageMiddleware``, allauth's ``AccountMiddleware`` and
``CommonMiddleware`` would find nothing to do, yet cost about a tenth of an uncached
article. The page cache's entry points (``wsgi.CachedApplication``) send such a request, after
a page-cache miss, to ``ReaderHandler``; everything else goes through the full
``settings.MIDDLEWARE``.

``AnonymousReaderMiddleware`` stands in for what they would do: ``request.user`` is
anonymous, the response varies on Cookie when the page asked whether the reader is signed
in (``SessionMiddleware``, once the user was looked up) and carries its Content-Length
(``CommonMiddleware``). ``pagecache/tests/test_reader_handler.py`` holds every kind of reader
page equal, byte for byte, through both chains.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler, get_path_info
from django.urls import Resolver404, get_resolver
from django.utils.cache import patch_vary_headers

from .decorators import is_page_cached

# settings.MIDDLEWARE without the middleware that only serves sessions and sign-in, in the
# same order; test_reader_handler checks it stays a subsequence of MIDDLEWARE.
SKIPPED_FOR_READERS = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
)
AFTER_SECURITY_CHECKS = "warta.blogs.middleware.BlogMiddleware"
READER_STAND_IN = "warta.pagecache.handlers.AnonymousReaderMiddleware"
MATCH_KEY = "warta.reader_match"


def reader_middleware():
    chain = [path for path in settings.MIDDLEWARE if path not in SKIPPED_FOR_READERS]
    chain.insert(chain.index(AFTER_SECURITY_CHECKS) + 1, READER_STAND_IN)
    return chain


def reader_match(environ):
    """The resolved view when the request's path is a page-cached view's, else None."""
    try:
        match = get_resolver().resolve(get_path_info(environ) or "/")
    except Resolver404:
        return None
    return match if is_page_cached(match.func) else None


class Reader(AnonymousUser):
    """An anonymous user who remembers being asked whether they are signed in."""

    looked_at = False

    @property
    def is_authenticated(self):
        self.looked_at = True
        return False

    @property
    def is_anonymous(self):
        self.looked_at = True
        return True


class AnonymousReaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = reader = Reader()
        response = self.get_response(request)
        if reader.looked_at:
            # What SessionMiddleware adds to a page that asked who is reading it.
            patch_vary_headers(response, ("Cookie",))
        # And what CommonMiddleware adds to any page the page cache has not measured.
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response


class ReaderHandler(WSGIHandler):
    """Only for requests ``wsgi.CachedApplication`` routes here: the URL is already resolved."""

    def load_middleware(self, is_async=False):
        # BaseHandler builds the chain from settings.MIDDLEWARE; it reads it only here.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = reader_middleware()
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full

    def resolve_request(self, request):
        match = request.META.pop(MATCH_KEY, None)
        if match is None:
            return super().resolve_request(request)
        request.resolver_match = match
        return match
