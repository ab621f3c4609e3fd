"""Random requests cannot fill the cache, and the file cache stays bounded without listing
its folder on every write."""

import itertools
import os

import pytest

from warta.core.cache import FileCache

from .entries import stored_entries

HOST = "kabar.localhost"
JUNK_HOSTS = [
    "KABAR.localhost",
    "kabar.localhost.",
    "www.kabar.localhost",
    "kabar.localhost:{n}",
    "kabar.localhost:0{n}",
]
JUNK_QUERIES = [
    "page=0{n}",
    "page={n}",  # past the last page: 404
    "page=x{n}",
    "page=2&page={n}",
    "showComment={n}",
    "max-results={n}&start-index={n}",
    "alt={n}",
    "q=+{n}",
    "updated-max=2016-{n}",
]


@pytest.fixture
def site(blog, make_post):
    for n in range(3):
        make_post(blog, title=f"Kabar {n}")
    return [post.path for post in blog.posts.all()] + ["/", "/feeds/posts/default"]


def test_three_thousand_random_requests_store_only_the_real_pages(wsgi_get, site):
    for path in site:
        assert wsgi_get(HOST, path).status_code == 200
    real = stored_entries()
    variants = itertools.cycle(
        [(host, "") for host in JUNK_HOSTS] + [(HOST, query) for query in JUNK_QUERIES]
    )
    statuses = set()
    for n, ((host, query), path) in enumerate(zip(variants, itertools.cycle(site))):
        if n == 3000:
            break
        query = query.format(n=n + 100)
        response = wsgi_get(host.format(n=n + 100), f"{path}?{query}" if query else path)
        statuses.add(response.status_code)
    assert statuses <= {200, 404}
    assert stored_entries() == real
    for path in site:
        assert wsgi_get(HOST, path).headers["x-cache"] == "hit"


def test_the_file_cache_lists_its_folder_once_in_so_many_writes(tmp_path, monkeypatch):
    cache = FileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 300, "CULL_EVERY": 25}})
    listings = []
    scandir = os.scandir  # which glob uses too
    monkeypatch.setattr(os, "scandir", lambda *args: listings.append(args) or scandir(*args))
    for n in range(1000):
        cache.set(f"page-{n}", b"x" * 100)
    assert len(listings) <= 1000 // 25 + 1
    monkeypatch.undo()
    assert len(cache._list_cache_files()) <= 300 + 25


def test_the_file_cache_culls_the_oldest_entries_down_to_its_bound(tmp_path):
    cache = FileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 100, "CULL_EVERY": 1}})
    for n in range(400):
        cache.set(f"page-{n}", n)
        os.utime(cache._key_to_file(f"page-{n}"), (n, n))  # one write a second
        assert len(cache._list_cache_files()) <= 100
    survivors = {n for n in range(400) if cache.get(f"page-{n}") == n}
    assert 399 in survivors and max(range(400)) - min(survivors) < 100


def test_a_cull_leaves_the_page_caches_tokens(tmp_path):
    cache = FileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_EVERY": 1}})
    token = tmp_path / "pagegen-1.djcache"
    token.write_text("1.1700000000000.abcd")
    os.utime(token, (0, 0))
    for n in range(50):
        cache.set(f"page-{n}", n)
    assert token.exists()


def test_the_default_bound_looks_at_the_folder_once_in_a_hundredth_of_it(tmp_path):
    assert FileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 20000}}).cull_every == 200
    assert FileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 50}}).cull_every == 1
