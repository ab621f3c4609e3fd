"""Who is told of each reader's page view, hit or miss: the callable that
``settings.WARTA_VIEW_COUNTER`` names (``"warta.stats.counter.count_view"``), or nobody.

The page cache sits below the apps that count, so it names none of them: it hands the
counter what a stored page says it is (the blog's id) and the request's few headers that
matter, and the counter decides. It is called on the hit path, so it must only note the view
in memory; writing it anywhere is the counter's business, later and in batches.

``counter(blog_id, host, path, method, referer, user_agent, purpose)``: ``path`` as WSGI's
``PATH_INFO`` has it (the request's bytes as latin-1); ``purpose`` a ``Sec-Purpose``,
``Purpose`` or ``X-Moz`` header (a browser's prefetch), else "".
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

UNKNOWN = object()
_resolved = [UNKNOWN]  # the callable the setting names, looked up once: a settings read
# costs about as much as the rest of the count


def counter():
    """The configured counter, or None; looked up again when the setting changes (tests)."""
    count = _resolved[0]
    if count is UNKNOWN:
        name = getattr(settings, "WARTA_VIEW_COUNTER", None)
        count = _resolved[0] = import_string(name) if name else None
    return count


def forget_counter(*, setting, **kwargs):
    if setting == "WARTA_VIEW_COUNTER":
        _resolved[0] = UNKNOWN


setting_changed.connect(forget_counter, dispatch_uid="warta.pagecache.counting")


def purpose_of(get):
    """A prefetch's announcement among the headers ``get`` reads (a mapping's ``get``)."""
    return get("sec-purpose") or get("purpose") or get("x-moz") or ""


def environ_purpose(environ):
    return (
        environ.get("HTTP_SEC_PURPOSE")
        or environ.get("HTTP_PURPOSE")
        or environ.get("HTTP_X_MOZ")
        or ""
    )


def count_environ(blog_id, environ):
    """Tell the counter of a view answered from a WSGI environ (or a request's META)."""
    count = counter()
    if count is not None:
        count(
            blog_id,
            environ.get("HTTP_HOST", ""),
            environ.get("PATH_INFO", "/"),
            environ.get("REQUEST_METHOD"),
            environ.get("HTTP_REFERER", ""),
            environ.get("HTTP_USER_AGENT", ""),
            environ_purpose(environ),
        )
