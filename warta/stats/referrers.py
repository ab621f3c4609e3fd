"""The one thing kept of a Referer header: its host, or ``INTERNAL`` for a page of the
same blog, or "" when there is none (typed in, a bookmark, an app that sends none)."""

import functools
import re
from urllib.parse import urlsplit

INTERNAL = "(internal)"  # not a host name: parentheses cannot be in one
HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
MAX_REMEMBERED = 4096  # distinct (Referer, Host) pairs a worker keeps the answer for


def referrer_of(referer, host):
    """The referring domain of a request to ``host`` (its Host header)."""
    return remembered_domain(referer, host) if referer else ""


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


remembered_domain = functools.lru_cache(maxsize=MAX_REMEMBERED)(domain_of)
