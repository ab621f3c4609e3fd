"""The sitemaps a crawler reads: ``/sitemap.xml`` is an index (Blogger's own address) naming
the posts' files (``/sitemap.xml?page=N``, each post with its lead image), the static pages'
and the labels', each with its last change; ``/sitemap-news.xml`` is Google News's file of
the last 48 hours. Every file is checked against the protocol's schemas (``schemas/``)."""

import datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from lxml import etree

from warta.pagecache.worker import lookup
from warta.posts.models import Image, Page, Status
from warta.syndication.sitemaps import NewsSection, PostSection

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "http://kabar.localhost"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.WARTA_HTTPS = False
    settings.WARTA_PUBLIC_PORT = None


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "all.xsd")))


def valid(schema, response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    document = etree.fromstring(response.content)
    schema.assertValid(document)
    return ElementTree.fromstring(response.content)


def index_locations(client, schema):
    root = valid(schema, client.get("/sitemap.xml"))
    assert root.tag == f"{SITEMAP}sitemapindex"
    return [
        (entry.findtext(f"{SITEMAP}loc"), entry.findtext(f"{SITEMAP}lastmod"))
        for entry in root.iterfind(f"{SITEMAP}sitemap")
    ]


def entries(root):
    return {url.findtext(f"{SITEMAP}loc"): url for url in root.iterfind(f"{SITEMAP}url")}


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def test_the_index_names_each_section_with_its_latest_change(host_client, blog, make_post, schema):
    old = make_post(blog, title="Kabar lama", published_at=ago(days=30), updated_at=ago(days=3))
    make_post(blog, title="Kabar baru", published_at=ago(days=2), updated_at=ago(days=2))
    make_post(blog, title="Berlabel", labels=["Ekonomi"], updated_at=ago(days=1))
    Page.objects.create(
        blog=blog, title="Tentang", body="Isi.", status=Status.PUBLISHED, updated_at=ago(days=9)
    )
    listed = dict(index_locations(host_client("kabar"), schema))
    assert list(listed) == [
        f"{BASE}/sitemap.xml?page=1",
        f"{BASE}/sitemap-pages.xml?page=1",
        f"{BASE}/sitemap-labels.xml?page=1",
    ]
    newest = max(post.updated_at for post in blog.posts.all())
    assert datetime.datetime.fromisoformat(listed[f"{BASE}/sitemap.xml?page=1"]) == newest.replace(
        microsecond=0
    )
    assert old.updated_at < newest


def test_posts_are_split_into_files_oldest_first_so_earlier_files_stay(
    host_client, blog, make_post, schema, monkeypatch
):
    monkeypatch.setattr(PostSection, "size", 2)
    posts = [make_post(blog, title=f"Kabar {n}", published_at=ago(days=10 - n)) for n in range(5)]
    client = host_client("kabar")
    files = [loc for loc, _ in index_locations(client, schema) if "/sitemap.xml" in loc]
    assert files == [f"{BASE}/sitemap.xml?page={n}" for n in (1, 2, 3)]
    seen = []
    for loc in files:
        seen += list(entries(valid(schema, client.get(loc.removeprefix(BASE)))))
    assert seen == [BASE + post.path for post in posts]
    assert client.get("/sitemap.xml?page=4").status_code == 404
    for wrong in ("0", "x", "٢", "-1"):
        assert client.get(f"/sitemap.xml?page={wrong}").status_code == 404


def test_a_posts_lead_image_is_named_with_it(host_client, blog, make_post, schema):
    remote = Image.objects.create(blog=blog, remote_url="https://example.org/banjir.jpg")
    with_image = make_post(blog, title="Banjir", lead_image=remote)
    without = make_post(blog, title="Tanpa foto")
    urls = entries(valid(schema, host_client("kabar").get("/sitemap.xml?page=1")))
    image = urls[BASE + with_image.path].find(f"{IMAGE}image")
    assert image.findtext(f"{IMAGE}loc") == "https://example.org/banjir.jpg"
    assert urls[BASE + without.path].find(f"{IMAGE}image") is None


def test_labels_with_published_posts_are_listed_with_their_posts_latest_change(
    host_client, blog, make_post, schema
):
    older = make_post(blog, labels=["Timur Tengah", "Ekonomi & Bisnis"], updated_at=ago(days=4))
    newer = make_post(blog, labels=["Timur Tengah"], updated_at=ago(days=1))
    make_post(blog, labels=["Draf saja"], status=Status.DRAFT)
    root = valid(schema, host_client("kabar").get("/sitemap-labels.xml"))
    urls = entries(root)
    assert set(urls) == {
        f"{BASE}/search/label/Timur%20Tengah",
        f"{BASE}/search/label/Ekonomi%20%26%20Bisnis",
    }
    lastmod = urls[f"{BASE}/search/label/Timur%20Tengah"].findtext(f"{SITEMAP}lastmod")
    assert datetime.datetime.fromisoformat(lastmod) == newer.updated_at.replace(microsecond=0)
    lastmod = urls[f"{BASE}/search/label/Ekonomi%20%26%20Bisnis"].findtext(f"{SITEMAP}lastmod")
    assert datetime.datetime.fromisoformat(lastmod) == older.updated_at.replace(microsecond=0)


def test_static_pages_have_their_own_file(host_client, blog, schema):
    page = Page.objects.create(blog=blog, title="Redaksi", body="Isi.", status=Status.PUBLISHED)
    Page.objects.create(blog=blog, title="Draf", body="Isi.", status=Status.DRAFT)
    urls = entries(valid(schema, host_client("kabar").get("/sitemap-pages.xml")))
    assert list(urls) == [BASE + page.path]


def test_a_title_with_characters_xml_cannot_carry_still_makes_a_readable_file(
    host_client, blog, make_post, schema
):
    make_post(blog, title="Banjir \x0b<rob> & \x01angin", published_at=ago(hours=2))
    root = valid(schema, host_client("kabar").get("/sitemap-news.xml"))
    assert root.findtext(f"{SITEMAP}url/{NEWS}news/{NEWS}title") == "Banjir <rob> & angin"


def test_the_news_sitemap_holds_the_last_two_days_in_googles_namespace(
    host_client, blog, make_post, make_blog, schema
):
    fresh = make_post(blog, title="Gempa di Cianjur", published_at=ago(hours=3))
    english = make_post(blog, title="Quake in Cianjur", language="en", published_at=ago(hours=1))
    make_post(blog, title="Kabar kemarin lusa", published_at=ago(hours=49))
    make_post(blog, title="Belum terbit", published_at=ago(hours=-5))
    make_post(blog, title="Draf", status=Status.DRAFT)
    make_post(make_blog("lain"), title="Blog lain", published_at=ago(hours=1))
    response = host_client("kabar").get("/sitemap-news.xml")
    root = valid(schema, response)
    # The namespace is declared as Google reads it, and each entry has what Google requires.
    assert b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in response.content
    urls = entries(root)
    assert list(urls) == [BASE + english.path, BASE + fresh.path]
    news = urls[BASE + fresh.path].find(f"{NEWS}news")
    assert [child.tag for child in news] == [
        f"{NEWS}publication",
        f"{NEWS}publication_date",
        f"{NEWS}title",
    ]
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Kabar Kita"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "id"
    assert news.findtext(f"{NEWS}title") == "Gempa di Cianjur"
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == fresh.published_at.replace(microsecond=0)
    english_news = urls[BASE + english.path].find(f"{NEWS}news")
    assert english_news.findtext(f"{NEWS}publication/{NEWS}language") == "en"


def test_the_news_sitemap_names_the_newest_up_to_its_limit(
    host_client, blog, make_post, monkeypatch
):
    monkeypatch.setattr(NewsSection, "size", 2)  # Google reads 1,000
    posts = [make_post(blog, published_at=ago(hours=n)) for n in (5, 1, 3)]
    urls = entries(ElementTree.fromstring(host_client("kabar").get("/sitemap-news.xml").content))
    assert list(urls) == [BASE + posts[1].path, BASE + posts[2].path]


def test_sitemaps_are_kept_by_the_page_cache(host_client, blog, make_post):
    make_post(blog)
    client = host_client("kabar")
    for path, query in (
        ("/sitemap.xml", ""),
        ("/sitemap.xml", "page=1"),
        ("/sitemap-news.xml", ""),
    ):
        response = client.get(f"{path}?{query}" if query else path)
        assert response.status_code == 200
        assert lookup(("http", "kabar.localhost", path, query)) is not None


def test_a_favicon_is_always_there(host_client, blog):
    response = host_client("kabar").get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/warta/favicon.ico")
