import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from warta.posts.models import Image

HEADLINE = "'Kami tidak bisa pergi dari kota kami,' kata \"warga\" <Aleppo> & sekitarnya"


@pytest.fixture
def article(blog, make_user, make_post, settings):
    blog.comment_policy = "members"
    blog.tagline = "Berita dan informasi dengan sudut pandang warga"
    blog.save()
    author = make_user(display_name="Laras Wicaksono", bio="Redaktur berita luar negeri.")
    image = Image.objects.create(
        blog=blog, remote_url="https://example.org/foto.jpg", width=960, height=540
    )
    published = datetime.datetime(2016, 12, 4, 9, 30, tzinfo=datetime.UTC)
    return make_post(
        blog,
        title=HEADLINE,
        kicker="Suriah",
        author=author,
        lead_image=image,
        lead_caption="Sekelompok warga di tepi jalan",
        lead_credit="Reuters/Fotografer",
        body='Paragraf pertama, Minggu (4/12).\n\n> "Kami bertahan," ujarnya.\n\n<script>alert(1)</script>',
        source_name="Reuters",
        source_url="https://www.reuters.com/",
        published_at=published,
        labels=["Timur Tengah", "Suriah"],
    )


def test_a_post_lives_at_its_blogger_style_address(article):
    assert article.path.startswith("/2016/12/")
    assert article.path.endswith(".html")


def test_the_article_shows_every_part_of_the_seed_page(host_client, article):
    response = host_client("kabar").get(article.path)
    assert response.status_code == 200
    html = response.text
    assert "Kami tidak bisa pergi dari kota kami" in html
    assert "&lt;Aleppo&gt; &amp; sekitarnya" in html  # the headline is escaped, not dropped
    assert "Suriah" in html  # kicker
    assert "Sekelompok warga di tepi jalan" in html and "Reuters/Fotografer" in html
    assert "<blockquote>" in html and "<script>alert(1)</script>" not in html
    assert "(Reuters)" in html
    assert "Minggu, 4 Desember 2016" in html
    assert 'href="/search/label/Timur%20Tengah"' in html
    assert "Laras Wicaksono" in html and "Redaktur berita luar negeri." in html
    assert "Berita dan informasi dengan sudut pandang warga" in html
    assert "0 komentar" in html
    assert "Hanya anggota blog ini yang dapat berkomentar." in html
    assert "wa.me" in html and "facebook.com/sharer" in html and "t.me/share" in html


def test_the_article_in_english(host_client, article):
    article.blog.language = "en"
    article.blog.save()
    html = host_client("kabar").get(article.path).text
    assert "Sunday, 4 December 2016" in html
    assert "0 comments so far, add yours" in html
    assert "Only a member of this blog may post a comment." in html


def test_the_date_is_shown_in_the_blogs_time_zone(host_client, blog, make_post):
    late_evening_utc = datetime.datetime(2016, 12, 3, 20, 0, tzinfo=datetime.UTC)
    post = make_post(blog, published_at=late_evening_utc)
    assert post.path.startswith("/2016/12/")
    html = host_client("kabar").get(post.path).text
    assert "Minggu, 4 Desember 2016" in html  # 03:00 in Jakarta


def test_the_comment_count_counts_approved_comments_only(
    host_client, blog, make_post, make_comment
):
    post = make_post(blog)
    make_comment(post)
    make_comment(post, status="pending")
    make_comment(post, status="spam")
    html = host_client("kabar").get(post.path).text
    assert "1 komentar" in html
    assert "Komentar pembaca." in html


def test_share_links_carry_the_posts_url_and_title(host_client, article):
    response = host_client("kabar").get(article.path)
    links = {link["name"]: link["href"] for link in response.context["share"]}
    url = f"http://kabar.localhost{article.path}"
    whatsapp = parse_qs(urlparse(links["whatsapp"]).query)["text"][0]
    assert url in whatsapp and HEADLINE in whatsapp
    assert parse_qs(urlparse(links["facebook"]).query)["u"] == [url]
    assert parse_qs(urlparse(links["x"]).query) == {"text": [HEADLINE], "url": [url]}
    assert parse_qs(urlparse(links["telegram"]).query)["url"] == [url]


def test_share_links_survive_any_title():
    from urllib.parse import unquote

    from warta.reader.share import share_links

    title = 'BBM naik 10% & "A+B" = ? #Jakarta / Kota — Rp1.000/liter'
    url = "https://kabar.example/2026/04/bbm-naik.html?m=1&x=a+b"
    links = {link["name"]: link["href"] for link in share_links(url, title)}
    assert parse_qs(urlparse(links["whatsapp"]).query) == {"text": [f"{title} {url}"]}
    assert parse_qs(urlparse(links["facebook"]).query) == {"u": [url]}
    assert parse_qs(urlparse(links["x"]).query) == {"text": [title], "url": [url]}
    assert parse_qs(urlparse(links["telegram"]).query) == {"url": [url], "text": [title]}
    subject, body = links["email"].removeprefix("mailto:?").split("&")
    assert unquote(subject.removeprefix("subject=")) == title
    assert unquote(body.removeprefix("body=")) == url


def test_structured_data_names_the_source(host_client, article):
    html = host_client("kabar").get(article.path).text
    assert '"@type": "NewsArticle"' in html
    assert '"sourceOrganization": {"@type": "Organization", "name": "Reuters"' in html


def test_a_draft_or_future_post_is_not_public(host_client, blog, make_post):
    draft = make_post(blog, status="draft")
    future = make_post(blog, published_at=timezone.now() + datetime.timedelta(days=1))
    assert draft.path == ""
    assert host_client("kabar").get(future.path).status_code == 404
