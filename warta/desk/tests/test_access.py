"""Who may open the desk of the blog the Host header names: the blog's writers (owner, admin,
editor, author) and superusers. A signed-out visitor is sent to sign in and brought back; a
plain member, a reader or a writer of another blog is refused."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from warta.comments.models import Comment

HOST = "kabar.localhost"
DESK_PAGES = ["/desk/", "/desk/comments/"]
WRITERS = ["owner", "admin", "editor", "author"]


@pytest.fixture
def waiting(blog, make_post, make_comment):
    return make_comment(make_post(blog), body="Menunggu moderasi", status="pending")


@pytest.mark.parametrize("path", [*DESK_PAGES, "/desk/members/", "/desk/comments/?status=spam"])
def test_a_signed_out_visitor_is_sent_to_sign_in_and_brought_back(client, blog, path):
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query) == {"next": [path]}


def test_a_signed_out_visitor_cannot_moderate(client, waiting):
    response = client.post(
        "/desk/comments/", {"action": "approved", "ids": [waiting.pk]}, HTTP_HOST=HOST
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING


@pytest.mark.parametrize("role", WRITERS)
def test_the_blogs_writers_open_the_queue(client, blog, make_member, waiting, role):
    writer = make_member(blog, role=role)
    waiting.post.author = writer  # an author's queue holds the comments on their own posts
    waiting.post.save()
    client.force_login(writer)
    response = client.get("/desk/comments/", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "Menunggu moderasi" in response.content.decode()


@pytest.mark.parametrize("role", WRITERS)
def test_the_desk_home_is_the_writers_posts_with_new_post_first(client, blog, make_member, role):
    client.force_login(make_member(blog, role=role))
    response = client.get("/desk/", HTTP_HOST=HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/desk/posts/new/"' in html
    assert html.index('href="/desk/posts/new/"') < html.index('class="desk-tabs"')
    assert 'href="/desk/comments/"' in html  # the queue is one click away


@pytest.mark.parametrize("role", ["member", None])
@pytest.mark.parametrize("path", DESK_PAGES)
def test_a_member_or_a_reader_is_refused(client, blog, make_member, make_user, role, path):
    client.force_login(make_member(blog, role=role) if role else make_user())
    assert client.get(path, HTTP_HOST=HOST).status_code == 403


@pytest.mark.parametrize("role", WRITERS)
def test_a_writer_of_another_blog_is_refused(client, blog, make_blog, make_member, waiting, role):
    client.force_login(make_member(make_blog("lain"), role=role))
    for path in DESK_PAGES:
        assert client.get(path, HTTP_HOST=HOST).status_code == 403, path
    response = client.post(
        "/desk/comments/", {"action": "approved", "ids": [waiting.pk]}, HTTP_HOST=HOST
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING


def test_a_superuser_opens_every_blogs_desk_without_a_membership(client, blog, make_user, waiting):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    html = client.get("/desk/comments/", HTTP_HOST=HOST).content.decode()
    assert "Menunggu moderasi" in html
    assert client.get("/desk/members/", HTTP_HOST=HOST).status_code == 200


def test_there_is_no_desk_on_a_host_without_a_blog(client, settings, blog, make_member):
    settings.WARTA_DEFAULT_BLOG = "belum-ada"
    client.force_login(make_member(blog, role="owner"))
    for path in [*DESK_PAGES, "/desk/members/"]:
        assert client.get(path, HTTP_HOST="localhost").status_code == 404, path


def test_a_moderation_without_the_forms_csrf_token_is_refused(blog, make_member, waiting):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_member(blog, role="editor"))
    response = browser.post(
        "/desk/comments/", {"action": "approved", "ids": [waiting.pk]}, HTTP_HOST=HOST
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("role", "sees_members"),
    [("owner", True), ("admin", True), ("editor", False), ("author", False)],
)
def test_the_desk_menu_offers_members_to_owners_and_admins_only(
    client, blog, make_member, role, sees_members
):
    client.force_login(make_member(blog, role=role))
    html = client.get("/desk/comments/", HTTP_HOST=HOST).content.decode()
    assert 'href="/desk/comments/"' in html
    assert ('href="/desk/members/"' in html) is sees_members
