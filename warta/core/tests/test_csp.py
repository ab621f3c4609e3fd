"""The Content-Security-Policy header: built once, the same as django-csp's own."""

from csp.constants import HEADER, NONCE
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from warta.core.csp import CSPMiddleware


def both(view, request):
    return CSPMiddleware(view)(request), DjangoCSPMiddleware(view)(request)


def test_reader_pages_carry_the_policy_from_settings(client, make_blog, make_post):
    blog = make_blog()
    post = make_post(blog)
    response = client.get(post.path, HTTP_HOST=f"{blog.slug}.localhost")
    policy = response.headers[HEADER]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy  # no inline script, no third party


def test_the_header_is_what_django_csp_writes():
    ours, theirs = both(lambda request: HttpResponse("x"), RequestFactory().get("/"))
    assert ours[HEADER] == theirs[HEADER]


def test_a_view_that_changes_the_policy_still_gets_its_change():
    view = csp_update({"img-src": ["https://peta.example"]})(lambda request: HttpResponse("x"))
    ours, theirs = both(view, RequestFactory().get("/"))
    assert "https://peta.example" in ours[HEADER]
    assert ours[HEADER] == theirs[HEADER]


def test_a_page_that_asks_for_a_nonce_goes_through_django_csp(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}

    def view(request):
        return HttpResponse(str(request.csp_nonce))

    response = CSPMiddleware(view)(RequestFactory().get("/"))
    assert f"script-src 'self' 'nonce-{response.content.decode()}'" in response[HEADER]


def test_a_changed_setting_is_seen(settings):
    middleware = CSPMiddleware(lambda request: HttpResponse("x"))
    middleware(RequestFactory().get("/"))
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert middleware(RequestFactory().get("/"))[HEADER] == "default-src 'none'"
