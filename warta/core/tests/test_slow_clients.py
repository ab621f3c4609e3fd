"""Slow clients cannot stop the site: a request's body is read before a Python thread is
given the request (warta/core/gateway.py), against a real ``warta serve`` with its default
two workers of one thread each, as ``make run`` starts it."""

import http.client
import socket
import time

import pytest

from .servers import HOST, prepare_site, serving

# With a CSRF cookie, Django reads a form's body (for its token) before any view runs.
CSRF = "abcdefghijklmnopqrstuvwxyzABCDEF"
SIGN_IN = "/accounts/login/"
# Headers that promise a body (100,000 bytes), then three bytes of it, then nothing.
SLOW_BODY = (
    f"POST {SIGN_IN} HTTP/1.1\r\nHost: {HOST}\r\nCookie: csrftoken={CSRF}\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\ncsr"
)


@pytest.fixture(scope="module")
def site_data(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("site")
    prepare_site(data_dir)
    return data_dir


@pytest.fixture(scope="module")
def site(site_data):
    with serving(site_data) as site:
        yield site


def open_slow_bodies(site, count, length=100_000):
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", site.port), timeout=5)
        sock.sendall(SLOW_BODY.format(length=length).encode())
        sockets.append(sock)
    return sockets


def read_answer(sock, *, within):
    sock.settimeout(within)
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    except TimeoutError:
        pass
    return answer


@pytest.fixture(scope="module")
def two_thread_site(site_data):
    with serving(site_data, WARTA_THREADS="2") as site:  # as the systemd example runs
        yield site


@pytest.mark.parametrize("count", [2, 20])
def test_slow_request_bodies_do_not_stop_readers(site, count):
    readers_are_answered_while_bodies_trickle(site, count)


def test_nor_with_two_threads_a_worker(two_thread_site):
    readers_are_answered_while_bodies_trickle(two_thread_site, 20)


def readers_are_answered_while_bodies_trickle(site, count):
    article = site.article_path()
    site.get(article)
    assert site.get(article)[1]["x-cache"] == "hit"
    slow = open_slow_bodies(site, count)
    try:
        time.sleep(0.3)  # every slow request has reached the server
        for path, cache in [(article, "hit"), (article + "?nocache=1", None), ("/", None)]:
            started = time.monotonic()
            status, headers, _ = site.get(path, timeout=1)
            assert status == 200 and time.monotonic() - started < 1
            if cache:
                assert headers["x-cache"] == cache
    finally:
        for sock in slow:
            sock.close()


def test_a_complete_form_still_reaches_django_whole(site):
    email = "pembaca.utuh@example.com"
    body = f"csrfmiddlewaretoken={CSRF}&login={email}&password={'p' * 5000}"
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    try:
        connection.request(
            "POST",
            SIGN_IN,
            body,
            headers={
                "Host": HOST,
                "Cookie": f"csrftoken={CSRF}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        html = response.read().decode()
    finally:
        connection.close()
    # Past the CSRF check, a wrong password: the form comes back with the address typed.
    assert response.status == 200 and f'value="{email}"' in html


@pytest.fixture(scope="module")
def impatient_site(site_data):
    with serving(site_data, WARTA_BODY_TIMEOUT="1", WARTA_MAX_BODY="50000") as site:
        yield site


def test_a_body_that_does_not_arrive_in_time_gets_408(impatient_site):
    sock = open_slow_bodies(impatient_site, 1, length=40_000)[0]
    try:
        answer = read_answer(sock, within=5)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 408")


def test_a_body_over_the_limit_gets_413_without_being_read(impatient_site):
    sock = open_slow_bodies(impatient_site, 1)[0]  # 100,000 bytes > 50,000
    try:
        answer = read_answer(sock, within=2)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413")
