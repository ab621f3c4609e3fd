"""Every desk URL of posts, for every kind of visitor and each method: refused where it
must be (a signed-out visitor sent to sign in, anyone else without the right 403 or 405),
and a refused request changes nothing."""

import pytest
from django.test import Client

from warta.blogs.models import Membership
from warta.posts import services
from warta.posts.models import Page, Post, Revision, Status

HOST = "kabar.localhost"
ROLES = [
    "anonymous",
    "non_member",
    "member",
    "author",
    "other_author",
    "editor",
    "admin",
    "owner",
    "other_blog_owner",
]
WRITERS = {"author", "other_author", "editor", "admin", "owner"}
EDITORS = {"editor", "admin", "owner"}
OWN = EDITORS | {"author"}  # the post below is the author's
MANAGERS = {"admin", "owner"}

FORM = {
    "title": "Kabar dari desa",
    "body": "Isi.",
    "body_format": "markdown",
    "labels": "",
    "comments_enabled": "on",
    "action": "save",
}

# (method, path, data, who may) - {pk}, {rev} and {token} are filled in per test.
CASES = [
    ("get", "/desk/", None, WRITERS),
    ("get", "/desk/?status=trashed&q=x&page=2", None, WRITERS),
    ("get", "/desk/posts/new/", None, WRITERS),
    ("post", "/desk/posts/new/", FORM, WRITERS),
    ("post", "/desk/posts/new/autosave/", FORM, WRITERS),
    ("post", "/desk/posts/new/preview/", FORM, WRITERS),
    ("get", "/desk/posts/{pk}/", None, OWN),
    ("post", "/desk/posts/{pk}/", FORM, OWN),
    ("post", "/desk/posts/{pk}/", {**FORM, "action": "submit_review"}, OWN),
    ("post", "/desk/posts/{pk}/", {**FORM, "action": "publish"}, EDITORS),
    ("post", "/desk/posts/{pk}/", {**FORM, "action": "preview"}, OWN),
    ("post", "/desk/posts/{pk}/autosave/", FORM, OWN),
    ("post", "/desk/posts/{pk}/preview/", FORM, OWN),
    ("post", "/desk/posts/{pk}/share/", {}, OWN),
    ("get", "/desk/posts/{pk}/revisions/", None, OWN),
    ("get", "/desk/posts/{pk}/revisions/diff/?a={rev}&b={rev}", None, OWN),
    ("post", "/desk/posts/{pk}/revisions/{rev}/restore/", {}, OWN),
    ("post", "/desk/posts/{pk}/corrections/", {"text": "Ralat."}, EDITORS),
    ("post", "/desk/posts/{pk}/action/", {"action": "trash"}, OWN),
    ("post", "/desk/posts/{pk}/action/", {"action": "restore"}, OWN),
    ("post", "/desk/posts/{pk}/action/", {"action": "delete"}, MANAGERS),
    ("post", "/desk/posts/{published}/action/", {"action": "unpublish"}, EDITORS),
    ("post", "/desk/posts/{published}/", {**FORM, "action": "update"}, EDITORS),
    ("post", "/desk/posts/{published}/corrections/", {"text": "Ralat."}, EDITORS),
    ("get", "/desk/pages/", None, EDITORS),
    ("get", "/desk/pages/new/", None, EDITORS),
    ("post", "/desk/pages/new/", {"title": "Tentang", "body": "Isi."}, EDITORS),
    ("get", "/desk/pages/{page}/", None, EDITORS),
    ("post", "/desk/pages/{page}/", {"title": "Tentang kami", "body": "Isi."}, EDITORS),
    ("post", "/desk/pages/{page}/action/", {"action": "trash"}, EDITORS),
    ("post", "/desk/pages/{page}/action/", {"action": "delete"}, MANAGERS),
    ("get", "/desk/pages/{page}/action/", None, set()),
    ("get", "/desk/comments/", None, WRITERS),
    ("get", "/desk/members/", None, MANAGERS),
    # Read-only and write-only URLs refuse the other method, whoever asks.
    ("post", "/desk/", {}, set()),
    ("get", "/desk/posts/{pk}/action/", None, set()),
    ("get", "/desk/posts/{pk}/autosave/", None, set()),
    ("get", "/desk/posts/{pk}/share/", None, set()),
    ("get", "/desk/posts/{pk}/revisions/{rev}/restore/", None, set()),
    ("get", "/desk/posts/{pk}/corrections/", None, set()),
    ("put", "/desk/posts/{pk}/", None, set()),
    ("delete", "/desk/posts/{pk}/", None, set()),
]


@pytest.fixture
def world(blog, make_blog, make_user, make_member, make_post):
    people = {"anonymous": None, "non_member": make_user()}
    for role in ["member", "author", "editor", "admin", "owner"]:
        people[role] = make_member(blog, role=role)
    people["other_author"] = make_member(blog, role=Membership.Role.AUTHOR)
    people["other_blog_owner"] = make_member(make_blog("lain"), role=Membership.Role.OWNER)
    draft = make_post(blog, title="Draf penulis", status=Status.DRAFT, author=people["author"])
    services.save_post(draft, by=people["author"], fields={"body": "Isi draf."})
    published = make_post(blog, title="Sudah terbit", author=people["author"])
    Page.objects.create(blog=blog, title="Tentang", body="Isi.", status=Status.PUBLISHED)
    return people, draft, published


def fill(path, draft, published):
    revision = Revision.objects.filter(post=draft).first()
    page = Page.objects.get(blog=draft.blog)
    return path.format(pk=draft.pk, rev=revision.pk, published=published.pk, page=page.pk)


def state(draft, published):
    rows = Post.objects.filter(pk__in=[draft.pk, published.pk]).order_by("pk")
    return (
        list(rows.values_list("pk", "status", "version", "title")),
        list(Page.objects.values_list("pk", "status", "title")),
        Post.objects.count(),
        Revision.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "data", "allowed"),
    CASES,
    ids=[f"{m}:{p}:{(d or {}).get('action', '')}" for m, p, d, _a in CASES],
)
def test_each_desk_url_for_each_role(world, role, method, path, data, allowed):
    people, draft, published = world
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    url = fill(path, draft, published)
    if data and "version" not in data and "{published}" in path:
        data = {**data, "version": published.version}
    elif data and "title" in data:
        data = {**data, "version": draft.version}
    before = state(draft, published)
    response = getattr(client, method)(url, data, HTTP_HOST=HOST)
    status = response.status_code
    if role in allowed:
        assert status in {200, 302}, (status, response.content[:300])
        if status == 302:
            assert not response["Location"].startswith("/accounts/login/")
        return
    if not allowed and role in EDITORS:
        assert status == 405
    elif not allowed and role in WRITERS:
        assert status in {403, 405}  # pages are the editors': refused before the method
    elif role == "anonymous":
        if "autosave" in path:  # the editor's script: JSON, never a redirect
            assert status == 401 if method == "post" else 405
        elif method in {"get", "post"} or status != 405:
            assert status == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert status in {403, 405}, status
    assert state(draft, published) == before


def test_a_shared_preview_link_needs_no_account_and_a_forged_one_fails(world, client):
    _people, draft, _published = world
    token = services.preview_token(draft)
    assert client.get(f"/desk/share/{token}/", HTTP_HOST=HOST).status_code == 200
    forged = services.preview_token(Post(pk=draft.pk + 1000))
    assert client.get(f"/desk/share/{forged}/", HTTP_HOST=HOST).status_code == 404
    other_blog = "lain.localhost"
    assert client.get(f"/desk/share/{token}/", HTTP_HOST=other_blog).status_code == 404
