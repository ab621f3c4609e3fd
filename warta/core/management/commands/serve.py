import os
import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

# One process per core, one Python thread each: in alternating wrk runs on 2 cores, a second
# thread per worker served 15-20% fewer cached pages and no more uncached ones (the pages
# are CPU work under one GIL), and granian's default (hundreds of threads) far fewer. A
# site whose requests wait on something slow (e-mail sent inside the request by the
# immediate task backend) gives each worker a second thread: --threads 2. See
# docs/performance.md.
WORKERS = 2
THREADS = 1


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
