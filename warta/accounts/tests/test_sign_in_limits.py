"""allauth's sign-in limits count each reader's own address, not the proxy's."""

import pytest
from allauth.account.models import EmailAddress
from django.forms.forms import NON_FIELD_ERRORS

PASSWORD = "rahasia-panjang-123"


@pytest.fixture
def readers(make_user, settings):
    """Ani and Budi, with three failed attempts allowed per address and minute."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for email in ("ani@example.com", "budi@example.com"):
        user = make_user(email, password=PASSWORD)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


def sign_in(client, email, password, forwarded_for):
    """A sign-in through the proxy: every request comes from its address, 10.0.0.2."""
    client.logout()
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        HTTP_HOST="kabar.localhost",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def held_back(response):
    form = response.context["form"]
    return response.status_code == 200 and form.has_error(
        NON_FIELD_ERRORS, "too_many_login_attempts"
    )


def test_behind_a_trusted_proxy_one_reader_held_back_does_not_hold_back_another(
    client, blog, readers, settings
):
    settings.WARTA_TRUSTED_PROXIES = 1
    for _ in range(3):
        assert not signed_in(sign_in(client, "ani@example.com", "salah", "203.0.113.5"))
    assert held_back(sign_in(client, "ani@example.com", PASSWORD, "203.0.113.5"))
    assert signed_in(sign_in(client, "budi@example.com", PASSWORD, "198.51.100.7"))


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(client, blog, readers):
    for n in range(3):
        assert not signed_in(sign_in(client, "ani@example.com", "salah", f"203.0.113.{n}"))
    assert held_back(sign_in(client, "budi@example.com", PASSWORD, "198.51.100.99"))


def test_an_accounts_failed_sign_ins_count_on_every_host_variant(client, blog, readers, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/300s/key"}
    for port in (1, 2, 3):
        client.post(
            "/accounts/login/",
            {"login": "ani@example.com", "password": "salah"},
            HTTP_HOST=f"kabar.localhost:{port}",
            REMOTE_ADDR=f"203.0.113.{port}",
        )
    response = client.post(
        "/accounts/login/",
        {"login": "ani@example.com", "password": PASSWORD},
        HTTP_HOST="www.kabar.localhost:4",
        REMOTE_ADDR="203.0.113.4",
    )
    assert held_back(response)
