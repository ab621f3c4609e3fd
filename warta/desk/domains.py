"""Whether a blog's custom domain reaches this server: its name resolved (as a browser
would, ``socket.getaddrinfo``) and its addresses compared with this server's own, those
of ``WARTA_DOMAIN`` and of the host the desk was opened on.

The resolver is the function the setting ``WARTA_DNS_RESOLVER`` names (``getaddrinfo``'s
signature), so tests answer without public DNS.
"""

import socket
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from warta.core import hosts


def resolver():
    return import_string(getattr(settings, "WARTA_DNS_RESOLVER", "socket.getaddrinfo"))


def addresses_of(name, resolve) -> set:
    """The IP addresses ``name`` resolves to; empty when it does not resolve."""
    try:
        found = resolve(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):  # socket.gaierror is an OSError
        return set()
    return {info[4][0] for info in found}


@dataclass
class NameCheck:
    name: str
    addresses: set

    def reaches(self, server):
        return bool(self.addresses & server)

    @property
    def sorted_addresses(self):
        return sorted(self.addresses)


@dataclass
class DomainCheck:
    domain: str
    server: set  # this server's addresses
    names: list  # a NameCheck for the domain and for its www. name

    @property
    def reaches(self):
        return any(name.reaches(self.server) for name in self.names)

    @property
    def server_addresses(self):
        return sorted(self.server)

    @property
    def results(self):
        return [(name, name.reaches(self.server)) for name in self.names]


def server_names(blog, request_host):
    names = [settings.WARTA_DOMAIN, f"{blog.slug}.{settings.WARTA_DOMAIN}"]
    host = hosts.host_name(request_host)
    if host and host.removeprefix("www.") != blog.custom_domain:
        names.append(host)
    return names


def check_domain(blog, *, request_host, resolve=None) -> DomainCheck:
    resolve = resolve or resolver()
    server = set()
    for name in server_names(blog, request_host):
        server |= addresses_of(name, resolve)
    domain = blog.custom_domain
    names = [NameCheck(name, addresses_of(name, resolve)) for name in (domain, f"www.{domain}")]
    return DomainCheck(domain, server, names)
