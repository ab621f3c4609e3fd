"""Static pages take comments like posts: readers write them under the blog's comment policy,
they wait in the desk's moderation queue when the blog moderates, and they show on the page."""

import time

import pytest
from django.test import Client

from warta.blogs.models import Membership
from warta.comments.forms import form_stamp
from warta.comments.models import Comment, PageComment
from warta.posts.models import Page, Status


@pytest.fixture
def about(make_blog):
    blog = make_blog("kabar", comment_policy="anyone", moderation="none", language="en")
    return Page.objects.create(
        blog=blog, title="Tentang kami", body="Kami menulis.", status=Status.PUBLISHED
    )


def view(client, page, query=""):
    response = client.get(page.path + query, HTTP_HOST=f"{page.blog.slug}.localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_shows_the_comment_form_under_an_open_policy(client, about):
    html = view(client, about)
    assert f'action="/comments/page/{about.pk}"' in html
    assert 'id="comment-body"' in html


def test_a_readers_comment_on_a_page_shows_at_once(client, about, send_comment):
    view(client, about)  # the page is in the page cache now
    response = send_comment(about, body="Senang membaca halaman ini.")
    comment = PageComment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{about.path}#{comment.anchor}"
    assert comment.status == Comment.Status.APPROVED
    assert (comment.author_name, comment.page, comment.blog) == ("Pembaca Setia", about, about.blog)
    assert comment.ip_hash
    assert "Senang membaca halaman ini." in view(Client(), about)


def test_a_reply_on_a_page_keeps_its_parent(client, about, send_comment):
    send_comment(about, body="Pertanyaan pertama?")
    first = PageComment.objects.get()
    html = view(client, about, f"?reply={first.pk}")
    assert f'name="parent" value="{first.pk}"' in html
    send_comment(about, body="Jawabannya ada di sini.", parent=first.pk)
    reply = PageComment.objects.get(body="Jawabannya ada di sini.")
    assert reply.parent == first


def test_a_moderated_page_comment_waits_in_the_desk_queue(client, about, make_member, send_comment):
    about.blog.moderation = "always"
    about.blog.save()
    send_comment(about, body="Menunggu moderator.")
    comment = PageComment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "Menunggu moderator." in view(client, about)  # its writer sees it, marked
    assert "Menunggu moderator." not in view(Client(), about)  # nobody else does

    editor = Client()
    editor.force_login(make_member(about.blog, Membership.Role.EDITOR))
    host = "kabar.localhost"
    queue = editor.get("/desk/comments/", HTTP_HOST=host).content.decode()
    assert "On pages (1)" in queue
    queue = editor.get("/desk/comments/?on=pages", HTTP_HOST=host).content.decode()
    assert "Menunggu moderator." in queue
    assert "Tentang kami" in queue
    editor.post("/desk/comments/?on=pages", {"one": f"approved:{comment.pk}"}, HTTP_HOST=host)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Menunggu moderator." in view(Client(), about)


def test_marking_a_page_comment_spam_teaches_the_block_list(about, make_member, send_comment):
    send_comment(about, body="Beli obat murah", email="spam@example.net")
    comment = PageComment.objects.get()
    owner = Client()
    owner.force_login(make_member(about.blog, Membership.Role.OWNER))
    owner.post(
        "/desk/comments/?on=pages", {"one": f"spam:{comment.pk}"}, HTTP_HOST="kabar.localhost"
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    about.blog.refresh_from_db()
    assert "spam@example.net" in about.blog.comment_blocklist
    assert "Beli obat murah" not in view(Client(), about)


def test_the_post_queue_is_not_the_page_queue(
    about, make_member, make_post, make_comment, send_comment
):
    make_comment(make_post(about.blog), body="Di tulisan", status="pending")
    send_comment(about, body="Di halaman")
    PageComment.objects.update(status="pending")
    editor = Client()
    editor.force_login(make_member(about.blog, Membership.Role.EDITOR))
    posts = editor.get("/desk/comments/", HTTP_HOST="kabar.localhost").content.decode()
    pages = editor.get("/desk/comments/?on=pages", HTTP_HOST="kabar.localhost").content.decode()
    assert "Di tulisan" in posts and "Di halaman" not in posts
    assert "Di halaman" in pages and "Di tulisan" not in pages


def test_members_only_pages_refuse_anonymous_readers_and_store_nothing(client, about, send_comment):
    about.blog.comment_policy = "members"
    about.blog.save()
    html = view(client, about)
    assert f'action="/comments/page/{about.pk}"' not in html
    assert "Only a member of this blog may post a comment." in html
    response = send_comment(about)
    assert response.status_code == 403
    assert not PageComment.objects.exists()


def test_a_post_forms_stamp_does_not_open_a_pages_form(about, send_comment):
    stamp = form_stamp(blog_id=about.blog_id, post_id=about.pk, now=time.time() - 60)
    response = send_comment(about, stamp=stamp, body="Halaman yang berguna, terima kasih.")
    assert response.status_code == 400
    assert not PageComment.objects.exists()
    # What was typed comes back in the form.
    assert "Halaman yang berguna, terima kasih." in response.content.decode()


def test_a_form_from_another_site_is_refused(client, about, comment_form):
    response = client.post(
        f"/comments/page/{about.pk}",
        comment_form(about, name="X"),
        HTTP_HOST="kabar.localhost",
        HTTP_ORIGIN="http://evil.example",
    )
    assert response.status_code == 403
    assert not PageComment.objects.exists()


def test_a_readers_page_comment_goes_out_in_every_export(about, send_comment):
    from warta.migration.services import export_blog

    send_comment(about, body="Komentar untuk diekspor.")
    for kind in ("blogger", "wordpress", "json"):
        assert "Komentar untuk diekspor." in "".join(export_blog(about.blog, kind)), kind
