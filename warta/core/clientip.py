"""The client's address, for rate limits and comments' address hashes."""

from django.conf import settings


def client_ip(request) -> str:
    """The address the request came from, as the outermost trusted proxy saw it.

    Each of the ``WARTA_TRUSTED_PROXIES`` proxies in front of Warta appends the address it
    was reached from to X-Forwarded-For, so the Nth entry from the right is the client's;
    anything left of it the client wrote itself. With no trusted proxy (the default) the
    header is ignored, since anyone can send one.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.WARTA_TRUSTED_PROXIES
    if proxies < 1:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return remote
    # Fewer entries than proxies: the request skipped the outer ones, and the leftmost entry
    # is still one a trusted proxy wrote.
    return entries[-min(proxies, len(entries))]
