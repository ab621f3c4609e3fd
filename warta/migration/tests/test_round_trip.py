import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from warta.blogs.models import Blog, Membership
from warta.comments.models import Comment
from warta.migration.services import (
    export_blog,
    import_blogger,
    import_warta_json,
    import_wordpress,
)
from warta.posts.models import Image, Page, Post, Redirect, Status

IMPORTERS = {"blogger": import_blogger, "wordpress": import_wordpress, "json": import_warta_json}
# What each format can carry, beyond the title, sanitised body, labels and comment threads.
ENTRY_FIELDS = {
    "json": ["slug", "body", "body_format", "created_at", "kicker", "lead_caption", "source_name",
             "lead_image_url", "is_sticky", "comments_enabled", "excerpt"],
    "blogger": ["excerpt"],
    "wordpress": ["slug", "is_sticky", "comments_enabled", "excerpt", "lead_image_url"],
}  # fmt: skip
BLOG_FIELDS = {
    "json": ["title", "tagline", "description", "language", "time_zone", "comment_policy",
             "moderation", "moderation_delay_days", "posts_per_page", "membership_open"],
    "blogger": ["title", "description", "language", "time_zone", "comment_policy", "moderation",
                "moderation_delay_days", "posts_per_page"],
    "wordpress": ["title"],
}  # fmt: skip


@pytest.fixture
def source(make_blog, make_post, make_comment, make_member):
    """A blog with every kind of thing an export must carry."""
    blog = make_blog(
        "sumber",
        title="Kabar Sumber",
        description="Berita dari sumber",
        time_zone="Asia/Makassar",
        comment_policy=Blog.CommentPolicy.ANYONE,
        moderation=Blog.Moderation.OLDER_THAN,
        moderation_delay_days=30,
        posts_per_page=7,
        language="en",
    )
    writer = make_member(blog, Membership.Role.AUTHOR, display_name="Rina Wartawan")
    reader = make_member(blog, display_name="Budi Pembaca")
    image = Image.objects.create(blog=blog, remote_url="https://example.com/foto.jpg", alt="Foto")
    now = timezone.now().replace(microsecond=0)
    first = make_post(
        blog,
        title="Banjir di Demak: ‘kami bertahan’",
        body='Paragraf **tebal** & <a href="https://contoh.id">tautan</a>.\n\n> Kutipan',
        labels=["Nasional", "Lingkungan"],
        author=writer,
        kicker="Jawa Tengah",
        excerpt="Ringkasan banjir.",
        lead_image=image,
        lead_caption="Perahu",
        source_name="Antara",
        is_sticky=True,
        published_at=now - datetime.timedelta(days=3, hours=2),
    )
    make_post(
        blog,
        title="Komentar ditutup",
        body="<p>HTML <em>asli</em></p>",
        body_format="html",
        labels=["Nasional"],
        comments_enabled=False,
        published_at=now - datetime.timedelta(days=1),
    )
    make_post(blog, title="Masih draf", status=Status.DRAFT, slug="masih-draf", author=writer)
    make_post(
        blog,
        title="Terjadwal",
        status=Status.SCHEDULED,
        published_at=now + datetime.timedelta(days=2),
    )
    Page.objects.create(
        blog=blog,
        title="Tentang kami",
        body="Kami **ada**.",
        status=Status.PUBLISHED,
        author=writer,
    )
    top = make_comment(first, author_name="Ani", author_email="ani@example.com", body="Bagus.")
    reply = make_comment(first, user=reader, parent=top, body="Setuju\n\nhttps://contoh.id/a")
    make_comment(first, author_name="Cici", parent=reply, body="Tingkat tiga")
    make_comment(first, author_name="Dodi", status=Comment.Status.PENDING, body="Tunggu")
    make_comment(first, author_name="Spammer", status=Comment.Status.SPAM, body="Beli obat")
    return blog


def export_import(blog, kind, tmp_path, slug="tujuan"):
    path = tmp_path / f"export.{kind}"
    with open(path, "w", encoding="utf-8") as stream:
        stream.writelines(export_blog(blog, kind))
    IMPORTERS[kind](path=path, blog_slug=slug)
    return Blog.objects.get(slug=slug), path


def entry_facts(entry, kind):
    facts = {
        "title": entry.title,
        "body_html": entry.body_html,
        "status": entry.status,
        "author": entry.author.name if entry.author else None,
    }
    if entry.status in {Status.PUBLISHED, Status.SCHEDULED}:
        facts["path"] = entry.path
        facts["published_at"] = entry.published_at.replace(
            microsecond=0 if kind == "wordpress" else entry.published_at.microsecond
        )
    if kind != "wordpress" or entry.status != Status.DRAFT:
        facts["updated_at"] = entry.updated_at.replace(
            microsecond=0 if kind == "wordpress" else entry.updated_at.microsecond
        )
    if isinstance(entry, Post):
        facts["labels"] = sorted(entry.labels.values_list("name", flat=True))
        facts["comment_count"] = entry.comment_count
        if "lead_image_url" in ENTRY_FIELDS[kind]:
            facts["lead_image_url"] = entry.lead_image.url if entry.lead_image else None
    for field in ENTRY_FIELDS[kind]:
        if hasattr(entry, field) and field != "lead_image_url":
            facts[field] = getattr(entry, field)
    return facts


def comment_facts(comment, kind):
    moment = comment.created_at.replace(microsecond=0) if kind == "wordpress" else None
    return {
        "anchor": comment.anchor,
        "parent": comment.parent.anchor if comment.parent else None,
        "post": comment.post.path,
        "name": comment.display_name,
        "body": comment.body,
        "status": comment.status,
        "created_at": moment or comment.created_at,
    }


def assert_same(actual, expected):
    """Field by field, so a failure names the entry and the field."""
    assert actual["blog"] == expected["blog"]
    for part in ("posts", "pages"):
        assert actual[part].keys() == expected[part].keys(), part
        for key, facts in expected[part].items():
            for field, value in facts.items():
                assert actual[part][key].get(field) == value, (part, key, field)
    assert len(actual["comments"]) == len(expected["comments"])
    for got, want in zip(actual["comments"], expected["comments"], strict=True):
        for field, value in want.items():
            assert got[field] == value, (want["anchor"], field)


def blog_facts(blog, kind):
    def key(entry):
        return entry.legacy_id or str(entry.pk)

    return {
        "blog": {field: getattr(blog, field) for field in BLOG_FIELDS[kind]},
        "posts": {key(p): entry_facts(p, kind) for p in Post.objects.filter(blog=blog)},
        "pages": {key(p): entry_facts(p, kind) for p in Page.objects.filter(blog=blog)},
        "comments": sorted(
            (comment_facts(c, kind) for c in Comment.objects.filter(blog=blog)),
            key=lambda c: c["anchor"],
        ),
    }


@pytest.mark.parametrize("kind", ["json", "blogger", "wordpress"])
def test_an_export_imported_into_an_empty_blog_reproduces_it(source, kind, tmp_path):
    target, _path = export_import(source, kind, tmp_path)
    assert_same(blog_facts(target, kind), blog_facts(source, kind))


@pytest.mark.parametrize("kind", ["json", "blogger", "wordpress"])
def test_a_migrated_blogger_blog_survives_every_export_format(db, testdata, kind, tmp_path):
    import_blogger(path=testdata / "blogger-export" / "blog-03-21-2019.xml", blog_slug="fizkult")
    source = Blog.objects.get(slug="fizkult")
    target, _path = export_import(source, kind, tmp_path)
    actual, expected = blog_facts(target, kind), blog_facts(source, kind)
    actual["blog"] = expected["blog"] = None  # the blog's own settings: see the test above
    assert_same(actual, expected)


def test_the_json_export_carries_redirects(db, testdata, tmp_path):
    import_wordpress(
        path=testdata / "wxr-samples" / "wpimporter-small-export.xml", blog_slug="lama"
    )
    source = Blog.objects.get(slug="lama")
    target, _path = export_import(source, "json", tmp_path)
    expected = set(Redirect.objects.filter(blog=source).values_list("old_path", "new_path"))
    assert set(Redirect.objects.filter(blog=target).values_list("old_path", "new_path")) == (
        expected
    )
    assert expected


@pytest.mark.parametrize("kind", ["json", "blogger", "wordpress"])
def test_export_and_import_commands_round_trip(source, kind, tmp_path, capsys):
    path = tmp_path / f"out.{kind}"
    call_command("export", kind, "--blog", "sumber", "-o", str(path))
    call_command("import", kind, str(path), "--blog", "salinan")
    out = capsys.readouterr().out
    assert "post: 4" in out
    assert Post.objects.filter(blog__slug="salinan").count() == 4
    call_command("import", kind, str(path), "--blog", "salinan")
    out = capsys.readouterr().out
    assert "Imported: 0" in out


def test_the_import_command_names_the_line_of_a_broken_file(db, testdata):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="line 973.*Nothing was changed"):
        call_command(
            "import",
            "blogger",
            str(testdata / "blogger-export" / "pelican-bloggerexport.xml"),
            "--blog",
            "x",
        )
    assert not Blog.objects.filter(slug="x").exists()
