"""A wheel built from the repository installs and serves: templates of both engines, rule
files, catalogues and static files are all in it. The editable install that ``make`` uses
reads them from the checkout, so only a real wheel in a fresh environment shows a gap."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_PACKAGES = next(Path(sys.prefix).glob("lib/python3*/site-packages"))

pytestmark = pytest.mark.xdist_group("wheel")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, host):
    request = urllib.request.Request(url, headers={"Host": host})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtual environment outside the checkout with only the wheel installed in it;
    its dependencies are the ones this environment already has (no download), reached by a
    path entry that runs none of this environment's ``.pth`` files, so the editable install
    of the checkout stays invisible."""
    where = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the files git knows, so a build folder or egg-info left in the
    # checkout by an earlier build cannot fill what the package data leaves out.
    source = where / "source"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
        + ["-w", str(where / "dist"), str(source)],
        check=True,
        cwd=where,
    )
    (wheel,) = (where / "dist").glob("warta-*.whl")
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    venv_site = next(venv.glob("lib/python3*/site-packages"))
    (venv_site / "dependencies.pth").write_text(f"{SITE_PACKAGES}\n")
    python = venv / "bin" / "python"
    # The server's console script, as pip would have written it for this environment.
    granian = Path(sys.prefix, "bin", "granian").read_text().split("\n", 1)[1]
    (venv / "bin" / "granian").write_text(f"#!{python}\n{granian}")
    (venv / "bin" / "granian").chmod(0o755)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        + [str(wheel)],
        check=True,
        cwd=where,
    )
    return venv, where


@pytest.fixture
def database_url():
    """SQLite in the data folder, or a PostgreSQL database of this test's own."""
    base = os.environ.get("WARTA_DATABASE_URL")
    if not base:
        yield None
        return
    import psycopg

    name = f"warta_wheel_{uuid.uuid4().hex[:8]}"
    admin = re.sub(r"/[^/]*$", "/postgres", base)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield re.sub(r"/[^/]*$", f"/{name}", base)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_built_wheel_migrates_makes_the_demo_and_serves_it(installed, database_url):
    venv, where = installed
    warta = str(venv / "bin" / "warta")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WARTA_", "DJANGO_", "PYTHON"))
    }
    env.update(WARTA_DATA_DIR=str(where / "data"), WARTA_DOMAIN="localhost")
    if database_url:
        env["WARTA_DATABASE_URL"] = database_url

    def run(*args):
        return subprocess.run(
            [warta, *args], env=env, cwd=where, check=True, capture_output=True, text=True
        )

    located = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import warta; print(warta.__file__)"],
        env=env,
        cwd=where,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert located.startswith(str(venv)), located

    run("migrate", "--noinput", "-v0")
    run("collectstatic", "--noinput", "-v0")
    run("demo")
    port = free_port()
    server = subprocess.Popen(
        [warta, "serve", "--port", str(port), "--workers", "1"], env=env, cwd=where
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, home = get(base + "/", "kabar.localhost")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert status == 200
        article = re.search(r'href="(/\d{4}/\d{2}/[^"]+\.html)"', home).group(1)
        status, html = get(base + article, "kabar.localhost")
        assert status == 200 and "<article" in html
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
        status, css = get(base + stylesheet, "kabar.localhost")
        assert status == 200 and "{" in css
    finally:
        server.terminate()
        server.wait(10)
