"""Commenting in a real Chromium: each policy against an anonymous reader, a signed-in
non-member and a member; joining; pending comments; the desk's moderation queue."""

import pytest

from tests.browser.sessions import session_cookie
from warta.comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALLOWED = {
    "anyone": {"anonymous", "non_member", "member"},
    "signed_in": {"non_member", "member"},
    "members": {"member"},
    "closed": set(),
}
# The policies alternate languages so both catalogues are exercised.
LANGUAGE = {"anyone": "id", "signed_in": "en", "members": "id", "closed": "en"}
TEXT = {
    "id": {
        "submit": "Kirim komentar",
        "count": "1 komentar",
        "signed_in": "Catatan: Hanya pembaca yang sudah masuk yang dapat berkomentar.",
        "members": "Catatan: Hanya anggota blog ini yang dapat berkomentar.",
        "closed": "Komentar ditutup.",
        "sign_in": "Masuk untuk berkomentar",
        "join": "Bergabung dengan blog ini",
        "pending": "Komentar Anda menunggu moderasi",
    },
    "en": {
        "submit": "Post comment",
        "count": "1 comment so far",
        "signed_in": "Note: Only signed-in readers may post a comment.",
        "members": "Note: Only a member of this blog may post a comment.",
        "closed": "Comments are closed.",
        "sign_in": "Sign in to comment",
        "join": "Join this blog",
        "pending": "Your comment is waiting for moderation",
    },
}


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.WARTA_COMMENT_MIN_SECONDS = 0  # no waiting in tests; the rule has its own test


@pytest.fixture
def sign_in(page):
    """Put a signed-in session for ``user`` into the browser, for the blog's host."""

    def sign(user, blog):
        page.context.add_cookies([session_cookie(user, blog)])

    return sign


@pytest.fixture
def reader(make_user, make_member, sign_in):
    def make(kind, blog):
        if kind == "anonymous":
            return None
        user = make_member(blog) if kind == "member" else make_user()
        sign_in(user, blog)
        return user

    return make


def write_comment(page, words, *, name=None, body):
    if name is not None:
        page.get_by_label("Nama" if words is TEXT["id"] else "Name", exact=True).fill(name)
    page.locator("#comment-body").fill(body)
    page.get_by_role("button", name=words["submit"]).click()


@pytest.mark.parametrize("policy", list(ALLOWED))
@pytest.mark.parametrize("kind", ["anonymous", "non_member", "member"])
def test_exactly_the_allowed_readers_can_comment(
    page, blog_url, make_blog, make_post, reader, policy, kind
):
    language = LANGUAGE[policy]
    words = TEXT[language]
    blog = make_blog(comment_policy=policy, language=language, membership_open=True)
    post = make_post(blog)
    user = reader(kind, blog)
    page.goto(blog_url(blog, post.path))
    if kind in ALLOWED[policy]:
        body = f"Komentar dari {kind} untuk {policy}"
        write_comment(page, words, name="Tamu" if user is None else None, body=body)
        page.wait_for_url("**#c*")
        comment = Comment.objects.get()
        assert page.url.endswith(f"{post.path}#c{comment.pk}")
        assert page.locator(f"#c{comment.pk} .comment-body").inner_text() == body
        assert page.locator(".comment-count").inner_text().startswith(words["count"])
        assert comment.user == user
    else:
        assert page.locator("#respond").count() == 0
        assert page.locator(".policy-note").inner_text() == words[policy]
        if policy == "closed":
            assert page.locator(".comment-gate").count() == 0
        elif user is None:
            link = page.get_by_role("link", name=words["sign_in"])
            assert link.get_attribute("href") == f"/accounts/login/?next={post.path}"
        else:
            assert page.get_by_role("button", name=words["join"]).is_visible()
        assert not Comment.objects.exists()


def test_a_non_member_joins_the_blog_then_comments(
    page, blog_url, make_blog, make_post, make_user, sign_in
):
    blog = make_blog(comment_policy="members", language="id", membership_open=True)
    post = make_post(blog)
    user = make_user()
    sign_in(user, blog)
    page.goto(blog_url(blog, post.path))
    page.get_by_role("button", name="Bergabung dengan blog ini").click()
    page.wait_for_url(f"**{post.path}#respond")
    assert blog.is_member(user)
    write_comment(page, TEXT["id"], body="Akhirnya bisa ikut berkomentar")
    page.wait_for_url("**#c*")
    assert "Akhirnya bisa ikut berkomentar" in page.locator(".comment-list").inner_text()


def test_an_anonymous_pending_comment_is_shown_only_to_its_writer(
    browser, page, blog_url, make_blog, make_post
):
    blog = make_blog(comment_policy="anyone", moderation="always", language="en")
    post = make_post(blog)
    page.goto(blog_url(blog, post.path))
    write_comment(page, TEXT["en"], name="Rina", body="Tolong dicek faktanya")
    page.wait_for_url("**#c*")
    mine = page.locator(".comment.pending")
    assert "Tolong dicek faktanya" in mine.inner_text()
    assert TEXT["en"]["pending"] in mine.inner_text()
    assert page.locator(".comment-count").inner_text().startswith("0 comments")
    other = browser.new_context().new_page()
    other.goto(blog_url(blog, post.path))
    assert "Tolong dicek faktanya" not in other.content()
    other.context.close()


def test_an_editor_approves_a_comment_in_the_desk(
    page, blog_url, make_blog, make_post, make_member, make_comment, sign_in
):
    blog = make_blog(language="id")
    post = make_post(blog, title="Harga beras naik")
    waiting = make_comment(
        post, author_name="Rina", body="Di pasar kami juga naik", status="pending"
    )
    sign_in(make_member(blog, role="editor"), blog)
    page.goto(blog_url(blog, "/desk/comments/"))
    row = page.locator(f"#row-{waiting.pk}")
    assert "Di pasar kami juga naik" in row.inner_text()
    row.get_by_role("button", name="Setujui").click()
    page.wait_for_load_state()
    assert page.locator(".desk-empty").inner_text() == "Tidak ada komentar di sini."
    page.goto(blog_url(blog, post.path))
    assert "Di pasar kami juga naik" in page.locator(".comment-list").inner_text()
    assert page.locator(".comment-count").inner_text().startswith("1 komentar")


def test_a_reader_replies_in_a_thread(page, blog_url, make_blog, make_post, make_comment):
    blog = make_blog(comment_policy="anyone", language="id")
    post = make_post(blog)
    first = make_comment(post, author_name="Budi", body="Jalan di depan sekolah rusak")
    page.goto(blog_url(blog, post.path))
    page.locator(f"#c{first.pk}").get_by_role("link", name="Balas").click()
    assert "Membalas Budi" in page.locator(".replying").inner_text()
    write_comment(page, TEXT["id"], name="Sari", body="Betul, sudah sebulan")
    page.wait_for_url("**#c*")
    reply = Comment.objects.get(body="Betul, sudah sebulan")
    assert reply.parent == first
    assert page.locator(f"#c{first.pk} ol #c{reply.pk}").count() == 1
