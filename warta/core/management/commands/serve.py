import os
import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

# Two Python threads per worker: measured 20-40% more uncached pages per second than
# granian's default on 2 cores, while one slow request (an e-mail sent in the request)
# still leaves a thread free. See docs/performance.md.
WORKERS = 2
THREADS = 2


def granian_command(*, host, port, workers=WORKERS, threads=THREADS, log_level="warning"):
    """The production server's command line: ``make run``, ``make bench`` and the tests
    that start real servers all use this one."""
    granian = Path(sys.executable).parent / "granian"
    return [
        str(granian if granian.exists() else shutil.which("granian") or "granian"),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--respawn-failed-workers",
        "--log-level",
        log_level,
        "warta.wsgi:application",
    ]


class Command(BaseCommand):
    help = "Serve Warta with the production server (granian), as `make run` does."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=WORKERS, help="processes, one per core")
        parser.add_argument(
            "--threads", type=int, default=THREADS, help="Python threads per worker"
        )
        parser.add_argument("--log-level", default="warning")

    def handle(self, *, host, port, workers, threads, log_level, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        command = granian_command(
            host=host, port=port, workers=workers, threads=threads, log_level=log_level
        )
        os.execv(command[0], command)
