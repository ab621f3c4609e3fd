"""Account mail links to the blog's own address, whatever Host the request came with."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

NEW_PASSWORD = "Kata-sandi-baru-77"


def only_link(message):
    [link] = re.findall(r"https?://\S+", message.body)
    return link


@pytest.fixture
def reader(make_user):
    user = make_user("sari@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def ask_for_a_reset(client, host, email="sari@example.com"):
    response = client.post("/accounts/password/reset/", {"email": email}, HTTP_HOST=host)
    assert response.status_code == 302
    [message] = mail.outbox
    return message


@pytest.mark.parametrize("host", ["kabar.localhost:8000", "WWW.Kabar.localhost.", "localhost"])
def test_the_reset_link_names_the_blogs_own_host_and_works_there(client, blog, reader, host):
    """Asked on any variant of the blog's host (the bare domain serves the default blog), the
    link is on ``kabar.localhost``; following it there sets the new password."""
    message = ask_for_a_reset(client, host)
    link = only_link(message)
    assert link.startswith("http://kabar.localhost/accounts/password/reset/key/")
    assert message.subject.startswith("[Kabar Kita] ")
    # The greeting names the blog's host too, not the request's variant of it.
    assert set(re.findall(r"[\w.:-]*localhost[\w.:-]*", message.body)) == {"kabar.localhost"}

    path = link.removeprefix("http://kabar.localhost")
    form = client.get(path, HTTP_HOST="kabar.localhost")
    assert form.status_code == 302  # to the form with the key kept in the session
    done = client.post(
        form["Location"],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_HOST="kabar.localhost",
    )
    assert done.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)


def test_a_blog_with_its_own_domain_is_linked_on_that_domain(client, make_blog, reader):
    make_blog("berita", title="Berita Kita", custom_domain="beritakita.id")
    link = only_link(ask_for_a_reset(client, "berita.localhost"))
    assert link.startswith("http://beritakita.id/accounts/password/reset/key/")


@pytest.mark.parametrize(
    ("https", "port", "base"),
    [
        (False, "8000", "http://kabar.localhost:8000/"),
        (True, "", "https://kabar.localhost/"),
        (True, "8443", "https://kabar.localhost:8443/"),
    ],
)
def test_the_scheme_and_port_come_from_the_settings(
    client, blog, reader, settings, https, port, base
):
    settings.WARTA_HTTPS, settings.WARTA_PUBLIC_PORT = https, port
    assert only_link(ask_for_a_reset(client, "kabar.localhost:9999")).startswith(base)


def test_an_unknown_address_is_invited_to_sign_up_on_the_blogs_host(client, blog):
    link = only_link(ask_for_a_reset(client, "www.kabar.localhost:8000", "siapa@example.com"))
    assert link == "http://kabar.localhost/accounts/signup/"


def test_the_confirmation_link_of_a_new_account_names_the_blogs_host(client, blog):
    response = client.post(
        "/accounts/signup/",
        {"email": "baru@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_HOST="www.kabar.localhost:8000",
    )
    assert response.status_code == 302
    [message] = mail.outbox
    link = only_link(message)
    assert link.startswith("http://kabar.localhost/accounts/confirm-email/")
    path = link.removeprefix("http://kabar.localhost")
    assert client.get(path, HTTP_HOST="kabar.localhost").status_code == 200


def test_signing_up_again_with_a_known_address_links_the_blogs_host(client, blog, reader):
    client.post(
        "/accounts/signup/",
        {"email": reader.email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_HOST="www.kabar.localhost:8000",
    )
    [message] = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("http://kabar.localhost/accounts/") for link in links)
