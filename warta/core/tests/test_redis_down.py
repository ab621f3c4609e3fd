"""With Redis down, readers still get pages: the cache is skipped, not a reason for a 500.

Every test here runs a Redis server of its own (``redis-server`` on a free port, nothing
saved to disk), so it can stop and restart it."""

import http.client
import logging
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.core import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from warta.core.cache import RedisCache
from warta.core.management.commands.serve import granian_command
from warta.core.ratelimit import rate_limited
from warta.core.tests.servers import free_port, wait_for_port

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server (apt-get install redis)"
)
PASSWORD = "rahasia-panjang-123"


class OwnRedis:
    """A ``redis-server`` this test starts, stops and starts again on one port."""

    def __init__(self, directory, *, persistent=False):
        self.port, self.directory, self.process = free_port(), directory, None
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.persistence = ["--appendonly", "yes", "--appendfsync", "always"] if persistent else []

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory), *self.persistence],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def running(server):
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def redis_server(tmp_path):
    yield from running(OwnRedis(tmp_path))


@pytest.fixture
def persistent_redis_server(tmp_path):
    """One that keeps its data on disk, so it comes back with what it had."""
    yield from running(OwnRedis(tmp_path, persistent=True))


def use_redis(settings, url):
    settings.CACHES = {
        "default": {"BACKEND": "warta.core.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "t"}
    }


@pytest.fixture
def quick_backoff(monkeypatch):
    monkeypatch.setattr(RedisCache, "BACKOFF", 0.3)


# ---------------------------------------------------------------- the backend


def test_a_redis_that_is_not_running_is_a_miss_not_an_error(settings):
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")
    assert cache.get("page", "missing") == "missing"
    assert cache.set("page", b"<html>") is None
    assert cache.add("lock", 1) is True  # nobody can hold it
    assert cache.has_key("page") is False
    assert cache.delete("page") is False
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.count_in_window("counter", 60) is None


def test_a_hung_redis_costs_one_timeout_then_nothing_until_the_backoff_ends(settings, caplog):
    with socket.socket() as hung:  # accepts connections, never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        use_redis(settings, f"redis://127.0.0.1:{hung.getsockname()[1]}/0")
        with caplog.at_level(logging.WARNING, logger="warta.core.cache"):
            started = time.monotonic()
            assert cache.get("page") is None
            first = time.monotonic() - started
            started = time.monotonic()
            for _ in range(100):
                assert cache.get("page") is None
                cache.set("page", b"<html>")
            rest = time.monotonic() - started
    assert first < RedisCache.SOCKET_TIMEOUT * 2 + 0.5
    assert rest < 0.2  # 200 calls within the backoff: no socket touched
    warnings = [r for r in caplog.records if "not answering" in r.getMessage()]
    assert len(warnings) == 1


def test_writes_lost_while_redis_was_down_are_deleted_when_it_answers(
    settings, persistent_redis_server, quick_backoff
):
    use_redis(settings, persistent_redis_server.url)
    cache.set("session", "signed in")
    persistent_redis_server.stop()
    cache.delete("session")  # signing out while Redis cannot hear it
    persistent_redis_server.start()
    raw = cache._cache.get_client()
    assert raw.get(cache.make_key("session")) is not None  # Redis came back with the session
    time.sleep(RedisCache.BACKOFF + 0.1)
    assert cache.get("session") is None
    assert raw.get(cache.make_key("session")) is None


def test_rate_limits_let_everyone_through_while_redis_is_down(settings):
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")
    started = time.monotonic()
    assert [rate_limited("comment-ip", "198.51.100.7", "1/60") for _ in range(5)] == [False] * 5
    request = RequestFactory().post("/accounts/password/reset/", REMOTE_ADDR="198.51.100.7")
    for _ in range(10):  # reset_password allows 5 a minute for one address
        assert allauth_ratelimit.consume(request, action="reset_password", key="a@example.com")
    assert time.monotonic() - started < 1  # allauth's lock did not wait for a dead cache


# ---------------------------------------------------------------- a real `warta serve`


def get(port, path, *, host="kabar.localhost", method="GET", body=None, headers=None):
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request(
            method, path, body=body, headers={"Host": f"{host}:{port}", **(headers or {})}
        )
        response = client.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        client.close()


def cookie(headers, name):
    for header in headers.get_all("Set-Cookie", []):
        if header.startswith(f"{name}="):
            return header.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError(f"no {name} cookie")


def sign_in(port, email):
    """Sign in through allauth's form, as a browser does; the session cookie."""
    status, headers, html = get(port, "/accounts/login/")
    assert status == 200
    csrf = cookie(headers, "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = f"csrfmiddlewaretoken={token}&login={email}&password={PASSWORD}"
    status, headers, _ = get(
        port,
        "/accounts/login/",
        method="POST",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
        },
    )
    assert status == 302, status
    return cookie(headers, "sessionid")


@pytest.fixture
def served(tmp_path, settings, redis_server, blog, make_post, make_user):
    """``warta serve`` (one worker) on this test's database and its own Redis."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # its own
    post = make_post(blog, title="Warga bertahan di Aleppo")
    reader = make_user("pembaca@example.com", password=PASSWORD, display_name="Pembaca Setia")
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    env = dict(
        os.environ,
        WARTA_DATA_DIR=str(tmp_path),
        WARTA_REDIS_URL=redis_server.url,
        WARTA_SECRET_KEY="test-redis-down",
        WARTA_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        WARTA_DOMAIN="localhost",
        WARTA_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["WARTA_DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    else:  # the test database lives in memory: the server gets a copy of it
        env.pop("WARTA_DATABASE_URL", None)
        connection.ensure_connection()
        with sqlite3.connect(tmp_path / "warta.sqlite3") as copy:
            connection.connection.backup(copy)
    port = free_port()
    log = open(tmp_path / "server.log", "w+")
    command = granian_command(host="127.0.0.1", port=port, workers=1, log_level="warning")
    server = subprocess.Popen(command, env=env, stderr=log)
    try:
        wait_for_port(port)
        yield port, post.path, log
    finally:
        server.terminate()
        server.wait(10)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_readers_get_pages_while_redis_is_down_and_the_cache_is_used_again_when_it_returns(
    served, redis_server
):
    port, article, log = served
    assert get(port, article)[0] == 200
    status, headers, _ = get(port, article)
    assert status == 200 and headers["X-Cache"] == "hit"

    redis_server.stop()
    for path, expected in [(article, 200), ("/", 200), ("/feeds/posts/default", 200),
                           ("/2001/01/tidak-ada.html", 404), (article, 200)]:  # fmt: skip
        started = time.monotonic()
        status, headers, html = get(port, path)
        assert status == expected and html, (path, status)
        assert headers["X-Cache"] == "miss" if expected == 200 else True
        assert time.monotonic() - started < 2, path
    assert "Warga bertahan di Aleppo" in get(port, article)[2]
    session = sign_in(port, "pembaca@example.com")  # allauth's limits, sessions: no Redis
    status, headers, html = get(port, "/", headers={"Cookie": f"sessionid={session}"})
    assert status == 200 and "Pembaca Setia" in html
    assert headers["Cache-Control"].startswith("private")

    redis_server.start()
    deadline = time.monotonic() + 15
    while True:
        status, headers, _ = get(port, article)
        assert status == 200
        if headers["X-Cache"] == "hit":
            break
        assert time.monotonic() < deadline, "the page cache did not come back"
        time.sleep(0.2)
    log.seek(0)
    output = log.read()
    assert output.count("is not answering") == 1, output
    assert output.count("answers again") == 1, output
