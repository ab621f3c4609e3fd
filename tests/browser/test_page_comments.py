"""A static page takes comments in a real Chromium without JavaScript: an anonymous reader
writes one on a moderated blog, sees it waiting, an editor approves it in the desk's queue
(the "On pages" list) and every reader then sees it on the page."""

import pytest

from tests.browser.sessions import session_cookie
from warta.blogs.models import Membership
from warta.comments.models import PageComment
from warta.posts.models import Page, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.WARTA_COMMENT_MIN_SECONDS = 0  # no waiting in tests; the rule has its own test


def test_a_readers_comment_on_a_page_is_moderated_then_shown(
    browser, blog_url, make_blog, make_member
):
    blog = make_blog("kabar", comment_policy="anyone", moderation="always", language="id")
    about = Page.objects.create(
        blog=blog, title="Tentang kami", body="Redaksi kami.", status=Status.PUBLISHED
    )
    reader = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    try:
        page = reader.new_page()
        page.goto(blog_url(blog, about.path))
        page.get_by_label("Nama").fill("Ani")
        page.get_by_role("textbox", name="Komentar").fill("Alamat redaksinya di mana?")
        page.get_by_role("button", name="Kirim komentar").click()
        page.wait_for_url(f"**{about.path}#c*")
        assert "Komentar Anda menunggu moderasi" in page.content()
        assert PageComment.objects.get().status == "pending"
    finally:
        reader.close()

    stranger = browser.new_context(java_script_enabled=False)
    try:
        page = stranger.new_page()
        page.goto(blog_url(blog, about.path))
        assert "Alamat redaksinya di mana?" not in page.content()
    finally:
        stranger.close()

    editor = make_member(blog, Membership.Role.EDITOR)
    desk = browser.new_context(java_script_enabled=False)
    try:
        desk.add_cookies([session_cookie(editor, blog)])
        page = desk.new_page()
        page.goto(blog_url(blog, "/desk/comments/?on=pages"))
        row = page.locator("tr", has_text="Alamat redaksinya di mana?")
        row.get_by_role("button", name="Setujui").click()
        page.wait_for_load_state()
        assert PageComment.objects.get().status == "approved"
        page.goto(blog_url(blog, about.path))
        assert "Alamat redaksinya di mana?" in page.content()
    finally:
        desk.close()
