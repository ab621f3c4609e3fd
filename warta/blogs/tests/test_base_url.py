"""A blog's base URL, which links that leave the request (mail) start with."""

import pytest


@pytest.mark.parametrize(
    ("fields", "https", "port", "url"),
    [
        ({"slug": "kabar"}, False, "", "http://kabar.localhost"),
        ({"slug": "kabar"}, False, "8000", "http://kabar.localhost:8000"),
        ({"slug": "kabar"}, True, "", "https://kabar.localhost"),
        (
            {"slug": "berita", "custom_domain": "www.BeritaKita.id"},
            True,
            "",
            "https://beritakita.id",
        ),
    ],
)
def test_the_base_url_is_the_canonical_host_with_the_configured_scheme_and_port(
    make_blog, settings, fields, https, port, url
):
    settings.WARTA_HTTPS, settings.WARTA_PUBLIC_PORT = https, port
    assert make_blog(**fields).base_url == url
