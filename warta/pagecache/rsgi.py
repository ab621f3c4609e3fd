"""The hit path under granian's RSGI interface: answered from the request's scope, before
any WSGI environ is built and before a Python thread is given the request.

``core.gateway.WSGIGateway`` calls ``answer_hit`` (the project's ``wsgi.py`` wires it) for
each request without a body; on None it goes on as before, and ``wsgi.CachedApplication``
looks again. A request carrying any cookie is left to that path: HTTP/2 splits cookies
into several headers, and only the environ joins them all.
"""

from .keys import request_key
from .worker import lookup_hot


def answer_hit(scope, headers):
    """``(status, headers, body)`` of a cached page for an RSGI request, else None."""
    if "cookie" in headers:
        return None
    path = scope.path
    key = request_key(
        scope.method,
        headers.get("x-forwarded-proto") or scope.scheme,
        headers.get("host") or scope.authority or "",
        # As the gateway's PATH_INFO: the request's bytes as latin-1, the way WSGI has them.
        path if path.isascii() else path.encode().decode("latin-1"),
        scope.query_string,
        "",
    )
    if key is None:
        return None
    hot = lookup_hot(key)
    if hot is None:
        return None
    status, response_headers, body = hot.answer(
        scope.method,
        headers.get("accept-encoding", ""),
        headers.get("if-none-match"),
        headers.get("if-modified-since"),
    )
    response_headers.append(("X-Cache", "hit"))
    return status, response_headers, body
