"""Moderation settings, and pending comments seen only by their author. The desk's queue is
specified in warta/desk/tests/test_moderation_queue.py."""

import datetime

import pytest
from django.utils import timezone

from warta.comments.models import Comment
from warta.comments.views import PENDING


@pytest.mark.parametrize(
    ("moderation", "post_age_days", "held"),
    [
        ("none", 1, False),
        ("always", 1, True),
        ("first_time", 1, True),
        ("older_than", 1, False),
        ("older_than", 30, True),
    ],
)
def test_the_blogs_moderation_decides_what_waits(
    make_blog, make_post, make_user, send_comment, moderation, post_age_days, held
):
    blog = make_blog(comment_policy="signed_in", moderation=moderation, moderation_delay_days=14)
    post = make_post(blog, published_at=timezone.now() - datetime.timedelta(days=post_age_days))
    assert send_comment(post, user=make_user()).status_code == 303
    comment = Comment.objects.get()
    assert comment.status == (Comment.Status.PENDING if held else Comment.Status.APPROVED)
    post.refresh_from_db()
    assert post.comment_count == (0 if held else 1)


def test_a_commenter_with_an_approved_comment_is_no_longer_first_time(
    make_blog, make_post, make_user, make_comment, send_comment
):
    blog = make_blog(comment_policy="signed_in", moderation="first_time")
    post = make_post(blog)
    regular = make_user()
    make_comment(post, user=regular)
    send_comment(post, user=regular, body="Lagi dong")
    assert Comment.objects.filter(user=regular, status="approved").count() == 2


def test_the_blogs_editors_are_never_held(make_blog, make_post, make_member, send_comment):
    blog = make_blog(comment_policy="members", moderation="always")
    post = make_post(blog)
    send_comment(post, user=make_member(blog, role="editor"))
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_a_pending_comment_is_shown_to_its_signed_in_author_only(
    client, make_blog, make_post, make_user, send_comment
):
    blog = make_blog(comment_policy="signed_in", moderation="always", language="en")
    post = make_post(blog)
    author, other = make_user(), make_user()
    send_comment(post, user=author, body="Menunggu persetujuan")
    host = f"{blog.slug}.localhost"
    html = client.get(post.path, HTTP_HOST=host).content.decode()
    assert "Menunggu persetujuan" in html
    assert "waiting for moderation" in html
    client.force_login(other)
    assert "Menunggu persetujuan" not in client.get(post.path, HTTP_HOST=host).content.decode()
    client.logout()
    assert "Menunggu persetujuan" not in client.get(post.path, HTTP_HOST=host).content.decode()


def test_a_pending_anonymous_comment_is_shown_through_a_signed_cookie(
    client, make_blog, make_post, send_comment
):
    blog = make_blog(comment_policy="anyone", moderation="always", language="en")
    post = make_post(blog)
    response = send_comment(post, body="Komentar tamu")
    assert PENDING.name.startswith("warta_")
    assert PENDING.name in response.cookies
    html = client.get(post.path, HTTP_HOST=f"{blog.slug}.localhost").content.decode()
    assert "Komentar tamu" in html and "waiting for moderation" in html
    client.cookies[PENDING.name] = "forged"
    html = client.get(post.path, HTTP_HOST=f"{blog.slug}.localhost").content.decode()
    assert "Komentar tamu" not in html
