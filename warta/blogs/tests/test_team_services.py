"""The rules of a blog's team, as the services hold them: who may change whom, what an
invitation allows, how ownership moves, and the activity entry each change leaves."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone, translation

from warta.blogs import services
from warta.blogs.models import Activity, Invitation, Membership

Action = Activity.Action


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def membership(blog, user):
    return blog.memberships.get(user=user)


def actions(blog):
    return list(blog.activities.order_by("pk").values_list("action", "subject", "detail"))


@pytest.mark.parametrize("by", ["owner", "admin"])
def test_managers_change_a_role_and_it_is_logged(team, by):
    blog, people = team
    services.change_role(
        blog=blog, membership=membership(blog, people["author"]), role="editor", by=people[by]
    )
    assert blog.role_of(people["author"]) == "editor"
    entry = blog.activities.get()
    assert (entry.actor, entry.action, entry.subject, entry.detail) == (
        people[by],
        Action.ROLE_CHANGED,
        "Author <author@tim.example>",
        "author>editor",
    )


@pytest.mark.parametrize("by", ["editor", "author", "member"])
def test_role_changes_and_removals_by_non_managers_are_refused(team, by):
    blog, people = team
    target = membership(blog, people["member"] if by != "member" else people["author"])
    with pytest.raises(services.MembershipError):
        services.change_role(blog=blog, membership=target, role="admin", by=people[by])
    with pytest.raises(services.MembershipError):
        services.remove_member(blog=blog, membership=target, by=people[by])
    target.refresh_from_db()
    assert target.role in {"member", "author"}
    assert not blog.activities.exists()


def test_a_member_of_another_blog_manages_nothing_here(team, make_blog, make_member):
    blog, people = team
    stranger = make_member(make_blog("lain"), role="owner")
    with pytest.raises(services.MembershipError):
        services.remove_member(
            blog=blog, membership=membership(blog, people["member"]), by=stranger
        )
    assert blog.is_member(people["member"])


@pytest.mark.parametrize("by", ["owner", "admin"])
def test_nobody_changes_or_removes_an_owner(team, by):
    blog, people = team
    owner = membership(blog, people["owner"])
    with pytest.raises(services.MembershipError):
        services.change_role(blog=blog, membership=owner, role="member", by=people[by])
    with pytest.raises(services.MembershipError):
        services.remove_member(blog=blog, membership=owner, by=people[by])
    assert blog.role_of(people["owner"]) == "owner"


def test_nobody_is_made_owner_by_a_role_change_or_an_invitation(team):
    blog, people = team
    with pytest.raises(services.MembershipError):
        services.change_role(
            blog=blog,
            membership=membership(blog, people["admin"]),
            role="owner",
            by=people["owner"],
        )
    with pytest.raises(services.MembershipError):
        services.invite_to_blog(
            blog=blog, email="x@example.com", role="owner", invited_by=people["owner"]
        )
    assert blog.memberships.filter(role="owner").count() == 1


def test_only_an_owner_changes_or_removes_an_administrator(team, make_member):
    blog, people = team
    other_admin = make_member(blog, role="admin")
    with pytest.raises(services.MembershipError):
        services.remove_member(
            blog=blog, membership=membership(blog, other_admin), by=people["admin"]
        )
    services.change_role(
        blog=blog, membership=membership(blog, other_admin), role="editor", by=people["owner"]
    )
    assert blog.role_of(other_admin) == "editor"


def test_a_manager_removes_a_member_at_once_and_it_is_logged(team):
    blog, people = team
    services.remove_member(
        blog=blog, membership=membership(blog, people["editor"]), by=people["admin"]
    )
    assert not blog.is_member(people["editor"])
    assert actions(blog) == [(Action.REMOVED, "Editor <editor@tim.example>", "editor")]


def test_a_member_leaves_and_it_is_logged(team):
    blog, people = team
    services.leave_blog(blog=blog, user=people["author"])
    assert not blog.is_member(people["author"])
    assert actions(blog) == [(Action.LEFT, "Author <author@tim.example>", "author")]


def test_the_only_owner_cannot_leave(team):
    blog, people = team
    with pytest.raises(services.MembershipError, match="Transfer the ownership"):
        services.leave_blog(blog=blog, user=people["owner"])
    assert blog.role_of(people["owner"]) == "owner"
    assert not blog.activities.exists()


# ---------------------------------------------------------------- invitations


@pytest.fixture
def verified(make_user):
    def make(email):
        user = make_user(email)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


@pytest.mark.parametrize(
    "custom_domain, link_host, other_host",
    [
        (None, "tim.localhost", "timredaksi.id"),
        ("www.timredaksi.id", "timredaksi.id", "tim.localhost"),
    ],
)
def test_an_invitation_is_mailed_in_the_blogs_language_with_its_link_on_the_blogs_address(
    team, custom_domain, link_host, other_host
):
    blog, people = team
    blog.language = "id"
    blog.custom_domain = custom_domain
    blog.save()
    invitation = services.invite_to_blog(
        blog=blog, email=" Tamu@Example.com ", role="author", invited_by=people["admin"]
    )
    assert invitation.mail_sent
    (message,) = mail.outbox
    assert message.to == ["tamu@example.com"]
    link = f"http://{link_host}/invite/{invitation.token}"
    assert link in message.body
    assert other_host not in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and f'href="{link}"' in html
    assert actions(blog) == [(Action.INVITED, "tamu@example.com", "author")]


def test_the_invited_address_accepts_once_and_joining_is_logged(team, verified):
    blog, people = team
    invitation = services.invite_to_blog(
        blog=blog, email="tamu@example.com", role="editor", invited_by=people["owner"]
    )
    guest = verified("tamu@example.com")
    services.accept_invitation(invitation=invitation, user=guest)
    assert blog.role_of(guest) == "editor"
    with pytest.raises(services.MembershipError, match="expired or was already used"):
        services.accept_invitation(invitation=invitation, user=guest)
    assert actions(blog)[-1] == (Action.JOINED, "Tamu <tamu@example.com>", "editor")


def test_an_invitation_for_another_address_is_refused(team, verified):
    blog, people = team
    invitation = services.invite_to_blog(
        blog=blog, email="tamu@example.com", role="editor", invited_by=people["owner"]
    )
    with pytest.raises(services.InvitationNotForYou):
        services.accept_invitation(invitation=invitation, user=verified("lain@example.com"))
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_an_expired_invitation_is_refused(team, verified):
    blog, people = team
    invitation = Invitation.objects.create(
        blog=blog,
        email="tamu@example.com",
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    with pytest.raises(services.MembershipError, match="expired"):
        services.accept_invitation(invitation=invitation, user=verified("tamu@example.com"))
    assert blog.memberships.count() == 5


def test_a_revoked_invitation_stops_working_and_a_resent_one_lasts_again(team, verified):
    blog, people = team
    invitation = services.invite_to_blog(
        blog=blog, email="tamu@example.com", role="member", invited_by=people["admin"]
    )
    invitation.expires_at = timezone.now() + datetime.timedelta(hours=1)
    invitation.save()
    services.resend_invitation(invitation=invitation, by=people["admin"])
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)
    assert len(mail.outbox) == 2
    services.revoke_invitation(invitation=invitation, by=people["owner"])
    with pytest.raises(services.MembershipError):
        services.accept_invitation(invitation=invitation, user=verified("tamu@example.com"))
    assert [a[0] for a in actions(blog)] == [
        Action.INVITED,
        Action.INVITED,
        Action.INVITATION_REVOKED,
    ]
    assert actions(blog)[1][2] == "member,resent"
    assert actions(blog)[2][2] == "member"


@pytest.mark.parametrize("by", ["editor", "member"])
def test_only_managers_resend_or_revoke(team, by):
    blog, people = team
    invitation = services.invite_to_blog(
        blog=blog, email="tamu@example.com", role="member", invited_by=people["admin"]
    )
    for action in (services.resend_invitation, services.revoke_invitation):
        with pytest.raises(services.MembershipError):
            action(invitation=invitation, by=people[by])
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_a_refusing_mail_server_keeps_the_invitation(team, settings):
    blog, people = team
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    invitation = services.invite_to_blog(
        blog=blog, email="tamu@example.com", role="member", invited_by=people["admin"]
    )
    assert invitation.mail_sent is False
    assert Invitation.objects.usable().filter(pk=invitation.pk).exists()


# ---------------------------------------------------------------- ownership


def test_ownership_moves_only_when_the_new_owner_accepts(team):
    blog, people = team
    offer = services.offer_ownership(
        blog=blog, membership=membership(blog, people["editor"]), by=people["owner"]
    )
    assert blog.role_of(people["owner"]) == "owner"
    assert blog.role_of(people["editor"]) == "editor"
    assert mail.outbox[0].to == ["editor@tim.example"]
    assert offer.get_absolute_url() in mail.outbox[0].body
    services.accept_invitation(invitation=offer, user=people["editor"])
    assert blog.role_of(people["editor"]) == "owner"
    assert blog.role_of(people["owner"]) == "admin"
    assert actions(blog) == [
        (Action.OWNERSHIP_OFFERED, "Editor <editor@tim.example>", ""),
        (Action.OWNERSHIP_TRANSFERRED, "Owner <owner@tim.example>", "Editor <editor@tim.example>"),
    ]
    services.leave_blog(blog=blog, user=people["owner"])  # an administrator now: free to go
    assert not blog.is_member(people["owner"])


@pytest.mark.parametrize("by", ["admin", "editor"])
def test_only_an_owner_offers_the_ownership(team, by):
    blog, people = team
    with pytest.raises(services.MembershipError):
        services.offer_ownership(
            blog=blog, membership=membership(blog, people["author"]), by=people[by]
        )
    assert not blog.invitations.exists()


def test_someone_else_cannot_take_an_ownership_offer(team):
    blog, people = team
    offer = services.offer_ownership(
        blog=blog, membership=membership(blog, people["editor"]), by=people["owner"]
    )
    with pytest.raises(services.InvitationNotForYou):
        services.accept_invitation(invitation=offer, user=people["admin"])
    assert blog.role_of(people["owner"]) == "owner"


def test_an_offer_is_void_once_the_offerer_is_no_owner(team, make_member):
    blog, people = team
    offer = services.offer_ownership(
        blog=blog, membership=membership(blog, people["editor"]), by=people["owner"]
    )
    second = services.offer_ownership(
        blog=blog, membership=membership(blog, people["author"]), by=people["owner"]
    )
    with pytest.raises(services.MembershipError):  # the new offer withdrew the first
        services.accept_invitation(invitation=offer, user=people["editor"])
    services.accept_invitation(invitation=second, user=people["author"])
    assert blog.memberships.filter(role="owner").get().user == people["author"]


def test_a_removed_member_cannot_take_the_ownership_offered_before(team):
    blog, people = team
    offer = services.offer_ownership(
        blog=blog, membership=membership(blog, people["member"]), by=people["owner"]
    )
    services.remove_member(
        blog=blog, membership=membership(blog, people["member"]), by=people["owner"]
    )
    with pytest.raises(services.MembershipError):
        services.accept_invitation(invitation=offer, user=people["member"])
    assert blog.memberships.filter(role="owner").get().user == people["owner"]


# ---------------------------------------------------------------- new blogs


@pytest.mark.parametrize(
    ("policy", "staff", "allowed"),
    [
        ("staff", True, True),
        ("staff", False, False),
        ("anyone", False, True),
        ("none", True, False),
    ],
)
def test_who_may_create_a_blog(settings, make_user, policy, staff, allowed):
    settings.WARTA_BLOG_CREATION = policy
    assert services.may_create_blog(make_user(is_staff=staff)) is allowed


def test_the_creator_owns_the_new_blog(settings, make_user):
    settings.WARTA_BLOG_CREATION = "anyone"
    user = make_user("pendiri@example.com")
    blog = services.create_blog(
        owner=user, title="Kabar Baru", slug="baru", language="id", time_zone="Asia/Makassar"
    )
    assert blog.role_of(user) == Membership.Role.OWNER
    assert blog.activities.get().action == Action.JOINED
