"""Downloading an imported file from the address an export names: only over http(s), only
from the public internet, every redirect checked like the first address, within a size and a
time limit.

An export file is whatever its uploader wrote, so its image addresses may point at the
server itself (``file://``, ``http://127.0.0.1:6379``) or at the network behind it. The
connection goes to the very address that was checked, so a name that resolves to a public
address once and a private one the next time (DNS rebinding) gets nowhere."""

import contextlib
import dataclasses
import http.client
import ipaddress
import socket
import ssl
import threading
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import FetchRefused

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5


@dataclasses.dataclass
class Fetched:
    content_type: str
    data: bytes


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    # is_global alone lets multicast and some reserved ranges (NAT64 of 127.0.0.1) through.
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def allowed_hosts() -> set[str]:
    return {host.strip().lower() for host in settings.WARTA_IMPORT_FETCH_ALLOW_HOSTS if host}


def vetted_addresses(url: str) -> tuple[str, int, str, list[str]]:
    """(scheme, port, host, addresses to connect to) of a URL an import may fetch."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchRefused(_("only http and https addresses are downloaded"))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(_("the address names no host"))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise FetchRefused(_("the address has an invalid port")) from error
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchRefused(_("%(host)s could not be resolved") % {"host": host}) from error
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if host.lower() not in allowed_hosts() and not all(map(is_public, addresses)):
        raise FetchRefused(_("%(host)s is not an address on the public internet") % {"host": host})
    return scheme, port, host, addresses


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Sends ``Host: <name>`` but connects to one address already checked, never resolving
    the name again."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self):
        super().connect()
        # The certificate is checked against the name, as a browser would.
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def open_connection(scheme, host, port, addresses, timeout):
    kind = PinnedHTTPSConnection if scheme == "https" else PinnedHTTPConnection
    error = None
    for address in addresses:
        connection = kind(host, port, address=address, timeout=timeout)
        try:
            connection.connect()
            return connection
        except OSError as failure:
            connection.close()
            error = failure
    raise error or OSError(f"no address for {host}")


class Deadline:
    """Cuts the connection when the time is up. A socket's timeout bounds each read, not a
    server that sends a byte every few seconds; this bounds the whole download."""

    def __init__(self, sock, seconds: float):
        self.sock, self.lock = sock, threading.Lock()
        self.expired = self.over = False
        self.timer = threading.Timer(seconds, self.cut)
        self.timer.daemon = True

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc_info):
        self.timer.cancel()
        with self.lock:  # from here the socket may close, and its number go to another one
            self.over = True
        if self.expired:
            raise TimeoutError("the download took too long")

    def cut(self):
        with self.lock:
            if self.over:
                return
            self.expired = True
            # The plain socket's shutdown, also under TLS: the reading thread sees the end.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)


def read_body(response, *, max_bytes: int) -> bytes:
    length = response.getheader("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchRefused(_("the file is larger than %(n)s bytes") % {"n": max_bytes})
    data = response.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FetchRefused(_("the file is larger than %(n)s bytes") % {"n": max_bytes})
    return data


def fetch_public(url: str, *, timeout: float, max_bytes: int) -> Fetched:
    """GET ``url``, following up to ``MAX_REDIRECTS`` redirects, each vetted anew, in at
    most ``timeout`` seconds per address. Raises FetchRefused for an address or a file
    refused by rule; OSError or http.client's errors for a server that cannot be reached or
    misbehaves."""
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, port, host, addresses = vetted_addresses(url)
        connection = open_connection(scheme, host, port, addresses, timeout)
        response = None
        try:
            with Deadline(connection.sock, timeout):
                parts = urlsplit(url)
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                connection.request("GET", target, headers={"User-Agent": "Warta import"})
                response = connection.getresponse()
                location = response.getheader("Location")
                if response.status in REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                if response.status != 200:
                    raise OSError(f"HTTP {response.status}")
                data = read_body(response, max_bytes=max_bytes)
                kind = response.headers.get_content_type()
                return Fetched(content_type=kind, data=data)
        finally:
            if response is not None:
                response.close()
            connection.close()
    raise FetchRefused(_("more than %(n)s redirects") % {"n": MAX_REDIRECTS})
