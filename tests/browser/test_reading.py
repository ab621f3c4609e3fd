"""A reader on a real Chromium: the home page, an article with every part, share links, phones."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest

from warta.posts.models import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "'Kami tidak bisa meninggalkan kota ini,' kata seorang warga"


@pytest.fixture
def article(make_blog, make_user, make_post, make_comment):
    blog = make_blog(
        "kabar",
        title="Kabar Kita",
        tagline="Berita dan informasi dari sudut pandang warga",
        comment_policy="members",
    )
    author = make_user(display_name="Laras Wicaksono", bio="Redaktur berita luar negeri.")
    image = Image.objects.create(
        blog=blog, remote_url="data:image/gif;base64,R0lGODlhAQABAAAAACw=", width=960, height=540
    )
    make_post(
        blog,
        title="Berita kemarin",
        published_at=datetime.datetime(2016, 12, 3, tzinfo=datetime.UTC),
    )
    return make_post(
        blog,
        title=HEADLINE,
        kicker="Suriah",
        author=author,
        lead_image=image,
        lead_caption="Sekelompok warga di tepi jalan",
        lead_credit="Reuters",
        body='Paragraf pertama, Minggu (4/12).\n\n> "Kami bertahan," ujarnya.',
        source_name="Reuters",
        published_at=datetime.datetime(2016, 12, 4, 6, tzinfo=datetime.UTC),
        labels=["Timur Tengah"],
    )


def test_home_page_lists_posts(page, blog_url, article):
    page.goto(blog_url(article.blog))
    titles = page.locator("article.summary h2").all_inner_texts()
    assert titles == [HEADLINE, "Berita kemarin"]
    assert page.title() == "Kabar Kita"


def test_article_shows_every_part(page, blog_url, article):
    page.goto(blog_url(article.blog))
    page.get_by_role("link", name=HEADLINE).click()
    page.wait_for_url(f"**{article.path}")
    assert page.locator("h1.headline").inner_text() == HEADLINE
    assert page.locator(".kicker").inner_text().strip().lower() == "suriah"
    assert "Sekelompok warga di tepi jalan" in page.locator("figure.lead figcaption").inner_text()
    assert page.locator(".body blockquote").inner_text().strip() == '"Kami bertahan," ujarnya.'
    assert page.locator(".source").inner_text().endswith("(Reuters)")
    assert page.locator("time").first.inner_text() == "Minggu, 4 Desember 2016"
    assert (
        page.locator("p.labels").get_by_role("link", name="Timur Tengah").get_attribute("href")
        == "/search/label/Timur%20Tengah"
    )
    author_box = page.locator(".author-box")
    assert "Laras Wicaksono" in author_box.inner_text()
    assert "Redaktur berita luar negeri." in author_box.inner_text()
    assert "Berita dan informasi dari sudut pandang warga" in author_box.inner_text()
    assert page.locator(".comment-count").inner_text().startswith("0 komentar")
    assert (
        page.locator(".policy-note").inner_text()
        == "Catatan: Hanya anggota blog ini yang dapat berkomentar."
    )
    assert HEADLINE in page.title()
    sign_in = page.locator(".account-nav").get_by_role("link", name="Masuk", exact=True)
    assert sign_in.get_attribute("href") == f"/accounts/login/?next={article.path}"


def test_share_links_carry_the_url_and_title(page, blog_url, article):
    url = blog_url(article.blog, article.path)
    page.goto(url)
    share = page.locator("nav.share")
    hrefs = {
        name: share.locator(f".share-{name}").get_attribute("href")
        for name in ["whatsapp", "facebook", "x", "telegram", "email", "copy"]
    }
    assert parse_qs(urlparse(hrefs["whatsapp"]).query)["text"] == [f"{HEADLINE} {url}"]
    assert parse_qs(urlparse(hrefs["facebook"]).query)["u"] == [url]
    assert parse_qs(urlparse(hrefs["x"]).query) == {"text": [HEADLINE], "url": [url]}
    assert parse_qs(urlparse(hrefs["telegram"]).query)["url"] == [url]
    assert hrefs["email"].startswith("mailto:?subject=")
    assert hrefs["copy"] == url
    scripts = page.locator("script[src]").evaluate_all("els => els.map(e => e.src)")
    assert all(src.startswith(blog_url(article.blog, "/")) for src in scripts)


def test_page_is_usable_on_a_360px_phone(browser, blog_url, article):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(blog_url(article.blog, article.path))
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    headline = phone.locator("h1.headline").bounding_box()
    assert headline["width"] <= 360
    share = phone.locator(".share-whatsapp").bounding_box()
    assert share["height"] >= 30  # a tappable target
    context.close()


def test_unknown_path_shows_the_helpful_404(page, blog_url, article):
    response = page.goto(blog_url(article.blog, "/2016/12/tidak-ada.html"))
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
    assert page.get_by_role("link", name=HEADLINE).count() == 1
