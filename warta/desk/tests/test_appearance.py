"""The blog's appearance: a built-in theme, an accent colour and custom CSS, served as a
file at a versioned address (no inline style, so the CSP stays 'self'), refused when it
could break out of a stylesheet or load from another site; and the header's menu in the
owner's order, changed with plain buttons."""

import gzip
import re

import lxml.html
import pytest
from django.contrib.staticfiles import finders

from warta.blogs.models import Blog
from warta.blogs.themes import THEMES
from warta.posts.models import Label, Page

HOST = "meja.localhost"


def appear(client, **data):
    data = {"theme": "kabar", "accent_color": "", "custom_css": "", **data}
    return client.post("/desk/appearance/", data, HTTP_HOST=HOST)


def stylesheets_of(html):
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def test_theme_accent_and_css_reach_the_readers_page_as_files(
    owner, newsroom, make_post, host_client
):
    post = make_post(newsroom[0])
    appear(owner, theme="koran", accent_color="#B3261E", custom_css=".blog-title{color:red}")
    blog = Blog.objects.get(pk=newsroom[0].pk)
    reader = host_client("meja")
    html = reader.get(post.path).text
    links = stylesheets_of(html)
    assert links[1] == "/static/warta/themes/koran.css"
    assert links[2] == f"/theme.css?v={blog.style_version}"
    assert "<style" not in html and " style=" not in html
    served = reader.get(links[2])
    assert served["Content-Type"] == "text/css; charset=utf-8"
    assert served.text == ":root{--accent:#b3261e}\n.blog-title{color:red}\n"
    assert "immutable" in served["Cache-Control"]


def test_the_stylesheets_address_changes_with_what_it_says_only(owner, newsroom, make_post):
    appear(owner, accent_color="#123456")
    first = Blog.objects.get(pk=newsroom[0].pk).stylesheet_url
    make_post(newsroom[0])  # a write elsewhere: the same file
    assert Blog.objects.get(pk=newsroom[0].pk).stylesheet_url == first
    appear(owner, accent_color="#654321")
    assert Blog.objects.get(pk=newsroom[0].pk).stylesheet_url != first


def test_an_old_address_gets_the_current_file_briefly_cached(owner, newsroom, host_client):
    appear(owner, accent_color="#123456")
    response = host_client("meja").get("/theme.css?v=old")
    assert response.text.startswith(":root{--accent:#123456}")
    assert "immutable" not in response["Cache-Control"]


def test_the_file_answers_304_to_its_etag(owner, newsroom, host_client):
    appear(owner, accent_color="#123456")
    url = Blog.objects.get(pk=newsroom[0].pk).stylesheet_url
    etag = host_client("meja").get(url)["ETag"]
    assert host_client("meja").get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_default_theme_and_no_css_add_no_stylesheet(newsroom, make_post, host_client):
    html = host_client("meja").get(make_post(newsroom[0]).path).text
    assert stylesheets_of(html) == ["/static/warta/warta.css"]


def test_the_owners_css_stays_out_of_the_desk(owner, newsroom):
    appear(owner, custom_css="form{display:none}")
    html = owner.get("/desk/appearance/", HTTP_HOST=HOST).text
    assert "/theme.css" not in html


@pytest.mark.parametrize(
    ("css", "message"),
    [
        ("</style><script>alert(1)</script>", "HTML"),
        ("a{content:'<!--'}", "HTML"),
        ("@import url(https://evil.example/x.css);", "@import"),
        ("@\\69mport 'x.css';", "@import"),
        ("@im/**/port 'x.css';", "@import"),
        ("body{background:url(https://evil.example/x.png)}", "another site"),
        ("body{background:url('//evil.example/x.png')}", "another site"),
        ("body{background:u\\72l(http://evil.example/x.png)}", "another site"),
        ('body{background:image-set("https://evil.example/x.png" 1x)}', "another site"),
        ("a{background:url(javascript:alert(1))}", "javascript:"),
        ("a{width:expression(alert(1))}", "expression("),
        ("a{color:red}" + "b" * 51 * 1024, "too long"),
    ],
)
def test_css_that_could_escape_or_load_from_elsewhere_is_refused(owner, newsroom, css, message):
    response = appear(owner, custom_css=css)
    assert response.status_code == 400
    assert message in response.text
    assert Blog.objects.get(pk=newsroom[0].pk).custom_css == ""


@pytest.mark.parametrize(
    "css",
    [
        ".kicker{color:#b3261e}",
        "body{background:url(/media/blogs/meja/paper.png)}",
        "a::after{content:'Note: read more'}",
        "p>a{font-weight:700}",
    ],
)
def test_ordinary_css_is_accepted(owner, newsroom, css):
    assert appear(owner, custom_css=css).status_code == 302
    assert Blog.objects.get(pk=newsroom[0].pk).custom_css == css


def test_css_written_by_other_means_is_checked_again_before_it_is_served(newsroom, host_client):
    blog = newsroom[0]
    blog.accent_color, blog.custom_css = "#123456", "@import url(https://evil.example/x.css);"
    blog.save()
    served = host_client("meja").get(blog.stylesheet_url).text
    assert "evil" not in served and "--accent:#123456" in served


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_theme_keeps_an_article_within_the_page_weight_budget(
    newsroom, make_post, host_client, theme
):
    from warta.reader.tests.test_page_weight import BUDGET, LONG_BODY

    blog = newsroom[0]
    blog.theme, blog.accent_color, blog.custom_css = theme, "#b3261e", ".kicker{color:red}"
    blog.save()
    post = make_post(blog, body=LONG_BODY, labels=["Nasional", "Lingkungan"])
    reader = host_client("meja")
    html = reader.get(post.path).content
    weight = len(gzip.compress(html))
    for link in stylesheets_of(html.decode()):
        if link.startswith("/static/"):
            with open(finders.find(link.removeprefix("/static/")), "rb") as css:
                weight += len(gzip.compress(css.read()))
        else:
            weight += len(gzip.compress(reader.get(link).content))
    print(f"page weight with {theme}: {weight} bytes")
    assert weight <= BUDGET, f"{theme}: {weight} bytes compressed; the budget is {BUDGET}"


# ---------------------------------------------------------------- the menu


@pytest.fixture
def pages_and_labels(newsroom):
    blog = newsroom[0]
    about = Page.objects.create(blog=blog, title="Tentang kami", body="Kami.", status="published")
    contact = Page.objects.create(blog=blog, title="Kontak", body="Surel.", status="published")
    label = Label.objects.create(blog=blog, name="Nasional")
    return about, contact, label


def change(client, action, entry):
    return client.post(
        "/desk/appearance/menu/change/", {"action": action, "entry": entry}, HTTP_HOST=HOST
    )


def header_links(host_client, path="/"):
    page = lxml.html.fromstring(host_client("meja").get(path).content)
    return [link.text_content() for link in page.xpath("//nav[@class='pages-nav']//a")]


def test_without_a_menu_the_header_lists_the_pages(newsroom, pages_and_labels, host_client):
    assert header_links(host_client) == ["Tentang kami", "Kontak"]


def test_the_owners_menu_orders_the_header_and_readers_see_it_at_once(
    owner, newsroom, pages_and_labels, host_client
):
    about, contact, label = pages_and_labels
    header_links(host_client)  # the home page is in the page cache now
    for entry in (f"page:{contact.pk}", f"label:{label.pk}", f"page:{about.pk}"):
        assert change(owner, "add", entry).status_code == 302
    assert header_links(host_client) == ["Kontak", "Nasional", "Tentang kami"]
    change(owner, "up", f"page:{about.pk}")
    assert header_links(host_client) == ["Kontak", "Tentang kami", "Nasional"]
    change(owner, "down", f"page:{contact.pk}")
    change(owner, "remove", f"label:{label.pk}")
    assert header_links(host_client) == ["Tentang kami", "Kontak"]
    assert Blog.objects.get(pk=newsroom[0].pk).menu == [{"page": about.pk}, {"page": contact.pk}]


def test_the_menu_page_lists_entries_with_buttons_and_what_may_be_added(
    owner, newsroom, pages_and_labels
):
    about, contact, label = pages_and_labels
    change(owner, "add", f"page:{about.pk}")
    change(owner, "add", f"label:{label.pk}")
    page = lxml.html.fromstring(owner.get("/desk/appearance/menu/", HTTP_HOST=HOST).content)
    entries = page.xpath("//ol[@class='menu-entries']/li")
    assert [entry.xpath(".//span")[0].text for entry in entries] == ["Tentang kami", "Nasional"]
    first_buttons = [b.get("value") for b in entries[0].xpath(".//button")]
    assert first_buttons == ["down", "remove"]  # the first cannot go up
    assert [b.get("value") for b in entries[1].xpath(".//button")] == ["up", "remove"]
    assert page.xpath("//select[@id='menu-entry']//option/text()") == ["Kontak"]
    assert page.xpath("//label[@for='menu-entry']")


@pytest.mark.parametrize(
    ("action", "entry"),
    [("add", "page:999999"), ("up", "page:1"), ("fly", "label:1"), ("add", "nonsense")],
)
def test_a_change_that_does_not_apply_changes_nothing(
    owner, newsroom, pages_and_labels, action, entry
):
    response = change(owner, action, entry)
    assert response.status_code == 302
    assert Blog.objects.get(pk=newsroom[0].pk).menu == []


def test_a_page_of_another_blog_cannot_enter_the_menu(owner, newsroom, make_blog):
    other = Page.objects.create(blog=make_blog("lain"), title="Lain", status="published")
    change(owner, "add", f"page:{other.pk}")
    assert Blog.objects.get(pk=newsroom[0].pk).menu == []


def test_an_unpublished_page_leaves_the_header(owner, newsroom, pages_and_labels, host_client):
    about, contact, _label = pages_and_labels
    change(owner, "add", f"page:{about.pk}")
    change(owner, "add", f"page:{contact.pk}")
    contact.status = "draft"
    contact.save()
    assert header_links(host_client) == ["Tentang kami"]


@pytest.mark.parametrize("role", ["editor", "author", "member"])
def test_other_roles_cannot_change_the_menu(client, newsroom, make_member, pages_and_labels, role):
    client.force_login(make_member(newsroom[0], role=role))
    assert client.get("/desk/appearance/menu/", HTTP_HOST=HOST).status_code == 403
    assert change(client, "add", f"page:{pages_and_labels[0].pk}").status_code == 403
    assert Blog.objects.get(pk=newsroom[0].pk).menu == []
