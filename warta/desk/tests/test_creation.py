"""A new blog from the desk (/desk/new-blog/), as ``WARTA_BLOG_CREATION`` allows: the
creator owns it and is sent, signed in by a one-time link, to its desk on its own host."""

from urllib.parse import urlsplit

import lxml.html
import pytest

from warta.blogs.models import Activity, Blog

NEW = "/desk/new-blog/"
FIELDS = {"title": "Kabar Timur", "slug": "timur", "language": "id", "time_zone": "Asia/Makassar"}


@pytest.fixture
def home_blog(make_blog):
    return make_blog("rumah", title="Rumah", language="en")


def test_a_staff_member_creates_a_blog_and_lands_in_its_desk(client, home_blog, make_member):
    creator = make_member(home_blog, role="author", is_staff=True)
    client.force_login(creator)
    assert client.get(NEW, HTTP_HOST="rumah.localhost").status_code == 200
    response = client.post(NEW, FIELDS, HTTP_HOST="rumah.localhost")
    blog = Blog.objects.get(slug="timur")
    assert (blog.title, blog.language, blog.time_zone) == ("Kabar Timur", "id", "Asia/Makassar")
    assert blog.role_of(creator) == "owner"
    assert blog.activities.get().action == Activity.Action.JOINED
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.netloc == "timur.localhost" and target.path.startswith("/desk/welcome/")

    client.logout()
    landed = client.get(target.path, HTTP_HOST="timur.localhost", follow=True)
    assert landed.redirect_chain[-1][0] == "/desk/"
    assert landed.status_code == 200
    assert landed.wsgi_request.user == creator


def test_the_bare_domain_serves_the_page_too(client, home_blog, make_user):
    client.force_login(make_user(is_staff=True))
    assert client.get(NEW, HTTP_HOST="localhost").status_code == 200


@pytest.mark.parametrize(
    ("policy", "staff", "status"),
    [("staff", False, 403), ("none", True, 403), ("anyone", False, 302)],
)
def test_the_operator_decides_who_creates_blogs(
    client, settings, home_blog, make_user, policy, staff, status
):
    settings.WARTA_BLOG_CREATION = policy
    client.force_login(make_user(is_staff=staff))
    response = client.post(NEW, FIELDS, HTTP_HOST="rumah.localhost")
    assert response.status_code == status
    assert Blog.objects.filter(slug="timur").exists() is (status == 302)


def test_a_signed_out_visitor_is_sent_to_sign_in(client, home_blog):
    response = client.get(NEW, HTTP_HOST="rumah.localhost")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"slug": "rumah"}, "slug"),  # taken
        ({"slug": "Bukan Alamat"}, "slug"),
        ({"slug": "www"}, "slug"),
        ({"time_zone": "Asia/Atlantis"}, "time_zone"),
        ({"title": ""}, "title"),
        ({"language": "fr"}, "language"),
    ],
)
def test_bad_input_is_refused_with_the_form_kept(client, home_blog, make_user, fields, field):
    client.force_login(make_user(is_staff=True))
    data = {**FIELDS, **fields}
    response = client.post(NEW, data, HTTP_HOST="rumah.localhost")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.xpath(f"//p[contains(@class,'field-{field}')]//strong[@class='error']")
    assert page.xpath("//input[@name='title']/@value") == ([data["title"]] if data["title"] else [])
    assert Blog.objects.count() == 1


def test_the_membership_page_links_to_it_only_when_allowed(
    client, settings, home_blog, make_member
):
    member = make_member(home_blog, role="member")
    client.force_login(member)
    settings.WARTA_BLOG_CREATION = "staff"
    assert NEW not in client.get("/desk/membership/", HTTP_HOST="rumah.localhost").text
    settings.WARTA_BLOG_CREATION = "anyone"
    assert NEW in client.get("/desk/membership/", HTTP_HOST="rumah.localhost").text


def test_on_a_fresh_install_the_bare_domain_makes_the_first_blog(client, make_user):
    client.force_login(make_user(is_staff=True))
    assert client.get(NEW, HTTP_HOST="localhost").status_code == 200
    response = client.post(NEW, FIELDS, HTTP_HOST="localhost")
    assert urlsplit(response["Location"]).netloc == "timur.localhost"
    assert Blog.objects.get().slug == "timur"
