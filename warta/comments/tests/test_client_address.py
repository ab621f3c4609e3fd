"""A comment's address (rate limits, the ``ip:`` blocklist) is the one the trusted proxies
saw; a reader cannot pick another by writing X-Forwarded-For."""

import pytest


@pytest.fixture
def open_post(make_blog, make_post):
    return make_post(make_blog("terbuka", comment_policy="anyone"))


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(
    open_post, send_comment, settings
):
    settings.WARTA_COMMENT_RATE_PER_IP = "1/60"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # as WARTA_HTTPS
    first = send_comment(open_post, body="Satu", HTTP_X_FORWARDED_FOR="10.0.0.1")
    forged = send_comment(open_post, body="Dua", HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert [first.status_code, forged.status_code] == [303, 429]


def test_behind_two_trusted_proxies_the_client_is_second_from_the_right(
    open_post, send_comment, settings
):
    settings.WARTA_COMMENT_RATE_PER_IP, settings.WARTA_TRUSTED_PROXIES = "1/60", 2
    first = send_comment(open_post, body="Satu", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    other = send_comment(open_post, body="Dua", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")
    again = send_comment(
        open_post, body="Tiga", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.1"
    )
    assert [first.status_code, other.status_code, again.status_code] == [303, 303, 429]
