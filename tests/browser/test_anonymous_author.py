"""An anonymous commenter corrects a typo and then withdraws the comment, in Chromium."""

import pytest

from warta.comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.WARTA_COMMENT_MIN_SECONDS = 0  # no waiting in tests; the rule has its own test


def test_an_anonymous_commenter_edits_then_deletes(page, blog_url, make_blog, make_post):
    blog = make_blog("terbuka", comment_policy="anyone", language="id")
    post = make_post(blog)
    page.goto(blog_url(blog, post.path))
    page.fill("#comment-name", "Rina")
    page.fill("#comment-body", "Terima ksih atas beritanya.")
    page.get_by_role("button", name="Kirim komentar").click()
    page.wait_for_load_state()
    comment = Comment.objects.get()
    page.locator(f"#{comment.anchor} a.edit").click()
    page.fill("textarea[name=body]", "Terima kasih atas beritanya.")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert "Terima kasih atas beritanya." in page.locator(f"#{comment.anchor}").inner_text()
    page.locator(f"#{comment.anchor} a.delete").click()
    page.get_by_role("button", name="Hapus", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(f"#{comment.anchor}").count() == 0
    assert page.locator(".comment-count").inner_text().startswith("0 komentar")
