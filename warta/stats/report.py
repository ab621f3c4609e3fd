"""What the desk shows of a blog's or a post's views: totals for 7, 30 and 365 days, views
per day over the chosen span, the top posts and referring domains, the share on phones."""

import datetime

from django.utils import timezone

from .chart import days_chart
from .models import PageViews

SPANS = (7, 30, 365)


def today_of(blog):
    return timezone.now().astimezone(blog.tzinfo).date()


class Report:
    def __init__(self, views, *, days, today):
        self.views = views
        self.days = days
        self.today = today
        self.first = today - datetime.timedelta(days=days - 1)
        self.span = views.since(self.first).filter(day__lte=today)

    @classmethod
    def for_blog(cls, blog, *, days, author=None):
        views = PageViews.objects.for_blog(blog)
        if author is not None:
            views = views.of_posts_by(author)
        return cls(views, days=days, today=today_of(blog))

    @classmethod
    def for_post(cls, post, *, days):
        return cls(
            PageViews.objects.for_blog(post.blog).filter(post=post),
            days=days,
            today=today_of(post.blog),
        )

    def totals(self):
        """``[(days, views)]`` for each span."""
        return [
            (days, self.views.last_days(days, self.today).filter(day__lte=self.today).total())
            for days in SPANS
        ]

    def total(self):
        return self.span.total()

    def chart(self):
        return days_chart(self.span.per_day(), self.first, self.today)

    def top_posts(self):
        return self.span.top_posts()

    def top_pages(self):
        return self.span.top_pages()

    def top_referrers(self):
        return self.span.top_referrers()

    def phone_percent(self):
        """Whole percent of the span's views made on a phone, or None without views."""
        total = self.total()
        return round(100 * self.span.phone_views() / total) if total else None
