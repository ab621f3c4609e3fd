"""Rate limits count every attempt once, in every process at the same time, in a window that
closes when its time is up: Warta's own (comments, admin sign-in) and allauth's."""

import multiprocessing
import os
import pickle
import time
import zlib

import pytest
from allauth.core import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.test import RequestFactory

from warta.core.ratelimit import rate_limited

PROCESSES = 4
ATTEMPTS = 30  # each


def hammer(attempt, barrier, results):
    barrier.wait(timeout=30)  # start together, to collide as much as they can
    results.put(sum(1 for _ in range(ATTEMPTS) if attempt()))


def allowed_across_processes(attempt):
    """How many attempts ``attempt()`` allowed, made ``ATTEMPTS`` times by each of
    ``PROCESSES`` processes forked from this one (so they share its settings and cache)."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=hammer, args=(attempt, barrier, results)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        return sum(results.get(timeout=60) for _ in workers)
    finally:
        for worker in workers:
            worker.join(10)
            assert worker.exitcode == 0


@pytest.fixture
def crowded_cache(settings):
    """The file cache as a busy site has it: 5,000 pages in its folder, well under its
    20,000 (settings.py), where each of Django's writes listed the folder for 5-10 ms."""
    config = settings.CACHES["default"]
    if "redis" in config["BACKEND"].lower():
        return
    settings.CACHES = {"default": {**config, "OPTIONS": {"MAX_ENTRIES": 20000}}}
    entry = pickle.dumps(time.time() + 600) + zlib.compress(pickle.dumps(b"<html>" * 2000))
    os.makedirs(config["LOCATION"], exist_ok=True)
    for n in range(5000):
        with open(os.path.join(config["LOCATION"], f"{n:032x}.djcache"), "wb") as file:
            file.write(entry)


def not_limited():
    return not rate_limited("test-hammer", "198.51.100.7", "20/60")


def allauth_allows():
    request = RequestFactory().post("/accounts/password/reset/", REMOTE_ADDR="198.51.100.8")
    return allauth_ratelimit.consume(request, action="reset_password", key="pembaca@example.com")


def test_processes_hammering_one_limit_get_exactly_the_limit(crowded_cache):
    assert allowed_across_processes(not_limited) == 20


def test_allauths_limits_hold_across_processes(crowded_cache):
    # reset_password: "20/m/ip,5/m/key"; the attempts share the address and the e-mail.
    assert allowed_across_processes(allauth_allows) == 5


def test_a_window_closes_when_its_time_is_up_however_often_it_is_counted():
    started = time.monotonic()
    assert [rate_limited("test-window", "a", "3/1") for _ in range(5)] == [False] * 3 + [True] * 2
    assert time.monotonic() - started < 1, "the attempts took longer than the window"
    time.sleep(1.2)
    assert rate_limited("test-window", "a", "3/1") is False


def test_a_window_lasts_its_whole_time(settings):
    rate_limited("test-long", "a", "1/60")
    key = cache.make_key("rate:test-long:a")
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        ttl = cache._cache.get_client().ttl(key)
    else:
        from .entries import seconds_left

        (ttl,) = seconds_left().values()
    assert 55 < ttl <= 60
    for _ in range(3):
        assert rate_limited("test-long", "a", "1/60") is True
    assert cache.get("rate:test-long:a") == 4


@pytest.mark.parametrize("limit", [0, 1])
def test_the_first_attempt_counts(limit):
    assert rate_limited("test-first", f"a{limit}", f"{limit}/60") is (limit == 0)
