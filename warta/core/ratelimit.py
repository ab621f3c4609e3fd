"""Rate limits shared by every worker process: comments, sign-in pages, the admin login."""

from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/60"`` -> at most 5 in 60 seconds."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def rate_limited(scope: str, ident: str, rate: str) -> bool:
    """Count one attempt; True when the window's allowance is used up.

    ``cache.add`` creates the window's counter atomically and ``cache.incr`` is atomic in
    Redis, so every worker process shares the same count."""
    limit, window = parse_rate(rate)
    key = f"rate:{scope}:{ident}"
    if cache.add(key, 1, window):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, window)
        return False
