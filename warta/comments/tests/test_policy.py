"""Each policy, each kind of reader: exactly the allowed ones may comment, on the server."""

import pytest

from warta.blogs.models import Blog
from warta.comments.models import Comment

ALLOWED = {
    "anyone": {"anonymous", "signed_in", "member"},
    "signed_in": {"signed_in", "member"},
    "members": {"member"},
    "closed": set(),
}


@pytest.fixture
def reader(make_user, make_member):
    def make(kind, blog):
        if kind == "anonymous":
            return None
        if kind == "member":
            return make_member(blog)
        return make_user()

    return make


@pytest.mark.parametrize("policy", list(ALLOWED))
@pytest.mark.parametrize("kind", ["anonymous", "signed_in", "member"])
def test_only_the_readers_a_policy_allows_can_comment(
    make_blog, make_post, reader, send_comment, policy, kind
):
    blog = make_blog(comment_policy=policy)
    post = make_post(blog)
    response = send_comment(post, user=reader(kind, blog), body="Komentar yang sopan.")
    stored = Comment.objects.filter(post=post).count()
    if kind in ALLOWED[policy]:
        assert response.status_code == 303
        assert stored == 1
        post.refresh_from_db()
        assert post.comment_count == 1
        assert response["Location"] == f"{post.path}#c{Comment.objects.get().pk}"
    else:
        assert response.status_code == 403
        assert stored == 0


@pytest.mark.parametrize(
    ("policy", "kind", "reason"),
    [
        ("signed_in", "anonymous", "Hanya pembaca yang sudah masuk yang dapat berkomentar."),
        ("members", "anonymous", "Hanya pembaca yang sudah masuk yang dapat berkomentar."),
        ("members", "signed_in", "Hanya anggota blog ini yang dapat berkomentar."),
        ("closed", "member", "Komentar ditutup."),
    ],
)
def test_a_refused_reader_is_told_why(
    make_blog, make_post, reader, send_comment, policy, kind, reason
):
    blog = make_blog(comment_policy=policy, language="id")
    response = send_comment(make_post(blog), user=reader(kind, blog))
    assert reason in response.content.decode()


def test_comments_switched_off_on_a_post_refuse_everyone(make_blog, make_post, send_comment):
    post = make_post(make_blog(comment_policy="anyone"), comments_enabled=False)
    assert send_comment(post).status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("policy", "kind", "form_shown"),
    [
        ("anyone", "anonymous", True),
        ("signed_in", "anonymous", False),
        ("signed_in", "signed_in", True),
        ("members", "signed_in", False),
        ("members", "member", True),
        ("closed", "member", False),
    ],
)
def test_the_post_page_shows_the_form_only_to_those_allowed(
    client, make_blog, make_post, reader, policy, kind, form_shown
):
    blog = make_blog(comment_policy=policy)
    post = make_post(blog)
    if user := reader(kind, blog):
        client.force_login(user)
    html = client.get(post.path, HTTP_HOST=f"{blog.slug}.localhost").content.decode()
    assert ('id="respond"' in html) is form_shown


def test_a_signed_in_non_member_is_offered_to_join_when_membership_is_open(
    client, make_blog, make_post, make_user
):
    blog = make_blog(comment_policy="members", membership_open=True, language="en")
    post = make_post(blog)
    client.force_login(make_user())
    html = client.get(post.path, HTTP_HOST=f"{blog.slug}.localhost").content.decode()
    assert "Only a member of this blog may post a comment." in html
    assert "Join this blog" in html
    blog.membership_open = False
    blog.save()
    html = client.get(post.path, HTTP_HOST=f"{blog.slug}.localhost").content.decode()
    assert "Join this blog" not in html
    assert "Membership of this blog is by invitation." in html


def test_an_anonymous_post_from_another_site_is_refused(client, make_blog, make_post, comment_form):
    post = make_post(make_blog(comment_policy=Blog.CommentPolicy.ANYONE))
    response = client.post(
        f"/comments/post/{post.pk}",
        comment_form(post, name="Tamu"),
        HTTP_HOST=f"{post.blog.slug}.localhost",
        HTTP_ORIGIN="http://evil.example",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_signed_in_post_needs_the_csrf_token(make_blog, make_post, make_user, comment_form):
    from django.test import Client

    post = make_post(make_blog(comment_policy="signed_in"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    host = f"{post.blog.slug}.localhost"
    response = client.post(f"/comments/post/{post.pk}", comment_form(post), HTTP_HOST=host)
    assert response.status_code == 403
    page = client.get(post.path, HTTP_HOST=host)
    token = page.cookies["csrftoken"].value
    response = client.post(
        f"/comments/post/{post.pk}",
        comment_form(post, csrfmiddlewaretoken=token),
        HTTP_HOST=host,
        HTTP_ORIGIN=f"http://{host}",
    )
    assert response.status_code == 303
    assert Comment.objects.count() == 1


def test_an_anonymous_readers_page_carries_no_csrf_token_or_cookie(client, make_blog, make_post):
    post = make_post(make_blog(comment_policy="anyone"))
    response = client.get(post.path, HTTP_HOST=f"{post.blog.slug}.localhost")
    assert 'id="respond"' in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies
