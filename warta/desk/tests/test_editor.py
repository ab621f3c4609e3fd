"""The editor as a plain form: every field, each publishing step, stale saves, autosave,
preview, revisions, corrections, preview links."""

import datetime
import io
import json
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as Picture

from warta.posts.models import Image, Label, Page, Post, Redirect, Revision, Status

from .editor_form import editor_form

HOST = "kabar.localhost"


def form(**fields):
    """The editor's form with a whole story typed in, but for what ``fields`` gives."""
    story = {
        "kicker": "Jawa Tengah",
        "body": "Ratusan keluarga **bertahan** di tenda.\n\n<script>alert(1)</script>",
        "dateline": "DEMAK",
        "labels": "Nasional, Lingkungan",
        "source_name": "Antara",
        "source_url": "https://www.antaranews.com/",
    }
    return editor_form(**{**story, **fields})


def jpeg(width=800, height=450):
    buffer = io.BytesIO()
    Picture.new("RGB", (width, height), (200, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def post_(client, path, data=None, **extra):
    return client.post(path, data or {}, HTTP_HOST=HOST, **extra)


@pytest.fixture
def published(client, writer):
    """A post an editor of ``blog`` published from the editor's form; that editor stays
    signed in on ``client``."""
    writer("editor")
    post_(client, "/desk/posts/new/", form(action="publish"))
    return Post.objects.get()


def test_a_new_post_is_saved_as_a_draft_with_labels_created_and_a_revision(client, blog, writer):
    editor = writer("editor")
    Label.objects.create(blog=blog, name="Nasional")
    response = post_(client, "/desk/posts/new/", form())
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/posts/{post.pk}/"
    assert post.status == Status.DRAFT and post.author == editor and post.path == ""
    assert post.slug == "banjir-rob-merendam-demak"
    assert sorted(post.labels.values_list("name", flat=True)) == ["Lingkungan", "Nasional"]
    assert Label.objects.filter(blog=blog).count() == 2  # "Nasional" reused, not doubled
    assert "<script>" not in post.body_html and "<strong>bertahan</strong>" in post.body_html
    assert post.dateline == "DEMAK" and post.source_name == "Antara"
    revision = Revision.objects.get(post=post)
    assert revision.created_by == editor and not revision.is_autosave
    assert revision.data["labels"] == ["Lingkungan", "Nasional"]


def test_every_field_of_the_editor_has_a_label(client, blog, writer):
    writer("editor")
    html = client.get("/desk/posts/new/", HTTP_HOST=HOST).content.decode()
    ids = re.findall(r'<(?:input|textarea|select)[^>]*\sid="([^"]+)"', html)
    hidden = set(re.findall(r'<input[^>]*type="hidden"[^>]*id="([^"]+)"', html))
    assert len(ids) > 15
    for field_id in set(ids) - hidden:
        assert f'for="{field_id}"' in html, field_id
    assert "data-rich-editor" in html and 'name="action" value="preview"' in html
    assert 'id="live-preview"' in html and "desk/editor/editor.js" in html


def test_publish_with_an_uploaded_lead_image_reaches_readers(client, blog, writer):
    writer("editor")
    data = form(action="publish", lead_caption="Tanggul darurat", lead_alt="Perahu di tanggul")
    data["lead_image_upload"] = jpeg()
    response = post_(client, "/desk/posts/new/", data)
    assert response.status_code == 302
    post = Post.objects.get()
    local = timezone.localtime(post.published_at, blog.tzinfo)
    assert post.status == Status.PUBLISHED
    assert post.path == f"/{local.year}/{local.month:02d}/banjir-rob-merendam-demak.html"
    assert post.lead_image.width == 800 and post.lead_image.blog == blog
    client.logout()
    page = client.get(post.path, HTTP_HOST=HOST).content.decode()
    # Readers get the lead image's renditions (warta/posts/images.py), not the upload itself.
    assert "Banjir rob merendam Demak" in page and post.lead_image.rendition_url(960) in page
    assert post.lead_image.srcset and post.lead_image.srcset in page
    assert 'alt="Perahu di tanggul"' in page and "DEMAK" in page


def test_an_existing_image_is_picked(client, blog, writer, make_post):
    writer("editor")
    image = Image.objects.create(blog=blog, remote_url="https://example.org/a.jpg")
    post_(client, "/desk/posts/new/", form(lead_image=image.pk))
    assert Post.objects.get().lead_image == image


def test_another_blogs_image_cannot_be_picked(client, blog, writer, make_blog):
    writer("editor")
    foreign = Image.objects.create(blog=make_blog("lain"), remote_url="https://example.org/b.jpg")
    response = post_(client, "/desk/posts/new/", form(lead_image=foreign.pk))
    assert response.status_code == 400 and not Post.objects.exists()


def test_a_title_without_latin_letters_keeps_its_own_letters_in_the_slug(client, blog, writer):
    writer("editor")
    post_(client, "/desk/posts/new/", form(title="حلب تحت الحصار", action="publish"))
    post = Post.objects.get()
    assert post.slug == "حلب-تحت-الحصار"
    client.logout()
    assert client.get(post.path, HTTP_HOST=HOST).status_code == 200


def test_an_edited_slug_is_used(client, blog, writer):
    writer("editor")
    post_(client, "/desk/posts/new/", form(slug="rob-demak", action="publish"))
    assert Post.objects.get().path.endswith("/rob-demak.html")


def test_several_authors_are_bylines_in_order(client, blog, writer, make_member):
    editor = writer("editor")
    other = make_member(blog, role="author", display_name="Sari Dewi")
    post_(
        client,
        "/desk/posts/new/",
        form(main_author=other.pk, coauthors=[editor.pk], action="publish"),
    )
    post = Post.objects.get()
    assert post.author == other and list(post.coauthors.all()) == [editor]
    assert post.byline_names == ["Sari Dewi", editor.name]
    client.logout()
    page = client.get(post.path, HTTP_HOST=HOST).content.decode()
    assert f"Sari Dewi, {editor.name}" in page


def test_schedule_in_the_blogs_time_zone_then_publish_due(client, blog, writer):
    writer("editor")
    # Asia/Jakarta is UTC+7: 10:00 there is 03:00 UTC.
    when = timezone.localtime(timezone.now(), blog.tzinfo) + datetime.timedelta(days=2)
    local = when.replace(hour=10, minute=0, second=0, microsecond=0)
    response = post_(
        client,
        "/desk/posts/new/",
        form(action="schedule", publish_at=local.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == Status.SCHEDULED
    assert post.published_at == local.astimezone(datetime.UTC)
    assert post.published_at.astimezone(datetime.UTC).hour == 3
    from warta.posts.services import publish_due

    assert publish_due() == []  # not yet
    assert publish_due(now=post.published_at + datetime.timedelta(seconds=1)) == [post.pk]
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED


def test_scheduling_needs_a_future_time(client, blog, writer):
    writer("editor")
    past = timezone.localtime(timezone.now() - datetime.timedelta(hours=1), blog.tzinfo)
    response = post_(
        client,
        "/desk/posts/new/",
        form(action="schedule", publish_at=past.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 400 and not Post.objects.exists()


def test_changing_a_published_posts_slug_keeps_the_old_address(client, blog, published):
    old = published.path
    post_(
        client,
        f"/desk/posts/{published.pk}/",
        form(action="update", slug="rob-di-demak", version=published.version),
    )
    published.refresh_from_db()
    assert published.path != old and published.path.endswith("/rob-di-demak.html")
    assert Redirect.objects.get(blog=blog, old_path=old).new_path == published.path
    client.logout()
    response = client.get(old, HTTP_HOST=HOST)
    assert response.status_code == 301 and response["Location"] == published.path
    assert client.get(published.path, HTTP_HOST=HOST).status_code == 200


def test_changing_the_date_of_a_published_post_keeps_the_old_address(client, blog, published):
    old = published.path
    earlier = timezone.localtime(published.published_at, blog.tzinfo) - datetime.timedelta(days=70)
    post_(
        client,
        f"/desk/posts/{published.pk}/",
        form(
            action="publish",
            publish_at=earlier.strftime("%Y-%m-%dT%H:%M"),
            version=published.version,
        ),
    )
    published.refresh_from_db()
    assert published.path == f"/{earlier.year}/{earlier.month:02d}/banjir-rob-merendam-demak.html"
    assert Redirect.objects.get(blog=blog, old_path=old).new_path == published.path


def test_a_stale_save_is_refused_and_both_texts_are_shown(client, blog, writer, make_member):
    writer("editor")
    post_(client, "/desk/posts/new/", form(body="Versi pertama."))
    post = Post.objects.get()
    loaded = post.version
    post_(client, f"/desk/posts/{post.pk}/", form(body="Versi rekan redaksi.", version=loaded))
    response = post_(
        client, f"/desk/posts/{post.pk}/", form(body="Versi saya sendiri.", version=loaded)
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Versi rekan redaksi." in html and "Versi saya sendiri." in html
    post.refresh_from_db()
    assert post.body == "Versi rekan redaksi."
    # The form now carries the current version: saving again is a choice, made knowingly.
    current = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert int(current) == post.version
    post_(client, f"/desk/posts/{post.pk}/", form(body="Versi saya sendiri.", version=current))
    post.refresh_from_db()
    assert post.body == "Versi saya sendiri."


def test_autosave_keeps_a_revision_and_leaves_the_live_post(client, blog, writer):
    editor = writer("editor")
    post_(client, "/desk/posts/new/", form(action="publish", body="Teks terbit."))
    post = Post.objects.get()
    response = post_(client, f"/desk/posts/{post.pk}/autosave/", form(body="Teks setengah jadi."))
    answer = response.json()
    assert answer["ok"] is True and answer["revision"]
    post.refresh_from_db()
    assert post.body == "Teks terbit."
    revision = Revision.objects.get(pk=answer["revision"])
    assert revision.is_autosave and revision.data["body"] == "Teks setengah jadi."
    assert revision.created_by == editor
    # A second autosave replaces the first; the editor offers it back.
    post_(client, f"/desk/posts/{post.pk}/autosave/", form(body="Teks lebih jadi."))
    assert Revision.objects.filter(post=post, is_autosave=True).count() == 1
    html = client.get(f"/desk/posts/{post.pk}/", HTTP_HOST=HOST).content.decode()
    assert "?autosave=1" in html
    html = client.get(f"/desk/posts/{post.pk}/?autosave=1", HTTP_HOST=HOST).content.decode()
    assert "Teks lebih jadi." in html


def test_autosave_of_a_new_post_creates_the_draft(client, blog, writer):
    writer("author")
    answer = post_(client, "/desk/posts/new/autosave/", form(title="", body="Baru mulai")).json()
    post = Post.objects.get()
    assert post.status == Status.DRAFT and post.title
    assert answer["edit_url"] == f"/desk/posts/{post.pk}/"
    assert answer["autosave_url"] == f"/desk/posts/{post.pk}/autosave/"
    assert answer["preview_url"] == f"/desk/posts/{post.pk}/preview/"


def test_autosave_after_the_session_expired_answers_json_with_the_login(client, blog):
    response = post_(client, "/desk/posts/new/autosave/", form())
    assert response.status_code == 401
    answer = response.json()
    assert answer["ok"] is False and answer["error"] and "/accounts/login/" in answer["login_url"]


def test_preview_renders_the_readers_template_unsaved_and_noindex(client, blog, writer):
    writer("editor")
    response = post_(client, "/desk/posts/new/", form(action="preview", labels="Pratinjau"))
    assert response.status_code == 200 and not Post.objects.exists()
    assert response["X-Robots-Tag"].startswith("noindex")
    html = response.content.decode()
    assert '<h1 class="headline">Banjir rob merendam Demak</h1>' in html
    assert "<strong>bertahan</strong>" in html and "Pratinjau" in html
    assert "<script>alert" not in html
    response = post_(client, "/desk/posts/new/preview/", form(title="Lewat skrip"))
    assert "Lewat skrip" in response.content.decode() and not Post.objects.exists()


def test_a_shared_preview_link_shows_a_draft_to_anyone_until_it_expires(
    client, blog, writer, settings
):
    writer("editor")
    post_(client, "/desk/posts/new/", form(title="Draf rahasia"))
    post = Post.objects.get()
    html = post_(client, f"/desk/posts/{post.pk}/share/").content.decode()
    url = re.search(r'value="(http://kabar\.localhost[^"]+)"', html).group(1)
    path = url.split("kabar.localhost", 1)[1]
    client.logout()
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200 and "Draf rahasia" in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert client.get(path[:-3] + "xx/", HTTP_HOST=HOST).status_code == 404
    from django.core import signing

    later = timezone.now() + datetime.timedelta(days=8)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        assert client.get(path, HTTP_HOST=HOST).status_code == 404


def test_revisions_listed_diffed_and_restored(client, blog, writer):
    editor = writer("editor")
    post_(client, "/desk/posts/new/", form(body="Paragraf lama.\n\nSama."))
    post = Post.objects.get()
    post_(
        client,
        f"/desk/posts/{post.pk}/",
        form(body="Paragraf baru.\n\nSama.", version=post.version),
    )
    first, second = Revision.objects.filter(post=post).order_by("created_at", "pk")
    html = client.get(f"/desk/posts/{post.pk}/revisions/", HTTP_HOST=HOST).content.decode()
    assert html.count(editor.name) >= 2
    html = client.get(
        f"/desk/posts/{post.pk}/revisions/diff/?a={first.pk}&b={second.pk}", HTTP_HOST=HOST
    ).content.decode()
    assert "<del>Paragraf lama.</del>" in html and "<ins>Paragraf baru.</ins>" in html
    assert "<span>Sama.</span>" in html
    post_(client, f"/desk/posts/{post.pk}/revisions/{first.pk}/restore/")
    post.refresh_from_db()
    assert post.body == "Paragraf lama.\n\nSama."
    assert Revision.objects.filter(post=post).count() == 3  # the restore is a save too


def test_a_correction_is_shown_to_readers_with_json_ld(client, published):
    correction = "Jumlah pengungsi 300, bukan 3.000."
    modified = published.updated_at
    post_(client, f"/desk/posts/{published.pk}/corrections/", {"text": correction})
    published.refresh_from_db()
    assert published.updated_at > modified and len(published.corrections) == 1
    client.logout()
    html = client.get(published.path, HTTP_HOST=HOST).content.decode()
    assert correction in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["correction"][0]["text"] == correction
    assert data["dateModified"] == published.updated_at.isoformat()


def test_trash_restore_and_delete_for_good(client, blog, writer, make_member):
    writer("owner")
    post_(client, "/desk/posts/new/", form())
    post = Post.objects.get()
    post_(client, f"/desk/posts/{post.pk}/action/", {"action": "trash"})
    post.refresh_from_db()
    assert post.status == Status.TRASHED
    post_(client, f"/desk/posts/{post.pk}/action/", {"action": "restore"})
    post.refresh_from_db()
    assert post.status == Status.DRAFT
    post_(client, f"/desk/posts/{post.pk}/action/", {"action": "delete"})
    assert not Post.objects.exists()


def test_unpublish_takes_the_post_off_the_blog(client, published):
    post_(client, f"/desk/posts/{published.pk}/action/", {"action": "unpublish"})
    client.logout()
    assert client.get(published.path, HTTP_HOST=HOST).status_code == 404


def test_an_author_submits_for_review_and_the_editors_get_a_mail(client, blog, writer, make_member):
    editor = make_member(blog, role="editor", email="redaktur@example.com")
    make_member(blog, role="member", email="pembaca@example.com")
    author = writer("author")
    response = post_(client, "/desk/posts/new/", form(action="publish"))
    assert response.status_code == 403 and not Post.objects.exists()
    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            post_(client, "/desk/posts/new/", form(action="submit_review"))
    post = Post.objects.get()
    assert post.status == Status.PENDING and post.author == author
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert f"/desk/posts/{post.pk}/" in mail.outbox[0].body
    client.force_login(editor)
    post_(client, f"/desk/posts/{post.pk}/", form(action="publish", version=post.version))
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED and post.author == author


def test_an_author_publishes_where_the_blog_allows_it(client, blog, writer):
    blog.authors_may_publish = True
    blog.save()
    writer("author")
    post_(client, "/desk/posts/new/", form(action="publish"))
    assert Post.objects.get().status == Status.PUBLISHED


def test_the_home_lists_tabs_with_counts_search_and_filters(
    client, blog, writer, make_post, make_member
):
    editor = writer("editor")
    other = make_member(blog, role="author", display_name="Sari")
    make_post(blog, title="Terbit satu", author=editor, labels=["Nasional"])
    make_post(blog, title="Terbit dua", author=other)
    make_post(blog, title="Draf saya", status=Status.DRAFT, author=editor)
    make_post(blog, title="Di tong sampah", status=Status.TRASHED, author=editor)
    html = client.get("/desk/", HTTP_HOST=HOST).content.decode()
    assert "Draf saya" in html and "Terbit satu" not in html
    assert re.search(r'tab-published">[^<]+<span class="count">\(2\)', html)
    assert re.search(r'tab-trashed">[^<]+<span class="count">\(1\)', html)
    html = client.get("/desk/?status=published&q=satu", HTTP_HOST=HOST).content.decode()
    assert "Terbit satu" in html and "Terbit dua" not in html
    html = client.get(f"/desk/?status=published&author={other.pk}", HTTP_HOST=HOST).content.decode()
    assert "Terbit dua" in html and "Terbit satu" not in html
    html = client.get("/desk/?status=published&label=Nasional", HTTP_HOST=HOST).content.decode()
    assert "Terbit satu" in html and "Terbit dua" not in html


def test_an_author_sees_only_their_own_posts(client, blog, writer, make_post, make_member):
    author = writer("author")
    make_post(blog, title="Punya saya", author=author)
    make_post(blog, title="Punya orang", author=make_member(blog, role="author"))
    html = client.get("/desk/?status=published", HTTP_HOST=HOST).content.decode()
    assert "Punya saya" in html and "Punya orang" not in html


def test_the_home_is_paginated(client, blog, writer, make_post):
    writer("editor")
    for n in range(30):
        make_post(blog, title=f"Berita {n:02d}")
    first = client.get("/desk/?status=published", HTTP_HOST=HOST).content.decode()
    second = client.get("/desk/?status=published&page=2", HTTP_HOST=HOST).content.decode()
    assert first.count('<tr id="post-') == 25 and second.count('<tr id="post-') == 5


def test_the_desk_speaks_english_on_an_english_blog(client, blog, writer):
    writer("editor")
    blog.language = "en"
    blog.save()
    html = client.get(
        "/desk/posts/new/", HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Save draft" in html


def test_the_desk_speaks_indonesian(client, blog, writer):
    writer("editor")
    html = client.get(
        "/desk/posts/new/", HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="id"
    ).content.decode()
    assert "Simpan draf" in html and "Pratinjau" in html


def test_an_editor_writes_publishes_and_trashes_a_page(client, blog, writer):
    writer("editor")
    response = post_(
        client, "/desk/pages/new/", {"title": "Tentang kami", "body": "Kami **warga**."}
    )
    page = Page.objects.get()
    assert response["Location"] == f"/desk/pages/{page.pk}/" and page.status == Status.DRAFT
    post_(
        client,
        f"/desk/pages/{page.pk}/",
        {"title": "Tentang kami", "body": "Kami.", "action": "publish"},
    )
    page.refresh_from_db()
    assert page.status == Status.PUBLISHED and page.path == "/p/tentang-kami.html"
    html = client.get("/desk/pages/?status=published", HTTP_HOST=HOST).content.decode()
    assert "Tentang kami" in html
    client.logout()
    assert client.get(page.path, HTTP_HOST=HOST).status_code == 200
    writer("owner")
    post_(client, f"/desk/pages/{page.pk}/action/", {"action": "trash"})
    client.logout()
    assert client.get(page.path, HTTP_HOST=HOST).status_code == 404


def test_a_writer_of_several_blogs_gets_a_blog_switcher(client, blog, writer, make_blog):
    from warta.blogs.models import Membership

    editor = writer("editor")
    other = make_blog("warta-sore", title="Warta Sore")
    Membership.objects.create(blog=other, user=editor, role="author")
    Membership.objects.create(blog=make_blog("cuma-baca"), user=editor, role="member")
    html = client.get("/desk/", HTTP_HOST=HOST).content.decode()
    assert 'href="http://warta-sore.localhost/desk/"' in html and "Warta Sore" in html
    assert "cuma-baca" not in html  # a blog where they only read has no desk for them
