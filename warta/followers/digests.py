"""Daily and weekly digests: one mailing per blog and period with posts in it, made by
``warta follow send-digests`` (run it from cron once a day, after midnight in the blogs'
time zones; weekly digests go out on the run of each Monday)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from warta.blogs.models import Blog
from warta.posts.models import Post

from .models import Mailing, Subscriber


def period(blog, kind, now) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The last whole day (or Monday-to-Sunday week) before ``now`` in the blog's time zone;
    None for a weekly digest on any day but Monday."""
    today = timezone.localtime(now, blog.tzinfo).replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == Mailing.Kind.DAILY:
        return today - datetime.timedelta(days=1), today
    if today.weekday() != 0:
        return None
    return today - datetime.timedelta(days=7), today


def due_digests(*, now=None) -> list[Mailing]:
    """Make the digests due at ``now`` that were not made yet; returns the new ones."""
    now = now or timezone.now()
    made = []
    kinds = {
        Subscriber.Frequency.DAILY: Mailing.Kind.DAILY,
        Subscriber.Frequency.WEEKLY: Mailing.Kind.WEEKLY,
    }
    for frequency, kind in kinds.items():
        blog_ids = Subscriber.objects.receiving(frequency).values("blog_id")
        for blog in Blog.objects.filter(pk__in=blog_ids):
            span = period(blog, kind, now)
            if span is None:
                continue
            start, end = span
            published = Post.objects.published().filter(
                blog=blog, published_at__gte=start, published_at__lt=end
            )
            if not published.exists():
                continue
            try:
                with transaction.atomic():
                    made.append(
                        Mailing.objects.create(
                            blog=blog, kind=kind, period_start=start, period_end=end
                        )
                    )
            except IntegrityError:
                continue  # made by an earlier run
    return made


def send_digests(*, now=None) -> list[Mailing]:
    from .tasks import send_mailing

    mailings = due_digests(now=now)
    for mailing in mailings:
        send_mailing.enqueue(mailing_id=mailing.pk)
    return mailings
