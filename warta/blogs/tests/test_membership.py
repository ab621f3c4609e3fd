"""Joining, leaving and invitations, on the blog's own host."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from warta.blogs.models import Invitation, Membership


@pytest.fixture
def make_verified_user(make_user):
    """A reader whose sign-in address is confirmed, as allauth records it after the link."""

    def make(email, **fields):
        user = make_user(email, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


def test_a_reader_joins_an_open_blog_and_leaves_it(client, make_blog, make_user):
    blog = make_blog(membership_open=True)
    user = make_user()
    client.force_login(user)
    host = f"{blog.slug}.localhost"
    response = client.post("/join", {"next": "/2016/12/x.html#respond"}, HTTP_HOST=host)
    assert response.status_code == 302 and response["Location"] == "/2016/12/x.html#respond"
    assert blog.role_of(user) == Membership.Role.MEMBER
    client.post("/join", HTTP_HOST=host)
    assert blog.memberships.count() == 1
    assert client.post("/leave", HTTP_HOST=host).status_code == 200
    assert not blog.is_member(user)


def test_joining_a_blog_by_invitation_only_is_refused(client, make_blog, make_user):
    blog = make_blog(membership_open=False, language="en")
    client.force_login(make_user())
    response = client.post("/join", HTTP_HOST=f"{blog.slug}.localhost")
    assert response.status_code == 403
    assert "by invitation" in response.content.decode()
    assert not blog.memberships.exists()


def test_join_never_redirects_to_another_site(client, make_blog, make_user):
    blog = make_blog()
    client.force_login(make_user())
    response = client.post(
        "/join", {"next": "https://evil.example/"}, HTTP_HOST=f"{blog.slug}.localhost"
    )
    assert response["Location"] == "/"


def test_the_only_owner_cannot_leave(client, make_blog, make_member):
    blog = make_blog()
    owner = make_member(blog, role="owner")
    client.force_login(owner)
    assert client.post("/leave", HTTP_HOST=f"{blog.slug}.localhost").status_code == 403
    assert blog.is_member(owner)


def test_an_admin_invites_and_the_invited_reader_accepts(
    client, make_blog, make_member, make_verified_user
):
    blog = make_blog(membership_open=False)
    admin = make_member(blog, role="admin")
    host = f"{blog.slug}.localhost"
    client.force_login(admin)
    response = client.post(
        "/desk/members/", {"email": "Tamu@Example.com", "role": "author"}, HTTP_HOST=host
    )
    invitation = Invitation.objects.get()
    assert invitation.email == "tamu@example.com"
    assert invitation.get_absolute_url() in response.content.decode()
    client.logout()
    page = client.get(invitation.get_absolute_url(), HTTP_HOST=host)
    assert "/accounts/login/?next=" in page.content.decode()
    guest = make_verified_user("tamu@example.com")
    client.force_login(guest)
    client.post(invitation.get_absolute_url(), HTTP_HOST=host)
    assert blog.role_of(guest) == Membership.Role.AUTHOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == guest
    again = client.post(invitation.get_absolute_url(), HTTP_HOST=host)
    assert again.status_code == 410


@pytest.fixture
def invitation(make_blog, make_member):
    blog = make_blog(membership_open=False, language="en")
    return Invitation.objects.create(
        blog=blog, email="tamu@example.com", role="admin", invited_by=make_member(blog, "owner")
    )


def test_another_account_holding_the_link_is_refused_and_the_invitation_waits(
    client, invitation, make_verified_user
):
    blog, host = invitation.blog, f"{invitation.blog.slug}.localhost"
    client.force_login(make_verified_user("penerus@example.com"))
    page = client.get(invitation.get_absolute_url(), HTTP_HOST=host).content.decode()
    assert "This invitation was sent to tamu@example.com" in page
    assert "Accept the invitation" not in page
    response = client.post(invitation.get_absolute_url(), HTTP_HOST=host)
    assert response.status_code == 403
    assert "This invitation was sent to tamu@example.com" in response.content.decode()
    assert blog.memberships.filter(role="admin").count() == 0
    invitation.refresh_from_db()
    assert invitation.is_usable and invitation.accepted_by is None

    invited = make_verified_user("tamu@example.com")
    client.force_login(invited)
    page = client.get(invitation.get_absolute_url(), HTTP_HOST=host).content.decode()
    assert "Accept the invitation" in page
    assert client.post(invitation.get_absolute_url(), HTTP_HOST=host).status_code == 302
    assert blog.role_of(invited) == Membership.Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited


def test_the_invited_address_must_be_confirmed(client, invitation, make_user):
    """An account may claim any address at sign-up: only a confirmed one counts."""
    claimer = make_user("tamu@example.com")
    EmailAddress.objects.create(user=claimer, email="tamu@example.com", verified=False)
    client.force_login(claimer)
    host = f"{invitation.blog.slug}.localhost"
    assert client.post(invitation.get_absolute_url(), HTTP_HOST=host).status_code == 403
    assert not invitation.blog.is_member(claimer)
    EmailAddress.objects.filter(user=claimer).update(verified=True)
    assert client.post(invitation.get_absolute_url(), HTTP_HOST=host).status_code == 302
    assert invitation.blog.role_of(claimer) == Membership.Role.ADMIN


def test_a_confirmed_second_address_of_the_account_is_enough(
    client, invitation, make_verified_user
):
    reader = make_verified_user("kantor@example.com")
    EmailAddress.objects.create(user=reader, email="Tamu@Example.com", verified=True)
    client.force_login(reader)
    host = f"{invitation.blog.slug}.localhost"
    assert client.post(invitation.get_absolute_url(), HTTP_HOST=host).status_code == 302
    assert invitation.blog.role_of(reader) == Membership.Role.ADMIN


def test_a_signed_out_visitor_is_told_which_address_to_sign_in_with(client, invitation):
    page = client.get(invitation.get_absolute_url(), HTTP_HOST=f"{invitation.blog.slug}.localhost")
    html = page.content.decode()
    assert page.status_code == 200
    assert "This invitation is for tamu@example.com." in html
    assert f"/accounts/login/?next={invitation.get_absolute_url()}" in html
    assert "/accounts/signup/?email=tamu%40example.com&amp;next=" in html


def test_the_service_refuses_another_account(invitation, make_verified_user):
    from warta.blogs import services

    with pytest.raises(services.InvitationNotForYou):
        services.accept_invitation(
            invitation=invitation, user=make_verified_user("lain@example.com")
        )
    assert Invitation.objects.usable().filter(pk=invitation.pk).exists()


def test_an_expired_invitation_is_refused(client, make_blog, make_user):
    blog = make_blog()
    invitation = Invitation.objects.create(
        blog=blog, email="a@example.com", expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    client.force_login(make_user())
    response = client.post(invitation.get_absolute_url(), HTTP_HOST=f"{blog.slug}.localhost")
    assert response.status_code == 410
    assert not blog.memberships.exists()


@pytest.mark.parametrize(("role", "allowed"), [("owner", True), ("admin", True), ("editor", False)])
def test_only_owners_and_admins_invite(client, make_blog, make_member, role, allowed):
    blog = make_blog()
    client.force_login(make_member(blog, role=role))
    response = client.get("/desk/members/", HTTP_HOST=f"{blog.slug}.localhost")
    assert response.status_code == (200 if allowed else 403)
