"""The desk's editor in a real Chromium, as a plain form (JavaScript off: what every writer
gets when the rich editor cannot load): sign in from the printed link, write and publish
with a lead image and labels, revisions, two editors on one post, review by an editor,
corrections, and the page at 360 px."""

import io
import json
import re

import pytest
from django.core.management import call_command
from PIL import Image as Picture
from playwright.sync_api import expect

from tests.browser.sessions import session_cookie
from warta.posts.models import Post, Revision, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plain(browser):
    """Pages of a browser with JavaScript off, each its own person: ``plain()``."""
    contexts = []

    def new(width=1280):
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": width, "height": 900}
        )
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def sign_in(page, user, blog):
    page.context.add_cookies([session_cookie(user, blog)])


def picture(tmp_path):
    path = tmp_path / "tanggul.jpg"
    Picture.new("RGB", (1200, 675), (30, 90, 160)).save(path, "JPEG")
    return path


def write(page, *, title, body, labels=""):
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Body", exact=True).fill(body)
    if labels:
        page.get_by_label("Labels", exact=True).fill(labels)


def test_sign_in_from_the_printed_link(plain, live_server, db):
    out = io.StringIO()
    port = live_server.url.rsplit(":", 1)[1]
    call_command(
        "blog",
        "create",
        "warta-pagi",
        "--title",
        "Warta Pagi",
        "--owner",
        "sari@example.com",
        "--language",
        "en",
        "--base-url",
        f"http://warta-pagi.localhost:{port}",
        stdout=out,
    )
    link = re.search(r"(http://\S+)", out.getvalue()).group(1)
    page = plain()
    page.goto(link)
    page.wait_for_url(f"http://warta-pagi.localhost:{port}/desk/")
    assert page.get_by_role("link", name="New post").is_visible()
    assert "Welcome! You are signed in." in page.content()
    page.goto(link)  # once only
    assert "This sign-in link is not valid any more" in page.content()


def test_write_and_publish_with_a_lead_image_and_labels_seen_by_a_reader(
    plain, blog_url, make_blog, make_member, tmp_path
):
    blog = make_blog("kabar", title="Kabar Kita", language="en")
    editor = make_member(blog, "editor", display_name="Laras Wicaksono")
    page = plain()
    sign_in(page, editor, blog)
    page.goto(blog_url(blog, "/desk/"))
    page.get_by_role("link", name="New post").click()
    write(
        page,
        title="Warga pesisir Demak bertahan di tenda",
        body="Ratusan keluarga **masih** bertahan.\n\n## Bantuan datang\n\n- air bersih\n- selimut",
        labels="Nasional, Lingkungan",
    )
    page.get_by_label("Kicker", exact=True).fill("Jawa Tengah")
    page.get_by_label("Lead image: upload a new one").set_input_files(picture(tmp_path))
    page.get_by_label("Lead image caption", exact=True).fill("Tenda pengungsi di tanggul")
    page.get_by_label("Lead image credit", exact=True).fill("Warta/Laras")
    page.get_by_label("Lead image alternative text", exact=True).fill("Deretan tenda biru")
    page.get_by_label("Source", exact=True).fill("Antara")
    page.get_by_role("button", name="Publish now").click()
    assert "Published." in page.content()
    post = Post.objects.get()
    assert post.status == Status.PUBLISHED and re.fullmatch(
        r"/\d{4}/\d{2}/warga-pesisir-demak-bertahan-di-tenda\.html", post.path
    )

    reader = plain()
    reader.goto(blog_url(blog, post.path))
    assert reader.get_by_role("heading", level=1).inner_text() == post.title
    assert reader.locator(".kicker").text_content() == "Jawa Tengah"
    image = reader.locator("figure.lead img")
    assert image.get_attribute("alt") == "Deretan tenda biru"
    # A rendition of the upload (warta/posts/images.py), with the others in its srcset.
    assert image.get_attribute("src") == post.lead_image.rendition_url(960)
    assert image.get_attribute("srcset") == post.lead_image.srcset
    assert "Warta/Laras" in reader.locator("figure.lead figcaption").inner_text()
    assert reader.locator(".body h2").inner_text() == "Bantuan datang"
    assert reader.locator(".body li").count() == 2
    labels = reader.locator(".labels a").all_inner_texts()
    assert sorted(labels) == ["Lingkungan", "Nasional"]
    reader.goto(blog_url(blog, "/"))
    assert post.title in reader.content()  # the home page's cache knew at once


def test_restore_a_revision(plain, blog_url, make_blog, make_member):
    blog = make_blog("kabar", language="en")
    editor = make_member(blog, "editor", display_name="Laras")
    page = plain()
    sign_in(page, editor, blog)
    page.goto(blog_url(blog, "/desk/posts/new/"))
    write(page, title="Banjir", body="Versi pertama yang benar.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    page.get_by_label("Body", exact=True).fill("Versi kedua yang keliru.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Revisions").click()
    rows = page.locator("table.revisions tbody tr")
    expect(rows).to_have_count(2)  # count() alone would not wait for the page to be read
    assert "Laras" in rows.nth(0).inner_text() and "Laras" in rows.nth(1).inner_text()
    page.get_by_role("button", name="Compare A and B").click()
    assert page.locator(".diff del").inner_text() == "Versi pertama yang benar."
    assert page.locator(".diff ins").inner_text() == "Versi kedua yang keliru."
    page.go_back()
    rows.nth(1).get_by_role("button", name="Restore").click()
    assert "The revision was restored" in page.content()
    assert page.get_by_label("Body", exact=True).input_value() == "Versi pertama yang benar."
    assert Post.objects.get().body == "Versi pertama yang benar."
    assert Revision.objects.filter(is_autosave=False).count() == 3


def test_a_second_editors_stale_save_is_refused_with_both_texts(
    plain, blog_url, make_blog, make_member, make_post
):
    blog = make_blog("kabar", language="en")
    post = make_post(blog, title="Gempa", status=Status.DRAFT, body="Teks awal.")
    first, second = plain(), plain()
    sign_in(first, make_member(blog, "editor", display_name="Laras"), blog)
    sign_in(second, make_member(blog, "editor", display_name="Budi"), blog)
    for page in (first, second):
        page.goto(blog_url(blog, f"/desk/posts/{post.pk}/"))
    first.get_by_label("Body", exact=True).fill("Teks Laras.")
    first.get_by_role("button", name="Save draft").click()
    assert "Saved." in first.content()
    second.get_by_label("Body", exact=True).fill("Teks Budi.")
    second.get_by_role("button", name="Save draft").click()
    assert "Someone else saved this post while you were editing it." in second.content()
    assert second.locator("#stale-theirs").inner_text() == "Teks Laras."
    assert second.locator("#stale-yours").inner_text() == "Teks Budi."
    assert second.get_by_label("Body", exact=True).input_value() == "Teks Budi."  # kept
    post.refresh_from_db()
    assert post.body == "Teks Laras."


def test_an_authors_post_is_submitted_and_published_by_an_editor(
    plain, blog_url, make_blog, make_member, smtp
):
    blog = make_blog("kabar", language="id")  # the desk in Indonesian
    author = make_member(blog, "author", display_name="Sari")
    editor = make_member(blog, "editor", email="redaktur@example.com", display_name="Laras")
    writer = plain()
    sign_in(writer, author, blog)
    writer.goto(blog_url(blog, "/desk/posts/new/"))
    assert writer.get_by_role("button", name="Terbitkan sekarang").count() == 0
    writer.get_by_label("Judul", exact=True).fill("Harga cabai naik")
    writer.get_by_label("Isi", exact=True).fill("Harga cabai rawit naik dua kali lipat.")
    writer.get_by_role("button", name="Ajukan untuk ditinjau").click()
    assert "Diajukan untuk ditinjau" in writer.content()
    post = Post.objects.get()
    assert post.status == Status.PENDING
    [message] = smtp.messages
    assert message["To"] == "redaktur@example.com"
    text = message.get_payload(decode=True).decode()
    assert "Sari" in text and f"/desk/posts/{post.pk}/" in text

    desk = plain()
    sign_in(desk, editor, blog)
    desk.goto(blog_url(blog, "/desk/?status=pending"))
    desk.get_by_role("link", name="Harga cabai naik").click()
    desk.get_by_role("button", name="Terbitkan sekarang").click()
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED and post.author == author
    reader = plain()
    reader.goto(blog_url(blog, post.path))
    assert "Harga cabai rawit naik dua kali lipat." in reader.content()
    assert "Sari" in reader.locator(".byline").inner_text()


def test_a_correction_is_shown_to_readers(plain, blog_url, make_blog, make_member, make_post):
    blog = make_blog("kabar", language="en")
    editor = make_member(blog, "editor")
    post = make_post(blog, title="Korban banjir", body="Tiga ribu orang mengungsi.")
    reader = plain()
    reader.goto(blog_url(blog, post.path))  # now in the page cache
    assert reader.locator(".corrections").count() == 0
    desk = plain()
    sign_in(desk, editor, blog)
    desk.goto(blog_url(blog, f"/desk/posts/{post.pk}/"))
    desk.get_by_label("Correction", exact=True).fill("Yang mengungsi tiga ratus, bukan tiga ribu.")
    desk.get_by_role("button", name="Add correction").click()
    assert "The correction is shown to readers" in desk.content()
    reader.goto(blog_url(blog, post.path))
    box = reader.locator("section.corrections")
    assert "Yang mengungsi tiga ratus, bukan tiga ribu." in box.inner_text()
    data = json.loads(reader.locator('script[type="application/ld+json"]').inner_text())
    post.refresh_from_db()
    assert data["correction"][0]["text"] == "Yang mengungsi tiga ratus, bukan tiga ribu."
    assert data["dateModified"] == post.updated_at.isoformat()


def test_the_editor_at_360_px_with_the_keyboard(browser, blog_url, make_blog, make_member):
    blog = make_blog("kabar", language="en")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        sign_in(page, make_member(blog, "editor"), blog)
        for path in ["/desk/", "/desk/posts/new/"]:
            page.goto(blog_url(blog, path))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (path, width)
        # Keyboard only: the title has the focus; Tab reaches the buttons of the form.
        page.keyboard.type("Lewat papan ketik")
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.textContent.trim()")
            if focused == "Save draft":
                break
        else:
            pytest.fail("Tab never reached the Save draft button")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/desk/posts/\d+/$"))
        assert Post.objects.get().title == "Lewat papan ketik"
    finally:
        context.close()
