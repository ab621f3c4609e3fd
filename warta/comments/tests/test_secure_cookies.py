"""The anonymous author's cookies (``warta_mine``, ``warta_pending``) prove authorship: over
HTTPS they are never sent back over plain HTTP, like the session cookie."""

import pytest

COOKIES = ("warta_mine", "warta_pending")


@pytest.fixture
def moderated_post(make_blog, make_post):
    # Moderated, so the reader's comment sets both cookies.
    return make_post(make_blog(comment_policy="anyone", moderation="always"))


def post_anonymously(client, post, comment_form, *, scheme, **extra):
    host = f"{post.blog.slug}.localhost"
    return client.post(
        f"/comments/post/{post.pk}",
        comment_form(post, name="Pembaca"),
        HTTP_HOST=host,
        HTTP_ORIGIN=f"{scheme}://{host}",
        **extra,
    )


def test_behind_the_https_proxy_the_authors_cookies_are_secure(
    client, moderated_post, comment_form, settings
):
    # What WARTA_HTTPS=1 sets.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = post_anonymously(
        client, moderated_post, comment_form, scheme="https", HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 303
    for name in COOKIES:
        assert response.cookies[name]["secure"] is True, name
        assert response.cookies[name]["httponly"] is True


def test_a_request_over_https_gets_secure_cookies(client, moderated_post, comment_form):
    response = post_anonymously(client, moderated_post, comment_form, scheme="https", secure=True)
    assert response.status_code == 303
    assert all(response.cookies[name]["secure"] is True for name in COOKIES)


def test_under_warta_https_the_cookies_are_secure_whatever_the_proxy_says(
    client, moderated_post, comment_form, settings
):
    settings.SESSION_COOKIE_SECURE = True
    response = post_anonymously(client, moderated_post, comment_form, scheme="http")
    assert all(response.cookies[name]["secure"] is True for name in COOKIES)


def test_plain_http_in_development_keeps_the_cookies_usable(client, moderated_post, comment_form):
    response = post_anonymously(client, moderated_post, comment_form, scheme="http")
    assert response.status_code == 303
    assert all(not response.cookies[name]["secure"] for name in COOKIES)
