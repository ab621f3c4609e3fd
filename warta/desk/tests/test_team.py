"""The desk's team pages over HTTP, with the blog's real Host header: changing roles,
removing, resending and revoking, offering the ownership, leaving, and the activity list."""

import time

import lxml.html
import pytest
from django.core import mail

from warta.blogs import services
from warta.blogs.models import Activity, Invitation
from warta.comments.forms import form_stamp
from warta.comments.models import Comment

HOST = "tim.localhost"


def post(client, path, data=None):
    return client.post(path, data or {}, HTTP_HOST=HOST)


def comment(client, article, body):
    """The post's comment form as a member sends it, a minute after the page loaded."""
    stamp = form_stamp(blog_id=article.blog_id, post_id=article.pk, now=time.time() - 60)
    return client.post(
        f"/comments/post/{article.pk}",
        {"body": body, "stamp": stamp},
        HTTP_HOST=HOST,
        HTTP_ORIGIN=f"http://{HOST}",
    )


def pk_of(blog, user):
    return blog.memberships.get(user=user).pk


def test_an_admin_changes_a_role_from_the_members_page(client, team):
    blog, people = team
    client.force_login(people["admin"])
    response = post(
        client, f"/desk/members/{pk_of(blog, people['member'])}/role/", {"role": "author"}
    )
    assert response.status_code == 302 and response["Location"] == "/desk/members/"
    assert blog.role_of(people["member"]) == "author"
    page = client.get("/desk/members/", HTTP_HOST=HOST).content.decode()
    assert "Member is now: Author." in page


def test_a_role_taken_away_takes_the_desk_with_it_at_once(client, team):
    blog, people = team
    client.force_login(people["editor"])
    assert client.get("/desk/", HTTP_HOST=HOST).status_code == 200
    client.force_login(people["owner"])
    post(client, f"/desk/members/{pk_of(blog, people['editor'])}/role/", {"role": "member"})
    client.force_login(people["editor"])
    assert client.get("/desk/", HTTP_HOST=HOST).status_code == 403


@pytest.mark.parametrize("role", ["editor", "author", "member"])
def test_non_managers_are_refused_every_team_change(client, team, role):
    blog, people = team
    target = people["author"] if role == "member" else people["member"]
    invitation = Invitation.objects.create(blog=blog, email="tamu@example.com")
    client.force_login(people[role])
    for path, data in [
        (f"/desk/members/{pk_of(blog, target)}/role/", {"role": "admin"}),
        (f"/desk/members/{pk_of(blog, target)}/remove/", {}),
        (f"/desk/members/{pk_of(blog, target)}/ownership/", {}),
        (f"/desk/members/invitations/{invitation.pk}/resend/", {}),
        (f"/desk/members/invitations/{invitation.pk}/revoke/", {}),
    ]:
        assert post(client, path, data).status_code == 403, path
    assert client.get("/desk/members/activity/", HTTP_HOST=HOST).status_code == 403
    assert blog.role_of(target) in {"member", "author"}
    assert not blog.activities.exists()
    assert not mail.outbox


def test_an_invalid_role_is_refused_and_nothing_changes(client, team):
    blog, people = team
    client.force_login(people["owner"])
    for role in ["owner", "chief"]:
        post(client, f"/desk/members/{pk_of(blog, people['member'])}/role/", {"role": role})
    assert blog.role_of(people["member"]) == "member"
    assert not blog.activities.exists()


def test_the_owner_cannot_be_removed_and_is_told_why(client, team):
    blog, people = team
    client.force_login(people["admin"])
    response = post(client, f"/desk/members/{pk_of(blog, people['owner'])}/remove/")
    assert response.status_code == 403
    assert "ownership is transferred" in response.content.decode()
    assert blog.role_of(people["owner"]) == "owner"


def test_a_removed_member_loses_the_desk_and_members_only_commenting_at_once(
    client, team, make_post
):
    blog, people = team
    assert blog.comment_policy == "members"
    article = make_post(blog, author=people["owner"])
    client.force_login(people["author"])
    comment(client, article, "Saya anggota, ini komentar saya.")
    assert Comment.objects.filter(user=people["author"]).count() == 1
    assert client.get("/desk/", HTTP_HOST=HOST).status_code == 200
    client.force_login(people["owner"])
    post(client, f"/desk/members/{pk_of(blog, people['author'])}/remove/")
    client.force_login(people["author"])
    assert client.get("/desk/", HTTP_HOST=HOST).status_code == 403
    assert comment(client, article, "Apakah saya masih anggota?").status_code == 403
    assert Comment.objects.filter(user=people["author"]).count() == 1


def test_the_members_page_offers_changes_only_for_others_than_owners_and_oneself(client, team):
    blog, people = team
    client.force_login(people["admin"])
    page = lxml.html.fromstring(client.get("/desk/members/", HTTP_HOST=HOST).content)
    actions = set(page.xpath("//ul[contains(@class,'desk-members')]//form/@action"))
    assert f"/desk/members/{pk_of(blog, people['owner'])}/remove/" not in actions
    assert f"/desk/members/{pk_of(blog, people['admin'])}/remove/" not in actions
    assert f"/desk/members/{pk_of(blog, people['editor'])}/remove/" in actions
    assert not any(action.endswith("/ownership/") for action in actions)  # admins offer none
    client.force_login(people["owner"])
    page = lxml.html.fromstring(client.get("/desk/members/", HTTP_HOST=HOST).content)
    actions = set(page.xpath("//ul[contains(@class,'desk-members')]//form/@action"))
    assert f"/desk/members/{pk_of(blog, people['admin'])}/remove/" in actions
    assert f"/desk/members/{pk_of(blog, people['admin'])}/ownership/" in actions


def test_resend_and_revoke_from_the_members_page(client, team):
    blog, people = team
    client.force_login(people["admin"])
    post(client, "/desk/members/", {"email": "tamu@example.com", "role": "author"})
    invitation = Invitation.objects.get()
    assert post(client, f"/desk/members/invitations/{invitation.pk}/resend/").status_code == 302
    assert [m.to for m in mail.outbox] == [["tamu@example.com"], ["tamu@example.com"]]
    assert post(client, f"/desk/members/invitations/{invitation.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get(invitation.get_absolute_url(), HTTP_HOST=HOST).status_code == 410


def test_the_owner_offers_the_ownership_and_the_member_confirms_it(client, team):
    blog, people = team
    client.force_login(people["owner"])
    post(client, f"/desk/members/{pk_of(blog, people['editor'])}/ownership/")
    offer = Invitation.objects.get(role="owner")
    assert blog.role_of(people["owner"]) == "owner"
    client.force_login(people["editor"])
    page = client.get(offer.get_absolute_url(), HTTP_HOST=HOST).content.decode()
    assert "Owner offers you the ownership of this blog" in page
    assert "Accept the ownership" in page
    response = post(client, offer.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == "/desk/members/"
    assert blog.role_of(people["editor"]) == "owner"
    assert blog.role_of(people["owner"]) == "admin"


def test_another_member_opening_the_offer_gets_no_accept_button(client, team):
    blog, people = team
    client.force_login(people["owner"])
    post(client, f"/desk/members/{pk_of(blog, people['editor'])}/ownership/")
    offer = Invitation.objects.get(role="owner")
    client.force_login(people["admin"])
    assert "Accept the ownership" not in client.get(offer.get_absolute_url(), HTTP_HOST=HOST).text
    assert post(client, offer.get_absolute_url()).status_code == 403
    assert blog.role_of(people["owner"]) == "owner"


@pytest.mark.parametrize("role", ["admin", "editor", "author", "member"])
def test_every_member_leaves_from_their_membership_page(client, team, role):
    blog, people = team
    client.force_login(people[role])
    page = client.get("/desk/membership/", HTTP_HOST=HOST)
    assert page.status_code == 200 and "Leave this blog" in page.text
    assert post(client, "/desk/membership/").status_code == 302
    assert not blog.is_member(people[role])
    assert blog.activities.get().action == Activity.Action.LEFT


def test_the_only_owner_is_refused_leaving(client, team):
    blog, people = team
    client.force_login(people["owner"])
    response = post(client, "/desk/membership/")
    assert response.status_code == 403
    assert "Transfer the ownership to another member first" in response.text
    assert blog.role_of(people["owner"]) == "owner"


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_the_activity_list_shows_each_change(client, team, role):
    blog, people = team
    client.force_login(people["owner"])
    post(client, "/desk/members/", {"email": "tamu@example.com", "role": "author"})
    post(client, f"/desk/members/{pk_of(blog, people['member'])}/role/", {"role": "editor"})
    post(client, f"/desk/members/{pk_of(blog, people['author'])}/remove/")
    client.force_login(people[role])
    page = lxml.html.fromstring(client.get("/desk/members/activity/", HTTP_HOST=HOST).content)
    lines = [" ".join(li.text_content().split()) for li in page.xpath("//ol/li")]
    assert [line.split(" · ", 1)[1] for line in lines] == [
        "Owner: removed Author <author@tim.example> (Author)",
        "Owner: changed the role of Member <member@tim.example> from Member to Editor",
        "Owner: invited tamu@example.com as Author",
    ]


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("editor@tim.example", "author", "editor@tim.example is a member already, as: Editor."),
        ("tamu@example.com", "member", "An invitation to tamu@example.com is still open"),
    ],
)
def test_inviting_a_member_or_an_invited_address_again_is_refused_with_the_form_kept(
    client, team, email, role, message
):
    blog, people = team
    Invitation.objects.create(blog=blog, email="tamu@example.com", invited_by=people["owner"])
    client.force_login(people["owner"])
    response = post(client, "/desk/members/", {"email": email, "role": role})
    page = lxml.html.fromstring(response.content)
    (error,) = page.xpath("//p[contains(@class,'field-email')]/strong[@class='error']")
    assert message in error.text_content()
    assert page.xpath("//form[@class='desk-invite']//input[@name='email']/@value") == [email]
    assert Invitation.objects.count() == 1 and not mail.outbox
    assert not blog.activities.exists()


def test_a_member_may_be_invited_to_a_higher_role(client, team):
    blog, people = team
    client.force_login(people["owner"])
    post(client, "/desk/members/", {"email": "member@tim.example", "role": "editor"})
    assert Invitation.objects.get().role == "editor"


@pytest.mark.parametrize("path", ["/desk/members/", "/desk/members/activity/"])
def test_the_team_pages_cost_the_same_queries_for_5_or_40_members(client, team, make_member, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    blog, people = team
    client.force_login(people["owner"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, HTTP_HOST=HOST).status_code == 200
        return len(captured)

    def add_members(count):
        for _n in range(count):
            member = make_member(blog, role="author")
            membership = blog.memberships.get(user=member)
            services.change_role(
                blog=blog, membership=membership, role="editor", by=people["owner"]
            )

    add_members(1)
    queries()  # the first request also finds the blog and touches the session
    few = queries()
    add_members(35)
    assert queries() == few
