"""Forms of the desk's team pages: members and invitations, redirects, new blogs."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from warta.blogs.models import Blog, Membership
from warta.core import hosts
from warta.posts.models import Page, Post, Redirect

GIVEN_ROLES = [c for c in Membership.Role.choices if c[0] != Membership.Role.OWNER]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=GIVEN_ROLES, initial=Membership.Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=GIVEN_ROLES)


class RedirectForm(forms.ModelForm):
    """An old address of the blog that answers 301 with a new one. The reader consults
    redirects only where nothing else answers, so an old path of a live post or page would
    never redirect: it is refused, as is a chain that comes back to where it started."""

    class Meta:
        model = Redirect
        fields = ["old_path", "new_path"]
        labels = {"new_path": _("Redirect to")}
        help_texts = {
            "new_path": _("A path of this blog (“/p/about.html”) or a full address (https://…).")
        }

    def __init__(self, *args, blog: Blog, **kwargs):
        super().__init__(*args, **kwargs)
        self.blog = blog
        self.instance.blog = blog

    def clean_old_path(self):
        old = self.cleaned_data["old_path"].strip()
        if not old.startswith("/") or old.startswith("//"):
            raise ValidationError(_("The old path starts with “/”, e.g. “/2016/12/old-slug/”."))
        if old == "/":
            raise ValidationError(_("The home page cannot be redirected."))
        path = urlsplit(old).path
        if (
            Post.objects.filter(blog=self.blog, path__in={old, path}).exists()
            or Page.objects.filter(blog=self.blog, path__in={old, path}).exists()
        ):
            raise ValidationError(
                _("A post or page of this blog lives at this path: it cannot be redirected.")
            )
        if Redirect.objects.filter(blog=self.blog, old_path=old).exists():
            raise ValidationError(_("This path is already redirected."))
        return old

    def clean_new_path(self):
        new = self.cleaned_data["new_path"].strip()
        if new.startswith("/") and not new.startswith("//"):
            return new
        try:
            URLValidator(schemes=["http", "https"])(new)
        except ValidationError:
            raise ValidationError(
                _("Give a path of this blog starting with “/” or a full address (https://…).")
            ) from None
        return new

    def own_path(self, target: str) -> str | None:
        """The path of this blog that ``target`` names, or None for another site."""
        if target.startswith("/"):
            return target
        parts = urlsplit(target)
        if hosts.host_name(parts.netloc) in {self.blog.host, f"www.{self.blog.host}"}:
            return parts.path + (f"?{parts.query}" if parts.query else "") or "/"
        return None

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_path"), cleaned.get("new_path")
        if not old or not new:
            return cleaned
        chain = dict(Redirect.objects.filter(blog=self.blog).values_list("old_path", "new_path"))
        seen = set()
        step = self.own_path(new)
        while step is not None and step not in seen:
            if step == old:
                self.add_error(
                    "new_path", _("This redirect would lead back to its own old path (a loop).")
                )
                break
            seen.add(step)
            step = self.own_path(chain[step]) if step in chain else None
        return cleaned


# A blog's address may not name a host Warta keeps for itself.
RESERVED_SLUGS = {"www", "admin", "mail", "desk", "api", "static", "media"}


class NewBlogForm(forms.ModelForm):
    class Meta:
        model = Blog
        fields = ["title", "slug", "language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].help_text = _(
            "The blog answers at <address>.%(domain)s, e.g. “kabar”."
        ) % {"domain": settings.WARTA_DOMAIN}
        self.fields["time_zone"].help_text = _("e.g. “Asia/Jakarta”, “Asia/Makassar”.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        host = f"{slug}.{settings.WARTA_DOMAIN}"
        if slug in RESERVED_SLUGS or hosts.is_operator_host(host):
            raise ValidationError(_("This address is reserved. Choose another."))
        return slug
