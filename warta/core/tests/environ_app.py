"""A WSGI application that answers with the environ it was given (test_gateway.py serves it
through granian's WSGI interface and through ``WSGIGateway``)."""

import hashlib
import json
import os

from warta.core.gateway import WSGIGateway

# granian's WSGI interface also copies the process's environment into every environ.
PROCESS_ENVIRONMENT = frozenset(os.environ)


class Numbers:
    """A streamed answer, as Django's streaming responses say they are: 0 to 9,999."""

    streaming = True

    def __iter__(self):
        for start in range(0, 10_000, 100):
            yield "".join(f"{n}\n" for n in range(start, start + 100)).encode()


def application(environ, start_response):
    if environ["PATH_INFO"] == "/numbers":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Numbers()
    body = environ["wsgi.input"].read()
    shown = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in environ.items()
        if key not in PROCESS_ENVIRONMENT and isinstance(value, (str, bool, int, tuple))
    }
    shown["body"] = {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(shown, sort_keys=True).encode()]


gateway = WSGIGateway(application)
