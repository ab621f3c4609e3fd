"""Views are counted on every answer of a reader's page, from the page cache or from Django,
as counts per page, day, referring domain and phone-or-not: robots, prefetches and HEAD
requests are left out, and nothing that could tell one reader from another is kept."""

import datetime

import pytest
from django.db import connection

from warta.pagecache.rsgi import answer_hit
from warta.stats import counter as counting
from warta.stats.agents import BOT, OTHER, PHONE, classify
from warta.stats.models import PageViews
from warta.stats.referrers import INTERNAL, domain_of

from .conftest import ANDROID, FIREFOX, GOOGLEBOT, HOST, IPHONE

ADDRESS = "203.0.113.77"


def views(**filters):
    return sum(PageViews.objects.filter(**filters).values_list("views", flat=True))


def read(wsgi_get, path, *, agent=FIREFOX, **headers):
    return wsgi_get(HOST, path, HTTP_USER_AGENT=agent, REMOTE_ADDR=ADDRESS, **headers)


@pytest.mark.parametrize(
    ("agent", "kind"),
    [
        (FIREFOX, OTHER),
        (ANDROID, PHONE),
        (IPHONE, PHONE),
        (GOOGLEBOT, BOT),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", BOT),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", BOT),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0 Safari", BOT),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", BOT),
        ("WhatsApp/2.23.20.0", BOT),
        ("curl/8.5.0", BOT),
        ("python-requests/2.32.3", BOT),
        ("Feedly/1.0 (+http://www.feedly.com/fetcher.html)", BOT),
        ("", BOT),
    ],
)
def test_user_agents_are_told_apart_coarsely(agent, kind):
    assert classify(agent) == kind


@pytest.mark.parametrize(
    ("referer", "domain"),
    [
        ("https://www.facebook.com/groups/123/posts/456?fbclid=x", "facebook.com"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fkabar.localhost", "l.facebook.com"),
        ("https://t.co/abc", "t.co"),
        ("android-app://com.google.android.gm/", "com.google.android.gm"),
        ("http://kabar.localhost/", INTERNAL),
        ("http://kabar.localhost:8000/search/label/Banjir", INTERNAL),
        ("http://KABAR.localhost./", INTERNAL),
        ("", ""),
        ("not a link", ""),
        ("http://[::1/", ""),
        ("https://exa mple.com/", ""),
    ],
)
def test_only_the_referring_host_is_kept(referer, domain):
    assert domain_of(referer, "kabar.localhost:8000") == domain


def test_a_miss_and_the_hits_after_it_are_each_one_view(wsgi_get, article):
    assert read(wsgi_get, article.path).headers["x-cache"] == "miss"
    for _ in range(4):
        assert read(wsgi_get, article.path).headers["x-cache"] == "hit"
    assert counting.flush() == 5
    assert views(post=article) == 5


def test_robots_prefetches_and_head_requests_are_not_views(wsgi_get, article):
    read(wsgi_get, article.path)  # stored, so the rest are hits
    read(wsgi_get, article.path, agent=GOOGLEBOT)
    read(wsgi_get, article.path, agent="")
    read(wsgi_get, article.path, HTTP_PURPOSE="prefetch")
    read(wsgi_get, article.path, HTTP_SEC_PURPOSE="prefetch;prerender")
    read(wsgi_get, article.path, HTTP_X_MOZ="prefetch")
    read(wsgi_get, article.path, method="head")
    assert counting.flush() == 1


def test_feeds_and_the_sitemap_are_no_page_views(wsgi_get, article):
    for path in ("/feeds/posts/default", "/sitemap.xml", "/robots.txt"):
        read(wsgi_get, path)
        read(wsgi_get, path)
    assert counting.flush() == 0


def test_views_are_counted_per_page_referrer_and_phone(wsgi_get, blog, article):
    read(wsgi_get, article.path, HTTP_REFERER="https://www.facebook.com/")
    read(wsgi_get, article.path, HTTP_REFERER="https://m.facebook.com/story", agent=ANDROID)
    read(wsgi_get, article.path, HTTP_REFERER="https://www.facebook.com/x", agent=IPHONE)
    read(wsgi_get, "/", agent=ANDROID)
    read(wsgi_get, article.path, HTTP_REFERER="http://kabar.localhost/")
    counting.flush()
    today = datetime.datetime.now(blog.tzinfo).date()
    rows = set(PageViews.objects.values_list("post", "path", "day", "referrer", "phone", "views"))
    assert rows == {
        (article.pk, article.path, today, "facebook.com", False, 1),
        (article.pk, article.path, today, "facebook.com", True, 1),
        (article.pk, article.path, today, "m.facebook.com", True, 1),
        (article.pk, article.path, today, INTERNAL, False, 1),
        (None, "/", today, "", True, 1),
    }


def test_nothing_stored_tells_one_reader_from_another(wsgi_get, article):
    """Every column of every row, read raw from the table: counts, days, pages, domains,
    true/false, and the blog's and post's ids. No address, no User-Agent, nothing per visit."""
    read(wsgi_get, article.path, agent=ANDROID, HTTP_REFERER="https://t.co/xyz?s=20")
    read(wsgi_get, article.path, agent=FIREFOX, HTTP_REFERER="https://t.co/xyz?s=20")
    counting.flush()
    table = PageViews._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    assert sorted(names) == sorted(
        ["id", "blog_id", "post_id", "path", "day", "referrer", "phone", "views"]
    )
    assert len(rows) == 2
    for row in rows:
        text = " ".join(map(str, row))
        assert ADDRESS not in text and "Mozilla" not in text and "Android" not in text
        assert "xyz" not in text and "s=20" not in text
        values = dict(zip(names, row, strict=True))
        assert values["referrer"] == "t.co" and values["views"] == 1
        assert values["path"] == article.path and values["post_id"] == article.pk


def test_a_hit_answered_from_the_rsgi_scope_is_counted(wsgi_get, article):
    from types import SimpleNamespace

    read(wsgi_get, article.path)
    scope = SimpleNamespace(
        method="GET", path=article.path, query_string="", scheme="http", authority=None
    )
    headers = {"host": HOST, "user-agent": ANDROID, "referer": "https://www.google.co.id/"}
    assert answer_hit(scope, headers)[0] == 200
    assert answer_hit(scope, {**headers, "sec-purpose": "prefetch"})[0] == 200
    assert answer_hit(scope, {**headers, "user-agent": GOOGLEBOT})[0] == 200
    counting.flush()
    assert views(post=article) == 2
    assert views(post=article, phone=True, referrer="google.co.id") == 1


def test_flushes_add_to_the_rows_already_there(wsgi_get, article):
    read(wsgi_get, article.path)
    counting.flush()
    read(wsgi_get, article.path)
    read(wsgi_get, article.path)
    counting.flush()
    assert PageViews.objects.get().views == 3


def test_views_are_counted_in_the_blogs_own_day():
    hour = int(datetime.datetime(2026, 12, 1, 20, tzinfo=datetime.UTC).timestamp()) // 3600
    assert counting.local_day(hour, "Asia/Jakarta") == datetime.date(2026, 12, 2)
    assert counting.local_day(hour, "America/New_York") == datetime.date(2026, 12, 1)


def test_counts_that_could_not_be_written_wait_for_the_next_flush(wsgi_get, article, monkeypatch):
    read(wsgi_get, article.path)

    def broken(pending):
        raise RuntimeError("database away")

    monkeypatch.setattr(counting, "write", broken)
    with pytest.raises(RuntimeError):
        counting.flush()
    monkeypatch.undo()
    assert counting.flush() == 1


def test_the_waiting_views_are_written_once_there_are_enough(wsgi_get, article, settings):
    settings.WARTA_STATS_FLUSH_VIEWS = 3
    for _ in range(3):
        read(wsgi_get, article.path)
    assert views(post=article) == 3  # no writer thread in tests: the third view wrote them


def test_no_view_is_counted_with_stats_off(wsgi_get, article, settings):
    settings.WARTA_VIEW_COUNTER = None
    read(wsgi_get, article.path)
    read(wsgi_get, article.path)
    assert counting.flush() == 0
