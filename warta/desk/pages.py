"""The desk's static pages (``/p/slug.html``: about us, contact): a short form, for the
blog's editors and up. Posts are in ``editing.py``."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from warta.blogs.models import Membership
from warta.posts.models import BodyFormat, Page, Status

from .access import desk_view
from .tabs import status_tabs

PAGE_TABS = [Status.DRAFT, Status.PUBLISHED, Status.TRASHED]
EDITING = tuple(Membership.EDITING_ROLES)


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "body_format"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "body_format": forms.HiddenInput,
            "title": forms.TextInput(attrs={"autofocus": True}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["body_format"].required = False

    def clean_body_format(self):
        return self.cleaned_data.get("body_format") or BodyFormat.MARKDOWN


@desk_view(*EDITING)
@require_GET
def page_list(request):
    pages = Page.objects.filter(blog=request.blog)
    wanted, tabs = status_tabs(request, pages, PAGE_TABS)
    listed = pages.filter(status=wanted).only("pk", "title", "status", "path", "updated_at")
    page = Paginator(listed.order_by("title", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/pages.html",
        {
            "tabs": tabs,
            "status": wanted,
            "page": page,
        },
    )


@desk_view(*EDITING)
@require_http_methods(["GET", "POST"])
def page_editor(request, pk=None):
    entry = (
        get_object_or_404(Page, blog=request.blog, pk=pk)
        if pk
        else Page(blog=request.blog, author=request.user)
    )
    form = PageForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        if request.POST.get("action") == "publish":
            entry.status = Status.PUBLISHED
        entry.updated_at = timezone.now()
        with transaction.atomic():
            entry.save()
        messages.success(request, _("Published.") if entry.status == "published" else _("Saved."))
        return redirect("desk:edit_page", pk=entry.pk)
    return render(
        request,
        "desk/page_editor.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@desk_view(*EDITING)
@require_POST
def page_action(request, pk):
    entry = get_object_or_404(Page, blog=request.blog, pk=pk)
    action = request.POST.get("action")
    role = "owner" if request.user.is_superuser else request.membership.role
    if action == "delete":
        if role not in {Membership.Role.OWNER, Membership.Role.ADMIN}:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        entry.delete()
        messages.success(request, _("Deleted for good."))
        return redirect(reverse("desk:pages") + "?status=trashed")
    status = {"unpublish": Status.DRAFT, "trash": Status.TRASHED, "restore": Status.DRAFT}.get(
        action
    )
    if status is None:
        return redirect("desk:edit_page", pk=entry.pk)
    entry.status = status
    entry.updated_at = timezone.now()
    entry.save(update_fields=["status", "updated_at"])
    messages.success(request, _("Saved."))
    return redirect("desk:edit_page", pk=entry.pk)
