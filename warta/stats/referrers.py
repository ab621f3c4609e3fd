"""The one thing kept of a Referer header: its host, or ``INTERNAL`` for a page of the
same blog, or "" when there is none (typed in, a bookmark, an app that sends none)."""

import re
from urllib.parse import urlsplit

INTERNAL = "(internal)"  # not a host name: parentheses cannot be in one
HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
MAX_REMEMBERED = 4096
remembered: dict[tuple[str, str], str] = {}


def referrer_of(referer, host):
    """The referring domain of a request to ``host`` (its Host header)."""
    if not referer:
        return ""
    key = (referer, host)
    domain = remembered.get(key)
    if domain is None:
        domain = domain_of(referer, host)
        if len(remembered) >= MAX_REMEMBERED:
            remembered.clear()
        remembered[key] = domain
    return domain


def domain_of(referer, host):
    try:
        name = urlsplit(referer).hostname or ""
    except ValueError:
        return ""
    name = name.rstrip(".").removeprefix("www.")
    if not HOST_NAME.fullmatch(name):
        return ""
    own = host.rpartition(":")[0] if host.rpartition(":")[2].isdigit() else host
    if name == own.lower().rstrip(".").removeprefix("www."):
        return INTERNAL
    return name
