"""Desk pages: the blog's team. Owners and administrators invite people (by e-mail), resend
or revoke invitations, change roles, remove members and read the activity list; the owner
offers the blog to another member; every member can leave from "Your membership". The
rules live in ``warta.blogs.services``; these views only call them."""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from warta.blogs import services
from warta.blogs.models import Activity, Invitation, Membership

from .access import MANAGERS, desk_view
from .team_forms import InvitationForm, RoleForm

EVERY_ROLE = tuple(Membership.Role.values)
MEMBERS_URL = "/desk/members/"


def members_context(request, form, invitation=None):
    blog = request.blog
    open_invitations = blog.invitations.usable().select_related("invited_by")
    is_owner = getattr(request.membership, "role", None) == Membership.Role.OWNER
    return {
        "form": form,
        "invitation": invitation,
        "invitation_url": invitation and blog.base_url + invitation.get_absolute_url(),
        "memberships": blog.memberships.select_related("user").order_by("role", "user__email"),
        "invitations": open_invitations.exclude(role=Membership.Role.OWNER),
        "ownership_offers": open_invitations.filter(role=Membership.Role.OWNER),
        "role_choices": RoleForm.base_fields["role"].choices,
        "is_owner": is_owner,
        # Administrators manage editors, authors and members; owners manage administrators too.
        "manages_admins": is_owner or request.user.is_superuser,
    }


@desk_view(*MANAGERS)
@require_http_methods(["GET", "POST"])
def members(request):
    form = InvitationForm(request.POST or None)
    invitation = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_to_blog(
                blog=request.blog,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except services.MembershipError as error:
            form.add_error("email", error.message)
        else:
            form = InvitationForm()
    return render(request, "desk/members.html", members_context(request, form, invitation))


def refused(request, error, status=403):
    return render(request, "desk/team_refused.html", {"message": error.message}, status=status)


def team_action(*roles):
    """A POST by one of ``roles`` that changes the team through ``warta.blogs.services``:
    the view calls the service and says what it did; a refusal of the blog's rules
    (``MembershipError``) answers with the refusal page, anything else goes back to the
    members page."""

    def decorator(view):
        @desk_view(*roles)
        @require_POST
        @wraps(view)
        def action(request, pk):
            try:
                view(request, pk)
            except services.MembershipError as error:
                return refused(request, error)
            return redirect(MEMBERS_URL)

        return action

    return decorator


def blog_membership(request, pk):
    return get_object_or_404(Membership.objects.select_related("user"), blog=request.blog, pk=pk)


@team_action(*MANAGERS)
def change_role(request, pk):
    membership = blog_membership(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
        return
    services.change_role(
        blog=request.blog, membership=membership, role=form.cleaned_data["role"], by=request.user
    )
    messages.success(
        request,
        _("%(name)s is now: %(role)s.")
        % {"name": membership.user.name, "role": Membership.Role(form.cleaned_data["role"]).label},
    )


@team_action(*MANAGERS)
def remove_member(request, pk):
    membership = blog_membership(request, pk)
    services.remove_member(blog=request.blog, membership=membership, by=request.user)
    messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.name})


@team_action(Membership.Role.OWNER)
def offer_ownership(request, pk):
    membership = blog_membership(request, pk)
    offer = services.offer_ownership(blog=request.blog, membership=membership, by=request.user)
    messages.success(
        request,
        _(
            "%(name)s has been offered the ownership. Nothing changes until they accept it "
            "on the page the e-mail links to: %(url)s"
        )
        % {"name": membership.user.name, "url": request.blog.base_url + offer.get_absolute_url()},
    )


def blog_invitation(request, pk):
    return get_object_or_404(Invitation, blog=request.blog, pk=pk, accepted_at=None)


@team_action(*MANAGERS)
def resend_invitation(request, pk):
    invitation = services.resend_invitation(
        invitation=blog_invitation(request, pk), by=request.user
    )
    if invitation.mail_sent:
        messages.success(
            request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
        )
    else:
        messages.error(request, _("The mail could not be sent. Try again later."))


@team_action(*MANAGERS)
def revoke_invitation(request, pk):
    invitation = blog_invitation(request, pk)
    services.revoke_invitation(invitation=invitation, by=request.user)
    messages.success(
        request, _("The invitation to %(email)s no longer works.") % {"email": invitation.email}
    )


def role_label(value):
    try:
        return Membership.Role(value).label
    except ValueError:
        return value


def describe(activity: Activity) -> str:
    """One line of the activity list, in the reader's language, from what was stored."""
    role, _sep, note = activity.detail.partition(",")
    names = {"subject": activity.subject, "role": role_label(role)}
    Action = Activity.Action
    if activity.action == Action.INVITED:
        if note == "resent":
            return _("sent the invitation again to %(subject)s (%(role)s)") % names
        return _("invited %(subject)s as %(role)s") % names
    if activity.action == Action.JOINED:
        if note == "created":
            return _("created the blog") % names
        return _("%(subject)s joined as %(role)s") % names
    if activity.action == Action.ROLE_CHANGED:
        old, _sep, new = activity.detail.partition(">")
        return _("changed the role of %(subject)s from %(old)s to %(new)s") % {
            "subject": activity.subject,
            "old": role_label(old),
            "new": role_label(new),
        }
    if activity.action == Action.INVITATION_REVOKED:
        return _("revoked the invitation to %(subject)s") % names
    if activity.action == Action.REMOVED:
        return _("removed %(subject)s (%(role)s)") % names
    if activity.action == Action.LEFT:
        return _("%(subject)s left the blog (%(role)s)") % names
    if activity.action == Action.OWNERSHIP_OFFERED:
        return _("offered the ownership to %(subject)s") % names
    if activity.action == Action.OWNERSHIP_TRANSFERRED:
        return _("took over the ownership from %(subject)s") % names
    return f"{activity.get_action_display()} {activity.subject}"


@desk_view(*MANAGERS)
@require_http_methods(["GET"])
def activity(request):
    entries = request.blog.activities.select_related("actor")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    rows = [(entry, describe(entry)) for entry in page]
    return render(request, "desk/team_activity.html", {"page": page, "rows": rows})


@desk_view(*EVERY_ROLE)
@require_http_methods(["GET", "POST"])
def my_membership(request):
    """Every member's own page in the desk, plain members included: their role, and the
    button that takes them out of the blog."""
    if request.method == "POST":
        try:
            services.leave_blog(blog=request.blog, user=request.user)
        except services.MembershipError as error:
            return refused(request, error)
        messages.success(request, _("You have left this blog."))
        return redirect("/")
    return render(
        request,
        "desk/team_membership.html",
        {
            "membership": request.membership,
            "may_create_blog": services.may_create_blog(request.user),
        },
    )


urlpatterns = [
    path("members/", members, name="members"),
    path("members/<int:pk>/role/", change_role, name="member_role"),
    path("members/<int:pk>/remove/", remove_member, name="member_remove"),
    path("members/<int:pk>/ownership/", offer_ownership, name="member_ownership"),
    path("members/invitations/<int:pk>/resend/", resend_invitation, name="invitation_resend"),
    path("members/invitations/<int:pk>/revoke/", revoke_invitation, name="invitation_revoke"),
    path("members/activity/", activity, name="activity"),
    path("membership/", my_membership, name="membership"),
]
