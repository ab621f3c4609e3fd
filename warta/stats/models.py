"""Page views counted without identifying a reader: one row per blog, page, day, referring
domain and "on a phone or not", holding a count. Nothing about any one visit is stored."""

import datetime

from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from warta.blogs.models import Blog
from warta.posts.models import Post


class ViewsQuerySet(models.QuerySet):
    def for_blog(self, blog):
        return self.filter(blog=blog)

    def since(self, day):
        return self.filter(day__gte=day)

    def last_days(self, days, today):
        """The ``days`` days up to and including ``today``."""
        return self.since(today - datetime.timedelta(days=days - 1))

    def of_posts_by(self, user):
        """Views of posts ``user`` wrote or co-wrote (what an author sees)."""
        return self.filter(Q(post__author=user) | Q(post__coauthors=user)).distinct()

    def total(self):
        return self.aggregate(total=Sum("views"))["total"] or 0

    def per_day(self):
        """``{day: views}``."""
        rows = self.order_by().values("day").annotate(total=Sum("views"))
        return {row["day"]: row["total"] for row in rows}

    def top_posts(self, limit=10):
        return list(
            self.filter(post__isnull=False)
            .order_by()
            .values("post", "post__title", "post__path")
            .annotate(total=Sum("views"))
            .order_by("-total", "post")[:limit]
        )

    def top_pages(self, limit=10):
        """The pages that are no post (home, labels, search, static pages) by their path."""
        return list(
            self.filter(post__isnull=True)
            .order_by()
            .values("path")
            .annotate(total=Sum("views"))
            .order_by("-total", "path")[:limit]
        )

    def top_referrers(self, limit=10):
        return list(
            self.exclude(referrer="")
            .order_by()
            .values("referrer")
            .annotate(total=Sum("views"))
            .order_by("-total", "referrer")[:limit]
        )

    def phone_views(self):
        return self.filter(phone=True).total()


class PageViews(models.Model):
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="+")
    # The post the path was when counted; kept as the path alone when the post goes.
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    path = models.CharField(
        _("path"), max_length=500, help_text=_("For example /2016/12/banjir.html")
    )
    day = models.DateField(_("day"), help_text=_("In the blog's time zone."))
    referrer = models.CharField(
        _("referring domain"),
        max_length=253,
        blank=True,
        help_text=_("The host of the page the reader came from, for example facebook.com."),
    )
    phone = models.BooleanField(_("on a phone"), default=False)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    objects = ViewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("page views")
        verbose_name_plural = _("page views")
        constraints = [
            models.UniqueConstraint(
                fields=["blog", "path", "day", "referrer", "phone"], name="stats_one_count"
            )
        ]
        indexes = [
            models.Index(fields=["blog", "day"], name="stats_blog_day"),
            models.Index(fields=["post", "day"], name="stats_post_day"),
        ]

    def __str__(self):
        return f"{self.path} {self.day}: {self.views}"
