"""Membership writes: joining, leaving, inviting, accepting an invitation, managing members,
handing the blog to a new owner and creating a blog. Each change is logged as an
``Activity`` of the blog, in the same transaction as the change itself."""

import logging
import smtplib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import mail
from .models import Activity, Blog, Invitation, Membership, invitation_expiry

logger = logging.getLogger(__name__)

Role = Membership.Role
Action = Activity.Action
MANAGING_ROLES = (Role.OWNER, Role.ADMIN)
# Most powerful first: accepting an invitation never lowers a role already held.
ROLE_ORDER = list(Role.values)


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


def person_label(user) -> str:
    """How a person is named in the activity list, as they were at the time."""
    return f"{user.name} <{user.email}>"[:254]


def log_activity(*, blog: Blog, actor, action: str, subject: str = "", detail: str = ""):
    return Activity.objects.create(
        blog=blog,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        subject=subject[:254],
        detail=detail[:200],
    )


def log_member_activity(*, blog: Blog, actor, member, action: str, detail: str = ""):
    """An activity about ``member``, who is named as they are at the time."""
    return log_activity(
        blog=blog, actor=actor, action=action, subject=person_label(member), detail=detail
    )


def log_role_change(*, blog: Blog, actor, member, old_role: str, new_role: str):
    """Stored as ``old>new``, the form the desk's activity list reads."""
    return log_member_activity(
        blog=blog,
        actor=actor,
        member=member,
        action=Action.ROLE_CHANGED,
        detail=f"{old_role}>{new_role}",
    )


def log_invitation_activity(*, invitation: Invitation, actor, action: str, detail: str):
    """An activity about ``invitation``, named by the address it was sent to."""
    return log_activity(
        blog=invitation.blog, actor=actor, action=action, subject=invitation.email, detail=detail
    )


def manages(blog: Blog, user) -> bool:
    """Owners and administrators manage a blog's members (superusers every blog's)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or blog.role_of(user) in MANAGING_ROLES


# ---------------------------------------------------------------- joining and leaving


def join_blog(*, blog: Blog, user) -> Membership:
    """A reader joins a blog whose membership is open; joining twice changes nothing."""
    if existing := blog.membership_of(user):
        return existing
    if not blog.membership_open:
        raise MembershipError(_("Membership of this blog is by invitation."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(blog=blog, user=user, role=Role.MEMBER)
            log_member_activity(
                blog=blog, actor=user, member=user, action=Action.JOINED, detail=Role.MEMBER
            )
            return membership
    except IntegrityError:
        return blog.membership_of(user)


def leave_blog(*, blog: Blog, user) -> None:
    """A member leaves. The blog's only owner cannot: they hand the blog over first
    (``offer_ownership``), so a blog always keeps an owner."""
    with transaction.atomic():
        membership = blog.memberships.select_for_update().filter(user=user).first()
        if membership is None:
            return
        if (
            membership.role == Role.OWNER
            and not blog.memberships.filter(role=Role.OWNER).exclude(pk=membership.pk).exists()
        ):
            raise MembershipError(
                _(
                    "The only owner of a blog cannot leave it. Transfer the ownership to "
                    "another member first."
                )
            )
        membership.delete()
        log_member_activity(
            blog=blog, actor=user, member=user, action=Action.LEFT, detail=membership.role
        )


# ---------------------------------------------------------------- managing members


def check_may_manage(*, blog: Blog, by, membership: Membership) -> None:
    """The rules of changing someone else's membership: only owners and administrators do;
    an owner is changed by nobody (ownership moves only by ``offer_ownership``); only an
    owner changes an administrator; one's own membership is left, not edited."""
    if not manages(blog, by):
        raise MembershipError(_("Only the blog's owners and administrators manage its members."))
    if membership.blog_id != blog.pk:
        raise MembershipError(_("This person is not a member of this blog."))
    if membership.role == Role.OWNER:
        raise MembershipError(
            _("An owner can be neither changed nor removed: ownership is transferred.")
        )
    if membership.user_id == by.pk:
        raise MembershipError(_("You cannot change your own membership here."))
    if membership.role == Role.ADMIN and not by.is_superuser and blog.role_of(by) != Role.OWNER:
        raise MembershipError(_("Only an owner changes or removes an administrator."))


def change_role(*, blog: Blog, membership: Membership, role: str, by) -> Membership:
    if role not in Role.values or role == Role.OWNER:
        raise MembershipError(_("Choose a role other than owner."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        check_may_manage(blog=blog, by=by, membership=membership)
        old = membership.role
        if old == role:
            return membership
        membership.role = role
        membership.save(update_fields=["role"])
        log_role_change(blog=blog, actor=by, member=membership.user, old_role=old, new_role=role)
    return membership


def remove_member(*, blog: Blog, membership: Membership, by) -> None:
    """Takes effect at the next request: the desk and the comment policy read the
    membership from the database, and reader pages show nothing that depends on it."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        check_may_manage(blog=blog, by=by, membership=membership)
        membership.delete()
        log_member_activity(
            blog=blog,
            actor=by,
            member=membership.user,
            action=Action.REMOVED,
            detail=membership.role,
        )


# ---------------------------------------------------------------- invitations


def send_invitation_mail(invitation: Invitation) -> bool:
    """Whether the mail left; a refusing SMTP server leaves the invitation and its link."""
    try:
        mail.send_invitation(invitation)
    except (smtplib.SMTPException, OSError):
        logger.warning("Invitation mail to %s failed", invitation.email, exc_info=True)
        return False
    return True


def invite_to_blog(*, blog: Blog, email: str, role: str, invited_by) -> Invitation:
    """An invitation to ``email``, mailed to it; ``invitation.mail_sent`` says whether the
    mail left. Ownership is never given by invitation (see ``offer_ownership``)."""
    if role not in Role.values or role == Role.OWNER:
        raise MembershipError(_("Choose a role other than owner."))
    email = email.strip().lower()
    member = blog.memberships.filter(user__email__iexact=email).first()
    if member is not None and ROLE_ORDER.index(member.role) <= ROLE_ORDER.index(role):
        raise MembershipError(
            _("%(email)s is a member already, as: %(role)s.")
            % {"email": email, "role": member.get_role_display()}
        )
    if blog.invitations.usable().filter(email=email).exclude(role=Role.OWNER).exists():
        raise MembershipError(
            _("An invitation to %(email)s is still open: send it again from the list below.")
            % {"email": email}
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            blog=blog, email=email, role=role, invited_by=invited_by
        )
        log_invitation_activity(
            invitation=invitation, actor=invited_by, action=Action.INVITED, detail=role
        )
    invitation.mail_sent = send_invitation_mail(invitation)
    return invitation


def check_open_invitation(*, invitation: Invitation, by) -> None:
    if not manages(invitation.blog, by):
        raise MembershipError(_("Only the blog's owners and administrators manage its members."))
    if invitation.accepted_at is not None:
        raise MembershipError(_("This invitation was already accepted."))
    if invitation.role == Role.OWNER and invitation.blog.role_of(by) != Role.OWNER:
        raise MembershipError(_("Only an owner transfers the ownership of a blog."))


def resend_invitation(*, invitation: Invitation, by) -> Invitation:
    """The same link, mailed again and valid for the full period from now."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("blog").get(pk=invitation.pk)
        )
        check_open_invitation(invitation=invitation, by=by)
        invitation.expires_at = invitation_expiry()
        invitation.save(update_fields=["expires_at"])
        log_invitation_activity(
            invitation=invitation,
            actor=by,
            action=Action.OWNERSHIP_OFFERED if invitation.role == Role.OWNER else Action.INVITED,
            detail=f"{invitation.role},resent",
        )
    invitation.mail_sent = send_invitation_mail(invitation)
    return invitation


def revoke_invitation(*, invitation: Invitation, by) -> None:
    """The link stops working at once; the row stays, expired, as the record of it."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("blog").get(pk=invitation.pk)
        )
        check_open_invitation(invitation=invitation, by=by)
        invitation.expires_at = timezone.now()
        invitation.save(update_fields=["expires_at"])
        log_invitation_activity(
            invitation=invitation,
            actor=by,
            action=Action.INVITATION_REVOKED,
            detail=invitation.role,
        )


def accept_invitation(*, invitation: Invitation, user) -> Membership:
    """The invited reader, signed in with the invited address verified, becomes a member with
    the invitation's role (or keeps a higher role they already had). Anyone else is refused
    and the invitation stays usable for the right person. An ownership offer is accepted by
    ``accept_ownership``."""
    if invitation.role == Role.OWNER:
        return accept_ownership(invitation=invitation, user=user)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise MembershipError(_("This invitation has expired or was already used."))
        if not invitation.is_for(user):
            raise InvitationNotForYou(invitation)
        blog = invitation.blog
        membership, created = Membership.objects.get_or_create(
            blog=blog, user=user, defaults={"role": invitation.role}
        )
        if created:
            log_member_activity(
                blog=blog, actor=user, member=user, action=Action.JOINED, detail=invitation.role
            )
        elif ROLE_ORDER.index(invitation.role) < ROLE_ORDER.index(membership.role):
            log_role_change(
                blog=blog,
                actor=user,
                member=user,
                old_role=membership.role,
                new_role=invitation.role,
            )
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


# ---------------------------------------------------------------- ownership


def offer_ownership(*, blog: Blog, membership: Membership, by) -> Invitation:
    """The owner offers the blog to another member: an invitation with the role of owner,
    mailed to them. Nothing changes until they accept it (``accept_ownership``); an earlier
    offer still open is withdrawn."""
    if blog.role_of(by) != Role.OWNER:
        raise MembershipError(_("Only an owner transfers the ownership of a blog."))
    if membership.blog_id != blog.pk:
        raise MembershipError(_("This person is not a member of this blog."))
    if membership.user_id == by.pk or membership.role == Role.OWNER:
        raise MembershipError(_("Choose a member who is not an owner yet."))
    with transaction.atomic():
        blog.invitations.usable().filter(role=Role.OWNER).update(expires_at=timezone.now())
        invitation = Invitation.objects.create(
            blog=blog, email=membership.user.email.lower(), role=Role.OWNER, invited_by=by
        )
        log_member_activity(
            blog=blog, actor=by, member=membership.user, action=Action.OWNERSHIP_OFFERED
        )
    invitation.mail_sent = send_invitation_mail(invitation)
    return invitation


def ownership_offer_is_for(invitation: Invitation, user) -> bool:
    """The member the offer names: their account's address, or a confirmed one of theirs."""
    if not user.is_authenticated or not invitation.blog.is_member(user):
        return False
    return user.email.lower() == invitation.email.lower() or invitation.is_for(user)


def accept_ownership(*, invitation: Invitation, user) -> Membership:
    """The member offered the blog takes it: they become its owner and the owner who offered
    it an administrator, in one transaction."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("blog").get(pk=invitation.pk)
        )
        blog = invitation.blog
        if not invitation.is_usable:
            raise MembershipError(_("This invitation has expired or was already used."))
        if not ownership_offer_is_for(invitation, user):
            raise InvitationNotForYou(invitation)
        memberships = blog.memberships.select_for_update()
        old_owner = memberships.filter(user_id=invitation.invited_by_id, role=Role.OWNER).first()
        if old_owner is None:
            raise MembershipError(_("The member who offered the ownership is no longer its owner."))
        new_owner = memberships.get(user=user)
        new_owner.role = Role.OWNER
        new_owner.save(update_fields=["role"])
        old_owner.role = Role.ADMIN
        old_owner.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        log_member_activity(
            blog=blog,
            actor=user,
            member=old_owner.user,
            action=Action.OWNERSHIP_TRANSFERRED,
            detail=person_label(user),
        )
    return new_owner


# ---------------------------------------------------------------- new blogs


def may_create_blog(user) -> bool:
    """``WARTA_BLOG_CREATION``: "staff" (default), "anyone" signed in, or "none"."""
    if not user.is_authenticated:
        return False
    policy = getattr(settings, "WARTA_BLOG_CREATION", "staff")
    if policy == "anyone":
        return True
    if policy == "staff":
        return user.is_staff or user.is_superuser
    return False


def create_blog(*, owner, title: str, slug: str, language: str, time_zone: str) -> Blog:
    """A new blog with ``owner`` as its owner; the fields are validated by the caller's form."""
    if not may_create_blog(owner):
        raise MembershipError(_("Creating blogs is not open to your account."))
    with transaction.atomic():
        blog = Blog.objects.create(title=title, slug=slug, language=language, time_zone=time_zone)
        Membership.objects.create(blog=blog, user=owner, role=Role.OWNER)
        log_member_activity(
            blog=blog,
            actor=owner,
            member=owner,
            action=Action.JOINED,
            detail=f"{Role.OWNER},created",
        )
    return blog
