"""Follow by e-mail: subscribers of a blog and the mail they are sent.

A ``Subscriber`` is one address following one blog. A ``Mailing`` is one thing sent to a
blog's followers (a new post, or a daily or weekly digest); a ``Delivery`` row records that
one subscriber's copy of one mailing was handed to the SMTP server. Its unique constraint is
what makes a resumed send skip everyone already served (see ``sending.py``).

No IP address is stored: rate limits count a keyed hash in the cache, and forget it."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_link_key() -> str:
    return secrets.token_hex(16)


def address_hash(email: str) -> str:
    """A keyed hash of an address, for rate limits: the cache never holds the address."""
    return hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()[:32]


class SubscriberQuerySet(models.QuerySet):
    def for_blog(self, blog):
        return self.filter(blog=blog)

    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def receiving(self, frequency):
        """Confirmed followers who chose ``frequency``."""
        return self.confirmed().filter(frequency=frequency)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        BOUNCED = "bounced", _("bounced")
        COMPLAINED = "complained", _("marked as spam")

    class Frequency(models.TextChoices):
        EACH_POST = "post", _("each new post")
        DAILY = "daily", _("a daily digest")
        WEEKLY = "weekly", _("a weekly digest")

    class Source(models.TextChoices):
        FORM = "form", _("subscribe form")
        MEMBER = "member", _("signed-in member")
        IMPORT = "import", _("imported")

    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(_("e-mail"), max_length=254)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    frequency = models.CharField(
        _("how often"), max_length=8, choices=Frequency.choices, default=Frequency.EACH_POST
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default="form")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriptions",
    )
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # Manage and unsubscribe links carry an HMAC of this key (``tokens.py``), never the key:
    # a copy of the database alone cannot make them. A new key kills every old link.
    link_key = models.CharField(max_length=32, default=new_link_key, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["blog", "email"], name="one_subscription_per_address")
        ]
        indexes = [models.Index(fields=["blog", "status", "frequency"])]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def receives_mail(self):
        return self.status == self.Status.CONFIRMED


class Mailing(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("new post")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")
        # The confirmation requests of an import, sent at the mailing rate like the rest.
        CONFIRM = "confirm", _("confirmation requests")

    class Status(models.TextChoices):
        SENDING = "sending", _("sending")
        DONE = "done", _("sent")

    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="mailings"
    )
    # A digest covers posts published in [period_start, period_end).
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # One sender at a time: whoever holds the lease sends; a dead sender's lease runs out.
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        constraints = [
            # A post taken down and published again is not mailed again.
            models.UniqueConstraint(
                fields=["post"], condition=models.Q(kind="post"), name="one_mailing_per_post"
            ),
            models.UniqueConstraint(
                fields=["blog", "kind", "period_start"],
                condition=models.Q(kind__in=["daily", "weekly"]),
                name="one_digest_per_period",
            ),
        ]

    def __str__(self):
        if self.post_id:
            return f"{self.get_kind_display()}: {self.post}"
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d}"

    @property
    def frequency(self):
        return {
            self.Kind.POST: Subscriber.Frequency.EACH_POST,
            self.Kind.DAILY: Subscriber.Frequency.DAILY,
            self.Kind.WEEKLY: Subscriber.Frequency.WEEKLY,
        }[self.kind]

    def audience(self):
        """Who this mailing is for: confirmed before it was made, still confirmed now; for
        an import's confirmation requests, its addresses still waiting to confirm."""
        if self.kind == self.Kind.CONFIRM:
            return Subscriber.objects.filter(
                blog_id=self.blog_id,
                status=Subscriber.Status.PENDING,
                source=Subscriber.Source.IMPORT,
                confirmation_sent_at=self.created_at,
            )
        return Subscriber.objects.filter(
            blog_id=self.blog_id, confirmed_at__lte=self.created_at
        ).receiving(self.frequency)


class Delivery(models.Model):
    class Status(models.TextChoices):
        # The SMTP server was given the message and had not answered yet: maybe delivered.
        # Never sent again (nobody gets a second copy), counted as unknown.
        SENDING = "sending", _("in doubt")
        SENT = "sent", _("sent")
        FAILED = "failed", _("refused by the server")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="one_copy_per_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.mailing_id} → {self.subscriber_id}: {self.status}"
