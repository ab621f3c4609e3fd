"""Stored pages and the answers made of them: validators, 304s and encodings."""

import gzip
import hashlib
import time
from email.utils import formatdate, parsedate_to_datetime
from typing import NamedTuple

import brotli
from django.utils.cache import patch_cache_control

from .tokens import token_time

# Browsers and shared caches may keep a reader's page, and revalidate it on every use; a
# personal page only the reader's own browser.
CACHE_CONTROL = "public, max-age=0, must-revalidate"
SKIPPED_HEADERS = frozenset(
    {"content-length", "content-encoding", "etag", "last-modified", "vary", "set-cookie"}
)


class StoredPage(NamedTuple):
    etag: str
    last_modified: float
    headers: tuple
    body: bytes
    gzip: bytes | None
    br: bytes | None
    # The blog a view of this page is counted for (see ``counting``); None for a page that is
    # no reader's view (a feed, the sitemap, robots.txt), so the hit path never asks.
    views_of: int | None = None

    @property
    def size(self):
        return len(self.body) + len(self.gzip or b"") + len(self.br or b"")

    def stored(self):
        """What the shared cache keeps: built-in types only, so no pickle in it names a
        class of Warta's that a later version may have moved (see ``keys.PAGE_FORMAT``)."""
        return tuple(self)

    @classmethod
    def from_stored(cls, value):
        return cls._make(value)


def content_etag(body):
    return 'W/"' + hashlib.sha1(body).hexdigest()[:24] + '"'


def compress_gzip(body):
    return gzip.compress(body, compresslevel=6, mtime=0)


def compress_br(body):
    return brotli.compress(body, quality=8)


def is_view(response):
    """A page a reader looks at (HTML), not a feed, a sitemap or robots.txt."""
    return response.headers.get("Content-Type", "").startswith("text/html")


def build_page(response, token, *, compress, personal=False, blog_id=None):
    body = response.content
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if "Accept-Encoding" not in vary:
        vary.append("Accept-Encoding")
    if personal:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    else:
        response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
    headers.append(("Vary", ", ".join(vary)))
    if "Last-Modified" in response:
        last_modified = parsedate_to_datetime(response["Last-Modified"]).timestamp()
    else:
        last_modified = token_time(token) if token else time.time()
    return StoredPage(
        etag=response.headers.get("ETag") or content_etag(body),
        last_modified=last_modified,
        headers=tuple(headers),
        body=body,
        gzip=compress_gzip(body) if compress else None,
        br=compress_br(body) if compress else None,
        views_of=blog_id if is_view(response) else None,
    )


def not_modified(page, if_none_match, if_modified_since):
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or page.etag.removeprefix("W/") in tags
    if if_modified_since:
        try:
            return parsedate_to_datetime(if_modified_since).timestamp() >= int(page.last_modified)
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def variant(page, accept_encoding):
    if accept_encoding and len(page.body) > 200:
        # A page that was not stored is compressed only into the encoding asked for.
        if "br" in accept_encoding:
            return "br", page.br if page.br is not None else compress_br(page.body)
        if "gzip" in accept_encoding:
            return "gzip", page.gzip if page.gzip is not None else compress_gzip(page.body)
    return None, page.body


def answer(page, method, accept_encoding, if_none_match, if_modified_since):
    """``(status, headers, body)`` for a stored page, honouring conditions and encodings."""
    common = [
        ("ETag", page.etag),
        ("Last-Modified", formatdate(page.last_modified, usegmt=True)),
    ]
    headers = list(page.headers)
    if not_modified(page, if_none_match, if_modified_since):
        kept = [(k, v) for k, v in headers if k.lower() in ("cache-control", "vary")]
        return 304, kept + common, b""
    encoding, body = variant(page, accept_encoding)
    if encoding:
        headers.append(("Content-Encoding", encoding))
    headers.append(("Content-Length", str(len(body))))
    if method == "HEAD":
        body = b""
    return 200, headers + common, body


def environ_answer(page, environ):
    """``answer`` for a WSGI environ (or a request's META)."""
    return answer(
        page,
        environ.get("REQUEST_METHOD"),
        environ.get("HTTP_ACCEPT_ENCODING", ""),
        environ.get("HTTP_IF_NONE_MATCH"),
        environ.get("HTTP_IF_MODIFIED_SINCE"),
    )
