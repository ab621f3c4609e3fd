"""The WSGI entry: a hit answered without entering Django, a reader's miss sent to the
short middleware chain, the rest to Django."""

from .counting import count_environ
from .handlers import MATCH_KEY, reader_match
from .keys import environ_key, is_anonymous_read
from .worker import lookup_hot

STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}


class CachedApplication:
    """Answer a cache hit without entering Django; send an anonymous reader's miss to
    ``reader_app`` (``handlers.ReaderHandler``), the rest to ``django_app``."""

    def __init__(self, django_app, reader_app=None):
        self.django_app = django_app
        self.reader_app = reader_app

    def __call__(self, environ, start_response):
        key = environ_key(environ)
        if key is not None:
            hot = lookup_hot(key)
            if hot is not None:
                status, headers, body = hot.answer(
                    environ.get("REQUEST_METHOD"),
                    environ.get("HTTP_ACCEPT_ENCODING", ""),
                    environ.get("HTTP_IF_NONE_MATCH"),
                    environ.get("HTTP_IF_MODIFIED_SINCE"),
                )
                if hot.views_of is not None:
                    count_environ(hot.views_of, environ)
                # A copy: a WSGI server may add to the list (wsgiref adds Date), and this one
                # is every hit's.
                start_response(STATUS_LINES[status], list(headers))
                return [body]
        return self.handler_for(environ)(environ, start_response)

    def handler_for(self, environ):
        if self.reader_app is None or not is_anonymous_read(
            environ.get("REQUEST_METHOD"), environ.get("HTTP_COOKIE", "")
        ):
            return self.django_app
        match = reader_match(environ)
        if match is None:
            return self.django_app
        environ[MATCH_KEY] = match
        return self.reader_app
