"""Django's admin belongs to the operator, not to the blogs."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from .clientip import client_ip
from .hosts import is_admin_host
from .ratelimit import parse_rate, rate_limited


class AdminGateMiddleware:
    """The admin answers only on the operator's host (``WARTA_ADMIN_HOST``): on a blog's
    host it is a 404, as if it did not exist. Its sign-in form takes at most
    ``WARTA_ADMIN_LOGIN_RATE`` attempts per client address, so passwords cannot be guessed
    at the speed of the network."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.app_name != "admin":
            return None
        if not is_admin_host(request.META.get("HTTP_HOST", "")):
            raise Http404
        if match.url_name == "login" and request.method == "POST":
            rate = settings.WARTA_ADMIN_LOGIN_RATE
            if rate_limited("admin-login", client_ip(request), rate):
                return too_many_attempts(rate)
        return None


def too_many_attempts(rate: str) -> HttpResponse:
    _limit, window = parse_rate(rate)
    response = HttpResponse(
        _("Too many sign-in attempts from your address. Please wait a few minutes and try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(window)
    return response
