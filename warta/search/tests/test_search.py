from datetime import timedelta

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.utils import timezone

from warta.search.sql import SQLITE_TRIGGERS
from warta.search.text import query_stems, stem


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("rumahnya", "rumah"),
        ("bukankah", "bukan"),
        ("dialah", "dialah"),  # too short a stem: left whole
        ("rumahnyalah", "rumah"),
        ("bukumu", "buku"),
        ("sekolahku", "sekolah"),
        ("banjir", "banjir"),
    ],
)
def test_indonesian_suffixes_are_stripped(word, expected):
    assert stem(word) == expected


def test_query_words_are_folded_and_safe():
    assert query_stems('Café "Rumahnya" OR banjir*; DROP') == [
        "cafe",
        "rumah",
        "or",
        "banjir",
        "drop",
    ]


def test_search_finds_words_in_title_and_body(host_client, blog, make_post):
    make_post(blog, title="Banjir di Demak", body="Warga mengungsi ke balai desa.")
    make_post(blog, title="Harga cabai turun", body="Pedagang lega.")
    html = host_client("kabar").get("/search?q=banjir").text
    assert "Banjir di Demak" in html and "Harga cabai" not in html
    html = host_client("kabar").get("/search?q=pedagang").text
    assert "Harga cabai turun" in html and "Banjir di Demak" not in html


def test_search_ignores_case_diacritics_and_suffixes(host_client, blog, make_post):
    make_post(blog, title="Rumah warga di Kafé Ujung", body="Atapnya rusak.")
    for query in ("RUMAHNYA", "kafe", "KAFÉ", "atap"):
        assert "Rumah warga" in host_client("kabar").get(f"/search?q={query}").text, query


def test_every_word_must_match(host_client, blog, make_post):
    make_post(blog, title="Banjir di Demak", body="Warga mengungsi.")
    make_post(blog, title="Banjir di Jakarta", body="Jalan tergenang.")
    html = host_client("kabar").get("/search?q=banjir+demak").text
    assert "Banjir di Demak" in html and "Banjir di Jakarta" not in html


def test_an_edited_post_is_found_by_its_new_words(host_client, blog, make_post):
    post = make_post(blog, title="Judul lama", body="Isi.")
    post.title = "Gempa mengguncang Cianjur"
    post.save()
    assert "Gempa mengguncang" in host_client("kabar").get("/search?q=cianjur").text
    assert "Gempa mengguncang" not in host_client("kabar").get("/search?q=lama").text


def test_search_stays_inside_the_blog_and_published_posts(host_client, blog, make_blog, make_post):
    make_post(make_blog("lain"), title="Banjir di blog lain")
    make_post(blog, title="Banjir rahasia", status="draft")
    html = host_client("kabar").get("/search?q=banjir").text
    assert "blog lain" not in html and "rahasia" not in html


def test_a_query_of_only_punctuation_finds_nothing(host_client, blog, make_post):
    make_post(blog, title="Banjir")
    response = host_client("kabar").get('/search?q="*();')
    assert response.status_code == 200 and "Banjir" not in response.text


def test_a_search_lists_only_the_newest_matches(host_client, blog, make_post, monkeypatch):
    monkeypatch.setattr("warta.search.query.MAX_RESULTS", 3)
    now = timezone.now()
    for n in range(5):
        make_post(blog, title=f"Banjir ke-{n}", published_at=now - timedelta(days=5 - n))
    html = host_client("kabar").get("/search?q=banjir").text
    assert [f"Banjir ke-{n}" in html for n in range(5)] == [False, False, True, True, True]


def test_search_triggers_dropped_by_a_table_rebuild_come_back_after_migrate(
    host_client, blog, make_post
):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite drops a table's triggers when Django rebuilds it")
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute("DROP INDEX search_post_order")
    make_post(blog, title="Gempa di Cianjur")
    assert "Gempa di Cianjur" not in host_client("kabar").get("/search?q=gempa").text
    emit_post_migrate_signal(0, False, "default")
    make_post(blog, title="Banjir di Demak")
    html = host_client("kabar").get("/search?q=gempa").text
    assert "Gempa di Cianjur" in html
    assert "Banjir di Demak" in host_client("kabar").get("/search?q=banjir").text
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'search_post_order'")
        assert cursor.fetchall() == [("search_post_order",)]
