"""A reader searches a blog on a real Chromium: the box in the header, ranked results with
the matched words highlighted, the next page, and a phone's width."""

import datetime

import pytest
from django.utils import timezone

from warta.posts.models import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def searchable(make_blog, make_post):
    blog = make_blog("kabar", title="Kabar Kita", language="id", posts_per_page=3)
    now = timezone.now()
    make_post(
        blog,
        title="Pembangunan jembatan Demak dimulai",
        body="Warga menyambut pembangunan. Jembatan dibangun dengan dana desa `<script>x</script>`.",
        published_at=now - datetime.timedelta(days=10),
    )
    for n in range(4):
        make_post(
            blog,
            title=f"Kabar pasar nomor {n}",
            body=f"Pedagang ikut membangun los pasar yang baru, bagian {n}.",
            published_at=now - datetime.timedelta(days=n),
        )
    make_post(blog, title="Makam leluhur dibersihkan", body="Warga berziarah ke makam.")
    Page.objects.create(
        blog=blog,
        title="Tentang redaksi",
        body="Redaksi membangun jurnalisme warga.",
        status="published",
    )
    return blog


def test_a_reader_searches_from_the_header_and_pages_through_highlighted_results(
    page, blog_url, searchable
):
    page.goto(blog_url(searchable))
    box = page.get_by_role("searchbox", name="Cari di blog ini")
    box.fill("bangunan")
    box.press("Enter")
    page.wait_for_url("**/search?q=bangunan")
    assert page.locator("h1").inner_text() == "Hasil pencarian untuk “bangunan”"
    results = page.get_by_role("region", name="Hasil")
    titles = results.locator("article h2").all_inner_texts()
    # Title and text match first; then the rest, newest first at equal rank.
    assert titles[0] == "Pembangunan jembatan Demak dimulai" and len(titles) == 3
    marks = results.locator("mark").all_inner_texts()
    assert {"Pembangunan", "pembangunan", "dibangun", "membangun"} <= set(marks)
    assert "<script>x</script>" in results.inner_text()  # shown as text, never run
    assert page.locator("article script").count() == 0
    assert "Makam" not in results.inner_text()

    page.get_by_role("link", name="Hasil lainnya").click()
    page.wait_for_url("**/search?q=bangunan&page=2")
    second = page.get_by_role("region", name="Hasil").locator("article h2").all_inner_texts()
    assert len(second) == 3 and not set(second) & set(titles)
    expected = {"Pembangunan jembatan Demak dimulai", "Tentang redaksi"}
    expected |= {f"Kabar pasar nomor {n}" for n in range(4)}
    assert set(titles) | set(second) == expected
    assert page.locator("article .kicker", has_text="Halaman").count() == (
        "Tentang redaksi" in second
    )
    assert page.get_by_role("link", name="Hasil lainnya").count() == 0
    page.get_by_role("link", name="Hasil lebih cocok").click()
    page.wait_for_url("**/search?q=bangunan")
    assert (
        page.get_by_role("region", name="Hasil").locator("article h2").all_inner_texts() == titles
    )


def test_the_results_page_is_searchable_again_and_fits_a_phone(browser, blog_url, searchable):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(blog_url(searchable, "/search?q=makam"))
    assert phone.get_by_role("region", name="Hasil").locator("article h2").all_inner_texts() == [
        "Makam leluhur dibersihkan"
    ]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    field = phone.get_by_label("Cari di blog ini").last
    field.fill("xylofon")
    field.press("Enter")
    phone.wait_for_url("**/search?q=xylofon")
    assert "Tidak ada yang ditemukan" in phone.locator("main").inner_text()
    context.close()
