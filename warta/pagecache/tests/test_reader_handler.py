"""The short middleware chain for anonymous readers: the same pages, byte for byte, as
the full chain gives; and only anonymous readers' requests for reader pages take it."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory

from warta.core.tests.conftest import wsgi_call
from warta.pagecache.handlers import SKIPPED_FOR_READERS, reader_middleware
from warta.posts.models import Page, Status

HOST = "kabar.localhost"


@pytest.fixture
def site(blog, make_post, make_comment, make_user):
    author = make_user(display_name="Taufiq Akbar", bio="Wartawan.")
    post = make_post(blog, author=author, labels=["Nasional"], source_name="Reuters")
    make_comment(post, body="Komentar pertama")
    Page.objects.create(blog=blog, title="Tentang kami", body="Isi.", status=Status.PUBLISHED)
    return post


def call(application, path, **headers):
    environ = RequestFactory().get(path, HTTP_HOST=HOST, **headers).environ
    response = wsgi_call(application, environ)
    return response.status_code, response.header_list, response.content


@pytest.mark.parametrize(
    "path",
    [
        "ARTICLE",
        "ARTICLE?showComment=1",
        "/",
        "/?page=2",
        "/search/label/Nasional",
        "/search?q=kabar",
        "/p/tentang-kami.html",
        "AUTHOR",
        "YEAR",
        "/feeds/posts/default",
        "/feeds/comments/default",
        "/robots.txt",
        "/sitemap.xml",
        "/2020/01/tidak-ada.html",
    ],
)
def test_every_reader_page_is_the_same_through_the_short_chain(site, monkeypatch, path):
    from warta.wsgi import django_application, reader_application

    # The form's time stamp is the only part of a page that changes by itself.
    monkeypatch.setattr("warta.comments.section.form_stamp", lambda: "STAMP")
    path = (
        path.replace("ARTICLE", site.path)
        .replace("AUTHOR", site.author.get_absolute_url())
        .replace("YEAR", f"/{site.published_at.year}/")
    )
    full = call(django_application, path)
    cache.clear()  # both are misses that store the page
    short = call(reader_application, path)
    assert short[0] == full[0] and full[0] in {200, 404}
    assert short[2] == full[2]
    assert comparable(short[1]) == comparable(full[1])


def comparable(headers):
    """Headers by name; the policy's directives in any order; Last-Modified is the moment
    the blog's token was made, which clearing the cache between the two requests renews."""
    headers = dict(headers)
    headers["Content-Security-Policy"] = set(headers["Content-Security-Policy"].split("; "))
    headers["Last-Modified"] = "Last-Modified" in headers
    return headers


def test_only_an_anonymous_readers_request_for_a_reader_page_takes_it(site, make_user):
    from warta.wsgi import application, django_application, reader_application

    def handler(path, method="GET", **headers):
        environ = getattr(RequestFactory(), method.lower())(path, HTTP_HOST=HOST, **headers)
        return application.handler_for(environ.environ)

    assert handler(site.path) is reader_application
    assert handler(site.path, method="HEAD") is reader_application
    assert handler("/feeds/posts/default", HTTP_COOKIE="csrftoken=abc") is reader_application
    assert handler(site.path, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=x") is django_application
    assert handler(site.path, HTTP_COOKIE="warta_mine=1:x") is django_application
    assert handler(site.path, HTTP_COOKIE="messages=x") is django_application
    assert handler(site.path, method="POST") is django_application
    assert handler("/accounts/login/") is django_application
    assert handler("/desk/") is django_application
    assert handler("/2026") is django_application  # not a reader page: CommonMiddleware's slash


def test_a_signed_in_reader_still_gets_their_own_page(client, site, make_user):
    from warta.wsgi import application

    reader = make_user(display_name="Sari Pembaca")
    client.force_login(reader)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    status, headers, body = call(
        application, site.path, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}"
    )
    assert status == 200
    assert "Sari Pembaca" in body.decode()


def test_the_short_chain_is_the_full_one_without_the_account_middleware():
    assert reader_middleware() == [
        "warta.pagecache.middleware.PageCacheMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "warta.blogs.middleware.BlogMiddleware",
        "warta.pagecache.handlers.AnonymousReaderMiddleware",
        "warta.core.admin_gate.AdminGateMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "warta.core.csp.CSPMiddleware",
    ]
    assert set(SKIPPED_FOR_READERS) <= set(settings.MIDDLEWARE)
