"""``warta serve``: the one production command line for make run, make bench and tests."""

import pytest
from django.core.management import CommandError, call_command

from warta.core.management.commands.serve import granian_command


def test_the_server_runs_one_python_thread_per_worker_by_default():
    # Never granian's own default for WSGI, which is hundreds of threads per worker.
    command = granian_command(host="127.0.0.1", port=8000)
    assert command[command.index("--workers") + 1] == "2"
    assert command[command.index("--blocking-threads") + 1] == "1"
    assert command[-1] == "warta.wsgi:application"


def test_a_second_thread_is_one_option_away():
    command = granian_command(host="127.0.0.1", port=8000, threads=2)
    assert command[command.index("--blocking-threads") + 1] == "2"


@pytest.mark.parametrize("option", ["workers", "threads"])
def test_nonsense_counts_are_refused_before_anything_starts(option):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", **{option: 0})
