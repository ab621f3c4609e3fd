"""A reader who commented without an account may still correct or withdraw the comment, from
the same browser: edit for 15 minutes, delete while the signed claim lasts."""

import pytest
from django.test import Client

from warta.comments.models import Comment

from .edit_window import assert_editable_for_fifteen_minutes


@pytest.fixture
def open_post(make_blog, make_post):
    blog = make_blog("terbuka", comment_policy="anyone")
    return make_post(blog)


def test_the_author_sees_edit_and_delete_on_their_own_comment_only(client, open_post, send_comment):
    send_comment(open_post, body="Komentar pertama saya.")
    mine = Comment.objects.get()
    assert client.cookies["warta_mine"].value
    html = client.get(open_post.path, HTTP_HOST="terbuka.localhost").text
    assert f'href="/comments/{mine.pk}/edit"' in html
    assert f'href="/comments/{mine.pk}/delete"' in html
    stranger = Client().get(open_post.path, HTTP_HOST="terbuka.localhost").text
    assert "/edit" not in stranger and "/delete" not in stranger


def test_the_author_edits_within_fifteen_minutes(client, open_post, send_comment):
    send_comment(open_post, body="Ada salah ketk.")
    mine = Comment.objects.get()
    host = "terbuka.localhost"
    assert client.get(f"/comments/{mine.pk}/edit", HTTP_HOST=host).status_code == 200
    assert_editable_for_fifteen_minutes(client, mine, host, "Ada salah ketik.")


def test_the_author_deletes_and_the_count_follows(client, open_post, send_comment):
    send_comment(open_post, body="Saya tarik kembali.")
    mine = Comment.objects.get()
    open_post.refresh_from_db()
    assert open_post.comment_count == 1
    response = client.post(f"/comments/{mine.pk}/delete", HTTP_HOST="terbuka.localhost")
    assert response.status_code == 303
    open_post.refresh_from_db()
    assert open_post.comment_count == 0


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_another_browser_cannot_touch_it(client, open_post, send_comment, action):
    send_comment(open_post, body="Komentar orang lain.")
    mine = Comment.objects.get()
    stranger = Client()
    response = stranger.post(
        f"/comments/{mine.pk}/{action}", {"body": "Diubah"}, HTTP_HOST="terbuka.localhost"
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.body == "Komentar orang lain." and not mine.is_deleted


def test_a_forged_claim_is_worthless(client, open_post, send_comment):
    send_comment(open_post, body="Komentar asli.")
    mine = Comment.objects.get()
    stranger = Client()
    stranger.cookies["warta_mine"] = str(mine.pk)
    response = stranger.post(f"/comments/{mine.pk}/delete", HTTP_HOST="terbuka.localhost")
    assert response.status_code == 404
