"""Mailing one post to 1,000 and 10,000 confirmed followers through a local SMTP server
(aiosmtpd, in a process of its own), each size in a fresh process and data folder.

For each size: the seconds of the send (the real code path, ``followers.sending``, with the
SMTP backend and a rate limit set out of the way), the messages the server took, and the
peak memory: the growth of the process's peak RSS during the send and, with ``--trace``,
Python's peak allocations (``tracemalloc``, in a second mailing of the same size, since
tracing slows Python down). Flat means about the same at 10,000 as at 1,000: followers are
read 200 at a time.

``python -m bench.mailing [--trace]`` prints the JSON of both sizes."""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.servers import ROOT, django_env, free_port

SIZES = (1_000, 10_000)

# The SMTP server: counts what it is given, prints the count when it is told to stop.
SERVER = """
import asyncio, signal, sys
from aiosmtpd.controller import Controller
class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
signal.sigwait({signal.SIGTERM})
controller.stop()
print(Count.n, flush=True)
"""


def mailing_bench(deadline=None, *, trace=False):
    """``{"runs": [{"subscribers", "seconds", "per_second", "received", "peak_python_kib",
    "peak_rss_growth_kib"}, ...], "note": ""}``; the bigger size is skipped when the first
    run says it would not fit before ``deadline`` (a ``time.monotonic()`` value)."""
    runs, note = [], ""
    for size in SIZES:
        if deadline is not None and runs:
            left = deadline - time.monotonic()
            if runs[-1]["seconds"] * 2.5 * size / runs[-1]["subscribers"] > left:
                note = f"{size} subscribers skipped: would not fit the time budget"
                break
        try:
            runs.append(run_size(size, trace=trace))
        except (subprocess.SubprocessError, OSError, ValueError) as error:
            note = f"{size} subscribers failed: {error}"
            break
    return {"runs": runs, "note": note}


def run_size(size, *, trace=False):
    tmp = Path(tempfile.mkdtemp(prefix="warta-bench-mail-"))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        env = django_env(tmp / "data")
        env.pop("WARTA_DATABASE_URL", None)  # a fresh SQLite file, never a developer's database
        env.update(
            WARTA_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            WARTA_EMAIL_HOST="127.0.0.1",
            WARTA_EMAIL_PORT=str(port),
            WARTA_EMAIL_TLS="",
            WARTA_FOLLOW_MAIL_RATE="1000000/3600",
            WARTA_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        )
        done = subprocess.run(
            [sys.executable, "-m", "bench.mailing", "--one", str(size)]
            + (["--trace"] if trace else []),
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode:
            raise ValueError(done.stderr.strip().splitlines()[-1:] or done.returncode)
        result = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        received = server.communicate(timeout=30)[0].split()
    # Every copy the server took (with --trace, of both sends).
    result["received"] = int(received[-1]) if received else 0
    return result


def one_size(size, *, trace=False):
    """In a fresh process (``--one``): the data, then the two sends."""
    import resource
    import tracemalloc

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from warta.blogs.models import Blog
    from warta.followers import sending
    from warta.followers.models import Mailing, Subscriber
    from warta.posts.models import Post

    call_command("migrate", verbosity=0)
    blog = Blog.objects.create(slug="kabar", title="Kabar Kita", language="id")
    confirmed = timezone.now() - timezone.timedelta(days=1)
    for start in range(0, size, 1000):
        Subscriber.objects.bulk_create(
            Subscriber(
                blog=blog,
                email=f"pembaca{n}@example.com",
                status=Subscriber.Status.CONFIRMED,
                confirmed_at=confirmed,
            )
            for n in range(start, min(size, start + 1000))
        )

    def mailing(title):
        post = Post.objects.create(
            blog=blog, title=title, body="Isi berita.", status="published",
            published_at=timezone.now(),
        )  # fmt: skip
        return Mailing.objects.create(blog=blog, kind=Mailing.Kind.POST, post=post)

    timed = mailing("Kabar yang diukur")
    traced = mailing("Kabar yang dilacak") if trace else None
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    assert sending.run_mailing(timed.pk) == "done"
    seconds = time.perf_counter() - started
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    sent = Mailing.objects.get(pk=timed.pk).sent_count
    result = {
        "subscribers": size,
        "sent": sent,
        "seconds": round(seconds, 2),
        "per_second": round(sent / seconds, 1),
        "peak_rss_growth_kib": rss_growth,
    }
    if traced is not None:
        tracemalloc.start()
        assert sending.run_mailing(traced.pk) == "done"
        result["peak_python_kib"] = round(tracemalloc.get_traced_memory()[1] / 1024)
        tracemalloc.stop()
    return result


if __name__ == "__main__":
    trace = "--trace" in sys.argv
    if sys.argv[1:2] == ["--one"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")
        print(json.dumps(one_size(int(sys.argv[2]), trace=trace)))
    else:
        print(json.dumps(mailing_bench(trace=trace), indent=2))
