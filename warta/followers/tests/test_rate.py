"""Mail goes out at ``WARTA_FOLLOW_MAIL_RATE``: a window's allowance, then the next window."""

import time

from warta.followers import sending
from warta.followers.models import Delivery, Mailing


def mailing_for(blog, make_post, confirmed, count):
    for n in range(count):
        confirmed(f"p{n}@example.com")
    return Mailing.objects.create(blog=blog, kind="post", post=make_post(blog))


def test_a_window_sends_its_allowance_and_queues_the_next(
    smtp, blog, make_post, confirmed, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WARTA_FOLLOW_MAIL_RATE = "2/30"
    mailing = mailing_for(blog, make_post, confirmed, 5)
    from warta.followers.tasks import send_mailing

    assert send_mailing.call(mailing_id=mailing.pk) == "window"
    assert len(smtp.messages) == 2
    [next_window] = DBTaskResult.objects.all()
    assert next_window.task_path == "warta.followers.tasks.send_mailing"
    mailing.refresh_from_db()
    assert next_window.run_after == mailing.lease_until  # when this window's lease ends
    # Another worker early, while the lease holds: nothing is sent twice or too soon.
    assert send_mailing.call(mailing_id=mailing.pk) == "busy"
    assert len(smtp.messages) == 2
    Mailing.objects.update(lease_until=None)  # the window is over
    send_mailing.call(mailing_id=mailing.pk)
    Mailing.objects.update(lease_until=None)
    assert send_mailing.call(mailing_id=mailing.pk) == "done"
    assert sorted(m["To"] for m in smtp.messages) == [f"p{n}@example.com" for n in range(5)]
    assert Mailing.objects.get().status == "done"


def test_without_a_deferring_backend_one_call_paces_every_window(
    smtp, blog, make_post, confirmed, settings
):
    settings.WARTA_FOLLOW_MAIL_RATE = "2/1"
    mailing = mailing_for(blog, make_post, confirmed, 5)
    started = time.monotonic()
    assert sending.run_mailing(mailing.pk) == "done"
    assert time.monotonic() - started >= 2  # three windows of one second
    assert len(smtp.messages) == 5
    assert Delivery.objects.filter(status="sent").count() == 5


def test_a_refused_address_is_recorded_and_not_tried_again(blog, make_post, confirmed, settings):
    """A 550 at RCPT: marked failed; the others still get theirs."""
    import socket

    from aiosmtpd.controller import Controller

    class Refusing:
        messages = []

        async def handle_RCPT(self, server, session, envelope, address, options):
            if address.startswith("p1@"):
                return "550 5.1.1 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope.rcpt_tos[0])
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Refusing()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    try:
        mailing = mailing_for(blog, make_post, confirmed, 3)
        assert sending.run_mailing(mailing.pk) == "done"
    finally:
        controller.stop()
    assert sorted(handler.messages) == ["p0@example.com", "p2@example.com"]
    mailing.refresh_from_db()
    assert (mailing.sent_count, mailing.failed_count) == (2, 1)
