"""What every public page says about itself: its canonical address, its share preview (Open
Graph, Twitter's card), its language, its icon; the home page and the article as JSON-LD,
with the publisher's logo, the page they are the main entity of and every author."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from warta.posts.models import Page, Status

BASE = "http://kabar.localhost"
SHARE_IMAGE = f"{BASE}/static/warta/share.png"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.WARTA_HTTPS = False
    settings.WARTA_PUBLIC_PORT = None


class Head(HTMLParser):
    """The head's meta tags by property or name, its links by rel, its JSON-LD."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.scripts, self._script = {}, [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(json.loads("".join(self._script)))
            self._script = None

    def one(self, key):
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def link(self, rel, **attrs):
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and all(link.get(k) == v for k, v in attrs.items())
        ]


def head_of(response):
    assert response.status_code == 200
    return Head(response.text)


def assert_share_preview(head, *, url, title, kind="website", locale="id_ID"):
    assert head.link("canonical") == [url]
    assert head.one("og:url") == url
    assert head.one("og:title") == title
    assert head.one("og:type") == kind
    assert head.one("og:site_name") == "Kabar Kita"
    assert head.one("og:locale") == locale
    assert head.one("og:image").startswith("http")
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:title") == title
    assert head.one("twitter:image") == head.one("og:image")


def test_the_home_page_has_a_share_preview_and_describes_the_blog(host_client, make_blog):
    make_blog("kabar", title="Kabar Kita", description="Berita warga Demak.", language="id")
    head = head_of(host_client("kabar").get("/"))
    assert_share_preview(head, url=f"{BASE}/", title="Kabar Kita")
    assert head.one("og:description") == "Berita warga Demak."
    assert head.one("og:image") == SHARE_IMAGE  # the blog has no picture of its own
    assert head.one("og:image:width") == "1200" and head.one("og:image:height") == "630"
    [site] = head.scripts
    assert site["@type"] == "WebSite"
    assert site["name"] == "Kabar Kita" and site["url"] == f"{BASE}/"
    assert site["inLanguage"] == "id"
    assert site["publisher"]["logo"]["url"] == f"{BASE}/static/warta/logo.png"
    assert site["potentialAction"]["target"]["urlTemplate"] == f"{BASE}/search?q={{query}}"


def test_a_later_page_of_a_list_is_its_own_canonical_address(host_client, blog, make_post):
    blog.posts_per_page = 1
    blog.save()
    make_post(blog, labels=["Ekonomi"])
    make_post(blog, labels=["Ekonomi"])
    head = head_of(host_client("kabar").get("/?page=2"))
    assert head.link("canonical") == [f"{BASE}/?page=2"]
    label = head_of(host_client("kabar").get("/search/label/Ekonomi"))
    assert_share_preview(
        label, url=f"{BASE}/search/label/Ekonomi", title="Tulisan berlabel “Ekonomi”"
    )


def test_a_static_page_and_an_authors_page_have_share_previews(host_client, blog, make_post):
    Page.objects.create(
        blog=blog, title="Redaksi", body="Kami **redaksi** kecil.", status=Status.PUBLISHED
    )
    head = head_of(host_client("kabar").get("/p/redaksi.html"))
    assert_share_preview(head, url=f"{BASE}/p/redaksi.html", title="Redaksi")
    assert head.one("og:description") == "Kami redaksi kecil."
    writer = get_user_model().objects.create_user(
        "laras@example.com", "rahasia-panjang-123", display_name="Laras", bio="Redaktur daerah."
    )
    make_post(blog, author=writer)
    head = head_of(host_client("kabar").get(writer.get_absolute_url()))
    assert_share_preview(head, url=f"{BASE}/profile/{writer.pk}", title="Laras", kind="profile")
    assert head.one("og:description") == "Redaktur daerah."


def test_an_article_shares_its_lead_image_and_names_every_author(
    host_client, blog, make_post, make_user, lead_image
):
    laras = make_user(display_name="Laras")
    post = make_post(
        blog,
        title="Tanggul Demak jebol",
        excerpt="Air pasang merendam tiga desa.",
        author=laras,
        byline_names=["Laras", "Budi"],
        lead_image=lead_image,
        lead_alt="Tanggul yang jebol",
    )
    head = head_of(host_client("kabar").get(post.path))
    url = BASE + post.path
    assert_share_preview(head, url=url, title="Tanggul Demak jebol", kind="article")
    assert head.one("og:description") == "Air pasang merendam tiga desa."
    assert head.one("og:image") == "https://example.org/demak.jpg"
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "675")
    assert head.one("og:image:alt") == "Tanggul yang jebol"
    [article] = head.scripts
    assert article["@type"] == "NewsArticle"
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert article["publisher"] == {
        "@type": "Organization",
        "name": "Kabar Kita",
        "url": f"{BASE}/",
        "logo": {
            "@type": "ImageObject",
            "url": f"{BASE}/static/warta/logo.png",
            "width": 512,
            "height": 512,
        },
    }
    assert article["author"] == [
        {"@type": "Person", "name": "Laras", "url": f"{BASE}/profile/{laras.pk}"},
        {"@type": "Person", "name": "Budi"},
    ]
    assert article["image"] == "https://example.org/demak.jpg"


def test_an_article_without_a_picture_shares_the_blogs_default_one(host_client, blog, make_post):
    post = make_post(blog, title="Tanpa foto")
    head = head_of(host_client("kabar").get(post.path))
    assert head.one("og:image") == SHARE_IMAGE
    assert head.scripts[0]["image"] == SHARE_IMAGE


def test_hreflang_and_locales_only_where_a_blog_writes_in_both_languages(
    host_client, blog, make_post
):
    indonesian = make_post(blog, title="Banjir rob")
    head = head_of(host_client("kabar").get(indonesian.path))
    assert head.link("alternate", hreflang="id") == []
    assert "og:locale:alternate" not in head.meta
    english = make_post(blog, title="Tidal flood", language="en")
    head = head_of(host_client("kabar").get(english.path))
    assert head.one("og:locale") == "en_US"
    assert head.one("og:locale:alternate") == "id_ID"
    assert head.link("alternate", hreflang="en") == [BASE + english.path]
    assert head.scripts[0]["inLanguage"] == "en"
    assert head_of(host_client("kabar").get("/")).one("og:locale:alternate") == "en_US"


def test_every_page_names_its_icon(host_client, blog, make_post):
    for path in ("/", make_post(blog).path, "/search?q=banjir"):
        head = head_of(host_client("kabar").get(path))
        assert head.link("icon", type="image/svg+xml") == ["/static/warta/favicon.svg"]
        assert head.link("apple-touch-icon") == ["/static/warta/apple-touch-icon.png"]


def test_the_phones_share_sheet_is_offered_only_by_script(host_client, blog, make_post):
    html = host_client("kabar").get(make_post(blog, title="Bagikan").path).text
    button = re.search(r"<button[^>]*share-native[^>]*>", html).group(0)
    assert " hidden" in button  # shown by warta.js where navigator.share exists
    assert 'data-share-title="Bagikan"' in button
    assert "<script>" not in html  # no inline script: the CSP allows none
