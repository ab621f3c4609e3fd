"""``WSGIGateway`` (warta/core/gateway.py) hands the application the request granian's WSGI
interface would have: the same environ, the same body, the same streamed answer. Both
interfaces serve ``environ_app`` here, side by side."""

import http.client
import json
import os
import subprocess
import time

import pytest

from warta.core.management.commands.serve import granian_command

from .servers import free_port

TARGETS = {
    "wsgi": "warta.core.tests.environ_app:application",
    "rsgi": "warta.core.tests.environ_app:gateway",
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    env = dict(os.environ, WARTA_DATA_DIR=str(tmp_path_factory.mktemp("gateway")))
    ports, processes = {}, []
    for interface, target in TARGETS.items():
        ports[interface] = free_port()
        command = granian_command(host="127.0.0.1", port=ports[interface], workers=1)
        command[command.index("--interface") + 1] = interface
        command[-1] = target
        processes.append(subprocess.Popen(command, env=env))
    try:
        for port in ports.values():
            deadline = time.monotonic() + 30
            while not answers(port):
                assert time.monotonic() < deadline, "granian did not start"
                time.sleep(0.1)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(15)


def answers(port):
    try:
        request(port, "GET", "/")
        return True
    except OSError:
        return False


def request(port, method, path, body=None, headers=(), *, chunked=False):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", "kabar.example")
        for name, value in headers:
            connection.putheader(name, value)
        if chunked:
            connection.putheader("Transfer-Encoding", "chunked")
        elif body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        if chunked:
            for piece in body:
                connection.send(b"%x\r\n%s\r\n" % (len(piece), piece))
            connection.send(b"0\r\n\r\n")
        elif body is not None:
            connection.send(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def environ_through(port, *args, **kwargs):
    status, body = request(port, *args, **kwargs)
    assert status == 200
    environ = json.loads(body)
    del environ["SERVER_PORT"]  # the two servers' own ports
    return environ


@pytest.mark.parametrize(
    "args, kwargs",
    [
        pytest.param(
            ("GET", "/2026/05/caf%C3%A9-%E2%80%98kopi%E2%80%99.html?q=%20a+b&page=2"),
            {
                "headers": [
                    ("Accept-Encoding", "gzip, br"),
                    ("Cookie", "csrftoken=abc; warta_mine=1"),
                    ("If-None-Match", 'W/"abc"'),
                    ("X-Forwarded-For", "203.0.113.7"),
                    ("X-Forwarded-For", "198.51.100.2"),
                ]
            },
            id="reader page, encoded path, repeated header",
        ),
        pytest.param(
            ("POST", "/comments/post/7"),
            {
                "body": b"name=Pembaca&body=" + b"x" * 300_000,
                "headers": [("Content-Type", "application/x-www-form-urlencoded")],
            },
            id="form larger than a socket read",
        ),
        pytest.param(
            ("POST", "/desk/upload"),
            {"body": [b"a" * 70_000, b"b" * 5, b"c" * 40_000], "chunked": True},
            id="chunked body",
        ),
        pytest.param(("DELETE", "/comments/7/delete"), {"body": b""}, id="empty body"),
    ],
)
def test_the_application_gets_what_granians_wsgi_interface_gives(servers, args, kwargs):
    through_wsgi = environ_through(servers["wsgi"], *args, **kwargs)
    through_gateway = environ_through(servers["rsgi"], *args, **kwargs)
    assert through_gateway == through_wsgi
    sent = kwargs.get("body") or b""
    assert through_gateway["body"]["length"] == len(
        b"".join(sent) if kwargs.get("chunked") else sent
    )


def test_a_streamed_answer_arrives_whole(servers):
    expected = "".join(f"{n}\n" for n in range(10_000)).encode()
    assert request(servers["rsgi"], "GET", "/numbers") == (200, expected)
    assert request(servers["wsgi"], "GET", "/numbers") == (200, expected)
