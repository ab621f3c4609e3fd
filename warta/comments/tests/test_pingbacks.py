"""Pingbacks and trackbacks (kept from a WordPress import) show in a post's thread only
where the blog shows them (``Blog.show_pingbacks``, on by default)."""

import pytest

from warta.comments.models import Comment
from warta.comments.reads import visible_comments


@pytest.fixture
def post_with_notices(make_blog, make_post, make_comment):
    post = make_post(make_blog(comment_policy="anyone", language="en"))
    make_comment(post, body="Komentar pembaca")
    make_comment(post, body="Disebut di blog lain", kind=Comment.Kind.PINGBACK)
    make_comment(post, body="Jejak dari situs lain", kind=Comment.Kind.TRACKBACK)
    return post


def hide_pingbacks(blog, monkeypatch):
    """``show_pingbacks = False``, as the blog setting will be (or the attribute, until then)."""
    if any(field.name == "show_pingbacks" for field in type(blog)._meta.get_fields()):
        type(blog).objects.filter(pk=blog.pk).update(show_pingbacks=False)
    else:
        monkeypatch.setattr(type(blog), "show_pingbacks", False, raising=False)


def article(client, post):
    response = client.get(post.path, HTTP_HOST=f"{post.blog.slug}.localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_pingbacks_show_by_default(client, post_with_notices):
    page = article(client, post_with_notices)
    for text in ("Komentar pembaca", "Disebut di blog lain", "Jejak dari situs lain"):
        assert text in page


def test_a_blog_that_hides_pingbacks_shows_the_comments_alone(
    client, post_with_notices, monkeypatch
):
    hide_pingbacks(post_with_notices.blog, monkeypatch)
    page = article(client, post_with_notices)
    assert "Komentar pembaca" in page
    assert "Disebut di blog lain" not in page
    assert "Jejak dari situs lain" not in page


def test_a_signed_in_readers_thread_hides_them_too(
    client, post_with_notices, make_user, monkeypatch
):
    hide_pingbacks(post_with_notices.blog, monkeypatch)
    client.force_login(make_user())
    page = article(client, post_with_notices)
    assert "Komentar pembaca" in page
    assert "Disebut di blog lain" not in page


def test_the_hand_written_read_leaves_out_what_visible_to_leaves_out(post_with_notices):
    for pingbacks in (True, False):
        expected = Comment.objects.for_post(post_with_notices).visible_to(pingbacks=pingbacks)
        read = visible_comments(post_with_notices, pingbacks=pingbacks)
        assert [c.pk for c in read] == [c.pk for c in expected]
    assert len(visible_comments(post_with_notices, pingbacks=False)) == 1
