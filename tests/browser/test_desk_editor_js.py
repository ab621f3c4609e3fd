"""The desk's rich editor in a real Chromium (static/desk/editor/editor.js with the vendored
Tiptap bundle): it mounts beside the body textarea under the site's CSP, is usable by
keyboard, turns Markdown shortcuts and pasted Word HTML into clean structure that the saved
post and the reader's page keep, uploads dropped and pasted images, autosaves, keeps the text
in the browser when the connection or the session is lost and offers it back, and shows a
live preview rendered by the reader's templates."""

import base64
import io
import json
import re

import pytest
from django.conf import settings as django_settings
from PIL import Image as Picture
from playwright.sync_api import expect

from tests.browser.sessions import session_cookie
from warta.posts.models import Image, Post, Revision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "html[data-rich-editor=ready]"
EDITOR = "#rich-body"

WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal{mso-style-parent:"";font-size:11pt}</style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->
</head><body lang=EN-US style='tab-interval:36.0pt'>
<!--StartFragment-->
<h1 style='mso-margin-top-alt:auto'><span style='font-family:"Times New Roman"'>Banjir di Jakarta</span></h1>
<p class=MsoNormal style='margin-bottom:0cm;line-height:normal'><b style='mso-bidi-font-weight:normal'><span style='color:red'>Hujan deras</span></b>
<span style='mso-spacerun:yes'> </span>sejak <i>Senin malam</i> merendam
<a href="https://bmkg.go.id/cuaca" style='color:blue'>beberapa wilayah</a>.<o:p></o:p></p>
<script>window.pwned = true</script>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Kampung Melayu<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Cawang<o:p></o:p></p>
<p class=MsoNormal onclick="alert(1)">Warga mengungsi.<img src="file:///C:/Users/x/clip_image001.png"></p>
<!--EndFragment-->
</body></html>"""

PASTE = """([selector, html]) => {
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "plain");
  const target = document.querySelector(selector);
  target.focus();
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""

FILE_EVENT = """([selector, kind, b64, name]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const file = new File([bytes], name, {type: "image/png"});
  const data = new DataTransfer();
  data.items.add(file);
  const target = document.querySelector(selector);
  const box = target.getBoundingClientRect();
  const init = {bubbles: true, cancelable: true, clientX: box.left + 10, clientY: box.top + 10};
  if (kind === "paste") {
    target.focus();
    target.dispatchEvent(new ClipboardEvent("paste", {...init, clipboardData: data}));
  } else {
    target.dispatchEvent(new DragEvent("dragenter", {...init, dataTransfer: data}));
    target.dispatchEvent(new DragEvent("dragover", {...init, dataTransfer: data}));
    target.dispatchEvent(new DragEvent("drop", {...init, dataTransfer: data}));
  }
}"""


def png_base64(colour="green"):
    buffer = io.BytesIO()
    Picture.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def quiet_close(context, in_flight=()):
    """Close a context without its pages' last words (the autosave sent as a page closes,
    which escapes Playwright's routing) reaching the server after the test: they would write
    into the database being emptied for the next test."""
    for open_page in context.pages:
        open_page.evaluate(
            "() => document.querySelectorAll('[data-autosave-url]')"
            ".forEach((field) => { field.dataset.autosaveUrl = ''; })"
        )
    context.route("**/*", lambda route: route.abort())
    for _ in range(50):  # an autosave or preview the server is still answering
        if not in_flight or not context.pages:
            break
        context.pages[0].wait_for_timeout(100)
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    in_flight = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    page = context.new_page()
    yield page
    quiet_close(context, in_flight)


@pytest.fixture
def sign_in(page):
    def sign(user, blog):
        page.context.add_cookies([session_cookie(user, blog)])

    return sign


@pytest.fixture
def owner(blog, make_member, sign_in):
    user = make_member(blog, role="owner", display_name="Rina Editor")
    sign_in(user, blog)
    return user


@pytest.fixture
def csp_errors(page):
    """Console errors about the Content-Security-Policy (an inline style or script refused)."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.text} at {message.location}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def open_editor(page, url):
    page.goto(url)
    page.wait_for_selector(READY)
    return page.locator(EDITOR)


def body_field(page):
    return page.locator("#id_body").input_value()


def test_the_editor_mounts_under_the_csp_and_is_usable_by_keyboard(
    page, blog, owner, blog_url, csp_errors
):
    editor = open_editor(page, blog_url(blog, "/desk/posts/new/"))
    assert page.locator("#id_body").is_hidden()
    assert editor.get_attribute("contenteditable") == "true"
    # The editor is named by the body field's own label, and described by its hint.
    label = page.locator("label[for=id_body]")
    assert editor.get_attribute("aria-labelledby") == label.get_attribute("id")
    assert editor.get_attribute("aria-describedby") == "id_body_helptext"
    toolbar = page.get_by_role("toolbar")
    assert toolbar.get_attribute("aria-label") == "Pemformatan"  # the blog is in Indonesian
    buttons = toolbar.get_by_role("button")
    assert buttons.count() >= 10
    for index in range(buttons.count()):
        assert buttons.nth(index).get_attribute("aria-label")
    assert page.get_by_role("button", name="Tebal").is_visible()

    # Tab from the field before the body reaches the toolbar (one stop), then the text.
    page.locator("#id_dateline").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.command") == "bold"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.command") == "italic"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.dataset.command") == "redo"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "rich-body"

    # Markdown shortcuts while typing, and the toolbar by keyboard.
    page.keyboard.type("## Judul kecil\n")
    page.keyboard.type("> Kutipan narasumber\n\n")
    page.keyboard.type("- satu\ndua\n\n")
    page.keyboard.type("Kata ")
    page.keyboard.press("Control+b")
    page.keyboard.type("tebal")
    page.keyboard.press("Control+b")
    page.keyboard.type(" dan ")
    page.keyboard.press("Shift+Tab")  # back to the toolbar, on the button last used
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # italic on, and back in the text where it was
    expect(editor).to_be_focused()
    page.keyboard.type("miring")
    assert editor.locator("h2").inner_text() == "Judul kecil"
    assert editor.locator("blockquote").inner_text().strip() == "Kutipan narasumber"
    assert editor.locator("ul li").count() == 2
    assert editor.locator("strong").inner_text() == "tebal"
    assert editor.locator("em").inner_text() == "miring"
    assert page.get_by_role("button", name="Miring").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Alt+F10")  # from the text straight to the toolbar
    assert page.evaluate("() => document.activeElement.dataset.command") == "italic"
    page.keyboard.press("Tab")
    # Ctrl+K asks for a link's address (a plain prompt: keyboard and screen-reader friendly).
    page.once("dialog", lambda dialog: dialog.accept("https://kabar.id/banjir"))
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+k")
    expect(editor.locator("a[href='https://kabar.id/banjir']")).to_have_count(1)
    markdown = body_field(page)
    assert "## Judul kecil" in markdown
    assert "> Kutipan narasumber" in markdown
    assert re.search(r"^[-*] satu$", markdown, re.M) and re.search(r"^[-*] dua$", markdown, re.M)
    assert "**tebal**" in markdown and re.search(r"[*_]miring[*_]", markdown)
    assert "](https://kabar.id/banjir)" in markdown
    assert csp_errors == []


def test_the_editor_fits_a_phone(browser, blog, make_member, blog_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([session_cookie(make_member(blog, role="author"), blog)])
    page = context.new_page()
    try:
        open_editor(page, blog_url(blog, "/desk/posts/new/"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = page.locator(".rich-editor").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    finally:
        quiet_close(context)


def test_word_html_pasted_in_keeps_its_structure_and_loses_the_rest(
    page, browser, blog, owner, blog_url, csp_errors
):
    editor = open_editor(page, blog_url(blog, "/desk/posts/new/"))
    page.fill("#id_title", "Banjir merendam Jakarta")
    page.evaluate(PASTE, [EDITOR, WORD_HTML])
    assert editor.locator("h2").inner_text() == "Banjir di Jakarta"  # Word's h1: the title is h1
    assert editor.locator("strong").inner_text().strip() == "Hujan deras"
    assert editor.locator("em").inner_text() == "Senin malam"
    assert editor.locator("a").get_attribute("href") == "https://bmkg.go.id/cuaca"
    assert editor.locator("ul > li").all_inner_texts() == ["Kampung Melayu", "Cawang"]
    inner = editor.inner_html()
    for unwanted in ("style=", 'class="Mso', "<span", "mso-", "<script", "onclick", "file:", "·"):
        assert unwanted not in inner
    assert not page.evaluate("window.pwned === true")
    markdown = body_field(page)
    assert markdown.startswith("## Banjir di Jakarta")
    assert "**Hujan deras**" in markdown
    assert "[beberapa wilayah](https://bmkg.go.id/cuaca)" in markdown
    assert re.search(r"^[-*] Kampung Melayu$", markdown, re.M)

    page.locator("button[name=action][value=publish]").click()
    page.wait_for_url(re.compile(r"/desk/posts/\d+/$"))
    post = Post.objects.get(title="Banjir merendam Jakarta")
    assert post.status == "published" and post.body_format == "markdown"
    sent = post.body.replace("\r\n", "\n")
    assert sent == markdown  # the form sent the textarea
    html = post.body_html
    assert "<h2>Banjir di Jakarta</h2>" in html
    assert "<strong>Hujan deras</strong>" in html and "<em>Senin malam</em>" in html
    assert '<a href="https://bmkg.go.id/cuaca" rel="noopener">beberapa wilayah</a>' in html
    assert re.search(r"<ul>\s*<li>Kampung Melayu</li>\s*<li>Cawang</li>\s*</ul>", html)
    for unwanted in ("<script", "style", "class", "<span", "mso", "onclick", "<img"):
        assert unwanted not in html

    # An anonymous reader gets the same clean body on the post's own address.
    reader = browser.new_context()
    try:
        article = reader.new_page()
        article.goto(blog_url(blog, post.path))
        body = article.locator("article .body, .body").first
        assert body.locator("h2").inner_text() == "Banjir di Jakarta"
        assert body.locator("ul li").count() == 2
        assert body.locator("a[href='https://bmkg.go.id/cuaca']").count() == 1
        assert body.locator("script, style, span, [style], [class]").count() == 0
    finally:
        reader.close()
    assert csp_errors == []


@pytest.fixture
def draft(blog, owner, make_post):
    return make_post(
        blog, status="draft", author=owner, title="Laporan pagi", body="Paragraf awal."
    )


def type_at_end(page, text):
    page.locator(EDITOR).click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def status_line(page):
    return page.locator(".editor-status")


def test_a_lost_connection_keeps_the_text_and_offers_it_back(page, blog, owner, draft, blog_url):
    url = blog_url(blog, f"/desk/posts/{draft.pk}/")
    open_editor(page, url)
    type_at_end(page, " Kalimat tersimpan.")
    expect(status_line(page)).to_have_text(re.compile("^Tersimpan pukul"), timeout=15000)
    autosaved = Revision.objects.filter(post=draft, is_autosave=True).first()
    assert "Kalimat tersimpan." in autosaved.data["body"]
    draft.refresh_from_db()
    assert "Kalimat tersimpan." not in draft.body  # an autosave leaves the live post alone

    page.context.set_offline(True)
    page.keyboard.press("Enter")
    page.keyboard.type("Paragraf ditulis saat luring.")
    expect(status_line(page)).to_have_text(re.compile("^Luring"), timeout=15000)
    assert "Luring: disimpan di peramban ini" in status_line(page).inner_text()
    page.close()  # the tab is closed while still offline
    assert not any(
        "saat luring" in revision.data["body"] for revision in Revision.objects.filter(post=draft)
    )

    page.context.set_offline(False)
    again = page.context.new_page()
    open_editor(again, url)
    offer = again.get_by_role("alert")
    assert "belum tersimpan" in offer.inner_text()
    assert "saat luring" not in again.locator(EDITOR).inner_text()
    again.get_by_role("button", name="Pulihkan").click()
    assert "Paragraf ditulis saat luring." in again.locator(EDITOR).inner_text()
    assert again.get_by_role("alert").count() == 0
    assert "Paragraf ditulis saat luring." in body_field(again)
    again.locator("button[name=action][value=save]").click()
    again.wait_for_load_state()
    draft.refresh_from_db()
    assert "Kalimat tersimpan." in draft.body and "Paragraf ditulis saat luring." in draft.body
    # Once saved, the copy kept in the browser is not offered again.
    open_editor(again, url)
    again.wait_for_timeout(300)
    assert again.get_by_role("alert").count() == 0


def test_an_ended_session_keeps_the_text_until_signed_in_again(
    page, blog, owner, draft, blog_url, sign_in
):
    url = blog_url(blog, f"/desk/posts/{draft.pk}/")
    open_editor(page, url)
    page.context.clear_cookies(name=django_settings.SESSION_COOKIE_NAME)
    type_at_end(page, " Ditulis setelah sesi habis.")
    expect(status_line(page)).to_have_text(re.compile("^Sesi Anda telah berakhir"), timeout=15000)
    link = status_line(page).get_by_role("link", name="Masuk lagi")
    assert link.get_attribute("href").startswith("/accounts/login/?next=")
    stored = json.loads(
        page.evaluate(f"localStorage.getItem('warta-draft:' + location.host + ':{draft.pk}')")
    )
    assert any(name == "body" and "sesi habis" in value for name, value in stored["fields"])

    sign_in(owner, blog)  # signed in again, e.g. in another tab
    page.reload()
    page.wait_for_selector(READY)
    page.get_by_role("button", name="Pulihkan").click()
    assert "Ditulis setelah sesi habis." in page.locator(EDITOR).inner_text()


@pytest.mark.parametrize("how", ["drop", "paste", "button"])
def test_an_image_dropped_pasted_or_chosen_is_uploaded_and_inserted(
    page, blog, owner, blog_url, how, tmp_path, csp_errors
):
    editor = open_editor(page, blog_url(blog, "/desk/posts/new/"))
    page.fill("#id_title", "Foto kiriman")
    editor.click()
    page.keyboard.type("Sebelum foto.")
    asked = []

    def describe(dialog):  # the editor asks for the image's description once it is up
        asked.append(dialog.message)
        dialog.accept("Warga menyeberangi banjir")

    page.once("dialog", describe)
    if how == "button":
        path = tmp_path / "kiriman.png"
        path.write_bytes(base64.b64decode(png_base64()))
        page.locator(".rich-editor input[type=file]").set_input_files(str(path))
    else:
        page.evaluate(FILE_EVENT, [EDITOR, how, png_base64(), "kiriman.png"])
    image = editor.locator("img")
    expect(image).to_have_count(1, timeout=10000)
    stored = Image.objects.get()
    assert stored.blog == blog and stored.uploaded_by == owner
    assert (stored.width, stored.height) == (64, 48)
    assert image.get_attribute("src") == stored.url
    expect(status_line(page)).to_have_text("Gambar terunggah.")
    assert asked == ["Jelaskan gambar untuk pembaca yang tidak dapat melihatnya (teks alternatif):"]
    assert image.get_attribute("alt") == "Warga menyeberangi banjir"
    assert f"![Warga menyeberangi banjir]({stored.url})" in body_field(page)
    page.locator("button[name=action][value=save]").click()
    page.wait_for_url(re.compile(r"/desk/posts/\d+/$"))
    post = Post.objects.get(title="Foto kiriman")
    assert f'<img src="{stored.url}" alt="Warga menyeberangi banjir"' in post.body_html
    assert csp_errors == []


def test_a_refused_upload_is_said_and_nothing_is_inserted(page, blog, owner, blog_url):
    editor = open_editor(page, blog_url(blog, "/desk/posts/new/"))
    fake = base64.b64encode(b"<html>bukan gambar</html>").decode()
    page.evaluate(FILE_EVENT, [EDITOR, "drop", fake, "palsu.png"])
    expect(status_line(page)).to_contain_text("Gambar tidak terunggah: Berkas ini bukan gambar")
    assert editor.locator("img").count() == 0
    assert not Image.objects.exists()


def test_the_live_preview_uses_the_readers_template(page, blog, owner, draft, blog_url, csp_errors):
    editor = open_editor(page, blog_url(blog, f"/desk/posts/{draft.pk}/"))
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("## Perkembangan terbaru")
    frame = page.locator("#live-preview iframe")
    expect(frame).to_have_count(1, timeout=10000)
    assert page.locator("#live-preview").is_visible()
    assert frame.get_attribute("sandbox") == "allow-same-origin"  # no script runs in it
    assert frame.get_attribute("title") == "Pratinjau"
    inside = page.frame_locator("#live-preview iframe")
    expect(inside.locator(".body h2")).to_have_text("Perkembangan terbaru", timeout=10000)
    expect(inside.locator("h1").first).to_contain_text("Laporan pagi")
    draft.refresh_from_db()
    assert "Perkembangan" not in draft.body  # a preview saves nothing
    # The reader's stylesheet applies inside (same origin, no script).
    assert (
        inside.locator("body")
        .evaluate("b => getComputedStyle(b).fontFamily")
        .startswith("system-ui")
    )
    assert csp_errors == []


def test_a_body_the_editor_cannot_keep_stays_in_the_plain_textarea(
    page, blog, owner, make_post, blog_url
):
    table = "Hasil:\n\n| Partai | Suara |\n|---|---|\n| A | 10 |\n"
    post = make_post(blog, status="draft", author=owner, body=table)
    page.goto(blog_url(blog, f"/desk/posts/{post.pk}/"))
    expect(page.locator(".editor-note")).to_contain_text("tidak dapat dipertahankan")
    assert page.locator(EDITOR).count() == 0
    textarea = page.locator("#id_body")
    assert textarea.is_visible() and textarea.input_value() == table
    textarea.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("| B | 7 |")
    expect(status_line(page)).to_have_text(re.compile("^Tersimpan pukul"), timeout=15000)
    autosaved = Revision.objects.filter(post=post, is_autosave=True).first()
    assert autosaved.data["body"].replace("\r\n", "\n").endswith("| A | 10 |\n| B | 7 |")


def test_an_html_body_is_edited_and_sent_back_as_html(page, blog, owner, make_post, blog_url):
    post = make_post(
        blog,
        status="draft",
        author=owner,
        body_format="html",
        body='<p>Impor dari <a href="https://blogger.com">Blogger</a>.</p>',
    )
    editor = open_editor(page, blog_url(blog, f"/desk/posts/{post.pk}/"))
    assert editor.locator("a").inner_text() == "Blogger"
    # Untouched, the field is exactly as the server sent it.
    assert body_field(page) == post.body
    type_at_end(page, " Tambahan.")
    assert body_field(page).startswith('<p>Impor dari <a href="https://blogger.com"')
    assert page.locator("input[name=body_format]").input_value() == "html"
    page.locator("button[name=action][value=save]").click()
    page.wait_for_load_state()
    post.refresh_from_db()
    assert post.body_format == "html" and "Tambahan." in post.body_html
    assert '<a href="https://blogger.com" rel="noopener">Blogger</a>' in post.body_html


GOOGLE_DOCS_HTML = """<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b">
<h2 dir="ltr" style="line-height:1.38;margin-top:18pt"><span style="font-size:16pt;font-family:Arial">Sidang kabinet</span></h2>
<p dir="ltr" style="line-height:1.38"><span style="font-weight:700;font-family:Arial">Presiden</span><span style="font-family:Arial"> memimpin rapat </span><span style="font-style:italic;font-family:Arial">terbatas</span><span> di </span><a href="https://setneg.go.id/" style="text-decoration:none"><span style="color:#1155cc;text-decoration:underline">Istana</span></a><span>.</span></p>
<ol style="margin-top:0;margin-bottom:0"><li dir="ltr" style="list-style-type:decimal"><p dir="ltr" role="presentation"><span>Anggaran</span></p></li><li dir="ltr" style="list-style-type:decimal"><p dir="ltr" role="presentation"><span>Pangan</span></p></li></ol>
</b>"""

WEB_PAGE_HTML = """<div class="article__body" data-track="x"><h3 class="sub">Latar</h3>
<p class="lead">Menurut <strong class="x">BMKG</strong>, <span class="hl">curah hujan</span> <em>tinggi</em>.</p>
<iframe src="https://ads.example/"></iframe><script>window.pwned = true</script>
<ul class="related"><li><a href="javascript:alert(1)">jahat</a></li><li><a href="https://kabar.id/a" onclick="x()">baik</a></li></ul>
<button onclick="x()">Bagikan</button></div>"""


@pytest.mark.parametrize("source", ["google_docs", "web_page"])
def test_google_docs_and_web_pages_paste_as_clean_structure(page, blog, owner, blog_url, source):
    editor = open_editor(page, blog_url(blog, "/desk/posts/new/"))
    page.evaluate(PASTE, [EDITOR, GOOGLE_DOCS_HTML if source == "google_docs" else WEB_PAGE_HTML])
    markdown = body_field(page)
    if source == "google_docs":
        assert editor.locator("h2").inner_text() == "Sidang kabinet"
        assert editor.locator("strong").all_inner_texts() == ["Presiden"]  # not everything
        assert editor.locator("em").inner_text() == "terbatas"
        assert editor.locator("a").get_attribute("href") == "https://setneg.go.id/"
        assert editor.locator("ol > li").all_inner_texts() == ["Anggaran", "Pangan"]
        assert "**Presiden** memimpin rapat *terbatas* di [Istana](https://setneg.go.id/)." in (
            markdown.replace("_terbatas_", "*terbatas*")
        )
        assert re.search(r"^1\. Anggaran$", markdown, re.M)
    else:
        assert editor.locator("h3").inner_text() == "Latar"
        assert editor.locator("strong").inner_text() == "BMKG"
        assert editor.locator("a").count() == 1  # the javascript: one is left as text
        assert editor.locator("a").get_attribute("href") == "https://kabar.id/a"
        assert "jahat" in editor.inner_text()
        assert "javascript" not in markdown
    inner = editor.inner_html()
    for unwanted in ("style=", "<span", "<iframe", "<script", "onclick", "<button"):
        assert unwanted not in inner
    assert re.findall(r'class="([^"]*)"', inner) in ([], ["ProseMirror-trailingBreak"])
    assert not page.evaluate("window.pwned === true")


def test_a_new_post_becomes_its_draft_on_the_first_autosave(page, blog, owner, blog_url):
    editor = open_editor(page, blog_url(blog, "/desk/posts/new/"))
    page.fill("#id_title", "Kabar baru")
    editor.click()
    page.keyboard.type("Teks pertama.")
    expect(status_line(page)).to_have_text(re.compile("^Tersimpan pukul"), timeout=15000)
    post = Post.objects.get()
    assert post.status == "draft" and post.title == "Kabar baru"
    assert page.url == blog_url(blog, f"/desk/posts/{post.pk}/")  # history.replaceState
    assert page.locator("#post-editor").get_attribute("action") == f"/desk/posts/{post.pk}/"
    assert page.locator("#id_body").get_attribute("data-post-id") == str(post.pk)
    page.keyboard.type(" Teks kedua.")
    page.locator("button[name=action][value=save]").click()
    page.wait_for_load_state()
    assert Post.objects.count() == 1  # the save went to the same draft, not a second one
    post.refresh_from_db()
    assert post.body.strip() == "Teks pertama. Teks kedua."
    keys = page.evaluate("() => Object.keys(localStorage)")
    assert not any(key.endswith(":new") for key in keys)  # the copy moved to the post's key


def test_text_written_offline_is_saved_when_the_connection_is_back(
    page, blog, owner, draft, blog_url
):
    open_editor(page, blog_url(blog, f"/desk/posts/{draft.pk}/"))
    page.context.set_offline(True)
    type_at_end(page, " Ditulis di kereta.")
    expect(status_line(page)).to_have_text(re.compile("^Luring"), timeout=15000)
    assert not Revision.objects.filter(post=draft, is_autosave=True).exists()
    page.context.set_offline(False)
    expect(status_line(page)).to_have_text(re.compile("^Tersimpan pukul"), timeout=15000)
    autosaved = Revision.objects.filter(post=draft, is_autosave=True).first()
    assert autosaved.data["body"].strip().endswith("Ditulis di kereta.")


def test_an_images_description_is_edited_from_the_toolbar(page, blog, owner, blog_url):
    editor = open_editor(page, blog_url(blog, "/desk/posts/new/"))
    page.evaluate(FILE_EVENT, [EDITOR, "drop", png_base64(), "foto.png"])  # prompt dismissed
    expect(editor.locator("img")).to_have_count(1, timeout=10000)
    alt_button = page.get_by_role("button", name="Jelaskan gambar")
    editor.locator("img").click()  # the image is selected
    expect(alt_button).to_have_attribute("aria-disabled", "false")
    page.once("dialog", lambda dialog: dialog.accept("Peta banjir Jakarta"))
    alt_button.click()
    expect(editor.locator("img")).to_have_attribute("alt", "Peta banjir Jakarta")
    assert "![Peta banjir Jakarta](" in body_field(page)


def test_without_the_bundle_the_plain_form_still_saves_and_keeps_the_text(
    page, blog, owner, draft, blog_url
):
    page.route("**/desk/editor/tiptap*.js", lambda route: route.abort())
    page.goto(blog_url(blog, f"/desk/posts/{draft.pk}/"))
    textarea = page.locator("#id_body")
    expect(textarea).to_be_visible()
    assert page.locator(EDITOR).count() == 0
    textarea.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Tanpa editor kaya.")
    expect(status_line(page)).to_have_text(re.compile("^Tersimpan pukul"), timeout=15000)
    autosaved = Revision.objects.filter(post=draft, is_autosave=True).first()
    assert autosaved.data["body"].endswith("Tanpa editor kaya.")


def test_without_javascript_the_body_is_a_plain_markdown_field(browser, blog, owner, blog_url):
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies([session_cookie(owner, blog)])
    try:
        page = context.new_page()
        page.goto(blog_url(blog, "/desk/posts/new/"))
        page.fill("#id_title", "Tanpa JavaScript")
        page.fill("#id_body", "## Subjudul\n\nIsi **tebal**.")
        page.locator("button[name=action][value=save]").click()
        page.wait_for_load_state()
        post = Post.objects.get(title="Tanpa JavaScript")
        assert post.body_format == "markdown"
        assert "<h2>Subjudul</h2>" in post.body_html and "<strong>tebal</strong>" in post.body_html
    finally:
        context.close()


WORD_LISTS = """<p class=MsoListParagraphCxSpFirst style='mso-list:l1 level1 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>1.<span>&nbsp;</span></span><![endif]>Pertama</p>
<p class=MsoListParagraphCxSpMiddle style='mso-list:l1 level2 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>a.<span>&nbsp;</span></span><![endif]>Rincian</p>
<p class=MsoListParagraphCxSpLast style='mso-list:l1 level1 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>2.<span>&nbsp;</span></span><![endif]>Kedua</p>
<p class=MsoNormal>Sesudah daftar.</p>"""


def test_words_numbered_and_nested_lists_become_real_lists(page, blog, owner, blog_url):
    open_editor(page, blog_url(blog, "/desk/posts/new/"))
    script = page.locator("script[src*='desk/editor/editor']").get_attribute("src")
    cleaned = page.evaluate(
        "async ([src, html]) => (await import(src)).cleanPastedHTML(html)", [script, WORD_LISTS]
    )
    assert cleaned.replace("\n", "") == (
        "<ol><li>Pertama<ol><li>Rincian</li></ol></li><li>Kedua</li></ol><p>Sesudah daftar.</p>"
    )


def test_every_label_is_suggested_not_only_the_first(page, blog, owner, blog_url, csp_errors):
    from warta.posts.models import Label

    for name in ("Ekonomi", "Nasional", "Internasional"):
        Label.objects.create(blog=blog, name=name)
    page.goto(blog_url(blog, "/desk/posts/new/"))
    page.locator("#id_labels").press_sequentially("Ekonomi, Na")
    offered = page.eval_on_selector_all(
        "#label-names option", "options => options.map(o => o.value)"
    )
    assert "Ekonomi, Nasional" in offered and "Ekonomi, Internasional" in offered
    assert not any(value.endswith(", Ekonomi") for value in offered)  # chosen already
    assert csp_errors == []
