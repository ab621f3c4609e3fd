from django.urls import path, re_path
from django.utils.feedgenerator import Rss201rev2Feed

from . import views
from .feeds import CommentsFeed, PostsFeed

app_name = "syndication"

urlpatterns = [
    path("feeds/posts/default", PostsFeed.as_view(), name="posts"),
    path("feeds/posts/summary", PostsFeed.as_view(), name="posts-summary"),
    re_path(
        r"^feeds/posts/(?:default|summary)/-/(?P<label>[^/]+)$", PostsFeed.as_view(), name="label"
    ),
    path("feeds/comments/default", CommentsFeed.as_view(), name="comments"),
    re_path(
        r"^feeds/(?P<post_id>[^/]+)/comments/default$", CommentsFeed.as_view(), name="post-comments"
    ),
    path("atom.xml", PostsFeed.as_view(), name="atom"),
    path("rss.xml", PostsFeed.as_view(feed_type=Rss201rev2Feed), name="rss"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
]
