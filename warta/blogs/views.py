"""Membership pages on a blog's own host: join, leave, accept an invitation."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from warta.core.decorators import blog_required

from . import services
from .models import Invitation, Membership


def next_url(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@blog_required
@require_http_methods(["GET", "POST"])
@login_required
def join(request):
    blog = request.blog
    if request.method == "POST":
        try:
            services.join_blog(blog=blog, user=request.user)
        except services.MembershipError as error:
            return render(request, "blogs/membership.html", {"message": error.message}, status=403)
        return redirect(next_url(request))
    return render(request, "blogs/join.html", {"member": blog.is_member(request.user)})


@blog_required
@require_POST
@login_required
def leave(request):
    blog = request.blog
    try:
        services.leave_blog(blog=blog, user=request.user)
    except services.MembershipError as error:
        return render(request, "blogs/membership.html", {"message": error.message}, status=403)
    return render(request, "blogs/membership.html", {"message": _("You have left this blog.")})


@blog_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    blog = request.blog
    invitation = get_object_or_404(Invitation, blog=blog, token=token)
    if not invitation.is_usable:
        return render(
            request,
            "blogs/membership.html",
            {"message": _("This invitation has expired or was already used.")},
            status=410,
        )
    ownership = invitation.role == Membership.Role.OWNER
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except services.InvitationNotForYou as error:
            return render(request, "blogs/membership.html", {"message": error.message}, status=403)
        except services.MembershipError as error:
            return render(request, "blogs/membership.html", {"message": error.message}, status=410)
        return redirect("/desk/members/" if ownership else "/")
    for_this_reader = (
        services.ownership_offer_is_for(invitation, request.user)
        if ownership
        else invitation.is_for(request.user)
    )
    return render(
        request,
        "blogs/invitation.html",
        {"invitation": invitation, "for_this_reader": for_this_reader, "ownership": ownership},
    )
