"""The blog's settings and appearance in a real Chromium, the owner's desk without
JavaScript: the comment policy changed to members only takes the comment form from an
anonymous reader at once, though their page was a page-cache hit a moment before; the theme,
accent colour, custom CSS and menu reach the reader's page as files, with no inline style;
the custom domain's check; the icon upload refused for a non-image and taken for a PNG."""

import io
import socket
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from PIL import Image as Picture
from playwright.sync_api import expect

from tests.browser.sessions import session_cookie
from warta.blogs.models import Blog
from warta.posts.models import Label, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(transactional_db):
    """The project's own WSGI application (``warta.wsgi``: page-cache hits answered before
    Django, as in production) on a free loopback port; ``served(blog, path)`` is a URL."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections

    from warta.wsgi import application

    served_app = StaticFilesHandler(application)

    def closing(environ, start_response):
        # Each request has a thread of its own: its database connection goes with it, so the
        # test database can be dropped at the end.
        try:
            return list(served_app(environ, start_response))
        finally:
            connections.close_all()

    server = make_server(
        "127.0.0.1",
        0,
        closing,
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield lambda blog, path="/": f"http://{blog.slug}.localhost:{port}{path}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def contexts(browser):
    """``contexts(js=False, width=1280)``: a new person at a new browser."""
    made = []

    def new(*, js=False, width=1280):
        context = browser.new_context(
            java_script_enabled=js, viewport={"width": width, "height": 900}
        )
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()


@pytest.fixture
def newsroom(make_blog, make_member, make_post):
    blog = make_blog("meja", title="Meja Redaksi", language="en", comment_policy="anyone")
    owner = make_member(blog, role="owner", display_name="Olivia Owner")
    return blog, owner, make_post(blog, title="Banjir rob di pesisir")


def signed_in(page, user, blog):
    page.context.add_cookies([session_cookie(user, blog)])
    return page


def test_members_only_takes_the_form_from_an_anonymous_reader_at_once(contexts, served, newsroom):
    blog, owner, post = newsroom
    reader = contexts()
    reader.goto(served(blog, post.path))
    assert reader.locator("#respond").count() == 1
    again = reader.goto(served(blog, post.path))
    assert again.headers.get("x-cache") == "hit"  # the page comes from the page cache now

    desk = signed_in(contexts(), owner, blog)
    desk.goto(served(blog, "/desk/"))
    desk.get_by_role("link", name="Settings").click()
    desk.get_by_role("navigation", name="Settings").get_by_role("link", name="Comments").click()
    desk.get_by_label("Members of this blog only").check()
    desk.get_by_role("button", name="Save").click()
    assert "Saved. Readers see the change now." in desk.content()
    assert Blog.objects.get(pk=blog.pk).comment_policy == "members"

    reader.goto(served(blog, post.path))
    assert reader.locator("#respond").count() == 0
    note = reader.locator(".policy-note").inner_text()
    assert note == "Note: Only a member of this blog may post a comment."


def test_an_error_in_the_desk_keeps_what_was_typed(contexts, served, newsroom):
    blog, owner, _post = newsroom
    desk = signed_in(contexts(width=360), owner, blog)
    desk.goto(served(blog, "/desk/settings/"))
    desk.get_by_label("Title").fill("Meja Baru")
    desk.get_by_label("Posts per page").fill("500")
    desk.get_by_role("button", name="Save").click()
    expect(desk.get_by_role("alert")).to_be_visible()
    assert "less than or equal to 50" in desk.locator(".field-posts_per_page .error").inner_text()
    assert desk.get_by_label("Title").input_value() == "Meja Baru"
    assert desk.get_by_label("Posts per page").input_value() == "500"
    assert Blog.objects.get(pk=blog.pk).title == "Meja Redaksi"
    # Fine at 360 px: no section wider than the screen, every field labelled.
    for section in SECTIONS:
        desk.goto(served(blog, section))
        assert desk.evaluate("document.documentElement.scrollWidth") <= 360, section
        unlabelled = desk.evaluate(UNLABELLED)
        assert unlabelled == [], (section, unlabelled)


SECTIONS = [
    "/desk/settings/",
    "/desk/settings/comments/",
    "/desk/settings/membership/",
    "/desk/settings/domain/",
    "/desk/settings/pictures/",
    "/desk/appearance/",
    "/desk/appearance/menu/",
]
UNLABELLED = """[...document.querySelectorAll('main input, main select, main textarea, .desk input, .desk select, .desk textarea')]
  .filter(field => field.type !== 'hidden' && field.labels.length === 0 && !field.closest('.search'))
  .map(field => field.name)"""


def test_theme_accent_css_and_menu_reach_the_reader_without_inline_style(
    contexts, served, newsroom
):
    blog, owner, post = newsroom
    about = Page.objects.create(blog=blog, title="Tentang kami", status="published")
    contact = Page.objects.create(blog=blog, title="Kontak", status="published")
    Label.objects.create(blog=blog, name="Nasional")

    desk = signed_in(contexts(), owner, blog)
    desk.goto(served(blog, "/desk/appearance/"))
    desk.get_by_label("Koran", exact=False).check()
    desk.get_by_label("Accent colour").fill("#B3261E")
    desk.get_by_label("Custom CSS").fill(".blog-title a{text-transform:uppercase}")
    desk.get_by_role("button", name="Save").click()
    assert "Saved." in desk.content()

    desk.goto(served(blog, "/desk/appearance/menu/"))
    for choice in ("Kontak", "Nasional", "Tentang kami"):
        desk.get_by_label("Add to the menu").select_option(label=choice)
        desk.get_by_role("button", name="Add", exact=True).click()
    desk.get_by_role("button", name="Move “Tentang kami” up").click()

    violations = []
    reader = contexts(js=True)
    reader.on("console", lambda message: violations.append(message.text))
    reader.goto(served(blog, post.path))
    links = reader.locator("link[rel=stylesheet]")
    hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    assert hrefs[:2] == ["/static/warta/warta.css", "/static/warta/themes/koran.css"]
    assert hrefs[2].startswith("/theme.css?v=")
    served_css = reader.evaluate("url => fetch(url).then(answer => answer.text())", hrefs[2])
    assert served_css.startswith(":root{--accent:#b3261e}")
    assert reader.locator("style, [style]").count() == 0
    # The browser applied all three: the accent, the theme's serif, the owner's rule.
    link_colour = reader.evaluate("getComputedStyle(document.querySelector('.pages-nav a')).color")
    assert link_colour == "rgb(179, 38, 30)"
    assert "serif" in reader.evaluate("getComputedStyle(document.body).fontFamily").lower()
    title = reader.evaluate(
        "getComputedStyle(document.querySelector('.blog-title a')).textTransform"
    )
    assert title == "uppercase"
    assert not [text for text in violations if "Content Security Policy" in text]
    menu = reader.locator(".pages-nav a").all_inner_texts()
    assert menu == ["Kontak", "Tentang kami", "Nasional"]
    assert about.pk and contact.pk


ZONE = {"localhost": ["127.0.0.1"], "meja.localhost": ["127.0.0.1"], "kabarkita.id": ["127.0.0.1"]}


def zone_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if host not in ZONE:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [(socket.AF_INET, socket.SOCK_STREAM, proto, "", (a, 0)) for a in ZONE[host]]


def test_the_custom_domain_and_its_check(contexts, served, newsroom, settings):
    settings.WARTA_DNS_RESOLVER = f"{__name__}.zone_getaddrinfo"
    blog, owner, _post = newsroom
    desk = signed_in(contexts(), owner, blog)
    desk.goto(served(blog, "/desk/settings/domain/"))
    desk.get_by_label("Custom domain").fill("www.KabarKita.id")
    desk.get_by_role("button", name="Save").click()
    assert Blog.objects.get(pk=blog.pk).custom_domain == "kabarkita.id"
    records = desk.locator("table.dns-records tbody tr").all_inner_texts()
    assert records[0].split() == ["www.kabarkita.id", "CNAME", "localhost."]
    desk.get_by_role("button", name="Check kabarkita.id now").click()
    status = desk.get_by_role("status").inner_text()
    assert "kabarkita.id reaches this server." in status
    assert "www.kabarkita.id: does not resolve" in status


def test_an_icon_upload_refused_for_a_non_image_and_taken_for_a_png(
    contexts, served, newsroom, tmp_path, settings
):
    blog, owner, post = newsroom
    desk = signed_in(contexts(), owner, blog)
    desk.goto(served(blog, "/desk/settings/pictures/"))
    fake = tmp_path / "ikon.png"
    fake.write_bytes(b"this is a text file wearing a .png name")
    desk.get_by_label("Icon (favicon)").set_input_files(str(fake))
    desk.get_by_role("button", name="Save").click()
    assert "not an image Warta can read" in desk.locator(".field-favicon .error").inner_text()
    assert not Blog.objects.get(pk=blog.pk).favicon
    assert not (settings.MEDIA_ROOT / "blogs").exists()

    real = tmp_path / "ikon-asli.png"
    buffer = io.BytesIO()
    Picture.new("RGB", (256, 256), (11, 92, 173)).save(buffer, "PNG")
    real.write_bytes(buffer.getvalue())
    desk.get_by_label("Icon (favicon)").set_input_files(str(real))
    desk.get_by_role("button", name="Save").click()
    assert "Saved." in desk.content()
    blog = Blog.objects.get(pk=blog.pk)
    assert blog.favicon and blog.touch_icon

    reader = contexts()
    reader.goto(served(blog, post.path))
    icon = reader.locator("link[rel=icon]")
    assert icon.count() == 1 and icon.get_attribute("href") == blog.favicon_url
    touch = reader.locator("link[rel=apple-touch-icon]").get_attribute("href")
    assert touch == blog.touch_icon_url


def test_under_warta_serve_members_only_reaches_every_worker_at_once(browser, tmp_path):
    """As shipped: `warta serve` (granian, several workers, the page cache answering hits
    before Django) on a fresh data folder with the demo blog. Selectors by field name, not
    by label, so the test holds in whichever language the demo blog speaks."""
    import re
    import subprocess

    from warta.core.tests.servers import WARTA, prepare_site, serving, site_env

    prepare_site(tmp_path)
    env = site_env(tmp_path)
    opened = (
        "from warta.blogs.models import Blog; blog = Blog.objects.get(slug='kabar'); "
        "blog.comment_policy = 'anyone'; blog.save()"
    )
    subprocess.run([WARTA, "shell", "-c", opened], env=env, check=True, capture_output=True)
    with serving(tmp_path) as site:
        base = f"http://kabar.localhost:{site.port}"
        article = base + site.article_path()
        reader = browser.new_context(java_script_enabled=False)
        desk = browser.new_context(java_script_enabled=False)
        try:
            page = reader.new_page()
            caches = [page.goto(article).headers.get("x-cache") for _ in range(6)]
            assert "hit" in caches, caches
            assert page.locator("#respond").count() == 1

            printed = subprocess.run(
                [WARTA, "blog", "link", "kabar", "--if-never-signed-in", "--base-url", base],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            owner = desk.new_page()
            owner.goto(re.search(r"(http://\S+/desk/welcome/\S+)", printed).group(1))
            owner.wait_for_url(base + "/desk/")
            owner.goto(base + "/desk/settings/comments/")
            owner.locator("input[name=comment_policy][value=members]").check()
            owner.locator("form.settings-form button[type=submit]").click()
            owner.wait_for_url(base + "/desk/settings/comments/")

            # Whichever worker answers, none serves the page it kept from before.
            for _ in range(6):
                page.goto(article)
                assert page.locator("#respond").count() == 0
                assert page.locator(".policy-note").count() == 1
        finally:
            reader.close()
            desk.close()
