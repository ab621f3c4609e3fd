"""What a chat app or a search engine reads of a page, read from the page as Chromium has
it: the Open Graph tags and the JSON-LD of an article and of the home page, checked against
the post and the blog; the phone's share sheet, offered only where the browser has one; and
the reading-on parts at 360 px, each named for screen readers."""

import datetime

import pytest

from warta.posts.models import Image, Page, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READ_HEAD = """() => {
  const meta = {};
  for (const tag of document.querySelectorAll("meta[property], meta[name]")) {
    meta[tag.getAttribute("property") || tag.getAttribute("name")] = tag.content;
  }
  return {
    meta,
    canonical: document.querySelector("link[rel=canonical]")?.href,
    icon: document.querySelector("link[rel=icon]")?.href,
    jsonld: [...document.querySelectorAll("script[type='application/ld+json']")].map(
      (script) => JSON.parse(script.textContent)
    ),
  };
}"""


def content_type(page, url):
    """What the browser gets at ``url`` (it resolves *.localhost; Playwright's own client
    does not)."""
    return page.evaluate(
        "async (url) => { const r = await fetch(url); return r.ok && r.headers.get('content-type'); }",
        url,
    )


@pytest.fixture
def story(make_blog, make_user, make_post):
    blog = make_blog(
        "kabar",
        title="Kabar Kita",
        tagline="Berita dan informasi terkini",
        description="Berita warga pesisir utara Jawa.",
        language="id",
    )
    author = make_user(display_name="Laras Wicaksono")
    image = Image.objects.create(
        blog=blog, remote_url="https://example.org/demak.jpg", width=1200, height=675
    )
    make_post(
        blog,
        title="Tanggul darurat dibangun",
        published_at=datetime.datetime(2024, 11, 20, 6, tzinfo=datetime.UTC),
        labels=["Banjir"],
    )
    Page.objects.create(blog=blog, title="Tentang kami", body="Isi.", status=Status.PUBLISHED)
    return make_post(
        blog,
        title="Air pasang merendam tiga desa di Demak",
        excerpt="Ribuan warga mengungsi ke balai desa.",
        author=author,
        byline_names=["Laras Wicaksono", "Budi Santoso"],
        lead_image=image,
        lead_alt="Rumah warga terendam",
        published_at=datetime.datetime(2024, 11, 23, 6, tzinfo=datetime.UTC),
        labels=["Banjir", "Jawa Tengah"],
    )


def test_an_articles_share_preview_and_json_ld_match_the_post(page, blog_url, story):
    url = blog_url(story.blog, story.path)
    page.goto(url)
    head = page.evaluate(READ_HEAD)
    meta = head["meta"]
    assert head["canonical"] == url
    assert meta["og:type"] == "article"
    assert meta["og:url"] == url
    assert meta["og:title"] == story.title == meta["twitter:title"]
    assert meta["og:description"] == story.excerpt
    assert meta["og:site_name"] == story.blog.title
    assert meta["og:locale"] == "id_ID"
    assert meta["og:image"] == story.lead_image.url == meta["twitter:image"]
    assert meta["og:image:alt"] == story.lead_alt
    assert meta["twitter:card"] == "summary_large_image"
    assert head["icon"].endswith("/static/warta/favicon.svg")
    [article] = head["jsonld"]
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == story.title
    assert article["url"] == url
    assert article["mainEntityOfPage"]["@id"] == url
    assert datetime.datetime.fromisoformat(article["datePublished"]) == story.published_at
    assert [person["name"] for person in article["author"]] == ["Laras Wicaksono", "Budi Santoso"]
    assert article["author"][0]["url"] == blog_url(story.blog, f"/profile/{story.author_id}")
    assert article["publisher"]["name"] == story.blog.title
    logo = article["publisher"]["logo"]["url"]
    assert content_type(page, logo) == "image/png"
    assert article["image"] == story.lead_image.url
    assert article["inLanguage"] == story.blog.language


def test_the_home_pages_share_preview_and_json_ld_match_the_blog(page, blog_url, story):
    blog = story.blog
    home = blog_url(blog, "/")
    page.goto(home)
    head = page.evaluate(READ_HEAD)
    meta = head["meta"]
    assert head["canonical"] == home
    assert meta["og:type"] == "website"
    assert meta["og:url"] == home
    assert meta["og:title"] == blog.title
    assert meta["og:description"] == blog.description
    assert meta["og:locale"] == "id_ID"
    share_image = meta["og:image"]
    assert content_type(page, share_image) == "image/png"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    [site] = head["jsonld"]
    assert site["@type"] == "WebSite"
    assert site["name"] == blog.title and site["url"] == home
    assert site["description"] == blog.description
    assert site["publisher"]["name"] == blog.title
    search = site["potentialAction"]["target"]["urlTemplate"].replace("{query}", "Demak")
    assert page.goto(search).status == 200  # the blog's own search answers it
    assert page.get_by_role("searchbox").first.input_value() == "Demak"


def test_the_phones_share_sheet_is_offered_where_the_browser_has_one(browser, blog_url, story):
    url = blog_url(story.blog, story.path)
    plain = browser.new_context()
    try:
        reader = plain.new_page()
        reader.goto(url)
        if not reader.evaluate("'share' in navigator"):
            assert reader.locator(".share-native").is_hidden()
    finally:
        plain.close()
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone.add_init_script(
        "navigator.share = (data) => { window.shared = data; return Promise.resolve(); };"
    )
    try:
        reader = phone.new_page()
        reader.goto(url)
        button = reader.locator(".share-native")
        assert button.is_visible()
        button.click()
        shared = reader.evaluate("window.shared")
        assert shared == {"title": story.title, "url": url}
    finally:
        phone.close()


def test_reading_on_at_360_px_is_named_and_fits(browser, blog_url, story):
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        reader = phone.new_page()
        reader.goto(blog_url(story.blog, story.path))
        overflow = reader.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        for name in ("Halaman", "Tulisan sebelumnya dan berikutnya", "Bacaan lainnya"):
            assert (
                reader.get_by_role("navigation", name=name).count()
                + reader.get_by_role("complementary", name=name).count()
                == 1
            ), name
        assert reader.get_by_role("heading", name="Tulisan terkait").is_visible()
        assert reader.get_by_role("link", name="Tanggul darurat dibangun").first.is_visible()
        reader.get_by_role("link", name="Tentang kami").click()
        reader.wait_for_url("**/p/tentang-kami.html")
        assert reader.locator('.pages-nav [aria-current="page"]').inner_text() == "Tentang kami"
    finally:
        phone.close()
