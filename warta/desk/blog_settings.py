"""Desk pages: the blog's settings, for its owners and admins, in a few sections (general,
comments, membership, domain, pictures), each a plain form. Saving a section replaces the
blog's generation (``blogs.signal_handlers``), so readers see the change at once."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import domains
from .access import MANAGERS, desk_view
from .settings_forms import CommentsForm, DomainForm, GeneralForm, MembershipForm, PicturesForm
from .settings_sections import SECTIONS, fresh_blog, section


def section_page(request, template, context, *, errors=False):
    return render(
        request,
        template,
        {"sections": SECTIONS, **context},
        status=400 if errors else 200,
    )


def settings_view(form_class, name, template="desk/settings.html"):
    """A section of plain fields: shown, and saved when valid; with an error, every typed
    value is shown again beside its message and nothing is stored."""

    @desk_view(*MANAGERS)
    @require_http_methods(["GET", "POST"])
    def view(request):
        blog = fresh_blog(request)
        form = form_class(request.POST or None, instance=blog)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("Saved. Readers see the change now."))
            return redirect(f"desk:{name}")
        return section_page(
            request,
            template,
            {"form": form, "section": section(name), **domain_context(blog)},
            errors=bool(form.errors),
        )

    view.__name__ = name
    return view


def domain_context(blog, check=None):
    return {
        "warta_domain": settings.WARTA_DOMAIN,
        "blog_host": f"{blog.slug}.{settings.WARTA_DOMAIN}",  # what answers before the domain
        "check": check,
    }


@desk_view(*MANAGERS)
@require_POST
def check_domain(request):
    blog = fresh_blog(request)
    if not blog.custom_domain:
        messages.error(request, _("Save a custom domain first, then check it."))
        return redirect("desk:settings_domain")
    check = domains.check_domain(blog, request_host=request.get_host())
    return section_page(
        request,
        "desk/settings.html",
        {
            "form": DomainForm(instance=blog),
            "section": section("settings_domain"),
            **domain_context(blog, check),
        },
    )


@desk_view(*MANAGERS)
@require_http_methods(["GET", "POST"])
def pictures(request):
    blog = fresh_blog(request)
    form = PicturesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        form.save(blog)
        messages.success(request, _("Saved. Readers see the change now."))
        return redirect("desk:settings_pictures")
    return section_page(
        request,
        "desk/settings_pictures.html",
        {"form": form, "section": section("settings_pictures"), "blog_now": blog},
        errors=bool(form.errors),
    )


urlpatterns = [
    path("settings/", settings_view(GeneralForm, "settings"), name="settings"),
    path(
        "settings/comments/",
        settings_view(CommentsForm, "settings_comments"),
        name="settings_comments",
    ),
    path(
        "settings/membership/",
        settings_view(MembershipForm, "settings_membership"),
        name="settings_membership",
    ),
    path(
        "settings/domain/",
        settings_view(DomainForm, "settings_domain", "desk/settings.html"),
        name="settings_domain",
    ),
    path("settings/domain/check/", check_domain, name="settings_domain_check"),
    path("settings/pictures/", pictures, name="settings_pictures"),
]
