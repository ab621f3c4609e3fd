"""Which requests may be cached, and the key each one is stored under.

Only one spelling of a request is stored: its Host already canonical (``canonical_host``)
and each kept parameter's value canonical and read by the page's view. Other spellings are
answered by Django and not stored, so random requests cannot fill the cache, and a page,
whose links are built from the Host, is never served to another Host.
"""

import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings

from warta.core import timestamps

MAX_PAGE = 100_000  # as reader.views.paginate
MAX_QUERY = 200  # characters of a search the view reads


def page_number(value):
    """``2``, not ``02``, ``+2``, ``٢`` or ``abc``: the view answers those too (or 404s)."""
    if value.isascii() and value.isdigit() and value[0] != "0" and int(value) <= MAX_PAGE:
        return value
    return None


def search_words(value):
    """A search as the view reads it: stripped, printable, at most ``MAX_QUERY`` long."""
    if value and len(value) <= MAX_QUERY and value.isprintable() and value == value.strip():
        return value
    return None


MAX_RESULTS = 500  # Blogger's own cap on ``max-results``, as syndication and reader read it
MAX_START = 1_000_000  # ``start-index`` and ``start``: deeper than any blog's list
MAX_CALLBACK = 64


def counted(low, high):
    """A count from ``low`` to ``high`` written plainly: ``25``, not ``025``, ``+25`` or ``٢٥``."""

    def canonical(value):
        if value.isascii() and value.isdigit() and (value == "0" or value[0] != "0"):
            return value if low <= int(value) <= high else None
        return None

    return canonical


def blogger_timestamp(value):
    """``2016-12-08T10:30:00-08:00``, optionally with milliseconds (see core.timestamps)."""
    return value if timestamps.is_canonical(value) else None


def script_callback(value):
    """A function name a Blogger widget passes to ``alt=json-in-script``: ``showPosts`` or
    ``a.b_1``; nothing that could say more than a name in the script it starts."""
    if 0 < len(value) <= MAX_CALLBACK and value.isascii():
        if all(part.isidentifier() for part in value.split(".")):
            return value
    return None


def one_of(*values):
    return {value: value for value in values}.get


# Query parameters a reader page reads, each with its canonical values: any other parameter
# or value makes the request uncacheable, so a random ``?x=...`` or ``?page=0001`` cannot
# fill the cache (and benchmarks get a miss with ``?nocache=N``). Blogger's list and feed
# parameters are kept too, and stored only where a view reads them (see ReadParameters).
KEPT_PARAMS = {
    "page": page_number,
    "q": search_words,
    "alt": one_of("rss", "atom", "json", "json-in-script"),
    "callback": script_callback,
    "max-results": counted(0, MAX_RESULTS),  # 0: the totals alone, as label clouds ask
    "start-index": counted(1, MAX_START),
    "start": counted(0, MAX_START),
    "by-date": one_of("true", "false"),
    "reverse-paginate": one_of("true"),
    "orderby": one_of("published", "updated"),
    "updated-min": blogger_timestamp,
    "updated-max": blogger_timestamp,
    "published-min": blogger_timestamp,
    "published-max": blogger_timestamp,
}
# Blogger's mobile flag, the parameters Blogger's links and feed readers add that no Warta
# page reads, and the click trackers that chat apps and ad networks append (``utm_*`` too):
# the same page. A post going viral on Facebook arrives with a different ``fbclid`` on every
# visit; keeping it in the key would make every visit a miss.
DROPPED_PARAMS = frozenset(
    {
        "m",
        "showComment",
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "igshid",
        "twclid",
        "ttclid",
        "mc_cid",
        "mc_eid",
        "_ga",
    }
)


def enabled():
    return settings.WARTA_PAGECACHE


def is_dropped(name):
    return name in DROPPED_PARAMS or name.startswith("utm_")


def normalised_query(query_string):
    """The query a page is stored under, or None when a parameter, a repeated parameter or
    a value that is not canonical makes it uncacheable."""
    if not query_string:
        return ""
    kept = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        canonical = KEPT_PARAMS.get(name)
        if canonical is None:
            if is_dropped(name):
                continue
            return None
        if name in kept or canonical(value) is None:
            return None
        kept[name] = value
    return urlencode(sorted(kept.items()))


def canonical_host(host, server_port):
    """The Host header when it is the one spelling its pages are stored under: lowercase,
    no trailing dot, no ``www.``, and no port but the server's own; else None.

    A page's links (canonical, feeds, sharing) are built from the Host, so two spellings
    never share a stored page: the others are served by Django, not stored, and find none."""
    if ":" in host and not host.endswith("]"):  # an IPv6 literal is bracketed
        name, _, port = host.rpartition(":")
        if port != server_port:
            return None
    else:
        name = host
    if name and name == name.lower() and name[-1] != "." and not name.startswith("www."):
        return host
    return None


def has_personal_cookie(cookie_header):
    """A session, a flash message or one of Warta's own cookies (``warta_*``) personalise."""
    if not cookie_header:
        return False
    personal = {settings.SESSION_COOKIE_NAME, "messages"}
    for part in cookie_header.split(";"):
        name = part.split("=", 1)[0].strip()
        if name in personal or name.startswith("warta_"):
            return True
    return False


def is_anonymous_read(method, cookie_header):
    return method in ("GET", "HEAD") and not has_personal_cookie(cookie_header)


def request_key(method, scheme, host, path, query_string, cookie_header):
    """``(scheme, host, path, query)`` of a cacheable request, else None.

    The host as sent: only canonical hosts are stored (see ``middleware.storable``), so no
    other spelling finds a page, and a hit costs no work on the host."""
    if not is_anonymous_read(method, cookie_header):
        return None
    query = normalised_query(query_string)
    if query is None:
        return None
    return scheme, host, path, query


def environ_key(environ):
    """``request_key`` of a WSGI environ (or a request's META)."""
    return request_key(
        environ.get("REQUEST_METHOD"),
        environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http"),
        environ.get("HTTP_HOST", ""),
        environ.get("PATH_INFO", "/"),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_COOKIE", ""),
    )


# Part of every page's key: a new layout of stored pages (``answers.StoredPage.stored``)
# takes a new one, so pages an older Warta stored are never read, only left to expire.
PAGE_FORMAT = "page3"


def page_key(token, key):
    raw = "|".join((token, *key)).encode("utf-8", "surrogateescape")
    return f"pagecache:{PAGE_FORMAT}:" + hashlib.sha1(raw).hexdigest()


def host_key(host):
    return "pagecache:host:" + hashlib.sha1(host.encode("utf-8", "surrogateescape")).hexdigest()
