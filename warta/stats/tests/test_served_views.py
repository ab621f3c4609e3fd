"""1,000 readers' views of an article answered from the page cache by two real granian
servers on one data folder are the 1,000 the desk shows; robots, prefetches and HEAD
requests sent alongside are not counted, and nothing in the database or the servers' logs
tells one reader from another."""

import http.client
import re
import sqlite3
import subprocess
import time

import lxml.html
import pytest
from django.utils import formats, translation

from warta.core.management.commands.serve import granian_command
from warta.core.tests.servers import HOST, WARTA, free_port, prepare_site, site_env, wait_for_port

from .conftest import ANDROID, FIREFOX, GOOGLEBOT

MARKER = "Pembaca-Uji-5e1f"  # in every reader's User-Agent: it must be stored nowhere
ADDRESS = "198.51.100.23"  # each reader's address, as a proxy would say it


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("site")
    prepare_site(data_dir)
    env = site_env(data_dir, WARTA_STATS_FLUSH_SECONDS="0.5", WARTA_TRUSTED_PROXIES="1")
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            log = data_dir / f"granian-{port}.log"
            command = granian_command(host="127.0.0.1", port=port, workers=1, log_level="info")
            with log.open("wb") as output:
                process = subprocess.Popen(command, env=env, stdout=output, stderr=output)
            servers.append((port, process, log))
        for port, _process, _log in servers:
            wait_for_port(port)
        yield data_dir, env, servers
    finally:
        for _port, process, _log in servers:
            process.terminate()
            process.wait(10)


def ask(connection, path, method="GET", **headers):
    connection.request(method, path, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    return response.status, response.getheader("X-Cache"), response.read()


def signed_in_owner(env):
    """A session of the demo blog's owner, made as a browser's sign-in would make it."""
    code = (
        "from django.test import Client; from warta.accounts.models import User;"
        "client = Client(); client.force_login(User.objects.get(email='redaksi@kabar.example'));"
        "print(client.cookies['sessionid'].value)"
    )
    done = subprocess.run(
        [WARTA, "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def desk_total(port, session):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        status, _cache, body = ask(connection, "/desk/stats/?days=7", Cookie=f"sessionid={session}")
    finally:
        connection.close()
    assert status == 200
    html = lxml.html.fromstring(body)
    (total,) = html.xpath("//dd[@data-total-days='7']")
    return int(total.get("data-total")), total.text, html


def test_a_thousand_cached_views_through_two_servers_are_a_thousand_in_the_desk(two_servers):
    data_dir, env, servers = two_servers
    connections = [
        http.client.HTTPConnection("127.0.0.1", port, timeout=10) for port, *_ in servers
    ]
    home = ask(connections[0], "/", **{"User-Agent": GOOGLEBOT})[2].decode()
    path = re.search(r'href="(/\d{4}/\d{2}/[^"?#]+\.html)"', home).group(1)
    ask(connections[0], path, **{"User-Agent": GOOGLEBOT})  # stored by a robot: not a view
    reader = {"X-Forwarded-For": ADDRESS}
    answered = []
    for number in range(1000):
        agent = (ANDROID if number % 4 == 0 else FIREFOX) + f" {MARKER}"
        referer = "https://www.facebook.com/" if number % 2 else f"http://{HOST}/"
        connection = connections[number % 2]
        answered.append(
            ask(connection, path, **reader, **{"User-Agent": agent, "Referer": referer})
        )
        if number % 10 == 0:  # alongside: robots, prefetches and HEAD requests
            ask(connection, path, **reader, **{"User-Agent": GOOGLEBOT})
            ask(connection, path, **reader, **{"User-Agent": FIREFOX, "Sec-Purpose": "prefetch"})
            ask(connection, path, **reader, **{"User-Agent": FIREFOX, "Purpose": "prefetch"})
            ask(connection, path, "HEAD", **reader, **{"User-Agent": FIREFOX})
    for connection in connections:
        connection.close()
    assert {(status, cache) for status, cache, _body in answered} == {(200, "hit")}

    session = signed_in_owner(env)
    deadline = time.monotonic() + 30
    while (shown := desk_total(servers[1][0], session))[0] < 1000 and time.monotonic() < deadline:
        time.sleep(0.5)
    total, text, html = shown
    assert total == 1000
    with translation.override(html.get("lang") or "id"):
        assert text == formats.number_format(1000, force_grouping=True)  # "1.000"
    assert html.xpath("//p[@class='stats-phones']/@data-percent") == ["25"]
    rows = html.xpath("//h2[1]/following-sibling::table[1]//tbody/tr/td[2]/text()")
    assert len(rows) == 2  # facebook.com and this blog's own pages, 500 each

    time.sleep(1.5)  # a last flush, had anything been left
    stored = dump_every_table(data_dir / "warta.sqlite3")
    assert MARKER not in stored and ADDRESS not in stored and "Android 14" not in stored
    for _port, _process, log in servers:
        written = log.read_text(errors="replace")
        assert MARKER not in written and ADDRESS not in written


def dump_every_table(database):
    with sqlite3.connect(database) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            repr(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')
        )


def test_a_worker_stopped_by_granian_writes_the_views_it_still_holds(tmp_path):
    """No writing interval passes here: the views reach the database as granian stops."""
    prepare_site(tmp_path)
    env = site_env(tmp_path, WARTA_STATS_FLUSH_SECONDS="3600")
    port = free_port()
    command = granian_command(host="127.0.0.1", port=port, workers=1, log_level="error")
    process = subprocess.Popen(command, env=env)
    try:
        wait_for_port(port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(12):
            assert ask(connection, "/", **{"User-Agent": FIREFOX})[0] == 200
        connection.close()
    finally:
        process.terminate()
        process.wait(15)
    with sqlite3.connect(tmp_path / "warta.sqlite3") as db:
        (views,) = db.execute("SELECT SUM(views) FROM stats_pageviews").fetchone()
    assert views == 12
