"""The media library in a real Chromium: a writer uploads a photo in the desk (the plain
file picker, and dropped or pasted with the page's script), picks it as a post's lead image,
publishes, and a reader's phone gets the article's renditions through srcset, each
answering 200."""

import re

import pytest
from PIL import Image as Picture

from tests.browser.sessions import session_cookie
from warta.posts.models import Image, Post, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contexts(browser):
    opened = []

    def new(*, width=1280, javascript=True, user=None, blog=None):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        if user:
            context.add_cookies([session_cookie(user, blog)])
        opened.append(context)
        return context.new_page()

    yield new
    for context in opened:
        context.close()


def photo(tmp_path, name="perahu-nelayan.jpg", size=(1800, 1200)):
    path = tmp_path / name
    picture = Picture.new("RGB", size, (30, 90, 160))
    picture.paste((200, 40, 40), (0, 0, size[0] // 2, size[1]))
    picture.save(path, "JPEG", quality=90)
    return path


def test_upload_in_the_library_use_as_lead_image_and_readers_get_renditions(
    contexts, blog_url, make_blog, make_member, tmp_path, settings
):
    settings.WARTA_IMAGE_INLINE_PIXELS = 4_000_000  # made inline: no worker in this test
    blog = make_blog("kabar", title="Kabar Kita", language="en")
    editor = make_member(blog, "editor", display_name="Laras Wicaksono")
    desk = contexts(user=editor, blog=blog)
    desk.goto(blog_url(blog, "/desk/"))
    desk.get_by_role("link", name="Media").click()
    assert desk.get_by_role("heading", level=1).inner_text() == "Media"
    desk.get_by_label("Image file").set_input_files(photo(tmp_path))
    desk.get_by_label("Alternative text", exact=True).fill("Perahu nelayan di tanggul")
    desk.get_by_role("button", name="Upload").click()
    desk.wait_for_url(re.compile(r"/desk/media/\d+/$"))
    image = Image.objects.get()
    assert image.alt == "Perahu nelayan di tanggul" and image.width == 1800
    assert desk.get_by_role("heading", level=1).inner_text() == "perahu-nelayan.jpg"
    assert "Not used in any post or page." in desk.content()

    # The editor as a plain form (what every writer gets without the rich editor).
    writer = contexts(user=editor, blog=blog, javascript=False)
    writer.goto(blog_url(blog, "/desk/posts/new/"))
    writer.get_by_label("Title", exact=True).fill("Nelayan Demak kembali melaut")
    writer.get_by_label("Body", exact=True).fill("Setelah dua pekan, perahu kembali berlayar.")
    writer.get_by_label("Lead image: pick an uploaded one").select_option(str(image.pk))
    writer.get_by_role("button", name="Publish now").click()
    assert "Published." in writer.content()
    post = Post.objects.get()
    assert post.status == Status.PUBLISHED and post.lead_image == image

    desk.reload()
    assert "Lead image of" in desk.content() and "Delete image" not in desk.content()

    phone = contexts(width=360)
    fetched = []
    phone.on("response", lambda response: fetched.append((response.url, response.status)))
    phone.goto(blog_url(blog, post.path))
    lead = phone.locator("figure.lead img")
    srcset = lead.get_attribute("srcset")
    listed = [candidate.split(" ") for candidate in srcset.split(", ")]
    assert [width for _url, width in listed] == ["320w", "640w", "960w", "1280w", "1600w"]
    webp = phone.locator("figure.lead source[type='image/webp']").get_attribute("srcset")
    assert webp.count("w,") == 4 and ".webp 1600w" in webp
    assert lead.get_attribute("alt") == "Perahu nelayan di tanggul"
    lead.evaluate("img => img.decode()")
    shown = lead.evaluate("img => img.currentSrc")
    assert "/images/r/" in shown and shown.endswith(".webp")  # a rendition, not the upload
    for url in [url for url, _width in listed] + [c.split(" ")[0] for c in webp.split(", ")]:
        status, kind = fetch(phone, url)
        assert status == 200 and kind in ("image/jpeg", "image/webp"), url
    assert (shown, 200) in fetched
    assert not any(url.endswith(image.file.name) for url, _status in fetched)
    share = phone.locator("meta[property='og:image']").get_attribute("content")
    assert share.endswith("-share.jpg") and fetch(phone, share) == (200, "image/jpeg")


def fetch(page, url):
    """``(status, content type)`` of ``url`` fetched by the page itself (its host resolves
    in the browser, which maps every ``*.localhost`` to loopback)."""
    status, kind = page.evaluate(
        "url => fetch(url).then(r => [r.status, r.headers.get('content-type')])", url
    )
    return status, kind


def test_an_image_dropped_or_pasted_on_the_library_is_uploaded(
    contexts, blog_url, make_blog, make_member, tmp_path
):
    blog = make_blog("kabar", title="Kabar Kita", language="en")
    desk = contexts(user=make_member(blog, "author"), blog=blog)
    desk.goto(blog_url(blog, "/desk/media/"))
    assert desk.locator(".media-drop-hint").is_visible()
    data = list(photo(tmp_path, size=(400, 300)).read_bytes())

    def send(event_name, name):
        desk.evaluate(
            """([eventName, bytes, name]) => {
                const file = new File([new Uint8Array(bytes)], name, {type: "image/jpeg"});
                const transfer = new DataTransfer();
                transfer.items.add(file);
                const form = document.querySelector("form[data-drop-zone]");
                if (eventName === "drop") {
                    form.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
                } else {
                    document.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
                }
            }""",
            [event_name, data, name],
        )
        desk.wait_for_url(re.compile(r"/desk/media/\d+/$"))

    send("drop", "jatuh.jpg")
    assert desk.get_by_role("heading", level=1).inner_text() == "jatuh.jpg"
    desk.goto(blog_url(blog, "/desk/media/"))
    send("paste", "tempel.jpg")
    assert desk.get_by_role("heading", level=1).inner_text() == "tempel.jpg"
    assert sorted(Image.objects.values_list("width", flat=True)) == [400, 400]
    # Both are flagged: neither has alternative text yet.
    desk.goto(blog_url(blog, "/desk/media/"))
    assert desk.locator(".media-item.no-alt").count() == 2


def test_a_refused_file_shows_the_message_and_keeps_the_alt_text(
    contexts, blog_url, make_blog, make_member, tmp_path
):
    blog = make_blog("kabar", title="Kabar Kita", language="id")
    desk = contexts(user=make_member(blog, "author"), blog=blog, javascript=False, width=360)
    desk.goto(blog_url(blog, "/desk/media/"))
    fake = tmp_path / "foto.jpg"
    fake.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    desk.locator("input[type=file]").set_input_files(fake)
    desk.locator("input[name=alt]").fill("Banjir")
    desk.locator("form.media-upload button[type=submit]").click()
    assert "Berkas ini bukan gambar" in desk.locator(".form-errors").inner_text()
    assert desk.locator("input[name=alt]").input_value() == "Banjir"
    assert not Image.objects.exists()
    width = desk.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone
