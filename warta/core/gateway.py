"""What granian serves: the WSGI application behind granian's RSGI interface.

Under granian's WSGI interface the application is called as soon as the headers arrive, and
``wsgi.input`` reads the body from the socket in the worker's only Python thread with no
time limit: a client that announces ``Content-Length: 100000`` and sends three bytes holds
that thread, and two such clients stop both workers. Here granian reads the body on the
worker's event loop (in Rust, while the thread serves other requests), within a size cap
and a time limit, and only a complete request reaches the WSGI application, which then
runs as granian's WSGI interface would run it: same environ, one thread.

Before that, a request without a body may be answered by ``early(scope, headers)``, a
function the project wires in (the page cache's hits): it returns ``(status, headers,
body)`` or None, and runs in the application's context without any environ built.
"""

import asyncio
import contextvars
import io
import itertools
import logging
import sys
from concurrent.futures import ThreadPoolExecutor

from django.dispatch import Signal
from django.utils.translation import gettext as _
from granian.rsgi import ProtocolClosed

logger = logging.getLogger(__name__)

#: Sent (no arguments) in each worker as granian starts it, before its first request, and as
#: granian stops it, after its last: what a worker keeps in memory to write later (the page
#: views it counted) gets its writer, and is written at the end.
worker_starting = Signal()
worker_stopping = Signal()

PROTOCOLS = {"1": "HTTP/1", "1.1": "HTTP/1.1", "2": "HTTP/2", "3": "HTTP/3"}
# Header name -> environ key; bounded, since clients choose the names.
ENVIRON_KEYS = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}
ENVIRON_KEYS_MAX = 512
STATUS_CODES = {}
# Bytes a streamed response gathers before each send (Django reads files 4 KB at a time).
STREAM_CHUNK = 64 * 1024


class BodyRefused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def environ_key(name):
    key = ENVIRON_KEYS.get(name)
    if key is None:
        key = "HTTP_" + name.upper().replace("-", "_")
        if len(ENVIRON_KEYS) < ENVIRON_KEYS_MAX:
            ENVIRON_KEYS[name] = key
    return key


def status_code(status_line):
    code = STATUS_CODES.get(status_line)
    if code is None:
        code = int(status_line[:3])
        if len(STATUS_CODES) < ENVIRON_KEYS_MAX:
            STATUS_CODES[status_line] = code
    return code


def address_host(address):
    """``"127.0.0.1:8000"`` or ``"[::1]:8000"`` -> the host, as WSGI's REMOTE_ADDR has it."""
    host = address.rpartition(":")[0]
    return host[1:-1] if host.startswith("[") else host


class StartResponse:
    __slots__ = ("status", "headers", "written")

    def __init__(self):
        self.status, self.headers, self.written = 500, [], []

    def __call__(self, status, headers, exc_info=None):
        self.status, self.headers = status_code(status), headers
        return self.written.append


class Streaming:
    """A response the application produces as it goes (static files, exports)."""

    __slots__ = ("result", "chunks")

    def __init__(self, result):
        self.result, self.chunks = result, iter(result)

    def next_chunk(self):
        return next(self.chunks, None)

    def close(self):
        if hasattr(self.result, "close"):
            self.result.close()


class WSGIGateway:
    """An RSGI application that reads the whole request body, then runs ``wsgi_app``.

    ``max_body`` (bytes; more gets 413), ``body_timeout`` (seconds for the whole body; a
    slower one gets 408) and ``threads`` (Python threads that run the application; with
    one, it runs in the event loop's thread between reads) come from
    ``settings.WARTA_MAX_BODY``, ``WARTA_BODY_TIMEOUT`` and ``WARTA_THREADS``.
    """

    max_body = 32 * 1024 * 1024
    body_timeout = 30.0
    threads = 1

    def __init__(self, wsgi_app, early=None):
        self.wsgi_app = wsgi_app
        self.early = early
        # One context for every call, as a WSGI thread has: what Django keeps in
        # context-local storage (cache connections, the active language) outlives a request.
        self.context = contextvars.copy_context()
        self.constant_environ = {
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SCRIPT_NAME": "",
            "SERVER_SOFTWARE": "Granian",
            "wsgi.errors": sys.stderr,
            "wsgi.input_terminated": True,
            "wsgi.multiprocess": False,
            "wsgi.multithread": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        self.server = None
        self.loop = None
        self.executor = None

    def __rsgi_init__(self, loop):
        from django.conf import settings

        self.loop = loop
        self.max_body = getattr(settings, "WARTA_MAX_BODY", self.max_body)
        self.body_timeout = getattr(settings, "WARTA_BODY_TIMEOUT", self.body_timeout)
        self.threads = getattr(settings, "WARTA_THREADS", self.threads)
        if self.threads > 1:
            self.executor = ThreadPoolExecutor(self.threads, thread_name_prefix="warta")
        self.context.run(worker_starting.send_robust, sender=type(self))

    def __rsgi_del__(self, loop):
        if self.executor is not None:
            self.executor.shutdown(wait=False)
        self.context.run(worker_stopping.send_robust, sender=type(self))

    async def __rsgi__(self, scope, protocol):
        headers = scope.headers
        length = headers.get("content-length")
        if (length is None or length == "0") and "transfer-encoding" not in headers:
            if self.early is not None:
                answered = self.context.run(self.early, scope, headers)
                if answered is not None:
                    protocol.response_bytes(*answered)
                    return
            body = b""
        else:
            try:
                body = await self.read_body(protocol, length)
            except ProtocolClosed:
                return  # the client went away before sending all of its body
            except BodyRefused as refusal:
                protocol.response_bytes(
                    refusal.status,
                    [("content-type", "text/plain; charset=utf-8"), ("connection", "close")],
                    str(refusal).encode(),
                )
                return
        environ = self.environ(scope, headers, body)
        try:
            status, response_headers, content = await self.call(self.respond, environ)
        except Exception:
            logger.exception("Application callable raised an exception")
            protocol.response_empty(500, [])
            return
        if type(content) is bytes:
            protocol.response_bytes(status, response_headers, content)
        else:
            await self.stream(content, status, response_headers, protocol)

    async def read_body(self, protocol, length):
        if length is not None:
            if not length.isdigit():
                raise BodyRefused(400, _("Bad Content-Length."))
            if int(length) > self.max_body:
                raise BodyRefused(413, _("The request is too large."))
        try:
            # wait_for, not asyncio.timeout: it needs no asyncio Task around the request,
            # which granian's Rust task implementation does not make.
            return await asyncio.wait_for(self.receive(protocol, length), self.body_timeout)
        except TimeoutError:
            raise BodyRefused(408, _("The request took too long to arrive.")) from None

    async def receive(self, protocol, length):
        if length is not None:
            return await protocol()
        chunks, size = [], 0
        async for chunk in protocol:
            size += len(chunk)
            if size > self.max_body:
                raise BodyRefused(413, _("The request is too large."))
            chunks.append(chunk)
        return b"".join(chunks)

    def environ(self, scope, headers, body):
        if self.server is None:  # one listening address per worker: read it once
            self.server = scope.server
            host, _colon, port = self.server.rpartition(":")
            self.constant_environ["SERVER_NAME"] = host.strip("[]")
            self.constant_environ["SERVER_PORT"] = port
        path = scope.path
        environ = {
            **self.constant_environ,
            "REQUEST_METHOD": scope.method,
            # WSGI strings carry the request's bytes as latin-1; RSGI decoded them as UTF-8.
            "PATH_INFO": path if path.isascii() else path.encode().decode("latin-1"),
            "QUERY_STRING": scope.query_string,
            "SERVER_PROTOCOL": PROTOCOLS.get(scope.http_version, "HTTP/1"),
            "REMOTE_ADDR": address_host(scope.client),
            "wsgi.url_scheme": scope.scheme,
            "wsgi.input": io.BytesIO(body),
        }
        keys = ENVIRON_KEYS
        for name, value in headers.items():
            key = keys.get(name) or environ_key(name)
            if key in environ:  # a repeated header, as granian's WSGI joins them
                environ[key] += ("; " if key == "HTTP_COOKIE" else ",") + value
            else:
                environ[key] = value
        if "HTTP_HOST" not in environ and scope.authority:
            environ["HTTP_HOST"] = scope.authority
        return environ

    def respond(self, environ):
        """The application's status, headers and body, or a ``Streaming`` body."""
        response = StartResponse()
        result = self.wsgi_app(environ, response)
        if type(result) is list and not response.written:
            # The page cache's hits: one bytes object and nothing to close.
            return response.status, response.headers, b"".join(result)
        if getattr(result, "streaming", False):
            stream = Streaming(result)
            stream.chunks = itertools.chain(response.written, stream.chunks)
            return response.status, response.headers, stream
        try:
            return response.status, response.headers, b"".join([*response.written, *result])
        finally:
            if hasattr(result, "close"):
                result.close()

    async def call(self, function, *args):
        if self.executor is not None:
            return await self.loop.run_in_executor(self.executor, function, *args)
        # In the loop's own thread, as a WSGI server thread would call it: in the gateway's
        # context, and with no running loop, so Django's guard against blocking an event
        # loop (and asgiref's async_to_sync) sees the plain thread this is for the
        # application. The loop waits meanwhile, as that thread would; bodies are in.
        loop = asyncio._get_running_loop()
        asyncio._set_running_loop(None)
        try:
            return self.context.run(function, *args)
        finally:
            asyncio._set_running_loop(loop)

    async def stream(self, stream, status, headers, protocol):
        try:
            chunk = await self.call(stream.next_chunk)
            transport = protocol.response_stream(status, headers)
            try:
                pending = b""
                while chunk is not None:
                    pending += chunk
                    chunk = await self.call(stream.next_chunk)
                    if pending and (chunk is None or len(pending) >= STREAM_CHUNK):
                        await transport.send_bytes(pending)
                        pending = b""
            except Exception:
                # The client went away, or the application failed after the headers went.
                logger.debug("Response stream ended early", exc_info=True)
        except Exception:
            logger.exception("Application callable raised an exception")
            protocol.response_empty(500, [])
        finally:
            await self.call(stream.close)
