"""django-csp's middleware, with the policy headers built once instead of per response."""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings

OVERRIDES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt",
    "_csp_exempt_ro",
)


class CSPMiddleware(BaseCSPMiddleware):
    """Warta's policy has no nonce, no per-view override and no excluded path, so the
    headers are the same on every response; django-csp built them again each time, 4% of
    an uncached article. Any response that differs still goes through django-csp."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built_for = None
        self._headers = ()

    def headers(self, policies):
        if self._built_for != policies:
            built = ((HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True)))
            self._headers = tuple((name, value) for name, value in built if value)
            self._built_for = policies
        return self._headers

    def is_plain(self, request, response, policies):
        return not (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in OVERRIDES)
            or any((policy or {}).get("EXCLUDE_URL_PREFIXES") for policy in policies)
        )

    def process_response(self, request, response):
        policies = (
            getattr(settings, "CONTENT_SECURITY_POLICY", None),
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
        )
        if not self.is_plain(request, response, policies):
            return super().process_response(request, response)
        for name, value in self.headers(policies):
            response.headers.setdefault(name, value)
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
