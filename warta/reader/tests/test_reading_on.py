"""Reading on: the blog's pages in the menu, an archive by month and the labels on every
list and article, the previous and next post and related posts under an article. Kept in
the cache (reader/reading.py), so a page-cache miss still costs its usual queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from warta.posts.models import Page, Status

BLOG_READS = 4  # the archive by month, the labels, the pages, any redirect from a query
POST_READS = 1  # the previous post, the next and the related ones, in one query
ARTICLE = 3  # at most: blog, post, comment thread (see test_query_budget.py)


def at(year, month, day):
    return datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC)


def section(html, css_class):
    found = re.search(
        rf'<(?:nav|section|aside) class="{css_class}".*?</(?:nav|section|aside)>', html, re.S
    )
    return found.group(0) if found else ""


@pytest.fixture
def posts(blog, make_post):
    return [
        make_post(
            blog, title="Banjir Demak", published_at=at(2024, 1, 5), labels=["Banjir", "Jateng"]
        ),
        make_post(blog, title="Harga beras", published_at=at(2024, 1, 20), labels=["Ekonomi"]),
        make_post(
            blog, title="Tanggul jebol", published_at=at(2024, 3, 2), labels=["Banjir", "Jateng"]
        ),
        make_post(blog, title="Rob Semarang", published_at=at(2025, 2, 9), labels=["Banjir"]),
    ]


def test_the_archive_and_labels_count_published_posts(host_client, blog, posts, make_post):
    make_post(blog, title="Draf", status=Status.DRAFT, labels=["Rahasia"])
    html = host_client("kabar").get("/").text
    archive = section(html, "archive-widget")
    years = re.findall(r"<summary>(\d{4}) <span class=\"count\">\((\d+)\)</span>", archive)
    assert years == [("2025", "1"), ("2024", "3")]
    months = re.findall(
        r'<a href="(/\d{4}/\d{2}/)">[^<]+</a> <span class="count">\((\d+)\)', archive
    )
    assert months == [("/2025/02/", "1"), ("/2024/03/", "1"), ("/2024/01/", "2")]
    labels = re.findall(
        r'<a href="([^"]+)">([^<]+)</a> <span class="count">\((\d+)\)',
        section(html, "label-widget"),
    )
    assert labels == [
        ("/search/label/Banjir", "Banjir", "3"),
        ("/search/label/Ekonomi", "Ekonomi", "1"),
        ("/search/label/Jateng", "Jateng", "2"),
    ]
    for path in ("/2024/01/", "/2024/", "/2025/02/"):
        assert host_client("kabar").get(path).status_code == 200


def test_an_empty_archive_month_or_year_is_not_found(host_client, blog, posts):
    for path in ("/2024/02/", "/2023/", "/2024/13/", "/1999/01/"):
        assert host_client("kabar").get(path).status_code == 404


def test_the_blogs_pages_are_in_the_menu(host_client, blog, posts):
    Page.objects.create(blog=blog, title="Tentang kami", body="Isi.", status=Status.PUBLISHED)
    Page.objects.create(blog=blog, title="Redaksi", body="Isi.", status=Status.PUBLISHED)
    Page.objects.create(blog=blog, title="Draf", body="Isi.", status=Status.DRAFT)
    for path in ("/", posts[0].path, "/search/label/Banjir", "/p/redaksi.html"):
        menu = section(host_client("kabar").get(path).text, "pages-nav")
        assert re.findall(r'href="([^"]+)"', menu) == ["/p/tentang-kami.html", "/p/redaksi.html"]
    menu = section(host_client("kabar").get("/p/redaksi.html").text, "pages-nav")
    assert '<a href="/p/redaksi.html" aria-current="page">' in menu


def test_an_article_links_the_posts_before_and_after_it_and_related_ones(host_client, posts):
    html = host_client("kabar").get(posts[1].path).text
    nav = section(html, "post-nav")
    assert re.search(r'post-previous.*href="([^"]+)"', nav).group(1) == posts[0].path
    assert re.search(r'post-next.*href="([^"]+)"', nav).group(1) == posts[2].path
    assert section(html, "related") == ""  # "Ekonomi" has no other post
    related = section(host_client("kabar").get(posts[0].path).text, "related")
    # Two labels shared first, then one; itself never.
    assert re.findall(r'<li><a href="([^"]+)"', related) == [posts[2].path, posts[3].path]
    first = section(host_client("kabar").get(posts[0].path).text, "post-nav")
    assert "post-previous" not in first


def test_a_newly_published_post_is_the_next_one_of_the_newest(host_client, blog, posts, make_post):
    assert "post-next" not in section(host_client("kabar").get(posts[3].path).text, "post-nav")
    newer = make_post(blog, title="Gempa Cianjur", published_at=at(2025, 3, 1), labels=["Banjir"])
    nav = section(host_client("kabar").get(posts[3].path).text, "post-nav")
    assert re.search(r'post-next.*href="([^"]+)"', nav).group(1) == newer.path


def queries_of(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries.captured_queries)


def test_reading_on_is_read_once_and_kept_past_comments_elsewhere(
    host_client, blog, posts, make_comment
):
    client = host_client("kabar")
    article = posts[1].path
    cold = queries_of(client, article + "?nocache=1")
    kept = queries_of(client, article + "?nocache=2")
    assert cold == ARTICLE + BLOG_READS + POST_READS
    assert kept <= ARTICLE
    # A comment on another post is a write: the blog's token changes and the blog-wide
    # reading is read again, but nothing around this post changed: that stays kept.
    make_comment(posts[0], body="Semoga cepat surut.", status="approved")
    assert queries_of(client, article + "?nocache=3") <= ARTICLE + BLOG_READS


def test_a_post_due_later_is_not_read_on_before_its_time(host_client, blog, posts):
    blog.refresh_from_db()
    later = posts[0].__class__.objects.create(
        blog=blog,
        title="Embargo",
        body="Isi.",
        status=Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(hours=2),
    )
    html = host_client("kabar").get(posts[3].path).text
    assert later.path not in html


def test_the_archive_and_labels_are_written_out_once_per_worker_and_language(
    host_client, blog, posts
):
    """A blog of ten years has some 120 months in its archive: the aside is rendered on the
    first page that shows it and kept with the blog's reading, not rendered on every page."""
    from django.test.signals import template_rendered

    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.template.name)

    template_rendered.connect(note)
    try:
        client = host_client("kabar")
        pages = ["/", posts[0].path, "/search/label/Banjir", posts[1].path + "?x=1"]
        asides = {section(client.get(path).text, "reading-on") for path in pages}
    finally:
        template_rendered.disconnect(note)
    assert rendered.count("reader/_reading_on.html") == 1
    assert len(asides) == 1 and "Januari 2024" in asides.pop()
