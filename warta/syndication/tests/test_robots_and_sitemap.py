"""What a blog tells search engines: ``/robots.txt`` keeps them out of search results, the
desk and sign-in pages and points them at ``/sitemap.xml``, the index of the sitemaps that
list every published post and page of that blog, by absolute address, with the date it last
changed (the sitemaps themselves: test_sitemaps.py)."""

import datetime
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from warta.posts.models import Page, Status

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def at(day, hour=9):
    return datetime.datetime(2024, 3, day, hour, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Links for the blog's own host on plain HTTP, whatever the developer's environment."""
    settings.WARTA_HTTPS = False
    settings.WARTA_PUBLIC_PORT = None


def sitemap_urls(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    urlset = ElementTree.fromstring(response.content)
    assert urlset.tag == f"{SITEMAP}urlset"
    return {
        url.findtext(f"{SITEMAP}loc"): datetime.datetime.fromisoformat(
            url.findtext(f"{SITEMAP}lastmod")
        )
        for url in urlset.findall(f"{SITEMAP}url")
    }


def every_sitemap_url(client):
    """Every address of every sitemap the index names, as a crawler reads them."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    root = ElementTree.fromstring(index.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    urls = {}
    for loc in root.iterfind(f"{SITEMAP}sitemap/{SITEMAP}loc"):
        found = sitemap_urls(client.get(loc.text.removeprefix("http://kabar.localhost")))
        assert not found.keys() & urls.keys()
        urls.update(found)
    return urls


def make_page(blog, **fields):
    fields.setdefault("status", Status.PUBLISHED)
    return Page.objects.create(blog=blog, body="Isi halaman.", **fields)


def test_robots_keeps_crawlers_out_of_search_and_sign_in_and_names_the_sitemap(host_client, blog):
    response = host_client("kabar").get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        # Label pages are the blog's sections: first for the parsers that take the first
        # line that matches, the longest match for those that follow RFC 9309.
        "Allow: /search/label/",
        "Disallow: /search",
        "Disallow: /desk/",
        "Disallow: /accounts/",
        "Sitemap: http://kabar.localhost/sitemap.xml",
        "Sitemap: http://kabar.localhost/sitemap-news.xml",
    ]


def test_each_blogs_robots_names_its_own_sitemap(host_client, blog, make_blog):
    make_blog("lain")
    robots = host_client("lain").get("/robots.txt").content.decode()
    assert "Sitemap: http://lain.localhost/sitemap.xml" in robots.splitlines()
    assert "kabar" not in robots


def test_robots_without_a_blog_names_no_sitemap(client, settings, blog):
    settings.WARTA_DEFAULT_BLOG = "belum-ada"
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /accounts/" in lines
    assert not [line for line in lines if line.startswith("Sitemap:")]


def test_the_sitemap_lists_every_published_post_and_page_with_its_last_change(
    host_client, blog, make_post
):
    banjir = make_post(blog, title="Banjir di Jakarta Utara", published_at=at(3), updated_at=at(4))
    beras = make_post(blog, title="Harga beras naik", published_at=at(5), updated_at=at(5, 10))
    about = make_page(blog, title="Tentang Kami", updated_at=at(1))
    urls = every_sitemap_url(host_client("kabar"))
    assert urls == {
        "http://kabar.localhost/2024/03/banjir-di-jakarta-utara.html": at(4),
        "http://kabar.localhost/2024/03/harga-beras-naik.html": at(5, 10),
        "http://kabar.localhost/p/tentang-kami.html": at(1),
    }
    assert {banjir.path, beras.path, about.path} == {
        "/2024/03/banjir-di-jakarta-utara.html",
        "/2024/03/harga-beras-naik.html",
        "/p/tentang-kami.html",
    }


def test_the_sitemap_leaves_out_what_is_not_published_and_other_blogs(
    host_client, blog, make_blog, make_post
):
    live = make_post(blog, title="Kabar tayang")
    make_post(blog, title="Draf", status=Status.DRAFT)
    make_post(
        blog,
        title="Terjadwal",
        status=Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    withdrawn = make_post(blog, title="Ditarik")
    withdrawn.status = Status.TRASHED
    withdrawn.save()
    make_page(blog, title="Halaman draf", status=Status.DRAFT)
    elsewhere = make_blog("lain")
    make_post(elsewhere, title="Kabar blog lain")
    make_page(elsewhere, title="Tentang blog lain")
    urls = every_sitemap_url(host_client("kabar"))
    assert list(urls) == [f"http://kabar.localhost{live.path}"]


def test_an_empty_blog_has_an_empty_sitemap(host_client, blog):
    assert every_sitemap_url(host_client("kabar")) == {}


def test_there_is_no_sitemap_without_a_blog(client, settings, blog, make_post):
    make_post(blog)
    settings.WARTA_DEFAULT_BLOG = "belum-ada"
    assert client.get("/sitemap.xml", HTTP_HOST="localhost").status_code == 404
