"""Desk pages: the blog's page views and one post's (``warta.stats``). Owners, admins and
editors see the whole blog; an author sees the views of their own posts only."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from warta.posts.models import Post
from warta.stats.referrers import INTERNAL
from warta.stats.report import SPANS, Report

from .access import MODERATORS, Rights, desk_view

DEFAULT_DAYS = 30


def chosen_days(request):
    value = request.GET.get("days", "")
    return int(value) if value.isdigit() and int(value) in SPANS else DEFAULT_DAYS


def context(report, days):
    return {
        "report": report,
        "days": days,
        "spans": SPANS,
        "internal": INTERNAL,
        "chart": report.chart(),
        "total": report.total(),
    }


@desk_view(*MODERATORS)
@require_safe
def blog_stats(request):
    rights = Rights(request)
    days = chosen_days(request)
    author = None if rights.edits_all else request.user
    report = Report.for_blog(request.blog, days=days, author=author)
    return render(
        request,
        "desk/stats.html",
        {**context(report, days), "whole_blog": author is None},
    )


@desk_view(*MODERATORS)
@require_safe
def post_stats(request, pk):
    post = get_object_or_404(Post, blog=request.blog, pk=pk)
    if not Rights(request).can_edit(post):
        raise Http404
    days = chosen_days(request)
    report = Report.for_post(post, days=days)
    return render(request, "desk/stats_post.html", {**context(report, days), "post": post})


urlpatterns = [
    path("stats/", blog_stats, name="stats"),
    path("stats/posts/<int:pk>/", post_stats, name="post_stats"),
]
