"""Comment mail through a real SMTP server, with one-click unsubscribe."""

import email
import email.header

import pytest

from warta.accounts.models import User
from warta.comments.models import Comment


def unfolded(message, name):
    return "".join(message[name].splitlines()).strip()


def subject_of(message):
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def body_of(message):
    return message.get_payload(decode=True).decode()


@pytest.fixture
def scene(make_blog, make_user, make_post):
    blog = make_blog("kabar", comment_policy="anyone", language="en")
    author = make_user("laras@example.com", display_name="Laras")
    post = make_post(blog, author=author, title="Banjir di Medan")
    return post


def test_the_posts_author_hears_of_a_new_comment(
    smtp, scene, send_comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_comment(scene, name="Budi", body="Semoga cepat surut.")
    [message] = smtp.messages
    assert message["To"] == "laras@example.com"
    assert subject_of(message) == "New comment on “Banjir di Medan”"
    assert "Semoga cepat surut." in body_of(message)
    assert unfolded(message, "List-Unsubscribe").startswith(
        "<http://kabar.localhost/comments/unsubscribe/"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_commenter_hears_of_replies_only_when_asked(
    smtp, scene, make_comment, send_comment, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=scene.author_id).update(notify_comments=False)
    wants = make_comment(
        scene, author_name="Sari", author_email="sari@example.com", notify_replies=True
    )
    quiet = make_comment(scene, author_name="Dodi", author_email="dodi@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        send_comment(scene, name="Budi", parent=wants.pk, body="Setuju dengan Sari")
        send_comment(scene, name="Budi", parent=quiet.pk, body="Setuju dengan Dodi")
    assert [m["To"] for m in smtp.messages] == ["sari@example.com"]
    assert "Setuju dengan Sari" in body_of(smtp.messages[0])


def test_one_click_unsubscribe_stops_the_mail(
    client, smtp, scene, send_comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_comment(scene, name="Budi", body="Pertama")
    url = unfolded(smtp.messages[0], "List-Unsubscribe").strip("<>")
    path = url.split("kabar.localhost", 1)[1]
    response = client.post(path, {"List-Unsubscribe": "One-Click"}, HTTP_HOST="kabar.localhost")
    assert response.status_code == 200
    assert not User.objects.get(pk=scene.author_id).notify_comments
    with django_capture_on_commit_callbacks(execute=True):
        send_comment(scene, name="Budi", body="Kedua")
    assert len(smtp.messages) == 1
    assert (
        client.post("/comments/unsubscribe/forged", HTTP_HOST="kabar.localhost").status_code == 404
    )


def test_a_reply_to_a_held_comment_is_mailed_when_approved(
    client, smtp, scene, make_comment, make_member, django_capture_on_commit_callbacks
):
    from warta.comments import services

    User.objects.filter(pk=scene.author_id).update(notify_comments=False)
    parent = make_comment(scene, author_email="sari@example.com", notify_replies=True)
    reply = make_comment(scene, parent=parent, author_name="Budi", status="pending")
    assert smtp.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_comments(comments=[reply], status=Comment.Status.APPROVED)
    assert [m["To"] for m in smtp.messages] == ["sari@example.com"]
