"""Django's admin is the operator's: absent from every blog's host, and its sign-in form is
limited per client address."""

import pytest

OPERATOR = "localhost"
PASSWORD = "rahasia-panjang-123"


@pytest.fixture
def operator(make_user):
    return make_user("operator@example.com", is_staff=True, is_superuser=True)


def sign_in(client, password, *, host=OPERATOR, **extra):
    return client.post(
        "/admin/login/",
        {"username": "operator@example.com", "password": password, "next": "/admin/"},
        HTTP_HOST=host,
        **extra,
    )


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/blogs/blog/", "/admin/x"])
@pytest.mark.parametrize("host", ["kabar.localhost", "www.kabar.localhost:8000", "beritakita.id"])
def test_the_admin_is_not_found_on_a_blogs_host(client, blog, make_blog, path, host):
    make_blog("berita", custom_domain="beritakita.id")
    assert client.get(path, HTTP_HOST=host).status_code == 404


def test_signing_in_to_the_admin_on_a_blogs_host_is_not_found_either(client, blog, operator):
    assert sign_in(client, PASSWORD, host="kabar.localhost").status_code == 404
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000"])
def test_the_operator_signs_in_on_the_bare_domain(client, blog, operator, host):
    response = sign_in(client, PASSWORD, host=host)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/", HTTP_HOST=host).status_code == 200


def test_a_configured_admin_host_is_the_only_one(client, blog, operator, settings):
    settings.WARTA_ADMIN_HOST = "ops.localhost"
    assert client.get("/admin/login/", HTTP_HOST="localhost").status_code == 404
    assert sign_in(client, PASSWORD, host="ops.localhost").status_code == 302


def test_after_the_limit_an_address_gets_a_429_even_with_the_right_password(
    client, make_blog, operator, settings
):
    make_blog("kabar", language="en")  # the default blog: the bare domain speaks English
    settings.WARTA_ADMIN_LOGIN_RATE = "3/300"
    for _ in range(3):
        assert sign_in(client, "salah").status_code == 200  # the form again, with its error
    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "300"
    assert refused.text == (
        "Too many sign-in attempts from your address. Please wait a few minutes and try again."
    )
    assert "_auth_user_id" not in client.session
    # Another address is not held back by this one's attempts.
    assert sign_in(client, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_limit_message_speaks_the_default_blogs_language(client, blog, operator, settings):
    settings.WARTA_ADMIN_LOGIN_RATE = "0/300"
    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429
    assert "Terlalu banyak" in refused.text


def test_behind_a_trusted_proxy_each_client_has_its_own_admin_limit(
    client, blog, operator, settings
):
    settings.WARTA_ADMIN_LOGIN_RATE, settings.WARTA_TRUSTED_PROXIES = "2/300", 1
    for _ in range(3):
        last = sign_in(client, "salah", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert last.status_code == 429
    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
