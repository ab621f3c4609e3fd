"""`warta blog create` makes a blog, its owner and a one-time link into its desk;
`warta blog link` prints another (for `make run`, until the owner has signed in)."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from warta.blogs.models import Blog, Membership


def run(*args):
    out = io.StringIO()
    call_command("blog", *args, stdout=out)
    return out.getvalue()


def link_path(output):
    url = re.search(r"(http://\S+)", output).group(1)
    return url, re.sub(r"^http://[^/]+", "", url)


def test_create_prints_a_link_that_signs_the_owner_in_once(client, db):
    output = run("create", "warta-pagi", "--title", "Warta Pagi", "--owner", "Sari@Example.com")
    blog = Blog.objects.get(slug="warta-pagi")
    membership = Membership.objects.get(blog=blog)
    assert membership.role == "owner" and membership.user.email == "sari@example.com"
    url, path = link_path(output)
    assert url.startswith("http://warta-pagi.localhost/desk/welcome/")
    host = "warta-pagi.localhost"
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert client.get("/desk/", HTTP_HOST=host).status_code == 200
    client.logout()
    again = client.get(path, HTTP_HOST=host)
    assert again.status_code == 400  # used once: worthless now
    assert client.get("/desk/", HTTP_HOST=host).status_code == 302


def test_a_forged_link_signs_nobody_in(client, db):
    output = run("create", "pagi", "--title", "Pagi", "--owner", "a@example.com")
    _url, path = link_path(output)
    response = client.get(path[:-3] + "zz/", HTTP_HOST="pagi.localhost")
    assert response.status_code == 400
    assert client.get("/desk/", HTTP_HOST="pagi.localhost").status_code == 302


def test_link_with_a_base_url_and_only_until_the_owner_signed_in(client, db):
    run("create", "kabar", "--title", "Kabar", "--owner", "r@example.com")
    output = run("link", "kabar", "--base-url", "http://127.0.0.1:8000", "--if-never-signed-in")
    url, path = link_path(output)
    assert url.startswith("http://127.0.0.1:8000/desk/welcome/")
    client.get(path, HTTP_HOST="kabar.localhost")
    assert run("link", "kabar", "--if-never-signed-in") == ""
    assert "/desk/welcome/" in run("link", "kabar")


def test_a_bad_address_or_a_taken_one_is_refused(db):
    with pytest.raises(CommandError):
        run("create", "Bad Slug", "--title", "X", "--owner", "a@example.com")
    run("create", "kabar", "--title", "Kabar", "--owner", "a@example.com")
    with pytest.raises(CommandError):
        run("create", "kabar", "--title", "Lagi", "--owner", "b@example.com")
    with pytest.raises(CommandError):
        run("link", "tidak-ada")
