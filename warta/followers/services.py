"""Writes of follow by e-mail shared by the reader's pages, the desk, the webhook and the
commands: subscribing (double opt-in), confirming, following as a member, leaving, bounces,
imports."""

import datetime
import ipaddress

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warta.core.ratelimit import rate_limited

from .models import Subscriber, address_hash, new_link_key

Status = Subscriber.Status


class FollowRefused(Exception):
    def __init__(self, message, *, status=400):
        super().__init__(message)
        self.message, self.status = message, status


def network_of(ip: str) -> str:
    """The network an address belongs to for rate limits: IPv4 /24, IPv6 /48."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def check_rate(*, email: str, ip: str) -> None:
    network = address_hash("net:" + network_of(ip))
    if rate_limited("follow-net", network, settings.WARTA_FOLLOW_RATE_PER_NETWORK) or (
        rate_limited("follow-address", address_hash(email), settings.WARTA_FOLLOW_RATE_PER_ADDRESS)
    ):
        raise FollowRefused(
            _("Too many subscriptions from here. Please try again in an hour."), status=429
        )


def _claim_confirmation_slot(subscriber: Subscriber) -> bool:
    """True for the one caller allowed to mail a confirmation now: at most one per address
    and blog every ``WARTA_FOLLOW_CONFIRM_EVERY_HOURS``, however many requests race."""
    now = timezone.now()
    since = now - datetime.timedelta(hours=settings.WARTA_FOLLOW_CONFIRM_EVERY_HOURS)
    return bool(
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=since))
        .update(confirmation_sent_at=now)
    )


def _mail_confirmation(subscriber: Subscriber) -> None:
    from .tasks import send_confirmation

    pk = subscriber.pk
    transaction.on_commit(lambda: send_confirmation.enqueue(subscriber_id=pk))


@transaction.atomic
def subscribe(*, blog, email: str, frequency: str, ip: str, source="form") -> Subscriber | None:
    """Ask ``email`` to confirm following ``blog``. The reader is told the same whatever the
    address's state (nobody learns who follows a blog): a confirmed follower gets no mail, an
    address that bounced or complained none either, and a pending one at most one a day."""
    email = email.strip().lower()
    if source == "form":
        check_rate(email=email, ip=ip)
    subscriber, created = Subscriber.objects.get_or_create(
        blog=blog,
        email=email,
        defaults={"frequency": frequency, "language": blog.language, "source": source},
    )
    if subscriber.status in {Status.CONFIRMED, Status.BOUNCED, Status.COMPLAINED}:
        return subscriber
    if subscriber.status == Status.UNSUBSCRIBED:
        # Coming back: old links stay dead, a new confirmation is needed.
        subscriber.status = Status.PENDING
        subscriber.link_key = new_link_key()
        subscriber.confirmation_sent_at = None
    if not created:
        subscriber.frequency = frequency
    subscriber.save()
    if _claim_confirmation_slot(subscriber):
        _mail_confirmation(subscriber)
    return subscriber


def confirm(subscriber: Subscriber) -> bool:
    """A pending subscription becomes confirmed; True when it changed."""
    return bool(
        Subscriber.objects.filter(pk=subscriber.pk, status=Status.PENDING).update(
            status=Status.CONFIRMED, confirmed_at=timezone.now()
        )
    )


def verified_address(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@transaction.atomic
def follow_as_member(*, blog, user, frequency=Subscriber.Frequency.EACH_POST) -> Subscriber:
    """A signed-in reader follows with their verified address: nothing to confirm."""
    if not user.email or not verified_address(user):
        raise FollowRefused(_("Confirm your account's e-mail address first."), status=403)
    subscriber, _created = Subscriber.objects.get_or_create(
        blog=blog,
        email=user.email.lower(),
        defaults={"language": blog.language, "source": Subscriber.Source.MEMBER},
    )
    subscriber.user = user
    subscriber.frequency = frequency
    subscriber.status = Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save()
    return subscriber


def unsubscribe(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(
        pk=subscriber.pk, status__in=[Status.CONFIRMED, Status.PENDING]
    ).update(status=Status.UNSUBSCRIBED)


def set_frequency(subscriber: Subscriber, frequency: str) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(frequency=frequency)


def record_bounce(*, email: str, kind: str) -> int:
    """A hard bounce or a complaint about ``email`` stops every blog's mail to it; returns how
    many subscriptions changed."""
    status = Status.COMPLAINED if kind == "complaint" else Status.BOUNCED
    return (
        Subscriber.objects.filter(email=email.strip().lower())
        .exclude(status=status)
        .update(status=status)
    )


@transaction.atomic
def import_addresses(*, blog, addresses: list[str]) -> int:
    """Addresses from another service become pending subscribers of ``blog``. They are sent
    their confirmations by the task worker at ``WARTA_FOLLOW_MAIL_RATE``, as one mailing, and
    none is ever mailed a post before confirming. Returns how many are new."""
    from .models import Mailing
    from .tasks import send_mailing

    now = timezone.now()
    existing = set(
        Subscriber.objects.filter(blog=blog, email__in=addresses).values_list("email", flat=True)
    )
    new = [
        Subscriber(
            blog=blog,
            email=email,
            language=blog.language,
            source=Subscriber.Source.IMPORT,
            confirmation_sent_at=now,
        )
        for email in dict.fromkeys(addresses)
        if email not in existing
    ]
    Subscriber.objects.bulk_create(new, batch_size=1000)
    if new:
        mailing = Mailing.objects.create(blog=blog, kind=Mailing.Kind.CONFIRM, created_at=now)
        transaction.on_commit(lambda: send_mailing.enqueue(mailing_id=mailing.pk))
    return len(new)
