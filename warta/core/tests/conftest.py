import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory


class WsgiResponse:
    def __init__(self, status, headers, body):
        self.status_code = int(status.split()[0])
        self.header_list = headers
        self.headers = {name.lower(): value for name, value in headers}
        self.content = body

    @property
    def text(self):
        return self.content.decode()


def wsgi_call(application, environ):
    """One request through a WSGI application, as granian makes it."""
    captured = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"], captured["headers"] = status, response_headers

    # As Django's test client does: the test's transaction must survive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return WsgiResponse(captured["status"], captured["headers"], body)


@pytest.fixture
def wsgi_get():
    """``wsgi_get(host, path, **headers)``: a request through ``warta.wsgi.application``
    as granian calls it, so the page cache's layer before Django is exercised too."""
    from warta.wsgi import application

    factory = RequestFactory()

    def get(host, path, *, method="get", **headers):
        return wsgi_call(
            application, getattr(factory, method)(path, HTTP_HOST=host, **headers).environ
        )

    return get
