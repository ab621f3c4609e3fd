import datetime

import pytest

from warta.posts.models import Page, Redirect


def test_home_lists_newest_first_and_paginates(host_client, blog, make_post):
    blog.posts_per_page = 2
    blog.save()
    now = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    posts = [
        make_post(blog, title=f"Berita {i}", published_at=now + datetime.timedelta(hours=i))
        for i in range(5)
    ]
    first = host_client("kabar").get("/")
    assert [p.title for p in first.context["posts"]] == ["Berita 4", "Berita 3"]
    third = host_client("kabar").get("/?page=3")
    assert [p.title for p in third.context["posts"]] == ["Berita 0"]
    assert posts


@pytest.mark.parametrize("page", ["abc", "999", "-1", "0"])
def test_a_bad_page_number_is_a_404(host_client, blog, make_post, page):
    make_post(blog)
    assert host_client("kabar").get(f"/?page={page}").status_code == 404


def test_label_page_lists_posts_with_that_label(host_client, blog, make_post):
    make_post(blog, title="Tentang Gaza", labels=["Timur Tengah"])
    make_post(blog, title="Tentang pasar", labels=["Ekonomi"])
    response = host_client("kabar").get("/search/label/Timur%20Tengah")
    assert [p.title for p in response.context["posts"]] == ["Tentang Gaza"]
    assert host_client("kabar").get("/search/label/Tidak%20Ada").status_code == 404


def test_year_and_month_archives(host_client, blog, make_post):
    make_post(
        blog, title="Desember", published_at=datetime.datetime(2016, 12, 4, tzinfo=datetime.UTC)
    )
    make_post(
        blog, title="Januari", published_at=datetime.datetime(2017, 1, 2, tzinfo=datetime.UTC)
    )
    year = host_client("kabar").get("/2016/")
    assert [p.title for p in year.context["posts"]] == ["Desember"]
    month = host_client("kabar").get("/2017/01/")
    assert [p.title for p in month.context["posts"]] == ["Januari"]
    assert "Januari 2017" in month.text


def test_author_page_lists_their_posts(host_client, blog, make_post, make_user):
    laras = make_user(display_name="Laras", bio="Redaktur.")
    make_post(blog, title="Tulisan Laras", author=laras)
    make_post(blog, title="Tulisan orang lain")
    response = host_client("kabar").get(laras.get_absolute_url())
    assert [p.title for p in response.context["posts"]] == ["Tulisan Laras"]
    assert "Redaktur." in response.text


def test_a_static_page_lives_under_p(host_client, blog):
    page = Page.objects.create(
        blog=blog, title="Tentang Kami", body="Kami **blog** kecil.", status="published"
    )
    assert page.path == "/p/tentang-kami.html"
    response = host_client("kabar").get("/p/tentang-kami.html")
    assert "<strong>blog</strong>" in response.text


def test_search_finds_posts_by_title_and_body(host_client, blog, make_post):
    make_post(blog, title="Harga cabai turun", body="Pasar ramai.")
    make_post(blog, title="Cuaca", body="Hujan deras dan harga sayur naik.")
    make_post(blog, title="Sepak bola", body="Skor imbang.")
    response = host_client("kabar").get("/search?q=harga")
    hits = response.context["results"].hits
    assert {hit.entry.title for hit in hits} == {"Harga cabai turun", "Cuaca"}


@pytest.mark.parametrize(
    "path",
    [
        "/tidak-ada",
        "/2016/13/x.html",
        "/9999/99/",
        "/2016/00/",
        "/p/.html",
        "/search/label/%ff%fe",
        "/%E0%A4%A",
        "/2016/12/" + "a" * 3000 + ".html",
        "/profile/99999999999999999999",
    ],
)
def test_unknown_or_malformed_paths_give_a_helpful_404(host_client, blog, make_post, path):
    make_post(blog, title="Berita terbaru")
    response = host_client("kabar").get(path)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    assert "Berita terbaru" in response.text


def test_the_404_page_speaks_english_on_an_english_blog(host_client, make_blog):
    make_blog("english", language="en")
    response = host_client("english").get("/nothing-here")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_an_old_address_redirects_permanently(host_client, blog, make_post):
    post = make_post(blog)
    Redirect.objects.create(blog=blog, old_path="/?p=42", new_path=post.path)
    Redirect.objects.create(blog=blog, old_path="/2016/12/04/lama/", new_path=post.path)
    for old in ["/?p=42", "/2016/12/04/lama/"]:
        response = host_client("kabar").get(old)
        assert response.status_code == 301
        assert response["Location"] == post.path


def test_blogger_mobile_flag_is_accepted_and_canonicalised(host_client, blog, make_post):
    post = make_post(blog)
    response = host_client("kabar").get(post.path + "?m=1")
    assert response.status_code == 200
    assert f'<link rel="canonical" href="http://kabar.localhost{post.path}">' in response.text


def test_an_author_page_exists_only_for_people_who_published_on_this_blog(
    host_client, blog, make_blog, make_post, make_user
):
    writer = make_user(display_name="Penulis Lain", bio="Bio pribadi.")
    other_blog = make_blog("lain")
    make_post(other_blog, author=writer)
    response = host_client("kabar").get(writer.get_absolute_url())
    assert response.status_code == 404
    assert "Bio pribadi." not in response.text
    assert host_client("lain").get(writer.get_absolute_url()).status_code == 200


def test_lists_link_older_posts_without_counting_the_blog(host_client, blog, make_post):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.html import escape

    from warta.reader.reading import reading_for

    blog.posts_per_page = 2
    blog.save()
    for _ in range(4):
        make_post(blog)
    # The archive and label widgets count posts once per blog token, kept (reader/reading.py).
    reading_for(blog)
    with CaptureQueriesContext(connection) as queries:
        first = host_client("kabar").get("/")
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    # Blogger's own "Older posts" address, the second page of the blog's posts by date.
    older = first.context["page"].older_url
    assert older.startswith("/search?updated-max=") and older.endswith("&start=2&by-date=false")
    assert f'rel="next" href="{escape(older)}"' in first.text and 'rel="prev"' not in first.text
    last = host_client("kabar").get(older)
    assert 'rel="prev" href="/"' in last.text and 'rel="next"' not in last.text
    assert "Halaman 2" in last.text
    assert host_client("kabar").get("/?page=2").context["posts"] == last.context["posts"]
    assert host_client("kabar").get("/?page=3").status_code == 404
