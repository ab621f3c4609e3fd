"""Joining, leaving and invitations, on the blog's own host."""

import datetime

import pytest
from django.utils import timezone

from warta.blogs.models import Invitation, Membership


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


def test_an_admin_invites_and_the_invited_reader_accepts(client, make_blog, make_member, make_user):
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
    guest = make_user("tamu@example.com")
    client.force_login(guest)
    client.post(invitation.get_absolute_url(), HTTP_HOST=host)
    assert blog.role_of(guest) == Membership.Role.AUTHOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == guest
    again = client.post(invitation.get_absolute_url(), HTTP_HOST=host)
    assert again.status_code == 410


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
