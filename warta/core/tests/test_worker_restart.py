"""``warta serve`` keeps serving whatever happens to its workers (warta/core/supervisor.py):
granian gives up when a worker dies twice within seconds; the supervisor starts it again.
Against a real ``warta serve`` as ``make run`` starts it."""

import os
import signal
import subprocess
import sys
import time

import pytest

from warta.core.supervisor import Supervisor

from .servers import prepare_site, serving


@pytest.fixture(scope="module")
def site_data(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("site")
    prepare_site(data_dir)
    return data_dir


def kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def until(condition, *, within):
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"not within {within} s"
        time.sleep(0.05)


def respawned(site, killed, *, within):
    """The workers granian started in place of ``killed``."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        fresh = site.workers() - killed
        if fresh:
            return fresh
        time.sleep(0.01)
    return set()


def test_a_worker_killed_twice_within_a_second_and_the_site_is_back(site_data):
    with serving(site_data) as site:
        first = site.workers()
        assert len(first) == 2
        started = time.monotonic()
        kill({min(first)})
        replacement = respawned(site, first, within=0.8)
        assert replacement, "granian respawns a killed worker at once"
        kill(replacement)
        killed = time.monotonic()
        assert killed - started < 1
        until(lambda: "crash loop" in site.output(), within=10)  # granian gives up, as it does
        site.wait_until_serving(within=15)
        back_after = time.monotonic() - killed
        assert site.process.poll() is None, "warta serve is still running"
        assert site.get(site.article_path())[0] == 200
        assert len(site.workers()) == 2
        assert "granian exited (status 1); starting it again" in site.output()
        print(f"serving again {back_after:.1f} s after the second kill")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_warta_serve_stops_granian_and_its_workers(site_data, signum):
    with serving(site_data) as site:
        everything = site.descendants()[0]
        assert len(everything) >= 2
        assert site.stop(signum, within=15) == 0
        assert not [pid for pid in everything if alive(pid)]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for good; only its parent has not read its status yet.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rpartition(")")[2].split()[0] != "Z"


# ---------------------------------------------------------------- the supervisor alone


def script(tmp_path, code):
    path = tmp_path / "server.py"
    path.write_text(code)
    return [sys.executable, str(path)]


def test_a_server_that_fails_is_started_again_and_again(tmp_path):
    starts = tmp_path / "starts"
    command = script(
        tmp_path,
        f"import sys\nopen({str(starts)!r}, 'a').write('x')\n"
        f"sys.exit(0 if len(open({str(starts)!r}).read()) == 4 else 1)\n",
    )
    supervisor = Supervisor(command, log=open(os.devnull, "w"))
    supervisor.first_delay = 0.01
    assert supervisor.run() == 0
    assert starts.read_text() == "xxxx"


def test_a_stop_signal_reaches_the_server_once_and_is_not_followed_by_a_restart(tmp_path):
    seen = tmp_path / "seen"
    command = script(
        tmp_path,
        "import signal, sys, time\n"
        f"def stop(signum, frame):\n    open({str(seen)!r}, 'a').write(str(signum) + ' ')\n"
        "    sys.exit(3)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "print('ready', flush=True)\ntime.sleep(30)\n",
    )
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "warta.core.supervisor", "--", *command],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert supervisor.stdout.readline() == "ready\n"
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(10) == 3
    finally:
        supervisor.kill()
    assert seen.read_text() == f"{int(signal.SIGTERM)} "
