"""The shared thread: rendered once per worker for every reader with nothing of their own
in it, and rendered again as soon as anything it shows changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from warta.accounts.signals import public_profile_changed
from warta.comments import services
from warta.comments.models import Comment


@pytest.fixture
def article(make_blog, make_post, make_comment):
    blog = make_blog(comment_policy="anyone", language="en")
    post = make_post(blog)
    make_comment(post, body="Komentar pertama")
    return post


def read(client, post, **extra):
    """The article as a reader gets it on a page-cache miss."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            post.path + "?nocache=1", HTTP_HOST=f"{post.blog.slug}.localhost", **extra
        )
    assert response.status_code == 200
    comment_queries = [q for q in queries.captured_queries if "comments_comment" in q["sql"]]
    return response.content.decode(), len(comment_queries)


def test_readers_share_one_rendered_thread(client, article):
    first, first_queries = read(client, article)
    again, again_queries = read(client, article)
    assert (first_queries, again_queries) == (1, 0)
    assert "Komentar pertama" in again
    assert thread_of(first) == thread_of(again)


def thread_of(html):
    return html[html.index('<ol class="comment-list">') : html.index('id="respond"')]


def test_a_new_comment_shows_at_once(client, article, make_comment):
    read(client, article)
    make_comment(article, body="Komentar kedua")
    html, queries = read(client, article)
    assert queries == 1 and "Komentar kedua" in html


def test_an_approval_an_edit_and_a_deletion_show_at_once(client, article, make_comment, make_user):
    writer = make_user()
    waiting = make_comment(article, user=writer, body="Menunggu moderator", status="pending")
    assert "Menunggu moderator" not in read(client, article)[0]
    services.moderate_comments(comments=[waiting], status=Comment.Status.APPROVED)
    assert "Menunggu moderator" in read(client, article)[0]
    services.edit_comment(comment=waiting, user=writer, body="Sudah diperbaiki")
    html = read(client, article)[0]
    assert "Sudah diperbaiki" in html and "Menunggu moderator" not in html
    services.delete_comment(comment=waiting)
    assert "Sudah diperbaiki" not in read(client, article)[0]


def test_a_readers_pending_comment_is_never_shared(client, article, send_comment):
    article.blog.moderation = "always"
    article.blog.save()
    read(client, article)  # the shared thread is in memory
    response = send_comment(article, body="Masih ditahan moderator")
    assert response.status_code == 303
    mine = read(client, article)[0]
    assert "Masih ditahan moderator" in mine  # the writer sees it, from their cookie
    client.cookies.clear()
    html, _ = read(client, article)
    assert "Masih ditahan moderator" not in html


def test_a_signed_in_reader_gets_their_own_thread(client, article, make_comment, make_user):
    writer = make_user()
    make_comment(article, user=writer, body="Punya saya")
    read(client, article)
    client.force_login(writer)
    html, queries = read(client, article)
    assert queries == 1
    assert f"/comments/{Comment.objects.get(body='Punya saya').pk}/edit" in html
    client.logout()
    html, _ = read(client, article)
    assert "/edit" not in html


def test_a_commenters_new_name_replaces_the_old_one_on_cached_pages(
    client, article, make_comment, make_user
):
    writer = make_user(display_name="Sari")
    make_comment(article, user=writer, body="Salam dari Medan")
    host = f"{article.blog.slug}.localhost"
    assert "Sari" in client.get(article.path, HTTP_HOST=host).content.decode()  # stored
    client.force_login(writer)
    client.post(
        "/accounts/profile/",
        {"display_name": "Sari Dewi", "bio": "", "website": "", "notify_comments": "on"},
        HTTP_HOST=host,
    )
    client.logout()
    html = client.get(article.path, HTTP_HOST=host).content.decode()
    assert "Sari Dewi" in html


def test_an_authors_new_name_replaces_the_old_one_on_cached_pages(
    client, make_blog, make_post, make_user
):
    author = make_user(display_name="Taufiq")
    post = make_post(make_blog(), author=author)
    host = f"{post.blog.slug}.localhost"
    assert "Taufiq" in client.get(post.path, HTTP_HOST=host).content.decode()
    author.display_name = "Taufiq Akbar"
    author.save()
    assert "Taufiq Akbar" in client.get(post.path, HTTP_HOST=host).content.decode()


def test_only_a_change_readers_see_is_announced(make_user):
    user = make_user(display_name="Sari")
    sent = []

    def receiver(sender, instance, **kwargs):
        sent.append(instance.display_name)

    public_profile_changed.connect(receiver)
    try:
        user.save()  # nothing changed
        user.notify_comments = False
        user.save(update_fields=["notify_comments", "last_login"])
        user.display_name = "Sari Dewi"
        user.save(update_fields=["last_login"])  # the name is not saved
        user.save()
    finally:
        public_profile_changed.disconnect(receiver)
    assert sent == ["Sari Dewi"]


def test_the_thread_follows_the_blogs_language_and_policy(client, article):
    assert ">Reply</a>" in read(client, article)[0]
    article.blog.language = "id"
    article.blog.save()
    assert ">Balas</a>" in read(client, article)[0]
    article.blog.comment_policy = "closed"
    article.blog.save()
    assert "?reply=" not in read(client, article)[0]
