"""The hit path under granian's RSGI interface: answered from the request's scope, before
any WSGI environ is built and before a Python thread is given the request.

``core.gateway.WSGIGateway`` calls ``answer_hit`` (the project's ``wsgi.py`` wires it) for
each request without a body; on None it goes on as before, and ``wsgi.CachedApplication``
looks again. A request carrying any cookie is left to that path: HTTP/2 splits cookies
into several headers, and only the environ joins them all.
"""

from .counting import counter, purpose_of
from .keys import request_key
from .worker import lookup_hot


def answer_hit(scope, headers):
    """``(status, headers, body)`` of a cached page for an RSGI request, else None. The
    headers are shared with other hits of the page: send them, do not change them."""
    if "cookie" in headers:
        return None
    path = scope.path
    if not path.isascii():  # as the gateway's PATH_INFO: the bytes as latin-1, as in WSGI
        path = path.encode().decode("latin-1")
    method = scope.method
    host = headers.get("host") or scope.authority or ""
    key = request_key(
        method,
        headers.get("x-forwarded-proto") or scope.scheme,
        host,
        path,
        scope.query_string,
        "",
    )
    if key is None:
        return None
    hot = lookup_hot(key)
    if hot is None:
        return None
    answered = hot.answer(
        method,
        headers.get("accept-encoding", ""),
        headers.get("if-none-match"),
        headers.get("if-modified-since"),
    )
    if hot.views_of is not None and (count := counter()) is not None:
        get = headers.get
        count(
            hot.views_of, host, path, method, get("referer", ""), get("user-agent", ""),
            purpose_of(get),
        )  # fmt: skip
    return answered
