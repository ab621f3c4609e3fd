"""The hosts that belong to no single blog, and the address a link to a host is built on.

Besides its blogs' own hosts, Warta answers only the operator's: the bare ``WARTA_DOMAIN``
and the loopback names (both serve the default blog) and ``WARTA_ADMIN_HOST``, where Django's
admin lives. Links that leave the request (mail) are built by ``public_url`` from a host Warta
chose, never from the Host header a request arrived with.
"""

from django.conf import settings
from django.http.request import split_domain_port

LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})


def host_name(host: str) -> str:
    """``"Kabar.Warta.ID.:8000"`` -> ``"kabar.warta.id"``; "" for what is no host name."""
    return split_domain_port(host)[0]


def default_blog_hosts() -> frozenset[str]:
    return LOOPBACK | {settings.WARTA_DOMAIN.lower()}


def admin_hosts() -> frozenset[str]:
    configured = {host_name(host.strip()) for host in settings.WARTA_ADMIN_HOST.split(",")}
    return frozenset(configured - {""}) or default_blog_hosts()


def is_operator_host(host: str) -> bool:
    """A host Warta answers even when no blog is found there."""
    name = host_name(host)
    return bool(name) and (name in default_blog_hosts() or name in admin_hosts())


def is_admin_host(host: str) -> bool:
    name = host_name(host)
    return bool(name) and name in admin_hosts()


def public_url(host: str) -> str:
    """``https://host`` under ``WARTA_HTTPS``, else ``http://host``, with the port readers
    use when it is not the scheme's own (``WARTA_PUBLIC_PORT``, e.g. 8000 with ``make run``)."""
    scheme = "https" if settings.WARTA_HTTPS else "http"
    port = settings.WARTA_PUBLIC_PORT
    return f"{scheme}://{host}:{port}" if port else f"{scheme}://{host}"
