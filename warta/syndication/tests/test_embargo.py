"""A post published with a date in the future is embargoed: no feed or sitemap shows it, nor
the comments written on it (an editor's test comment, an imported thread), until its time."""

import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def posts(make_blog, make_post, make_comment):
    blog = make_blog(language="en")
    live = make_post(blog, title="Live story", labels=["Nasional"])
    embargoed = make_post(
        blog,
        title="Embargoed story",
        labels=["Nasional"],
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    make_comment(live, body="Comment on the live story.", status="approved")
    make_comment(embargoed, body="Comment on the embargoed story.", status="approved")
    return live, embargoed


def test_the_comment_feed_leaves_out_comments_on_embargoed_posts(host_client, posts):
    live, _embargoed = posts
    for path in ("/feeds/comments/default", "/feeds/comments/default?alt=rss"):
        feed = host_client(live.blog.slug).get(path).content.decode()
        assert "Comment on the live story." in feed
        assert "Comment on the embargoed story." not in feed
        assert "Embargoed story" not in feed


def test_an_embargoed_posts_own_comment_feed_is_not_found(host_client, posts):
    live, embargoed = posts
    client = host_client(live.blog.slug)
    assert client.get(f"/feeds/{embargoed.pk}/comments/default").status_code == 404
    feed = client.get(f"/feeds/{live.pk}/comments/default")
    assert feed.status_code == 200
    assert "Comment on the live story." in feed.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/feeds/posts/default", "/feeds/posts/default/-/Nasional", "/rss.xml", "/sitemap.xml?page=1"],
)
def test_post_feeds_and_the_sitemap_leave_out_embargoed_posts(host_client, posts, path):
    live, embargoed = posts
    response = host_client(live.blog.slug).get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert live.path in body
    assert embargoed.path not in body
