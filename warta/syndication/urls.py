from django.urls import path, re_path

from . import views
from .feeds import BloggerRssFeed, CommentsFeed, PostsFeed

app_name = "syndication"

urlpatterns = [
    path("feeds/posts/default", PostsFeed.as_view(), name="posts"),
    path("feeds/posts/summary", PostsFeed.as_view(summary_only=True), name="posts-summary"),
    re_path(r"^feeds/posts/default/-/(?P<label>[^/]+)$", PostsFeed.as_view(), name="label"),
    re_path(
        r"^feeds/posts/summary/-/(?P<label>[^/]+)$",
        PostsFeed.as_view(summary_only=True),
        name="label-summary",
    ),
    path("feed.json", PostsFeed.as_view(json_feed=True), name="json-feed"),
    path("feeds/comments/default", CommentsFeed.as_view(), name="comments"),
    re_path(
        r"^feeds/(?P<post_id>[^/]+)/comments/default$", CommentsFeed.as_view(), name="post-comments"
    ),
    path("atom.xml", PostsFeed.as_view(), name="atom"),
    path("rss.xml", PostsFeed.as_view(feed_type=BloggerRssFeed), name="rss"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    path("sitemap-pages.xml", views.sitemap_pages, name="sitemap-pages"),
    path("sitemap-labels.xml", views.sitemap_labels, name="sitemap-labels"),
    path("sitemap-news.xml", views.sitemap_news, name="sitemap-news"),
    path("favicon.ico", views.favicon, name="favicon"),
]
