"""An article page with its stylesheet fits the first TCP round trip (about 14 KB
compressed), needs no JavaScript to read, and never makes the browser guess image sizes."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from warta.posts.models import Image

BUDGET = 14 * 1024
LONG_BODY = (
    "\n\n".join(
        f"Paragraf {n}: warga di pesisir utara Demak masih bertahan di tenda pengungsian, "
        f"Senin (23/11), setelah air pasang merendam permukiman mereka selama hampir dua pekan. "
        f"Pemerintah kabupaten menyatakan tanggul darurat akan selesai akhir bulan ini."
        for n in range(12)
    )
    + '\n\n![Tanggul darurat](https://example.org/tanggul.jpg "Tanggul")'
)


@pytest.fixture
def long_article(blog, make_user, make_post, make_comment):
    author = make_user(display_name="Laras Wicaksono", bio="Redaktur berita daerah.")
    image = Image.objects.create(
        blog=blog, remote_url="https://example.org/demak.jpg", width=1200, height=675
    )
    post = make_post(
        blog,
        title="‘Kami hanya ingin pulang sebelum musim hujan,’ kata warga pesisir Demak",
        kicker="Jawa Tengah",
        author=author,
        lead_image=image,
        lead_caption="Perahu nelayan tertambat di tepi tanggul darurat",
        lead_credit="Ilustrasi Warta",
        body=LONG_BODY,
        source_name="Antara",
        labels=["Lingkungan", "Nasional", "Jawa Tengah"],
    )
    for n in range(20):
        make_comment(post, author_name=f"Pembaca {n}", body="Semoga cepat pulih. " * 4)
    return post


def test_article_and_stylesheet_fit_in_14_kb_compressed(host_client, long_article):
    html = host_client("kabar").get(long_article.path).content
    with open(finders.find("warta/warta.css"), "rb") as css:
        stylesheet = css.read()
    weight = len(gzip.compress(html)) + len(gzip.compress(stylesheet))
    assert weight <= BUDGET, f"{weight} bytes compressed; the budget is {BUDGET}"


def test_article_images_are_sized_and_body_images_lazy(host_client, long_article):
    html = host_client("kabar").get(long_article.path).text
    images = re.findall(r"<img\b[^>]*>", html)
    assert images
    lead = [tag for tag in images if "demak.jpg" in tag]
    assert lead and 'width="1200"' in lead[0] and 'height="675"' in lead[0]
    body_image = [tag for tag in images if "tanggul.jpg" in tag]
    assert body_image and 'loading="lazy"' in body_image[0]


def test_home_thumbnails_are_lazy_and_sized(host_client, long_article):
    html = host_client("kabar").get("/").text
    thumb = re.search(r'<img class="thumb"[^>]*>', html).group(0)
    assert 'loading="lazy"' in thumb and 'width="1200"' in thumb


def test_reading_needs_no_script_and_no_web_font(host_client, long_article):
    html = host_client("kabar").get(long_article.path).text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all("defer" in tag or "application/ld+json" in tag for tag in scripts)
    assert "fonts.googleapis" not in html and "@font-face" not in html
