"""Follow by e-mail through a real SMTP server: double opt-in, one new-post mail per
confirmed follower, one-click unsubscribe from the header."""

import pytest

from warta.followers.models import Delivery, Mailing, Subscriber

from .conftest import header, link_in, parts_of, subject_of


def test_a_reader_confirms_once_and_gets_the_new_post(
    smtp, blog, follow, host_client, publish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = follow("Sari@Example.com")
    assert response.status_code == 200
    assert "Periksa kotak masuk" in response.content.decode()
    [confirmation] = smtp.messages
    assert confirmation["To"] == "sari@example.com"
    assert subject_of(confirmation) == "Konfirmasi bahwa Anda mengikuti Kabar Kita"
    assert set(parts_of(confirmation)) == {"text/plain", "text/html"}
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING

    path = link_in(confirmation, "confirm")
    assert host_client("kabar").get(path).status_code == 200  # a scanner's GET changes nothing
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert host_client("kabar").post(path).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    publish(blog, title="Banjir di Medan", excerpt="Air setinggi lutut.")
    assert len(smtp.messages) == 2
    mail = smtp.messages[1]
    assert mail["To"] == "sari@example.com"
    assert subject_of(mail) == "Banjir di Medan"
    text, html = parts_of(mail)["text/plain"], parts_of(mail)["text/html"]
    assert "Air setinggi lutut." in text and "Air setinggi lutut." in html
    assert "http://kabar.localhost/" in text and "Anda mengikuti Kabar Kita" in text
    assert header(mail, "List-Unsubscribe").startswith(
        "<http://kabar.localhost/follow/unsubscribe/"
    )
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_mail_per_confirmed_follower_and_none_for_the_others(
    smtp, blog, confirmed, publish, make_blog
):
    for address in ("a@example.com", "b@example.com", "c@example.com"):
        confirmed(address)
    confirmed("pending@example.com", status=Subscriber.Status.PENDING)
    confirmed("gone@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    confirmed("bounced@example.com", status=Subscriber.Status.BOUNCED)
    confirmed("digest@example.com", frequency="daily")
    confirmed("other@example.com", on=make_blog("lain"))
    post = publish(blog, title="Satu kabar")
    assert sorted(m["To"] for m in smtp.messages) == [
        "a@example.com",
        "b@example.com",
        "c@example.com",
    ]
    assert len({m["Message-ID"] for m in smtp.messages}) == 3
    manage_links = {link_in(m, "manage") for m in smtp.messages}
    assert len(manage_links) == 3  # each copy its own follower's links
    mailing = Mailing.objects.get(post=post)
    assert mailing.status == Mailing.Status.DONE and mailing.sent_count == 3
    assert Delivery.objects.filter(mailing=mailing, status="sent").count() == 3


def test_a_post_published_again_is_not_mailed_again(smtp, blog, confirmed, publish):
    from warta.posts import services

    confirmed("a@example.com")
    post = publish(blog)
    services.unpublish(post)
    post.refresh_from_db()
    services.save_post(post, by=post.author, fields={}, status="published", keep_lead_image=True)
    assert len(smtp.messages) == 1


def test_a_post_taken_down_before_its_mailing_runs_is_not_mailed(smtp, blog, confirmed, make_post):
    from warta.followers import sending
    from warta.posts import services

    confirmed("a@example.com")
    post = make_post(blog)
    mailing = Mailing.objects.create(blog=blog, kind="post", post=post)
    services.unpublish(post)
    assert sending.run_mailing(mailing.pk) == "done"
    assert smtp.messages == []


def test_a_scheduled_post_is_mailed_when_it_goes_live(
    smtp, blog, confirmed, make_post, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from warta.posts.services import publish_due

    confirmed("a@example.com")
    make_post(
        blog,
        title="Terjadwal",
        status="scheduled",
        published_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_due()
    assert [subject_of(m) for m in smtp.messages] == ["Terjadwal"]


def test_one_click_unsubscribe_from_the_header(smtp, blog, confirmed, publish, client):
    confirmed("a@example.com")
    publish(blog)
    url = header(smtp.messages[0], "List-Unsubscribe").strip("<>")
    path = url.split("kabar.localhost", 1)[1]
    # RFC 8058: a POST with this body, no cookie, no CSRF token.
    response = client.post(
        path,
        "List-Unsubscribe=One-Click",
        "application/x-www-form-urlencoded",
        HTTP_HOST="kabar.localhost",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    publish(blog, title="Kabar kedua")
    assert len(smtp.messages) == 1


def test_the_manage_page_changes_how_often_and_unsubscribes(
    smtp, blog, confirmed, publish, host_client
):
    confirmed("a@example.com")
    publish(blog)
    path = link_in(smtp.messages[0], "manage")
    page = host_client("kabar").get(path)
    assert page.status_code == 200 and "a@example.com" in page.content.decode()
    host_client("kabar").post(path, {"frequency": "weekly"})
    assert Subscriber.objects.get().frequency == "weekly"
    publish(blog, title="Tidak dikirim satu per satu")
    assert len(smtp.messages) == 1
    host_client("kabar").post(path, {"unsubscribe": "1"})
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_a_signed_in_member_follows_with_one_click(smtp, blog, make_user, client, publish):
    from allauth.account.models import EmailAddress

    user = make_user("anggota@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    response = client.post("/follow/member", {"next": "/"}, HTTP_HOST="kabar.localhost")
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.user == user
    assert smtp.messages == []  # no confirmation needed
    publish(blog)
    assert [m["To"] for m in smtp.messages] == ["anggota@example.com"]


def test_an_unverified_account_cannot_follow_without_confirming(blog, make_user, client):
    client.force_login(make_user("baru@example.com"))
    response = client.post("/follow/member", HTTP_HOST="kabar.localhost")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_the_digest_gathers_yesterdays_posts(smtp, blog, confirmed, make_post):
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    confirmed("harian@example.com", frequency="daily")
    confirmed("tiap@example.com")
    local_today = timezone.localtime(timezone.now(), blog.tzinfo).replace(hour=0, minute=0)
    make_post(blog, title="Kemarin pagi", published_at=local_today - datetime.timedelta(hours=20))
    make_post(blog, title="Kemarin malam", published_at=local_today - datetime.timedelta(hours=2))
    make_post(blog, title="Dua hari lalu", published_at=local_today - datetime.timedelta(hours=30))
    out = io.StringIO()
    call_command("follow", "send-digests", stdout=out)
    call_command("follow", "send-digests", stdout=out)  # once a period
    [digest] = smtp.messages
    assert digest["To"] == "harian@example.com"
    text = parts_of(digest)["text/plain"]
    assert "Kemarin pagi" in text and "Kemarin malam" in text and "Dua hari lalu" not in text
    assert subject_of(digest) == "Kemarin di Kabar Kita"


@pytest.mark.parametrize(
    "language, subject",
    [("en", "Confirm that you follow Daily"), ("id", "Konfirmasi bahwa Anda mengikuti Daily")],
)
def test_the_confirmation_is_in_the_blogs_language(
    smtp, make_blog, follow, language, subject, django_capture_on_commit_callbacks
):
    make_blog("harian", title="Daily", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        follow("a@example.com", slug="harian")
    assert [subject_of(m) for m in smtp.messages] == [subject]
