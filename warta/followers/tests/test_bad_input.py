"""Bad input to follow by e-mail: each gets a clear page and changes nothing it should not;
never a mail storm to a victim's inbox."""

import datetime

import pytest
from django.core import signing

from warta.followers.models import Subscriber
from warta.followers.tokens import CONFIRM_SALT, confirmation_token, manage_token


def test_a_malformed_address_is_refused_and_kept_in_the_form(smtp, follow):
    response = follow("bukan-alamat@")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Itu bukan alamat e-mail" in html
    assert 'value="bukan-alamat@"' in html
    assert not Subscriber.objects.exists()
    assert smtp.messages == []


def test_the_honeypot_stores_nothing(smtp, follow):
    assert follow("robot@example.com", homepage="http://spam").status_code == 400
    assert not Subscriber.objects.exists()


def test_a_post_from_another_site_is_refused(host_client, blog):
    response = host_client("kabar").post(
        "/follow/",
        {"email": "a@example.com", "frequency": "post"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_the_same_address_twice_gets_one_confirmation(
    smtp, blog, follow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = follow("sari@example.com")
        second = follow("SARI@example.com ")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content  # nobody learns who follows
    assert Subscriber.objects.count() == 1
    assert len(smtp.messages) == 1


def test_a_confirmed_follower_subscribing_again_gets_no_mail(
    smtp, blog, follow, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(blog=blog, email="a@example.com", status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        assert follow("a@example.com").status_code == 200
    assert smtp.messages == []


def test_a_flood_is_rate_limited_and_a_victim_gets_one_mail_a_day(
    smtp, blog, follow, settings, django_capture_on_commit_callbacks
):
    settings.WARTA_FOLLOW_RATE_PER_ADDRESS = "100/3600"
    settings.WARTA_FOLLOW_RATE_PER_NETWORK = "10/3600"
    with django_capture_on_commit_callbacks(execute=True):
        codes = [follow("korban@example.com").status_code for _ in range(15)]
    assert codes[:10] == [200] * 10
    assert codes[10:] == [429] * 5
    assert len(smtp.messages) == 1  # one pending confirmation per address per day
    assert "Terlalu banyak" in follow("lain@example.com").content.decode()


def test_one_address_flooded_from_many_networks_is_limited_too(
    smtp, blog, host_client, settings, django_capture_on_commit_callbacks
):
    settings.WARTA_FOLLOW_RATE_PER_ADDRESS = "3/3600"
    codes = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            codes.append(
                host_client("kabar")
                .post(
                    "/follow/",
                    {"email": "korban@example.com", "frequency": "post"},
                    HTTP_ORIGIN="http://kabar.localhost",
                    REMOTE_ADDR=f"10.{n}.0.1",
                )
                .status_code
            )
    assert codes == [200, 200, 200, 429, 429]
    assert len(smtp.messages) == 1


def test_a_day_later_a_pending_address_may_be_asked_again(
    smtp, blog, follow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow("a@example.com")
        Subscriber.objects.update(
            confirmation_sent_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        )
        follow("a@example.com")
    assert len(smtp.messages) == 2


@pytest.fixture
def pending(blog):
    return Subscriber.objects.create(blog=blog, email="a@example.com")


def test_an_expired_confirmation_link_changes_nothing(host_client, pending, settings):
    old = signing.dumps({"s": pending.pk, "k": pending.link_key[:8]}, salt=CONFIRM_SALT)
    settings.WARTA_FOLLOW_CONFIRM_DAYS = 0
    import time

    time.sleep(1.1)
    response = host_client("kabar").post(f"/follow/confirm/{old}")
    assert response.status_code == 400
    assert "sudah kedaluwarsa" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


@pytest.mark.parametrize("forgery", ["not signed", "signed with another salt"])
def test_a_forged_confirmation_link_changes_nothing(host_client, pending, forgery):
    # Made inside the test: a signed value's timestamp would make the test ids differ
    # between two pytest-xdist workers, which then refuse to run.
    token = "forged" if forgery == "not signed" else signing.dumps({"s": 1, "k": "x"}, salt="x")
    response = host_client("kabar").post(f"/follow/confirm/{token}")
    assert response.status_code == 400
    assert "tidak sah" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


def test_a_confirmation_link_of_an_earlier_subscription_is_dead(
    host_client, pending, follow, django_capture_on_commit_callbacks
):
    old = confirmation_token(pending)
    Subscriber.objects.update(status="unsubscribed")
    with django_capture_on_commit_callbacks(execute=True):
        follow("a@example.com")  # back: a new key, a new link
    assert host_client("kabar").post(f"/follow/confirm/{old}").status_code == 400
    assert Subscriber.objects.get().status == "pending"


def test_a_confirmation_link_works_on_its_own_blog_only(host_client, pending, make_blog):
    make_blog("lain")
    token = confirmation_token(pending)
    assert host_client("lain").post(f"/follow/confirm/{token}").status_code == 400
    assert Subscriber.objects.get().status == "pending"


def test_a_forged_unsubscribe_or_manage_link_changes_nothing(host_client, blog):
    follower = Subscriber.objects.create(blog=blog, email="a@example.com", status="confirmed")
    real = manage_token(follower)
    forged = real[:-1] + ("0" if real[-1] != "0" else "1")
    for path in (
        f"/follow/unsubscribe/{forged}",
        f"/follow/manage/{forged}",
        "/follow/unsubscribe/1-",
    ):
        response = host_client("kabar").post(path, {"unsubscribe": "1"})
        assert response.status_code == 400
        assert "tidak sah" in response.content.decode()
    assert Subscriber.objects.get().status == "confirmed"
