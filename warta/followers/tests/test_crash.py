"""A real ``warta db_worker`` killed halfway through a send, then started again: each
remaining follower gets one copy and nobody a second."""

import asyncio
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from warta.followers.models import Delivery, Mailing, Subscriber

WARTA = str(Path(sys.executable).parent / "warta")
STALL_AFTER = 7


class StallingInbox:
    """Accepts ``stall_after`` messages, then hangs until ``released``: at the next RCPT TO
    (``phase="rcpt"``: nothing handed over yet), or after the next message's data, before
    its 250 (``phase="data"``: the one moment a sender cannot know whether it was taken)."""

    def __init__(self, stall_after, phase):
        self.stall_after, self.phase = stall_after, phase
        self.messages = []
        self.stalled = threading.Event()
        self.released = False

    async def hang(self):
        while not self.released:
            self.stalled.set()
            await asyncio.sleep(0.05)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.phase == "rcpt" and len(self.messages) >= self.stall_after:
            await self.hang()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email

        self.messages.append(email.message_from_bytes(envelope.content))
        if self.phase == "data" and len(self.messages) > self.stall_after:
            await self.hang()
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker(env):
    command = [WARTA, "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"]
    return subprocess.Popen(command + ["-v", "0"], env=env, start_new_session=True)


def wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phase", ["rcpt", "data"])
def test_a_killed_worker_resumes_the_send_without_a_second_copy(blog, make_post, settings, phase):
    if connection.vendor == "sqlite":
        pytest.skip("the test database is in memory; a worker process needs PostgreSQL here")
    from aiosmtpd.controller import Controller

    from warta.followers.tasks import send_mailing

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    followers = [
        Subscriber.objects.create(
            blog=blog,
            email=f"pembaca{n:02}@example.com",
            status="confirmed",
            confirmed_at=timezone.now() - datetime.timedelta(days=1),
        )
        for n in range(20)
    ]
    post = make_post(blog, title="Kabar untuk dua puluh pembaca")
    mailing = Mailing.objects.create(blog=blog, kind="post", post=post)
    send_mailing.enqueue(mailing_id=mailing.pk)

    inbox = StallingInbox(STALL_AFTER, phase)
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    db = connection.settings_dict
    env = dict(
        os.environ,
        WARTA_DATABASE_URL=(
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        WARTA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        WARTA_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        WARTA_EMAIL_HOST="127.0.0.1",
        WARTA_EMAIL_PORT=str(port),
        WARTA_FOLLOW_MAIL_RATE="100/2",  # one window holds everyone; its lease is 2 s
        WARTA_DOMAIN="localhost",
    )
    first = worker(env)
    second = None
    try:
        wait(inbox.stalled.is_set, 60, "the send to stall")
        os.killpg(first.pid, signal.SIGKILL)  # halfway, in the middle of a message
        first.wait(10)
        inbox.released = True  # the server is well again; the dead sender's socket is gone
        rows = Delivery.objects.filter(mailing=mailing)
        assert rows.filter(status="sent").count() == STALL_AFTER
        # At RCPT nothing was recorded, so the resumed send mails that follower; after the
        # data the copy is "in doubt" and never sent again.
        assert rows.filter(status="sending").count() == (phase == "data")

        second = worker(env)
        wait(
            lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE,
            60,
            "the resumed send to finish",
        )
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        smtp.stop()
    received = sorted(m["To"] for m in inbox.messages)
    assert received == sorted(f.email for f in followers)  # each once, nobody twice
    # The server kept the copy it never acknowledged: everyone has exactly one.
    assert len(received) == len(set(received)) == 20
    in_doubt = 1 if phase == "data" else 0
    assert Delivery.objects.filter(mailing=mailing, status="sent").count() == 20 - in_doubt
    assert Mailing.objects.get(pk=mailing.pk).sent_count == 20 - in_doubt
