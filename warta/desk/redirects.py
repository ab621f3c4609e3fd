"""Desk pages: the blog's redirects, for editors and up. An old address (a post's earlier
path, an imported WordPress link) answers 301 with its new one; the reader consults them
where nothing else answers (``reader.views.page_not_found``)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from warta.blogs.models import Membership
from warta.posts.models import Redirect

from .access import desk_view
from .team_forms import RedirectForm

EDITORS = tuple(Membership.EDITING_ROLES)
REDIRECTS_URL = "/desk/redirects/"


@desk_view(*EDITORS)
@require_http_methods(["GET", "POST"])
def redirect_list(request):
    form = RedirectForm(request.POST or None, blog=request.blog)
    if request.method == "POST" and form.is_valid():
        made = form.save()
        messages.success(
            request,
            _("%(old)s now leads to %(new)s.") % {"old": made.old_path, "new": made.new_path},
        )
        return redirect(REDIRECTS_URL)
    redirects = Redirect.objects.filter(blog=request.blog).order_by("old_path")
    return render(request, "desk/redirects.html", {"form": form, "redirects": redirects})


@desk_view(*EDITORS)
@require_POST
def redirect_delete(request, pk):
    gone = get_object_or_404(Redirect, blog=request.blog, pk=pk)
    gone.delete()
    messages.success(request, _("%(old)s no longer redirects.") % {"old": gone.old_path})
    return redirect(REDIRECTS_URL)


urlpatterns = [
    path("redirects/", redirect_list, name="redirects"),
    path("redirects/<int:pk>/delete/", redirect_delete, name="redirect_delete"),
]
