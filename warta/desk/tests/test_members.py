"""The desk's members page, for the blog's owners and admins: who belongs to the blog and in
which role, the invitations still open, and a form that makes a new one and shows the link to
send. The role of owner is never handed out by invitation."""

import datetime
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.utils import timezone

from warta.blogs.models import Invitation

HOST = "meja.localhost"
MEMBERS = "/desk/members/"


@pytest.fixture
def newsroom(make_blog, make_member):
    blog = make_blog("meja", title="Meja Redaksi", language="en")
    return blog, {
        role: make_member(blog, role=role, email=f"{role}@meja.example", display_name=name)
        for role, name in [
            ("owner", "Olivia Owner"),
            ("admin", "Adi Admin"),
            ("editor", "Eka Editor"),
            ("author", "Andi Author"),
            ("member", "Mira Member"),
        ]
    }


def members_table(html):
    page = lxml.html.fromstring(html)
    (listing,) = page.xpath("//ul[contains(@class, 'desk-members')]")
    return [
        [
            item.xpath(f".//*[@class='member-{part}']")[0].text_content()
            for part in ("name", "email", "role")
        ]
        for item in listing.xpath("./li")
    ]


def invite(client, **data):
    data.setdefault("role", "author")
    return client.post(MEMBERS, data, HTTP_HOST=HOST)


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_open_the_members_page(client, newsroom, role):
    _blog, people = newsroom
    client.force_login(people[role])
    assert client.get(MEMBERS, HTTP_HOST=HOST).status_code == 200


@pytest.mark.parametrize("role", ["editor", "author", "member"])
def test_other_members_are_refused_the_members_page(client, newsroom, role):
    _blog, people = newsroom
    client.force_login(people[role])
    assert client.get(MEMBERS, HTTP_HOST=HOST).status_code == 403
    assert invite(client, email="tamu@example.com").status_code == 403
    assert not Invitation.objects.exists()


def test_the_owner_of_another_blog_is_refused_the_members_page(
    client, newsroom, make_blog, make_member
):
    client.force_login(make_member(make_blog("lain"), role="owner"))
    assert client.get(MEMBERS, HTTP_HOST=HOST).status_code == 403
    assert invite(client, email="tamu@example.com", role="admin").status_code == 403
    assert not Invitation.objects.exists()


def test_the_page_lists_the_blogs_members_with_their_roles(
    client, newsroom, make_blog, make_member
):
    _blog, people = newsroom
    make_member(make_blog("lain"), role="editor", display_name="Lain Orang")
    client.force_login(people["admin"])
    table = members_table(client.get(MEMBERS, HTTP_HOST=HOST).content)
    assert sorted(table) == sorted(
        [
            ["Olivia Owner", "owner@meja.example", "Owner"],
            ["Adi Admin", "admin@meja.example", "Administrator"],
            ["Eka Editor", "editor@meja.example", "Editor"],
            ["Andi Author", "author@meja.example", "Author"],
            ["Mira Member", "member@meja.example", "Member"],
        ]
    )


def test_an_invitation_made_there_shows_the_link_to_send(client, newsroom):
    blog, people = newsroom
    client.force_login(people["admin"])
    response = invite(client, email=" Tamu@Example.com ", role="editor")
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert (invitation.blog, invitation.email, invitation.role) == (
        blog,
        "tamu@example.com",
        "editor",
    )
    assert invitation.invited_by == people["admin"]
    page = lxml.html.fromstring(response.content)
    (link,) = page.xpath("//p[contains(@class, 'invitation-link')]/code")
    assert link.text == f"http://meja.localhost/invite/{invitation.token}"
    assert urlsplit(link.text).path == invitation.get_absolute_url()


def test_open_invitations_are_listed_and_used_or_expired_ones_are_not(client, newsroom, make_user):
    blog, people = newsroom
    owner = people["owner"]
    Invitation.objects.create(blog=blog, email="open@example.com", role="author", invited_by=owner)
    Invitation.objects.create(
        blog=blog,
        email="used@example.com",
        invited_by=owner,
        accepted_at=timezone.now(),
        accepted_by=make_user(),
    )
    Invitation.objects.create(
        blog=blog,
        email="late@example.com",
        invited_by=owner,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    client.force_login(owner)
    html = client.get(MEMBERS, HTTP_HOST=HOST).content.decode()
    assert "open@example.com · Author" in html
    assert "used@example.com" not in html and "late@example.com" not in html


@pytest.mark.parametrize(
    "data",
    [
        {"email": "tamu@example.com", "role": "owner"},  # owners are made, not invited
        {"email": "bukan-alamat", "role": "author"},
        {"email": "tamu@example.com", "role": "chief"},
    ],
)
def test_an_invalid_invitation_is_refused_with_the_form_again(client, newsroom, data):
    _blog, people = newsroom
    client.force_login(people["owner"])
    response = client.post(MEMBERS, data, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//strong[@class='error']")
    assert not page.xpath("//p[contains(@class, 'invitation-link')]")


def test_the_role_menu_offers_every_role_but_owner(client, newsroom):
    _blog, people = newsroom
    client.force_login(people["admin"])
    page = lxml.html.fromstring(client.get(MEMBERS, HTTP_HOST=HOST).content)
    assert page.xpath("//form[@class='desk-invite']//select[@name='role']/option/@value") == [
        "admin",
        "editor",
        "author",
        "member",
    ]
