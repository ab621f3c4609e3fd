"""allauth glue: account mail names the blog's own address, sign-in limits count readers."""

from types import SimpleNamespace
from urllib.parse import quote

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from warta.core.clientip import client_ip
from warta.core.hosts import public_url


class AccountAdapter(DefaultAccountAdapter):
    """allauth builds the links of its mail (reset, e-mail confirmation, sign-up) from the
    request's Host; here they start from the blog's canonical address, so no Host header a
    stranger sends can carry a reset key to another site. The blog is ``request.blog``
    (BlogMiddleware): any object with ``title``, ``host`` and ``base_url``."""

    def blog_url(self, path: str, request=None) -> str:
        blog = getattr(request or self.request, "blog", None)
        base = blog.base_url if blog is not None else public_url(settings.WARTA_DOMAIN)
        return base + path

    def mail_site(self):
        """Stands in for Django's ``RequestSite`` in mail: the blog's name and host."""
        blog = getattr(self.request, "blog", None)
        if blog is None:
            return SimpleNamespace(name=settings.WARTA_DOMAIN, domain=settings.WARTA_DOMAIN)
        return SimpleNamespace(name=blog.title, domain=blog.host)

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return self.blog_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation):
        path = reverse("account_confirm_email", args=[emailconfirmation.key])
        return self.blog_url(path, request)

    def send_account_already_exists_mail(self, email):
        context = {
            "signup_url": self.blog_url(reverse("account_signup")),
            "password_reset_url": self.blog_url(reverse("account_reset_password")),
        }
        self.send_mail("account/email/account_already_exists", email, context)

    def send_mail(self, template_prefix, email, context):
        context = {**context, "current_site": self.mail_site()}
        if "signup_url" in context:
            # The unknown-account mail's link, which allauth builds without a hook.
            context["signup_url"] = self.blog_url(reverse("account_signup"))
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        if app_settings.EMAIL_SUBJECT_PREFIX is not None:
            return super().format_email_subject(subject)
        return f"[{self.mail_site().name}] {subject}"

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts an account's failed sign-ins per request host too, and a Host header
        # varies at will (a port, "www.", another blog): one account is one count everywhere.
        login = credentials.get("email", credentials.get("username", ""))
        return f"account:{login.lower()}"

    def get_client_ip(self, request):
        """The reader's own address behind ``WARTA_TRUSTED_PROXIES`` proxies (not the
        proxy's), so one reader's failed sign-ins do not lock out everyone else."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address")
        return ip
