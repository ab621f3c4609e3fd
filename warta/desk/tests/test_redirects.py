"""The desk's redirects page, for editors and up: list, add and remove the blog's old
addresses; each one answers 301 to its target on the blog at once, and 404 once removed."""

import lxml.html
import pytest

from warta.posts.models import Redirect

HOST = "alih.localhost"
PAGE = "/desk/redirects/"


@pytest.fixture
def blog(make_blog):
    return make_blog("alih", title="Alih Alamat", language="en")


@pytest.fixture
def editor(client, blog, make_member):
    client.force_login(make_member(blog, role="editor"))
    return client


def add(client, old, new):
    return client.post(PAGE, {"old_path": old, "new_path": new}, HTTP_HOST=HOST)


def errors(response):
    page = lxml.html.fromstring(response.content)
    return [" ".join(e.text_content().split()) for e in page.xpath("//strong[@class='error']")]


def test_add_follow_and_remove_a_redirect(editor, blog, make_post):
    article = make_post(blog, title="Alamat Baru")
    response = add(editor, "/2012/01/alamat-lama.html", article.path)
    assert response.status_code == 302 and response["Location"] == PAGE
    listing = editor.get(PAGE, HTTP_HOST=HOST).content.decode()
    assert "/2012/01/alamat-lama.html" in listing and article.path in listing

    editor.logout()
    moved = editor.get("/2012/01/alamat-lama.html", HTTP_HOST=HOST)
    assert moved.status_code == 301 and moved["Location"] == article.path

    redirect = Redirect.objects.get(blog=blog)
    editor.force_login(blog.memberships.get(role="editor").user)
    response = editor.post(f"{PAGE}{redirect.pk}/delete/", HTTP_HOST=HOST)
    assert response.status_code == 302
    editor.logout()
    assert editor.get("/2012/01/alamat-lama.html", HTTP_HOST=HOST).status_code == 404


def test_a_redirect_to_another_site_and_with_a_query(editor, blog):
    assert add(editor, "/?p=123", "https://arsip.example.org/lama").status_code == 302
    editor.logout()
    moved = editor.get("/?p=123", HTTP_HOST=HOST)
    assert moved.status_code == 301 and moved["Location"] == "https://arsip.example.org/lama"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("lama.html", "/baru", "The old path starts with “/”"),
        ("//evil.example/x", "/baru", "The old path starts with “/”"),
        ("/", "/baru", "The home page cannot be redirected."),
        ("/lama", "javascript:alert(1)", "Give a path of this blog"),
        ("/lama", "bukan alamat", "Give a path of this blog"),
        ("/lama", "/lama", "a loop"),
        ("/lama", "http://alih.localhost/lama", "a loop"),
        ("", "/baru", "This field is required."),
    ],
)
def test_bad_redirects_are_refused_with_the_form_kept(editor, blog, old, new, message):
    response = add(editor, old, new)
    assert response.status_code == 200
    assert any(message in error for error in errors(response)), errors(response)
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//input[@name='new_path']/@value") == ([new] if new else [])
    assert not Redirect.objects.exists()


def test_a_chain_that_comes_back_is_a_loop(editor, blog):
    Redirect.objects.create(blog=blog, old_path="/b", new_path="/c")
    Redirect.objects.create(blog=blog, old_path="/c", new_path="/a")
    response = add(editor, "/a", "/b")
    assert any("a loop" in error for error in errors(response))
    assert not Redirect.objects.filter(old_path="/a").exists()


def test_the_path_of_a_live_post_or_page_cannot_be_redirected(editor, blog, make_post):
    from warta.posts.models import Page

    article = make_post(blog)
    page = Page.objects.create(blog=blog, title="Tentang", slug="tentang", status="published")
    for path in (article.path, page.path):
        response = add(editor, path, "/lain")
        assert any("A post or page of this blog lives at this path" in e for e in errors(response))
    assert not Redirect.objects.exists()


def test_a_path_already_redirected_is_refused(editor, blog):
    Redirect.objects.create(blog=blog, old_path="/lama", new_path="/satu")
    response = add(editor, "/lama", "/dua")
    assert any("already redirected" in error for error in errors(response))
    assert Redirect.objects.get().new_path == "/satu"


@pytest.mark.parametrize("role", ["author", "member"])
def test_authors_and_members_are_refused(client, blog, make_member, role):
    redirect = Redirect.objects.create(blog=blog, old_path="/lama", new_path="/baru")
    client.force_login(make_member(blog, role=role))
    assert client.get(PAGE, HTTP_HOST=HOST).status_code == 403
    assert add(client, "/x", "/y").status_code == 403
    assert client.post(f"{PAGE}{redirect.pk}/delete/", HTTP_HOST=HOST).status_code == 403
    assert Redirect.objects.count() == 1


def test_another_blogs_redirect_cannot_be_removed(editor, make_blog):
    other = Redirect.objects.create(blog=make_blog("lain"), old_path="/lama", new_path="/baru")
    assert editor.post(f"{PAGE}{other.pk}/delete/", HTTP_HOST=HOST).status_code == 404
    assert Redirect.objects.filter(pk=other.pk).exists()
