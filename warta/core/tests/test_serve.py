"""``warta serve``: the one production command line for make run, make bench and tests."""

import os
import sys

import pytest
from django.core.management import CommandError, call_command

from warta.core.management.commands.serve import granian_command


def test_the_server_runs_two_workers_of_one_python_thread_behind_the_gateway():
    command = granian_command(host="127.0.0.1", port=8000)
    assert command[command.index("--workers") + 1] == "2"
    # granian's RSGI interface, whose workers have one Python thread: the event loop's,
    # where the gateway reads bodies and runs the application.
    assert command[command.index("--interface") + 1] == "rsgi"
    assert command[command.index("--blocking-threads") + 1] == "1"
    assert command[-1] == "warta.wsgi:gateway"


def test_a_worker_that_will_not_stop_is_killed_after_a_few_seconds():
    command = granian_command(host="127.0.0.1", port=8000)
    assert 1 <= int(command[command.index("--workers-kill-timeout") + 1]) <= 10


@pytest.fixture
def execv(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append(argv))
    monkeypatch.delenv("WARTA_THREADS", raising=False)
    yield calls
    os.environ.pop("WARTA_THREADS", None)


def test_serve_becomes_the_supervisor_of_granian(execv):
    call_command("serve", port=8123)
    (argv,) = execv
    assert argv[:4] == [sys.executable, "-m", "warta.core.supervisor", "--"]
    assert argv[4:] == granian_command(host="127.0.0.1", port=8123)


def test_a_second_thread_is_one_option_away(execv, settings):
    call_command("serve")
    assert os.environ["WARTA_THREADS"] == "1"
    call_command("serve", threads=2)
    assert os.environ["WARTA_THREADS"] == "2"  # the gateway's threads in every worker
    settings.WARTA_THREADS = 3
    call_command("serve")
    assert os.environ["WARTA_THREADS"] == "3"


@pytest.mark.parametrize("option", ["workers", "threads"])
def test_nonsense_counts_are_refused_before_anything_starts(option, execv):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", **{option: 0})
    assert execv == []
