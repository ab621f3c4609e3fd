"""Blogger's list addresses, as imported themes, bookmarks and widgets use them:
``/search?updated-max=…&max-results=N`` ("Older posts"), ``/search/label/X?max-results=N``,
``start``/``by-date``, with Older/Newer links of the same form and ``rel=prev/next``: a reader
following them through a blog of 200 posts sees every post once, in Blogger's order."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from warta.posts.models import Post
from warta.syndication.tests.many import moment, publish_many

MANY = 200


@pytest.fixture
def many(blog):
    publish_many(blog, MANY, labels=lambda n: ["Semua", "Genap" if n % 2 == 0 else "Ganjil"])
    return Post.objects.filter(blog=blog)


def older(page):
    match = re.search(r'<a rel="next" href="([^"]+)">', page.text)
    return unescape(match.group(1)) if match else None


def newer(page):
    match = re.search(r'<a rel="prev" href="([^"]+)">', page.text)
    return unescape(match.group(1)) if match else None


def head_links(page):
    head = page.text.split("</head>", 1)[0]
    return {
        rel: unescape(href)
        for rel, href in re.findall(r'<link rel="(prev|next)" href="([^"]+)">', head)
    }


def follow(client, url, step=older):
    """The titles of every page from ``url`` on, following one kind of link to the end."""
    titles, pages = [], 0
    while url:
        page = client.get(url)
        assert page.status_code == 200, url
        shown = [post.title for post in page.context["posts"]]
        assert shown, url
        titles += shown
        links = head_links(page)
        assert links.get("next") == older(page) and links.get("prev") == newer(page)
        url = step(page)
        pages += 1
        assert pages <= MANY + 1
    return titles


def titles_of(queryset):
    return list(queryset.order_by("-published_at", "-pk").values_list("title", flat=True))


@pytest.mark.parametrize("size", [None, 7, 30])
def test_older_posts_from_the_home_page_show_every_post_once(host_client, many, size):
    start = "/" if size is None else f"/?max-results={size}"
    titles = follow(host_client("kabar"), start)
    assert titles == titles_of(many)


def test_the_home_pages_older_link_is_bloggers_own(host_client, many, blog):
    page = host_client("kabar").get("/?max-results=7")
    url = older(page)
    assert url.startswith("/search?updated-max=")
    query = parse_qs(urlsplit(url).query)
    assert list(query) == ["updated-max", "max-results", "start", "by-date"]  # Blogger's order
    last = page.context["posts"][-1]
    # The seventh post's moment, in the blog's time zone, to the millisecond it holds.
    assert query["updated-max"] == [
        last.published_at.astimezone(blog.tzinfo).isoformat(
            timespec="milliseconds" if last.published_at.microsecond else "seconds"
        )
    ]
    assert query["max-results"] == ["7"] and query["start"] == ["7"]
    assert query["by-date"] == ["false"]


def test_a_bookmarked_updated_max_address_pages_by_date_both_ways(host_client, many, blog):
    """An old theme's link has no ``start``: the page shows the posts before the moment,
    links older pages by date, and newer ones with Blogger's ``reverse-paginate``."""
    client = host_client("kabar")
    middle = moment(120).astimezone(blog.tzinfo).isoformat()
    url = f"/search?updated-max={middle.replace('+', '%2B')}&max-results=9"
    down = follow(client, url)
    assert down == titles_of(many.filter(published_at__lt=moment(120)))
    first = client.get(url)
    assert first.context["page"].number is None  # reached by date: its place is unknown
    up = follow(client, newer(first), step=newer)
    above = titles_of(many.filter(published_at__gte=moment(120)))
    # Newer pages walk back to the newest post, each post once, each page newest first.
    assert sorted(up) == sorted(above) and len(up) == len(set(up))
    pages = [up[n : n + 9] for n in range(0, len(up), 9)]
    assert [title for page in reversed(pages) for title in page] == above


def test_an_unescaped_plus_in_the_moment_is_read_as_blogger_reads_it(host_client, many, blog):
    middle = moment(50).astimezone(blog.tzinfo).isoformat()
    page = host_client("kabar").get(f"/search?updated-max={middle}&max-results=5")
    assert [p.title for p in page.context["posts"]] == [f"Kabar ke-{n}" for n in range(49, 44, -1)]


def test_posts_sharing_a_moment_are_each_shown_once(host_client, blog):
    """Scheduled together, to the second: ``start`` pages them exactly."""
    same = datetime.datetime(2024, 5, 1, 8, tzinfo=datetime.UTC)
    publish_many(blog, 23, moments=lambda n: same + datetime.timedelta(hours=n // 5))
    titles = follow(host_client("kabar"), "/?max-results=4")
    assert sorted(titles) == sorted(f"Kabar ke-{n}" for n in range(23))
    assert len(titles) == 23


@pytest.mark.parametrize("size", [5, 40])
def test_a_label_page_pages_within_its_label(host_client, many, size):
    titles = follow(host_client("kabar"), f"/search/label/Genap?max-results={size}")
    assert titles == titles_of(many.filter(labels__name="Genap"))
    page = host_client("kabar").get(f"/search/label/Genap?max-results={size}")
    assert older(page).startswith("/search/label/Genap?updated-max=")


def test_a_label_page_without_max_results_uses_the_blogs_number(host_client, many, blog):
    blog.posts_per_page = 12
    blog.save()
    page = host_client("kabar").get("/search/label/Ganjil")
    assert len(page.context["posts"]) == 12
    assert "max-results=12" in older(page)
    assert follow(host_client("kabar"), "/search/label/Ganjil") == titles_of(
        many.filter(labels__name="Ganjil")
    )


def test_an_archive_pages_within_its_month(host_client, many, blog):
    titles = follow(host_client("kabar"), "/2024/02/?max-results=10")
    jakarta = blog.tzinfo
    expected = [
        post.title
        for post in many.order_by("-published_at", "-pk")
        if post.published_at.astimezone(jakarta).month == 2
    ]
    assert titles == expected and len(expected) > 10


def test_blogger_start_without_updated_max_and_the_old_page_number(host_client, many):
    client = host_client("kabar")
    by_start = client.get("/search?start=14&by-date=false&max-results=7")
    by_page = client.get("/?page=3&max-results=7")
    expected = titles_of(many)[14:21]
    assert [p.title for p in by_start.context["posts"]] == expected
    assert [p.title for p in by_page.context["posts"]] == expected


def test_newer_from_the_second_page_returns_to_the_home_page(host_client, many):
    client = host_client("kabar")
    second = client.get(older(client.get("/?max-results=7")))
    assert newer(second) == "/?max-results=7"
    assert newer(client.get(older(client.get("/")))) == "/"


def test_a_pinned_post_keeps_the_home_page_to_its_own_pages(host_client, many):
    Post.objects.filter(title="Kabar ke-3").update(is_sticky=True)
    client = host_client("kabar")
    home = client.get("/?max-results=10")
    assert home.context["posts"][0].title == "Kabar ke-3"
    assert older(home) == "/?page=2&max-results=10"
    titles = follow(client, "/?max-results=10")
    assert sorted(titles) == sorted(titles_of(many)) and len(titles) == MANY


@pytest.mark.parametrize(
    "query",
    [
        "updated-max=kemarin&max-results=7",
        "updated-max=2000-01-01T00:00:00Z",  # before the first post: no such page
        "start=500&by-date=false",
    ],
)
def test_an_address_past_the_posts_is_not_found(host_client, many, query):
    assert host_client("kabar").get(f"/search?{query}").status_code == 404


def test_max_results_is_capped_as_blogger_caps_it(host_client, many):
    page = host_client("kabar").get("/search?max-results=9999&start=0&by-date=false")
    assert len(page.context["posts"]) == MANY
