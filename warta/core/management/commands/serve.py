import json
import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# One process per core, one Python thread each: in alternating wrk runs on 2 cores, a second
# thread per worker served 15-20% fewer cached pages and no more uncached ones (the pages
# are CPU work under one GIL), and granian's default (hundreds of threads) far fewer. A
# site whose requests wait on something slow (e-mail sent inside the request by the
# immediate task backend) gives each worker a second thread: --threads 2. What the RSGI
# interface below costs against granian's WSGI one: docs/performance.md.
WORKERS = 2
THREADS = 1
# A worker that has not stopped this long after SIGTERM (a request still in flight) is
# killed, so a restart or Ctrl-C never waits on a slow client.
KILL_TIMEOUT = 5


def granian_command(*, host, port, workers=WORKERS, log_level="warning"):
    """The production server's command line: ``make run``, ``make bench`` and the tests
    that start real servers all use this one.

    granian's RSGI interface in front of ``warta.core.gateway``: each request's body is
    read on the worker's event loop before the WSGI application is given the request, so a
    slow client holds a connection, never a Python thread. The application's threads are
    the gateway's (``WARTA_THREADS``); granian's RSGI workers have exactly one."""
    granian = Path(sys.executable).parent / "granian"
    return [
        str(granian if granian.exists() else shutil.which("granian") or "granian"),
        "--interface",
        "rsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "1",
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        str(KILL_TIMEOUT),
        "--log-level",
        log_level,
        "warta.wsgi:gateway",
    ]


class Command(BaseCommand):
    help = "Serve Warta with the production server (granian), as `make run` does."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=WORKERS, help="processes, one per core")
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="Python threads per worker (default: WARTA_THREADS, else 1)",
        )
        parser.add_argument("--log-level", default="warning")
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="do not start the task worker (when it runs elsewhere: docs/deployment.md)",
        )

    def handle(self, *, host, port, workers, threads, log_level, no_task_worker=False, **options):
        if threads is None:
            threads = getattr(settings, "WARTA_THREADS", THREADS)
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        command = granian_command(host=host, port=port, workers=workers, log_level=log_level)
        os.environ["WARTA_THREADS"] = str(threads)  # read by the gateway in each worker
        # The supervisor restarts granian when it gives up on crashing workers; it runs
        # without Django, so this process leaves its memory behind.
        supervisor = [sys.executable, "-m", "warta.core.supervisor"]
        if not no_task_worker and tasks_wait_for_a_worker():
            supervisor += ["--task-worker", json.dumps(task_worker_command())]
        supervisor += ["--", *command]
        os.execv(supervisor[0], supervisor)


def tasks_wait_for_a_worker():
    """Whether the task backend keeps tasks in the database for a worker (the default)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_db.")


def task_worker_command():
    """django-tasks-db's worker: mail, scheduled posts. It checks for due tasks each second,
    so a scheduled post goes out within about a second of its time."""
    return [
        sys.executable,
        "-m",
        "warta.manage",
        "db_worker",
        "--no-reload",
        "--interval",
        "1",
        "--queue-name",
        "*",
        "-v",
        "0",
    ]
