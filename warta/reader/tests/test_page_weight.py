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
def long_article(blog, make_user, make_post, make_comment, lead_image):
    author = make_user(display_name="Laras Wicaksono", bio="Redaktur berita daerah.")
    post = make_post(
        blog,
        title="‘Kami hanya ingin pulang sebelum musim hujan,’ kata warga pesisir Demak",
        kicker="Jawa Tengah",
        author=author,
        lead_image=lead_image,
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


def uploaded_photo(blog, size=(2400, 1600)):
    """A camera-sized photo stored through the media library, renditions made."""
    import io
    import os

    from PIL import Image as Picture

    from warta.core.pictures import clean_picture

    # Noise in the top half keeps the original heavy, as a real photo is.
    picture = Picture.new("RGB", size, (30, 90, 160))
    noise = Picture.frombytes(
        "RGB", (size[0], size[1] // 2), os.urandom(size[0] * size[1] // 2 * 3)
    )
    picture.paste(noise, (0, 0))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    buffer.seek(0)
    return Image.objects.store(
        blog=blog, picture=clean_picture(buffer), upload_name="tanggul.jpg", alt="Tanggul"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_downloads_a_rendition_of_the_lead_image_within_the_budget(
    browser, blog_url, make_blog, make_post, settings
):
    settings.WARTA_IMAGE_INLINE_PIXELS = 10_000_000  # made in the upload: no worker here
    blog = make_blog("kabar", title="Kabar Kita", language="id")
    image = uploaded_photo(blog)
    post = make_post(
        blog, title="Warga pesisir Demak bertahan", lead_image=image, body=LONG_BODY[:2000]
    )
    original = image.file.size
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    try:
        page = context.new_page()
        page.route("https://example.org/**", lambda route: route.abort())  # the body's image
        answers = []
        page.on("response", lambda answer: answers.append(answer))
        page.goto(blog_url(blog, post.path))
        page.locator("figure.lead img").evaluate("img => img.decode()")
        page.wait_for_load_state("load")
        by_url = {answer.url: answer for answer in answers}
        html = by_url[page.url].body()
        css = next(a.body() for url, a in by_url.items() if url.endswith("warta.css"))
        images = {url: len(a.body()) for url, a in by_url.items() if "/media/" in url}
    finally:
        context.close()
    weight = len(gzip.compress(html)) + len(gzip.compress(css))
    assert weight <= BUDGET, f"{weight} bytes compressed; the budget is {BUDGET}"
    assert images, "the lead image was not downloaded"
    assert not any(url.endswith(image.file.name) for url in images), "the original was sent"
    ((lead_url, lead_bytes),) = images.items()
    # 328 CSS pixels at 2x: the 960 px WebP, a fraction of the 2400 px original.
    assert re.search(r"/images/r/\d+/tanggul-960\.webp$", lead_url), lead_url
    assert lead_bytes < original / 4, (lead_bytes, original)
