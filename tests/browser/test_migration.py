"""A blog owner on a real Chromium downloads the whole blog from the desk, then imports it."""

import json

import pytest
from django.core.management import call_command

from warta.blogs.models import Membership
from warta.posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, client, user, blog):
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": f"{blog.slug}.localhost",
                "path": "/",
            }
        ]
    )


def test_an_owner_downloads_the_blog_and_it_imports_into_a_new_blog(
    page, blog_url, client, make_blog, make_member, make_post, make_comment, tmp_path
):
    blog = make_blog("kabar", title="Kabar Kita")
    first = make_post(blog, title="Banjir di Demak", labels=["Nasional"])
    make_comment(first, author_name="Ani", body="Semoga cepat surut.")
    make_post(blog, title="Harga cabai turun")
    signed_in(page, client, make_member(blog, Membership.Role.OWNER), blog)

    page.goto(blog_url(blog, "/desk/export/"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Warta (JSON Lines)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("kabar-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    records = [json.loads(line) for line in saved.read_text("utf-8").splitlines()]
    assert {r["title"] for r in records if r.get("type") == "post"} == {
        "Banjir di Demak",
        "Harga cabai turun",
    }
    call_command("import", "json", str(saved), "--blog", "salinan")
    copy = Post.objects.get(blog__slug="salinan", title="Banjir di Demak")
    assert copy.path == first.path
    page.goto(blog_url(copy.blog, copy.path))
    assert page.get_by_text("Semoga cepat surut.").is_visible()


def test_a_member_who_is_not_an_owner_cannot_open_the_export_page(
    page, blog_url, client, make_blog, make_member
):
    blog = make_blog("kabar")
    signed_in(page, client, make_member(blog, Membership.Role.AUTHOR), blog)
    response = page.goto(blog_url(blog, "/desk/export/"))
    assert response.status == 403
