"""Membership writes: joining, leaving, inviting, accepting an invitation."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Blog, Invitation, Membership


class MembershipError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvitationNotForYou(MembershipError):
    def __init__(self, invitation: Invitation):
        super().__init__(
            _(
                "This invitation was sent to %(email)s. To accept it, sign in with an account "
                "whose confirmed e-mail address is %(email)s."
            )
            % {"email": invitation.email}
        )


def join_blog(*, blog: Blog, user) -> Membership:
    """A reader joins a blog whose membership is open; joining twice changes nothing."""
    if existing := blog.membership_of(user):
        return existing
    if not blog.membership_open:
        raise MembershipError(_("Membership of this blog is by invitation."))
    try:
        with transaction.atomic():
            return Membership.objects.create(blog=blog, user=user, role=Membership.Role.MEMBER)
    except IntegrityError:
        return blog.membership_of(user)


def leave_blog(*, blog: Blog, user) -> None:
    """Anyone but the last owner may leave."""
    membership = blog.membership_of(user)
    if membership is None:
        return
    if (
        membership.role == Membership.Role.OWNER
        and not blog.memberships.filter(role=Membership.Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise MembershipError(_("The only owner of a blog cannot leave it."))
    membership.delete()


def invite_to_blog(*, blog: Blog, email: str, role: str, invited_by) -> Invitation:
    return Invitation.objects.create(
        blog=blog, email=email.strip().lower(), role=role, invited_by=invited_by
    )


def accept_invitation(*, invitation: Invitation, user) -> Membership:
    """The invited reader, signed in with the invited address verified, becomes a member with
    the invitation's role (or keeps a higher role they already had). Anyone else is refused
    and the invitation stays usable for the right person."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise MembershipError(_("This invitation has expired or was already used."))
        if not invitation.is_for(user):
            raise InvitationNotForYou(invitation)
        membership, created = Membership.objects.get_or_create(
            blog=invitation.blog, user=user, defaults={"role": invitation.role}
        )
        roles = list(Membership.Role.values)
        if not created and roles.index(invitation.role) < roles.index(membership.role):
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
