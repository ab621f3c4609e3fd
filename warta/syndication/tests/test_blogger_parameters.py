"""Every feed as a real feed reader reads it (feedparser, ``bozo == 0``), holding what the
database holds, and paged with Blogger's parameters: ``max-results`` and ``start-index``
walk a blog of 200 posts with no post missed or repeated; ``published-min``/``-max``,
``updated-min``/``-max`` and ``orderby`` choose and order them as Blogger does."""

import datetime
from urllib.parse import urlencode

import feedparser
import pytest

from warta.posts.models import Post

from .many import publish_many

MANY = 200


@pytest.fixture
def many(blog, make_user, make_comment):
    """200 published posts of Kabar Kita, each with an author and labels, a few commented."""
    writers = [make_user(display_name=name) for name in ("Rina Wartawan", "Budi Santoso")]
    posts = publish_many(
        blog, MANY, authors=writers, labels=lambda n: ["Semua", f"Kelompok {n % 4}"]
    )
    for n in (3, 150, 199):
        for _ in range(n % 5 + 1):
            make_comment(posts[n], status="approved")
    Post.objects.filter(pk=posts[10].pk).update(byline_names=["Rina Wartawan", "Sari Dewi"])
    return Post.objects.filter(blog=blog).prefetch_related("labels").select_related("author")


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (path, feed.get("bozo_exception"))
    return feed


def walk(client, path, size):
    """Every entry's link, following ``start-index`` as a Blogger script does."""
    seen, start = [], 1
    while True:
        separator = "&" if "?" in path else "?"
        feed = parse(client, f"{path}{separator}max-results={size}&start-index={start}")
        links = [entry.link for entry in feed.entries]
        assert len(links) <= size
        seen += links
        if len(links) < size:
            return seen
        start += size


def absolute(post):
    return f"http://kabar.localhost{post.path}"


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/posts/default",
        "/feeds/posts/default?alt=rss",
        "/feeds/posts/default?alt=atom",
        "/feeds/posts/summary",
        "/feeds/posts/summary?alt=rss",
        "/feeds/posts/default/-/Semua",
        "/feeds/posts/summary/-/Kelompok%201?alt=rss",
        "/feeds/comments/default",
        "/feeds/comments/default?alt=rss",
        "/atom.xml",
        "/rss.xml",
        "/feeds/posts/default?max-results=7&start-index=190",
        "/feeds/posts/default?start-index=500",
    ],
)
def test_a_feed_reader_parses_every_feed_cleanly(host_client, many, path):
    parse(host_client("kabar"), path)


@pytest.mark.parametrize("size", [1, 7, 25, 200, 500])
@pytest.mark.parametrize("alt", ["", "alt=rss&"])
def test_start_index_pages_through_every_post_once(host_client, many, size, alt):
    if size == 1 and alt:
        pytest.skip("one size of one is enough to walk")
    client = host_client("kabar")
    links = walk(client, f"/feeds/posts/default?{alt}".rstrip("?&"), size)
    assert links == [absolute(post) for post in many.order_by("-published_at")]


def test_the_atom_feed_links_its_next_page_until_the_last(host_client, many):
    client = host_client("kabar")
    url, seen = "/feeds/posts/default?max-results=60", []
    while url:
        feed = parse(client, url.removeprefix("http://kabar.localhost"))
        seen += [entry.link for entry in feed.entries]
        url = next((link.href for link in feed.feed.links if link.rel == "next"), None)
    assert seen == [absolute(post) for post in many.order_by("-published_at")]


def test_entries_hold_the_posts_dates_authors_labels_and_comment_counts(host_client, many):
    entries = parse(host_client("kabar"), "/feeds/posts/default?max-results=500").entries
    posts = list(many.order_by("-published_at"))
    assert len(entries) == MANY
    for entry, post in zip(entries, posts, strict=True):
        assert entry.title == post.title
        assert entry.link == absolute(post)
        assert datetime.datetime.fromisoformat(entry.published) == post.published_at
        assert datetime.datetime.fromisoformat(entry.updated) == post.updated_at
        names = post.byline_names or [post.author.name]
        assert [author.name for author in entry.authors] == names
        assert {tag.term for tag in entry.tags} == {label.name for label in post.labels.all()}
        assert int(entry.thr_total) == post.comment_count
        assert entry.content[0].value == post.body_html.strip()  # feedparser strips the end
    assert sum(int(entry.thr_total) for entry in entries) == 4 + 1 + 5


def test_a_summary_feed_carries_summaries_and_never_the_body(host_client, many):
    client = host_client("kabar")
    posts = {absolute(post): post for post in many}
    for path in ("/feeds/posts/summary", "/feeds/posts/summary/-/Semua"):
        for entry in parse(client, path).entries:
            post = posts[entry.link]
            assert "content" not in entry
            assert entry.summary == post.summary
            assert "<strong>" not in entry.summary and "<p>" not in entry.summary
    for item in parse(client, "/feeds/posts/summary?alt=rss").entries:
        assert item.summary == posts[item.link].summary


def test_the_blog_chooses_full_or_summary_for_its_main_feeds(host_client, many, blog):
    client = host_client("kabar")
    assert parse(client, "/feeds/posts/default").entries[0].content[0].value.startswith("<p>")
    blog.feed_content = blog.FeedContent.SUMMARY
    blog.save()
    for path in ("/feeds/posts/default", "/atom.xml", "/feeds/posts/default/-/Semua"):
        entry = parse(client, path).entries[0]
        assert "content" not in entry, path
        assert entry.summary == many.get(title=entry.title).summary
    rss = parse(client, "/rss.xml").entries[0]
    assert rss.summary == many.get(title=rss.title).summary


def published_between(many, low, high):
    return [absolute(p) for p in many.order_by("-published_at") if low <= p.published_at < high]


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("2024-01-10T00:00:00+07:00", "2024-02-01T00:00:00+07:00"),
        ("2024-01-10T13:00:00.250+07:00", "2024-01-20T06:00:00.500Z"),  # a post's own moment
    ],
)
def test_published_min_and_max_bound_the_feed_as_blogger_does(host_client, many, low, high):
    query = urlencode({"published-min": low, "published-max": high, "max-results": 500})
    links = [entry.link for entry in parse(host_client("kabar"), f"/rss.xml?{query}").entries]
    expected = published_between(
        many, datetime.datetime.fromisoformat(low), datetime.datetime.fromisoformat(high)
    )
    assert links == expected and 0 < len(expected) < MANY


def test_a_bound_without_an_offset_is_read_in_the_blogs_time_zone(host_client, many, blog):
    assert blog.time_zone == "Asia/Jakarta"
    query = "published-min=2024-01-10&published-max=2024-01-20T00:00:00&max-results=500"
    links = [e.link for e in parse(host_client("kabar"), f"/feeds/posts/default?{query}").entries]
    jakarta = datetime.timezone(datetime.timedelta(hours=7))
    low = datetime.datetime(2024, 1, 10, tzinfo=jakarta)
    high = datetime.datetime(2024, 1, 20, tzinfo=jakarta)
    assert links == published_between(many, low, high)


def test_updated_bounds_and_order_by_updated(host_client, many):
    low = datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)
    high = datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)
    query = urlencode(
        {
            "updated-min": low.isoformat(),
            "updated-max": high.isoformat(),
            "orderby": "updated",
            "max-results": 500,
        }
    )
    entries = parse(host_client("kabar"), f"/feeds/posts/default?{query}").entries
    expected = sorted(
        (p for p in many if low <= p.updated_at < high), key=lambda p: (p.updated_at, p.pk)
    )[::-1]
    assert [entry.link for entry in entries] == [absolute(p) for p in expected]
    assert len(expected) > 10


def test_the_comment_feed_pages_with_start_index_too(host_client, many):
    client = host_client("kabar")
    everything = [e.link for e in parse(client, "/feeds/comments/default?max-results=50").entries]
    assert len(everything) == 4 + 1 + 5
    assert walk(client, "/feeds/comments/default", 2) == everything


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("max-results=abc", 25),
        ("max-results=0", 0),
        ("max-results=9999", 200),  # Blogger's cap is 500: every post of this blog
        ("start-index=0", 25),
        ("start-index=-3", 25),
        ("start-index=x", 25),
        ("published-min=kemarin", 25),
        ("orderby=relevance", 25),
    ],
)
def test_values_blogger_would_not_read_are_ignored(host_client, many, query, count):
    entries = parse(host_client("kabar"), f"/feeds/posts/default?{query}").entries
    assert len(entries) == count


def test_a_page_past_the_end_is_empty_and_never_stored(host_client, many):
    response = host_client("kabar").get("/feeds/posts/default?start-index=201")
    assert response.status_code == 200
    assert feedparser.parse(response.content).entries == []
    assert "no-store" in response["Cache-Control"]
