"""A reader on a real Chromium clicks "Older posts" from the home page of a blog with many
posts through to the last page, and sees each post once; "Newer posts" leads back."""

import pytest

from warta.posts.models import Post
from warta.syndication.tests.many import publish_many

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MANY = 64


@pytest.fixture
def newsroom(make_blog):
    blog = make_blog("kabar", title="Kabar Kita", language="id", posts_per_page=9)
    publish_many(blog, MANY, labels=lambda n: ["Semua"])
    return blog


def shown_titles(page):
    return page.locator("article.summary h2").all_inner_texts()


def test_older_posts_lead_through_every_post_once(page, blog_url, newsroom):
    page.goto(blog_url(newsroom))
    seen, pages = [], 0
    while True:
        seen += shown_titles(page)
        pages += 1
        older = page.get_by_role("link", name="Tulisan lebih lama")
        if older.count() == 0:
            break
        with page.expect_navigation():
            older.click()
        assert "/search?updated-max=" in page.url and "max-results=9" in page.url
    expected = list(
        Post.objects.filter(blog=newsroom)
        .order_by("-published_at", "-pk")
        .values_list("title", flat=True)
    )
    assert seen == expected
    assert pages == 8  # 64 posts, nine a page
    assert len(shown_titles(page)) == MANY - 7 * 9
    # And back up, page by page, by keyboard: the pager is a landmark with real links.
    newer = page.get_by_role("navigation", name="Tulisan lainnya").get_by_role(
        "link", name="Tulisan lebih baru"
    )
    newer.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert shown_titles(page) == expected[6 * 9 : 7 * 9]


def test_the_pager_fits_a_360px_phone(browser, blog_url, newsroom):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(blog_url(newsroom, "/search?max-results=9&start=18&by-date=false"))
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    for name in ("Tulisan lebih lama", "Tulisan lebih baru"):
        box = phone.get_by_role("link", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    context.close()
