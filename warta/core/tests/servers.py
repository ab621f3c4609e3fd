"""Real ``warta serve`` processes for tests, started as ``make run`` starts them: a fresh data
folder (SQLite, file cache), ``migrate`` and ``demo``, then ``warta serve`` with its default
workers and threads on a free loopback port.

The server layer does not depend on the database, so these servers always use their own
SQLite folder, even in a run with WARTA_DATABASE_URL: a test must not migrate or fill the
database a developer named there.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

WARTA = str(Path(sys.executable).parent / "warta")
HOST = "kabar.localhost"
SHARED_SERVICES = ("WARTA_DATABASE_URL", "WARTA_REDIS_URL", "WARTA_CACHE_PREFIX")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, seconds=30):
    """Until something accepts connections on the loopback ``port``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def site_env(data_dir, **extra):
    env = {key: value for key, value in os.environ.items() if key not in SHARED_SERVICES}
    env.update(
        WARTA_DATA_DIR=str(data_dir),
        WARTA_DOMAIN="localhost",
        # No collectstatic: pages link plain static names.
        WARTA_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        WARTA_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="warta.settings",
        **extra,
    )
    return env


def prepare_site(data_dir):
    """``make run``'s first steps: the database and the demo blog."""
    env = site_env(data_dir)
    for command in (["migrate", "--noinput", "-v0"], ["demo"]):
        done = subprocess.run([WARTA, *command], env=env, timeout=300, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()


def get(port, path, *, timeout, host=HOST):
    """``(status, headers, body)`` of one GET on a connection of its own."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Site:
    """A running ``warta serve``: its process, port and the demo blog's pages."""

    def __init__(self, process, port, log):
        self.process, self.port, self.log = process, port, log

    def output(self):
        """What ``warta serve`` (the supervisor, granian) has written to stderr so far."""
        return self.log.read_text(errors="replace")

    def get(self, path, *, timeout=5):
        return get(self.port, path, timeout=timeout)

    def wait_until_serving(self, *, within):
        """Seconds until the home page answers 200; fails after ``within`` seconds."""
        started = time.monotonic()
        while True:
            try:
                if self.get("/", timeout=2)[0] == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            if time.monotonic() - started > within:
                raise AssertionError(f"the site did not answer within {within} s")
            time.sleep(0.1)

    def article_path(self):
        html = self.get("/")[2].decode()
        return re.search(r'href="(/\d{4}/\d{2}/[^"?#]+\.html)"', html).group(1)

    def descendants(self):
        """Every process under ``warta serve`` (the supervisor, granian and its workers)."""
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat.rpartition(")")[2].split()[1])
        found, frontier = [], [self.process.pid]
        while frontier:
            children = [pid for pid, parent in parents.items() if parent in frontier]
            found += children
            frontier = children
        return found, parents

    def workers(self):
        """granian's worker processes: those under ``warta serve`` with no child (the task
        worker beside granian left out)."""
        found, parents = self.descendants()
        return {
            pid
            for pid in found
            if not any(parents.get(other) == pid for other in found) and not task_worker(pid)
        }

    def task_workers(self):
        return {pid for pid in self.descendants()[0] if task_worker(pid)}

    def stop(self, signum=signal.SIGTERM, *, within=20):
        """Signal ``warta serve`` alone, as systemd or Ctrl-C would; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(within)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"warta serve did not stop within {within} s") from None


def task_worker(pid):
    try:
        return b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


@contextmanager
def serving(data_dir, **extra_env):
    """Start ``warta serve`` on ``data_dir``; always stopped, with everything under it."""
    port = free_port()
    command = [WARTA, "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = Path(data_dir) / f"serve-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            env=site_env(data_dir, **extra_env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    site = Site(process, port, log)
    try:
        site.wait_until_serving(within=60)
        yield site
    finally:
        leftovers = site.descendants()[0]
        try:
            site.stop()
        finally:
            for pid in [process.pid, *leftovers]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            process.wait(5)
