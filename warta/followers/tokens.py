"""The links in follow mail: a signed, expiring confirmation link, and a lasting link to
manage or end a subscription (an HMAC of the subscriber's ``link_key``)."""

import datetime

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Subscriber

CONFIRM_SALT = "warta.followers.confirm"
MANAGE_SALT = "warta.followers.manage"


def confirmation_token(subscriber: Subscriber) -> str:
    # The key in the token: a subscription ended and started again needs a new mail.
    return signing.dumps({"s": subscriber.pk, "k": subscriber.link_key[:8]}, salt=CONFIRM_SALT)


def subscriber_for_confirmation(token: str) -> tuple[Subscriber | None, str]:
    """``(subscriber, "")`` for a good link, else ``(None, reason)``: "expired" or "invalid"."""
    max_age = datetime.timedelta(days=settings.WARTA_FOLLOW_CONFIRM_DAYS)
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    subscriber = Subscriber.objects.select_related("blog").filter(pk=data.get("s")).first()
    if subscriber is None or not constant_time_compare(subscriber.link_key[:8], data.get("k")):
        return None, "invalid"
    return subscriber, ""


def manage_token(subscriber: Subscriber) -> str:
    digest = salted_hmac(MANAGE_SALT, f"{subscriber.pk}:{subscriber.link_key}").hexdigest()
    return f"{subscriber.pk}-{digest[:32]}"


def subscriber_for_manage_token(token: str, blog) -> Subscriber | None:
    pk, _, digest = token.partition("-")
    if not pk.isdigit() or not digest:
        return None
    subscriber = Subscriber.objects.filter(pk=int(pk), blog=blog).first()
    if subscriber is None or not constant_time_compare(manage_token(subscriber), token):
        return None
    return subscriber
