"""Each reader page makes a fixed, small number of SQL queries, whatever the blog's size.

The fixture is big enough for an N+1 to show: 25 posts with authors, lead images, three
labels each and comments (a few of them replies). A budget counts every query of the
request on a page-cache miss, the blog lookup included. If you add a query to a reader
page, make it one query for the whole page (select_related / prefetch_related /
a single aggregate), never one per post, label or comment.
"""

import datetime

import pytest
from django.utils import timezone

from warta.pagecache.worker import lookup
from warta.posts.models import Image, Page, Status
from warta.posts.reads import published_article
from warta.reader.reading import post_reading, reading_for

HOST = "kabar.localhost"
ARTICLE_BUDGET = 3  # blog, post with its author, image and labels, its comment thread


@pytest.fixture
def big_blog(blog, make_user, make_post, make_comment):
    authors = [make_user(display_name=f"Penulis {n}") for n in range(3)]
    now = timezone.now()
    posts = []
    for n in range(25):
        image = Image.objects.create(
            blog=blog, remote_url=f"https://example.org/{n}.jpg", width=800, height=450
        )
        posts.append(
            make_post(
                blog,
                title=f"Warga banjir nomor {n}",
                author=authors[n % 3],
                lead_image=image,
                published_at=now - datetime.timedelta(days=n),
                labels=[f"Label {n % 7}", f"Label {n % 5}", "Nasional"],
            )
        )
    commenter = make_user(display_name="Pembaca Setia")
    for post in posts[:3]:
        for n in range(6):
            comment = make_comment(post, body=f"Komentar {n}")
            make_comment(post, parent=comment, user=commenter, body="Balasan")
    Page.objects.create(blog=blog, title="Tentang kami", body="Isi.", status=Status.PUBLISHED)
    return posts


@pytest.fixture(autouse=True)
def _reading_on_kept(big_blog):
    """What to read on (reader/reading.py) is kept, blog-wide under the blog's page token
    and around a post under its posts' version: these budgets are a miss's once it is kept.
    Filling it is counted in reader/tests/test_reading_on.py."""
    blog = big_blog[0].blog
    blog.refresh_from_db()
    kept = reading_for(blog)
    for post in big_blog:
        post_reading(published_article(blog, post.path), kept)


def miss(path):
    """A query string the page cache will not store, so every request renders."""
    return path + ("&" if "?" in path else "?") + "nocache=1"


def test_article_page_with_a_comment_thread(host_client, big_blog, django_assert_max_num_queries):
    article = big_blog[0]
    with django_assert_max_num_queries(ARTICLE_BUDGET):
        response = host_client("kabar").get(miss(article.path))
    assert response.status_code == 200
    assert response.text.count("Balasan") == 6  # the thread was really rendered


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # blog, the old-link lookup (?nocache=1 is a parameter the home page does not know),
        # the page's posts with their thumbnails; nothing per post
        ("/", 3),
        ("/?page=2", 3),
        ("/search/label/Nasional", 4),
        # search: blog, whether bulk writes left posts unindexed (once per generation of
        # the blog and worker), the ranking (kept as long), the page's posts
        ("/search?q=banjir", 4),
        ("/search", 3),
        ("/p/tentang-kami.html", 3),
        ("/feeds/posts/default", 4),
        ("/feeds/posts/default?alt=rss", 4),
        ("/feeds/posts/default/-/Nasional", 4),
        ("/feeds/comments/default", 4),
        # Blogger's list addresses: blog, (label,) the page's posts
        ("/?max-results=5", 3),
        ("/search?updated-max=2099-01-01T00:00:00%2B07:00&max-results=7", 3),
        ("/search?updated-max=2099-01-01T00:00:00%2B07:00&max-results=7&start=7&by-date=false", 3),
        ("/search?updated-min=2000-01-01T00:00:00Z&reverse-paginate=true", 3),
        ("/search/label/Nasional?max-results=5&start=5&by-date=false", 4),
        ("/feeds/posts/default?max-results=5&start-index=6&orderby=updated", 4),
        ("/feed.json", 4),
        # and the total and the blog's labels, which Blogger's scripts read
        ("/feeds/posts/default?alt=json", 6),
        ("/feeds/posts/summary?alt=json-in-script&callback=show", 6),
    ],
)
def test_reader_page_budget(host_client, big_blog, django_assert_max_num_queries, path, budget):
    with django_assert_max_num_queries(budget):
        response = host_client("kabar").get(miss(path))
    assert response.status_code == 200


def test_archive_and_author_pages(host_client, big_blog, django_assert_max_num_queries):
    post = big_blog[0]
    local = timezone.localtime(post.published_at, post.blog.tzinfo)
    for path in (f"/{local.year}/", f"/{local.year}/{local.month:02d}/"):
        with django_assert_max_num_queries(3):
            assert host_client("kabar").get(miss(path)).status_code == 200
    with django_assert_max_num_queries(5):  # and the person, and whether they wrote here
        assert host_client("kabar").get(miss(f"/profile/{post.author_id}")).status_code == 200


def test_a_post_comment_feed(host_client, big_blog, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = host_client("kabar").get(miss(f"/feeds/{big_blog[0].pk}/comments/default"))
    assert response.status_code == 200


def test_a_cached_page_needs_no_query_at_all(host_client, big_blog, django_assert_num_queries):
    host_client("kabar").get(big_blog[0].path)  # stores it
    key = ("http", HOST, big_blog[0].path, "")
    with django_assert_num_queries(0):
        assert lookup(key) is not None
