"""The blog's settings in the desk, for its owners and admins: each section saves each of
its fields, a form with an error stores nothing and shows every typed value again beside
its message, other roles are refused, and readers see a change at once."""

import lxml.html
import pytest

from warta.blogs.models import Blog

HOST = "meja.localhost"


@pytest.fixture
def newsroom(make_blog, make_member):
    blog = make_blog("meja", title="Meja Redaksi", language="en")
    people = {
        role: make_member(blog, role=role, email=f"{role}@meja.example")
        for role in ("owner", "admin", "editor", "author", "member")
    }
    return blog, people


@pytest.fixture
def owner_client(client, newsroom):
    client.force_login(newsroom[1]["owner"])
    return client


def post(client, path, data):
    return client.post(path, data, HTTP_HOST=HOST)


def fields_of(response):
    """Each field's value as the page shows it: inputs, text areas, checked boxes, selected
    options and radios."""
    page = lxml.html.fromstring(response.content)
    form = page.xpath("//form[contains(@class, 'settings-form')]")[0]
    # A browser drops the new line Django writes after <textarea>; lxml keeps it.
    return {
        name: value.removeprefix("\n") if isinstance(value, str) else value
        for name, value in form.fields.items()
    }


def errors_of(response):
    page = lxml.html.fromstring(response.content)
    return {
        field.get("class").split()[1].removeprefix("field-"): [
            error.text_content() for error in field.xpath(".//strong[@class='error']")
        ]
        for field in page.xpath("//*[contains(@class, 'has-errors')]")
    }


GENERAL = {
    "title": "Meja Baru",
    "tagline": "Kabar dari meja redaksi",
    "description": "Berita harian dari Jakarta.",
    "language": "id",
    "time_zone": "Asia/Makassar",
    "posts_per_page": "7",
    "feed_content": "summary",
}
COMMENTS = {
    "comment_policy": "signed_in",
    "moderation": "older_than",
    "moderation_delay_days": "30",
    "comment_blocklist": "judi\nspam@example.com",
    "show_pingbacks": "",
}
SECTIONS = [
    ("/desk/settings/", GENERAL),
    ("/desk/settings/comments/", COMMENTS),
    ("/desk/settings/membership/", {"membership_open": "False"}),
    ("/desk/settings/domain/", {"custom_domain": "kabarkita.id"}),
    ("/desk/appearance/", {"theme": "koran", "accent_color": "#b3261e", "custom_css": "a{}"}),
]
SAVED_AS = {
    "show_pingbacks": False,
    "membership_open": False,
    "posts_per_page": 7,
    "moderation_delay_days": 30,
}


@pytest.mark.parametrize(("path", "data"), SECTIONS)
def test_each_field_of_a_section_is_saved(owner_client, newsroom, path, data):
    blog = newsroom[0]
    response = post(owner_client, path, data)
    assert response.status_code == 302, errors_of(response)
    blog.refresh_from_db()
    for name, value in data.items():
        assert getattr(blog, name) == SAVED_AS.get(name, value), name


def test_a_saved_section_leaves_the_other_fields_alone(owner_client, newsroom):
    blog = newsroom[0]
    Blog.objects.filter(pk=blog.pk).update(comment_policy="closed")
    post(owner_client, "/desk/settings/", GENERAL)
    blog.refresh_from_db()
    assert blog.comment_policy == "closed"
    assert blog.title == "Meja Baru"


def test_saving_replaces_the_generation_once_and_never_goes_back(owner_client, newsroom):
    blog = newsroom[0]
    before = Blog.objects.get(pk=blog.pk).generation
    post(owner_client, "/desk/settings/comments/", COMMENTS)
    assert Blog.objects.get(pk=blog.pk).generation > before


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        ("/desk/settings/", {**GENERAL, "posts_per_page": "0"}, "posts_per_page", "greater"),
        ("/desk/settings/", {**GENERAL, "title": ""}, "title", "required"),
        ("/desk/settings/", {**GENERAL, "time_zone": "Mars/Olympus"}, "time_zone", "valid"),
        (
            "/desk/settings/comments/",
            {**COMMENTS, "moderation_delay_days": "-3"},
            "moderation_delay_days",
            "greater",
        ),
        (
            "/desk/settings/domain/",
            {"custom_domain": "https://kabar kita/"},
            "custom_domain",
            "domain name",
        ),
        (
            "/desk/settings/domain/",
            {"custom_domain": "lain.localhost"},
            "custom_domain",
            "this server",
        ),
        (
            "/desk/appearance/",
            {"theme": "ringkas", "accent_color": "merah", "custom_css": "a{color:red}"},
            "accent_color",
            "six hexadecimal",
        ),
        (
            "/desk/appearance/",
            {"theme": "ringkas", "accent_color": "#123456", "custom_css": "@import url(x.css);"},
            "custom_css",
            "@import",
        ),
    ],
)
def test_an_error_stores_nothing_and_keeps_every_typed_value(
    owner_client, newsroom, path, data, field, message
):
    blog = newsroom[0]
    stored = Blog.objects.filter(pk=blog.pk).values().get()
    response = post(owner_client, path, data)
    assert response.status_code == 400
    errors = errors_of(response)
    assert list(errors) == [field]
    assert message in errors[field][0]
    shown = fields_of(response)
    for name, value in data.items():
        if name == "time_zone" and name == field:
            continue  # a zone that does not exist is not among the options to show
        assert (shown.get(name) or "") == value, name
    assert Blog.objects.filter(pk=blog.pk).values().get() == stored


def test_errors_come_in_the_blogs_language(owner_client, newsroom):
    Blog.objects.filter(pk=newsroom[0].pk).update(language="id")
    response = post(owner_client, "/desk/settings/", {**GENERAL, "posts_per_page": "99"})
    assert response.status_code == 400
    assert "Pastikan" in errors_of(response)["posts_per_page"][0]


def test_a_domain_already_used_by_another_blog_is_refused(owner_client, newsroom, make_blog):
    make_blog("lain", custom_domain="kabarkita.id")
    response = post(owner_client, "/desk/settings/domain/", {"custom_domain": "www.KabarKita.id"})
    assert response.status_code == 400
    assert "already exists" in errors_of(response)["custom_domain"][0]


def test_a_domain_is_stored_as_the_bare_name(owner_client, newsroom):
    post(owner_client, "/desk/settings/domain/", {"custom_domain": "WWW.KabarKita.ID."})
    assert Blog.objects.get(pk=newsroom[0].pk).custom_domain == "kabarkita.id"


PAGES = [
    "/desk/settings/",
    "/desk/settings/comments/",
    "/desk/settings/membership/",
    "/desk/settings/domain/",
    "/desk/settings/pictures/",
    "/desk/appearance/",
    "/desk/appearance/menu/",
]


@pytest.mark.parametrize("role", ["owner", "admin"])
@pytest.mark.parametrize("path", PAGES)
def test_owners_and_admins_open_every_section(client, newsroom, role, path):
    client.force_login(newsroom[1][role])
    assert client.get(path, HTTP_HOST=HOST).status_code == 200


@pytest.mark.parametrize("role", ["editor", "author", "member"])
@pytest.mark.parametrize(("path", "data"), SECTIONS)
def test_other_roles_are_refused_and_nothing_changes(client, newsroom, role, path, data):
    blog = newsroom[0]
    client.force_login(newsroom[1][role])
    stored = Blog.objects.filter(pk=blog.pk).values().get()
    assert client.get(path, HTTP_HOST=HOST).status_code == 403
    assert post(client, path, data).status_code == 403
    assert Blog.objects.filter(pk=blog.pk).values().get() == stored


def test_the_owner_of_another_blog_is_refused(client, newsroom, make_blog, make_member):
    client.force_login(make_member(make_blog("lain"), role="owner"))
    assert post(client, "/desk/settings/comments/", COMMENTS).status_code == 403
    assert Blog.objects.get(pk=newsroom[0].pk).comment_policy == "members"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, newsroom):
    response = client.get("/desk/settings/", HTTP_HOST=HOST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_readers_see_a_new_title_on_a_page_cached_before(owner_client, newsroom, make_post):
    from django.test import Client

    post_ = make_post(newsroom[0])
    reader = Client()
    assert "Meja Redaksi" in reader.get(post_.path, HTTP_HOST=HOST).text  # now in the cache
    post(owner_client, "/desk/settings/", GENERAL)
    assert "Meja Baru" in reader.get(post_.path, HTTP_HOST=HOST).text


def test_the_show_pingbacks_box_is_on_for_a_new_blog(owner_client, newsroom):
    assert newsroom[0].show_pingbacks is True
    shown = fields_of(owner_client.get("/desk/settings/comments/", HTTP_HOST=HOST))
    assert shown["show_pingbacks"] == "on"  # checked
