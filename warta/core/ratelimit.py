"""Rate limits shared by every worker process: comments, sign-in pages, the admin login."""

from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/60"`` -> at most 5 in 60 seconds."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def rate_limited(scope: str, ident: str, rate: str) -> bool:
    """Count one attempt; True when the window's allowance is used up.

    The window opens with the first attempt and closes ``seconds`` later, however many
    attempts follow; every process counts into the same atomic counter (see
    ``count_in_window`` in ``core/cache.py``)."""
    limit, window = parse_rate(rate)
    count = attempts_in_window(f"rate:{scope}:{ident}", window)
    # Fail open: with the cache down nothing can be counted, and refusing every comment and
    # sign-in would turn a cache outage into a site outage; the outage is logged, and the
    # form stamp, honeypot and moderation still stand.
    return count is not None and count > limit


def attempts_in_window(key: str, window: int) -> int | None:
    """This attempt's number in its window, or None when the cache cannot count."""
    count_in_window = getattr(cache, "count_in_window", None)
    if count_in_window is not None:
        return count_in_window(key, window)
    # Django's own backends (tests, or a site configured with them): atomic where their
    # add and incr are (local memory, Memcached).
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window closed between add and incr
        return 1 if cache.add(key, 1, window) else None
