"""The sections of the blog's settings screen, as the sub-navigation lists them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from warta.blogs.models import Blog


@dataclass(frozen=True)
class Section:
    name: str  # the URL name in the desk's namespace
    title: str
    url: str


SECTIONS = [
    Section("settings", _("General"), "/desk/settings/"),
    Section("settings_comments", _("Comments"), "/desk/settings/comments/"),
    Section("settings_membership", _("Membership"), "/desk/settings/membership/"),
    Section("settings_domain", _("Domain"), "/desk/settings/domain/"),
    Section("settings_pictures", _("Icon and images"), "/desk/settings/pictures/"),
    Section("appearance", _("Appearance"), "/desk/appearance/"),
    Section("appearance_menu", _("Menu"), "/desk/appearance/menu/"),
]


def section(name):
    return next(entry for entry in SECTIONS if entry.name == name)


def fresh_blog(request):
    """The blog as stored now: ``request.blog`` may be a worker's copy, shared in part."""
    return Blog.objects.get(pk=request.blog.pk)
