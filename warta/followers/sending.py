"""Sending a mailing to its followers: in windows of ``WARTA_FOLLOW_MAIL_RATE``, resumable
after a crash, and never twice to anyone ("at most once").

Each copy goes through three steps on one SMTP connection:

1. ``MAIL FROM`` and ``RCPT TO``: the server has nothing to deliver yet;
2. a ``Delivery`` row is inserted (status "sending") and committed: the unique
   (mailing, subscriber) constraint lets one sender in, whatever number of them race;
3. ``DATA``: on the server's 250 the row becomes "sent".

A sender killed before step 2 leaves no row, and the resumed send mails that follower. A
sender killed during step 3 leaves a "sending" row: the message may or may not have been
accepted, and it is not sent again, because the issue asks that nobody get a second copy;
the desk counts such copies as "in doubt" (one per crash at most).

A window is one task: it takes the mailing's lease for the window's length, enqueues the next
window's task at the lease's end, then sends at most the window's allowance. If the worker
dies, the next task is already waiting; when the worker is started again it runs it, the
lease has expired, and the send goes on where the rows say it stopped.
"""

import datetime
import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from warta.core.ratelimit import parse_rate
from warta.posts.models import Post

from .mail import ConfirmationLetter, Letter
from .models import Delivery, Mailing, Subscriber

CHUNK = 200  # followers read per query: the memory of a send does not grow with its size


def rate() -> tuple[int, int]:
    return parse_rate(settings.WARTA_FOLLOW_MAIL_RATE)


def take_lease(mailing_id: int, seconds: int):
    """The lease's end when this sender may send now, else None."""
    now = timezone.now()
    until = now + datetime.timedelta(seconds=seconds)
    taken = (
        Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .update(lease_until=until)
    )
    return until if taken else None


def posts_of(mailing: Mailing):
    if mailing.kind == Mailing.Kind.CONFIRM:
        return [None]  # no post: the letter is the confirmation
    if mailing.kind == Mailing.Kind.POST:
        return Post.objects.published().filter(pk=mailing.post_id).select_related("lead_image")
    return (
        Post.objects.published()
        .filter(
            blog_id=mailing.blog_id,
            published_at__gte=mailing.period_start,
            published_at__lt=mailing.period_end,
        )
        .select_related("lead_image")
        .order_by("-published_at")[:30]
    )


def waiting(mailing: Mailing, *, after: int, limit: int) -> list[Subscriber]:
    """The next followers with no delivery row yet, in key order."""
    served = Delivery.objects.filter(mailing=mailing).values("subscriber_id")
    return list(
        mailing.audience()
        .filter(pk__gt=after)
        .exclude(pk__in=served)
        .order_by("pk")
        .only("pk", "email", "link_key")[:limit]
    )


def claim(mailing: Mailing, subscriber: Subscriber, status=Delivery.Status.SENDING) -> bool:
    try:
        with transaction.atomic():
            Delivery.objects.create(mailing=mailing, subscriber=subscriber, status=status)
    except IntegrityError:
        return False  # another sender has it
    return True


def mark(mailing: Mailing, subscriber: Subscriber, status) -> None:
    Delivery.objects.filter(mailing=mailing, subscriber=subscriber).update(
        status=status, at=timezone.now()
    )


class Courier:
    """Hands copies to the configured mail backend, in the three steps above when it is the
    SMTP backend (any other backend, e.g. the console in development: claim, then send)."""

    def __init__(self, mailing: Mailing):
        self.mailing = mailing
        self.backend = get_connection()
        self.backend.open()
        self.smtp = isinstance(self.backend, SMTPBackend)

    def close(self):
        self.backend.close()

    def deliver(self, subscriber: Subscriber, letter: Letter) -> bool:
        raw = letter.raw_for(subscriber) if self.smtp else None
        if raw is None:
            message = letter.message_for(subscriber)
        if not self.smtp:
            if not claim(self.mailing, subscriber):
                return False
            self.backend.send_messages([message])
            mark(self.mailing, subscriber, Delivery.Status.SENT)
            return True
        connection = self.backend.connection
        sender = sanitize_address(letter.sender, settings.DEFAULT_CHARSET)
        recipient = sanitize_address(subscriber.email, settings.DEFAULT_CHARSET)
        connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(sender)
        if code != 250:
            connection.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        code, reply = connection.rcpt(recipient)
        if code not in (250, 251):
            connection.rset()
            if code >= 500:  # refused for good: recorded, never retried
                claim(self.mailing, subscriber, Delivery.Status.FAILED)
            return False
        if not claim(self.mailing, subscriber):
            connection.rset()
            return False
        if raw is None:
            raw = message.message().as_bytes(linesep="\r\n")
        try:
            connection.data(raw)
        except smtplib.SMTPDataError:
            mark(self.mailing, subscriber, Delivery.Status.FAILED)
            return False
        mark(self.mailing, subscriber, Delivery.Status.SENT)
        return True


def send_window(mailing: Mailing, *, allowance: int, stop_at: float) -> bool:
    """Send at most ``allowance`` copies before ``stop_at`` (monotonic); True when every
    follower of the mailing has been served."""
    chunk = waiting(mailing, after=0, limit=min(CHUNK, allowance))
    posts = list(posts_of(mailing))
    if not chunk or not posts:
        return True  # nobody to mail, or the post was taken down: no connection opened
    letter = (ConfirmationLetter if mailing.kind == Mailing.Kind.CONFIRM else Letter)(
        mailing, posts
    )
    courier = Courier(mailing)
    handled, after = 0, 0
    try:
        while handled < allowance:
            if chunk is None:
                chunk = waiting(mailing, after=after, limit=min(CHUNK, allowance - handled))
            if not chunk:
                return True
            for subscriber in chunk:
                if time.monotonic() >= stop_at:
                    return False
                subscriber.blog = mailing.blog
                courier.deliver(subscriber, letter)
                handled += 1
                after = subscriber.pk
            chunk = None
    finally:
        courier.close()
    return not waiting(mailing, after=0, limit=1)


def finish(mailing: Mailing) -> None:
    rows = Delivery.objects.filter(mailing=mailing)
    Mailing.objects.filter(pk=mailing.pk).update(
        status=Mailing.Status.DONE,
        finished_at=timezone.now(),
        lease_until=None,
        sent_count=rows.filter(status=Delivery.Status.SENT).count(),
        failed_count=rows.filter(status=Delivery.Status.FAILED).count(),
    )


def run_mailing(mailing_id: int, *, continue_later=None) -> str:
    """One sender's turn at a mailing. ``continue_later(at)`` enqueues the next turn for the
    moment ``at`` (None: this call sends every window itself, pausing between them)."""
    allowance, seconds = rate()
    until = take_lease(mailing_id, seconds)
    if until is None:
        return (
            "busy" if Mailing.objects.filter(pk=mailing_id, status="sending").exists() else "done"
        )
    if continue_later is not None:
        continue_later(until)
    mailing = Mailing.objects.select_related("blog").get(pk=mailing_id)
    while True:
        started = time.monotonic()
        if send_window(mailing, allowance=allowance, stop_at=started + seconds):
            finish(mailing)
            return "done"
        if continue_later is not None:
            return "window"
        time.sleep(max(0.0, started + seconds - time.monotonic()))
        Mailing.objects.filter(pk=mailing_id).update(
            lease_until=timezone.now() + datetime.timedelta(seconds=seconds)
        )
