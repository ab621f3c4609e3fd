"""Under ``warta serve`` a hit is answered from granian's RSGI scope, before the gateway
builds a WSGI environ (``pagecache.rsgi.answer_hit``): the same bytes and headers as the
WSGI path, and never for a request the WSGI path would not answer from the cache."""

import gzip
import http.client
from types import SimpleNamespace

import pytest

from warta.core.tests.servers import HOST, prepare_site, serving
from warta.pagecache.rsgi import answer_hit


def scope(path, *, method="GET", query_string="", scheme="http"):
    return SimpleNamespace(
        method=method, path=path, query_string=query_string, scheme=scheme, authority=None
    )


@pytest.fixture
def article(blog, make_post):
    return make_post(blog, title="Warga bertahan di Aleppo", labels=["Suriah"])


def test_a_stored_page_is_answered_from_the_scope_as_the_wsgi_path_answers_it(
    wsgi_get, article, django_assert_num_queries
):
    assert answer_hit(scope(article.path), {"host": HOST}) is None  # nothing stored yet
    wsgi_get(HOST, article.path)
    through_wsgi = wsgi_get(HOST, article.path, HTTP_ACCEPT_ENCODING="br")
    with django_assert_num_queries(0):
        status, headers, body = answer_hit(
            scope(article.path), {"host": HOST, "accept-encoding": "br"}
        )
    assert status == 200 and body == through_wsgi.content
    assert headers == through_wsgi.header_list
    assert dict(headers)["X-Cache"] == "hit"


def test_conditions_and_head_are_honoured(wsgi_get, article):
    etag = wsgi_get(HOST, article.path).headers["etag"]
    status, headers, body = answer_hit(scope(article.path), {"host": HOST, "if-none-match": etag})
    assert (status, body) == (304, b"")
    status, headers, body = answer_hit(scope(article.path, method="HEAD"), {"host": HOST})
    assert status == 200 and body == b"" and int(dict(headers)["Content-Length"]) > 1000


@pytest.mark.parametrize(
    ("request_scope", "headers"),
    [
        # Cookies go the WSGI way, which sees every Cookie header joined.
        (scope("/"), {"host": HOST, "cookie": "sessionid=abc"}),
        (scope("/"), {"host": HOST, "cookie": "theme=dark"}),
        (scope("/", method="POST"), {"host": HOST}),
        (scope("/", query_string="nocache=1"), {"host": HOST}),
        (scope("/", scheme="https"), {"host": HOST}),
        (scope("/"), {"host": "KABAR.localhost"}),
        (scope("/"), {"host": "lain.localhost"}),
    ],
)
def test_requests_the_cache_does_not_answer_go_on_to_the_application(
    wsgi_get, article, request_scope, headers
):
    wsgi_get(HOST, "/")
    assert answer_hit(scope("/"), {"host": HOST}) is not None  # stored: only the request differs
    assert answer_hit(request_scope, headers) is None


def test_nothing_is_answered_with_the_cache_switched_off(wsgi_get, article, settings):
    wsgi_get(HOST, article.path)
    settings.WARTA_PAGECACHE = False
    assert answer_hit(scope(article.path), {"host": HOST}) is None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("site")
    prepare_site(data_dir)
    with serving(data_dir) as site:
        yield site


def ask(site, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    try:
        connection.request("GET", path, headers={"Host": HOST, **headers})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_warta_serve_answers_hits_with_their_encodings_and_validators(site):
    path = site.article_path()
    status, first_headers, first = ask(site, path)
    assert status == 200
    status, headers, body = ask(site, path)
    assert headers["x-cache"] == "hit" and body == first
    assert headers["etag"] == first_headers["etag"]
    assert headers["content-security-policy"] == first_headers["content-security-policy"]
    status, headers, body = ask(site, path, **{"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == first
    status, headers, body = ask(site, path, **{"If-None-Match": first_headers["etag"]})
    assert (status, body) == (304, b"")
    # A reader with a cookie of no meaning to Warta still gets the stored page.
    status, headers, body = ask(site, path, Cookie="theme=dark")
    assert headers["x-cache"] == "hit" and body == first
