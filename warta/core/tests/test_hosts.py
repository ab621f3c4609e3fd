"""Warta answers its blogs' hosts and the operator's, and refuses every other Host with a 400
before any view runs, so no link is ever built on a host a stranger chose."""

import pytest
from django.core import mail

from warta.core.hosts import host_name, is_admin_host, is_operator_host

FOREIGN_HOSTS = [
    "attacker.example",
    "attacker.example:8000",
    "tidak-ada.localhost",  # a subdomain of WARTA_DOMAIN that is no blog
    "localhost.attacker.example",
    "kabar.localhost.attacker.example",
    "kabar.localhost:evil",  # no host name at all
    "kabar.localhost/x",
]


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_password_reset_asked_on_a_foreign_host_gets_a_400_and_sends_no_mail(
    client, blog, make_user, host
):
    make_user("korban@example.com")
    response = client.post(
        "/accounts/password/reset/", {"email": "korban@example.com"}, HTTP_HOST=host
    )
    assert response.status_code == 400
    assert mail.outbox == []


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/robots.txt"])
def test_no_page_answers_on_a_foreign_host(client, blog, path):
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "blog" in response.text  # "No blog answers at this address.", in the site's language


def test_a_request_without_a_host_gets_a_400(client, blog):
    assert client.get("/", HTTP_HOST="").status_code == 400


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:8000", "[::1]:8000", "localhost."])
def test_the_operators_hosts_answer_even_before_the_first_blog(client, db, host):
    assert client.get("/admin/login/", HTTP_HOST=host).status_code == 200


@pytest.mark.parametrize(
    "host", ["kabar.localhost", "KABAR.localhost.", "www.kabar.localhost:8000", "beritakita.id"]
)
def test_every_variant_of_a_blogs_host_still_answers(client, blog, make_blog, host):
    make_blog("berita", custom_domain="beritakita.id")
    assert client.get("/", HTTP_HOST=host).status_code == 200


def test_the_admin_host_setting_names_the_operators_hosts(settings):
    assert is_operator_host("warta.localhost") is False
    settings.WARTA_ADMIN_HOST = "warta.localhost, Ops.Example.org"
    assert is_operator_host("warta.localhost:8000") and is_admin_host("ops.example.org.")
    assert is_operator_host("localhost") and not is_admin_host("localhost")


@pytest.mark.parametrize(
    ("host", "name"),
    [("Kabar.Warta.ID.:8000", "kabar.warta.id"), ("[::1]:80", "[::1]"), ("a b", ""), ("", "")],
)
def test_host_names_are_what_django_would_validate(host, name):
    assert host_name(host) == name
