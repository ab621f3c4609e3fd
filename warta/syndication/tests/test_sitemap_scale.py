"""A blog of 120,000 posts, past the 50,000 URLs one sitemap file may hold: a crawler that
reads the index and every file it names finds each published post's address exactly once,
no file over the protocol's limits, and no request's memory grows with the blog."""

import datetime
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone
from lxml import etree

from warta.posts.models import Image, Label, Page, Post, Status

POSTS = 120_000
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"
BASE = "http://kabar.localhost"
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
# Far under what 120,000 entries take as text (about 14 MB) or as model instances.
MEMORY_BOUND = 5 * 1024 * 1024


@pytest.fixture(autouse=True)
def _plain_http_no_page_cache(settings):
    settings.WARTA_HTTPS = False
    settings.WARTA_PUBLIC_PORT = None
    settings.WARTA_PAGECACHE = False  # measure the views, not the stored copies


def insert_series(model, count, computed):
    """``count`` rows of ``model`` made by the database itself in one INSERT ... SELECT over
    a series ``n`` (0, 1, ...): each column in ``computed`` is an SQL expression of ``n``,
    every other one what a new instance would store. (``%`` is written ``%%``: the query
    has parameters.) Building 120,000 rows in Python (even
    ``bulk_create``) took most of a minute; this takes about a second."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    blank = model()
    columns, values, params = [], [], []
    for field in fields:
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in computed:
            values.append(computed[field.attname])
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(blank, True), connection))
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        series = "FROM generate_series(0, %s) AS seq(n)"
    else:
        series = "FROM (WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq"
        series += " WHERE n < %s) SELECT n FROM seq) AS seq"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} {series}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, count - 1])


def sql_moment(start):
    """An SQL expression: ``start`` plus ``n`` times 7 minutes, as the database stores it."""
    if connection.vendor == "postgresql":
        return f"(TIMESTAMPTZ '{start.isoformat()}' + n * INTERVAL '7 minutes')"
    return f"datetime('{start:%Y-%m-%d %H:%M:%S}', '+' || (n * 7) || ' minutes')"


def sql_path(moment):
    if connection.vendor == "postgresql":
        return f"to_char({moment} AT TIME ZONE 'UTC', '/YYYY/MM/') || 'kabar-' || n || '.html'"
    return f"strftime('/%%Y/%%m/', {moment}) || 'kabar-' || n || '.html'"


@pytest.fixture
def huge_blog(blog):
    """Rows as ``warta generate`` writes them (in bulk, no signals), with the columns a
    sitemap reads: every tenth post has a lead image, a few hundred have labels."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=POSTS // 100)
    insert_series(
        Image,
        POSTS // 10,
        {"blog_id": str(blog.pk), "remote_url": "'https://img.example/' || n || '.jpg'"},
    )
    first_image, last_image = (
        Image.objects.filter(blog=blog).aggregate(first=Min("pk"), last=Max("pk")).values()
    )
    assert last_image - first_image == POSTS // 10 - 1  # one statement: consecutive keys
    moment = sql_moment(start)
    insert_series(
        Post,
        POSTS,
        {
            "blog_id": str(blog.pk),
            "title": "'Kabar ' || n",
            "slug": "'kabar-' || n",
            "status": f"'{Status.PUBLISHED}'",
            "published_at": moment,
            "created_at": moment,
            "updated_at": moment,
            "path": sql_path(moment),
            "lead_image_id": f"CASE WHEN n %% 10 = 0 THEN {first_image} + n / 10 END",
        },
    )
    # A draft and an embargoed post that no sitemap may show.
    Post.objects.bulk_create(
        [
            Post(blog=blog, title="Draf", slug="draf", status=Status.DRAFT, path=""),
            Post(
                blog=blog,
                title="Embargo",
                slug="embargo",
                status=Status.PUBLISHED,
                published_at=timezone.now() + datetime.timedelta(days=1),
                path="/2099/01/embargo.html",
            ),
        ]
    )
    labels = [Label.objects.create(blog=blog, name=f"Label {n}") for n in range(3)]
    some = Post.objects.filter(blog=blog).order_by("pk").values_list("pk", flat=True)[:300]
    Post.labels.through.objects.bulk_create(
        [Post.labels.through(post_id=pk, label_id=labels[i % 3].pk) for i, pk in enumerate(some)]
    )
    for n in range(5):
        Page.objects.create(blog=blog, title=f"Halaman {n}", body="Isi.", status=Status.PUBLISHED)
    blog.bump_generation()
    return blog


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "all.xsd")))


def fetch(client, url, peaks=None):
    """The file at ``url``; with ``peaks``, the memory its request took at most."""
    if peaks is not None:
        tracemalloc.start()
    try:
        response = client.get(url.removeprefix(BASE))
        if peaks is not None:
            peaks[url] = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    return response.content


def test_every_post_is_in_exactly_one_sitemap_file_within_the_limits(
    host_client, huge_blog, schema
):
    client = host_client("kabar")
    peaks = {}
    fetch(client, f"{BASE}/sitemap-pages.xml")  # the first request's one-time set-up
    # The index reads a column of every post, the biggest job of all: measured.
    index = etree.fromstring(fetch(client, f"{BASE}/sitemap.xml", peaks))
    schema.assertValid(index)
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    post_files = [url for url in files if url.startswith(f"{BASE}/sitemap.xml?page=")]
    assert len(post_files) == POSTS // 10_000  # 120,000 posts, 10,000 a file
    found, images, total_bytes = [], 0, 0
    for url in files:
        # The first and the last file of posts measured too (the last one is read deepest).
        measured = peaks if url in (post_files[0], post_files[-1]) else None
        content = fetch(client, url, measured)
        total_bytes += len(content)
        assert len(content) < MAX_BYTES
        document = etree.fromstring(content)
        schema.assertValid(document)  # at most 50,000 entries: see schemas/sitemap.xsd
        entries = document.findall(f"{SITEMAP}url")
        assert 0 < len(entries) < MAX_URLS
        found += [entry.findtext(f"{SITEMAP}loc") for entry in entries]
        images += len(document.findall(f"{SITEMAP}url/{IMAGE}image"))

    expected_posts = {
        BASE + path
        for path in Post.objects.for_blog(huge_blog).published().values_list("path", flat=True)
    }
    assert len(expected_posts) == POSTS
    posts_found = [url for url in found if url in expected_posts]
    assert len(posts_found) == POSTS and set(posts_found) == expected_posts  # each once
    assert len(found) == len(set(found))  # no address in two files, posts or others
    assert f"{BASE}/2099/01/embargo.html" not in found
    assert images == POSTS // 10
    assert len(found) == POSTS + 5 + 3  # and the pages and the labels

    # Memory: no request holds more than a bound far below the whole sitemap's text.
    assert total_bytes > 2 * MEMORY_BOUND
    worst = max(peaks, key=peaks.get)
    assert peaks[worst] < MEMORY_BOUND, f"{worst}: {peaks[worst]} bytes at peak"
