"""Fifty readers comment at the same moment on the production server (granian, 2 workers):
every accepted comment is stored once, the count is exact, nobody gets a 500."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core import signing

from warta.comments.forms import stamp_salt
from warta.core.management.commands.serve import granian_command

CLIENTS = 50
SECRET = "concurrency-test-secret-key-" + "x" * 40
BIN = Path(sys.executable).parent

SEED = """
from warta.blogs.models import Blog
from warta.posts.models import Post
blog = Blog.objects.create(slug="ramai", title="Ramai", comment_policy="anyone")
post = Post.objects.create(blog=blog, title="Pilkada", body="Isi", status="published")
print(blog.pk, post.pk, post.path)
"""

REPORT = """
import json
from warta.comments.models import Comment
from warta.posts.models import Post
post = Post.objects.get()
bodies = list(Comment.objects.filter(post=post).values_list("body", flat=True))
print(json.dumps({"bodies": bodies, "count": post.comment_count,
                  "approved": Comment.objects.filter(post=post, status="approved").count()}))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_env(tmp_path):
    env = {
        **os.environ,
        "WARTA_DATA_DIR": str(tmp_path),
        "WARTA_SECRET_KEY": SECRET,
        "WARTA_DOMAIN": "localhost",
        "WARTA_COMMENT_RATE_PER_IP": "1000/60",
        "WARTA_LOG_LEVEL": "ERROR",
        "WARTA_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    database_url = os.environ.get("WARTA_DATABASE_URL")
    if not database_url:
        yield env
        return
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/") + "_live"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env["WARTA_DATABASE_URL"] = parts._replace(path="/" + name).geturl()
    env["WARTA_CACHE_PREFIX"] = env.get("WARTA_CACHE_PREFIX", "warta") + "-live"
    yield env
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def warta(env, *args):
    result = subprocess.run(
        [str(BIN / "warta"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def server(server_env):
    warta(server_env, "migrate", "--noinput", "-v0")
    blog_id, post_id, path = warta(server_env, "shell", "-c", SEED).splitlines()[-1].split()
    port = free_port()
    command = granian_command(host="127.0.0.1", port=port, workers=2)
    process = subprocess.Popen(command, env=server_env)
    try:
        for _attempt in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield port, int(blog_id), int(post_id), path
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_fifty_concurrent_commenters_are_each_stored_once(server, server_env):
    port, blog_id, post_id, path = server
    host = f"ramai.localhost:{port}"
    salt = stamp_salt(blog_id=blog_id, post_id=post_id)
    stamp = signing.dumps(int(time.time()) - 60, key=SECRET, salt=salt)
    start = threading.Barrier(CLIENTS)

    def comment(n):
        body = urllib.parse.urlencode(
            {"name": f"Pembaca {n}", "body": f"Komentar nomor {n}", "stamp": stamp}
        )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        connection.request(
            "POST",
            f"/comments/post/{post_id}",
            body,
            {
                "Host": host,
                "Origin": f"http://{host}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = list(pool.map(comment, range(CLIENTS)))

    assert all(status < 500 for status in statuses), statuses
    accepted = statuses.count(303)
    assert accepted == CLIENTS, statuses
    report = json.loads(warta(server_env, "shell", "-c", REPORT).splitlines()[-1])
    assert sorted(report["bodies"]) == sorted(f"Komentar nomor {n}" for n in range(CLIENTS))
    assert report["approved"] == report["count"] == accepted

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Host": host})
    page = connection.getresponse().read().decode()
    assert f"{CLIENTS} komentar" in page
    assert page.count('class="comment"') == CLIENTS
