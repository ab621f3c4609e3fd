"""Reader accounts: allauth's pages in the blog's look and language, profile, deletion."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from warta.accounts.models import User
from warta.comments.models import Comment


@pytest.mark.parametrize(("language", "heading"), [("id", "Masuk"), ("en", "Sign In")])
def test_the_sign_in_page_speaks_the_blogs_language(client, make_blog, language, heading):
    blog = make_blog(language=language)
    response = client.get("/accounts/login/", HTTP_HOST=f"{blog.slug}.localhost")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html.replace("\n", "").replace("  ", "")
    assert blog.title in html  # inside the blog's own layout
    assert "/accounts/login/code/" in html  # sign in by a one-time code


def test_sign_up_sends_a_verification_mail(client, blog):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "baru@example.com",
            "password1": "Rahasia-panjang-9",
            "password2": "Rahasia-panjang-9",
        },
        HTTP_HOST="kabar.localhost",
    )
    assert response.status_code == 302
    assert User.objects.filter(email="baru@example.com").exists()
    assert not EmailAddress.objects.get(email="baru@example.com").verified
    assert len(mail.outbox) == 1 and "baru@example.com" in mail.outbox[0].to


def test_a_reader_signs_in_with_a_code_sent_by_mail(client, blog, make_user):
    user = make_user("kode@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        "/accounts/login/code/", {"email": "kode@example.com"}, HTTP_HOST="kabar.localhost"
    )
    assert response.status_code == 302
    [message] = mail.outbox
    import re

    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.MULTILINE).group(1)
    response = client.post(
        "/accounts/login/code/confirm/", {"code": code}, HTTP_HOST="kabar.localhost"
    )
    assert response.status_code == 302
    assert client.get("/accounts/profile/", HTTP_HOST="kabar.localhost").status_code == 200


def test_a_reader_edits_their_profile(client, blog, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {
            "display_name": "Sari Dewi",
            "bio": "Guru di Medan.",
            "website": "",
            "notify_comments": "",
        },
        HTTP_HOST="kabar.localhost",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.notify_comments) == (
        "Sari Dewi",
        "Guru di Medan.",
        False,
    )


@pytest.mark.parametrize("erase", [False, True])
def test_deleting_an_account_keeps_or_erases_its_comments(
    client, blog, make_user, make_post, make_comment, erase
):
    post = make_post(blog)
    user = make_user(display_name="Sari")
    with_reply = make_comment(post, user=user, body="Ada balasannya")
    make_comment(post, parent=with_reply, body="Balasan orang lain")
    alone = make_comment(post, user=user, body="Sendirian")
    client.force_login(user)
    data = {"confirm": "on", **({"erase_comments": "on"} if erase else {})}
    response = client.post("/accounts/delete/", data, HTTP_HOST="kabar.localhost")
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    html = client.get(post.path, HTTP_HOST="kabar.localhost").content.decode()
    assert "Balasan orang lain" in html
    post.refresh_from_db()
    if erase:
        assert "Ada balasannya" not in html and "Komentar dihapus" in html
        assert not Comment.objects.filter(pk=alone.pk).exists()
        assert post.comment_count == 1
    else:
        assert "Ada balasannya" in html and "Sendirian" in html
        assert "Pengguna yang dihapus" in html and "Sari" not in html
        assert post.comment_count == 3
