"""Warta -> each format -> Warta, field by field, against the tables of docs/migration.md
("What each format carries"): every field of a blog, post, page and comment must be in the
table of each format, and every field the table says goes through must come back equal. A
field lost that the table does not list fails here, and so does a field the table forgets."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from warta.blogs.models import Blog
from warta.comments.models import Comment, PageComment
from warta.migration.services import export_blog
from warta.posts.models import Page, Post, Redirect
from warta.search.index import is_complete
from warta.search.query import matching_ids

from .test_round_trip import IMPORTERS, source  # noqa: F401  (the fixture)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "migration.md"
MODELS = {"Blog": Blog, "Post": Post, "Page": Page, "Comment": Comment, "PageComment": PageComment}
TABLES = {
    "json": "Warta (json)",
    "blogger": "Blogger (blogger)",
    "wordpress": "WordPress (wordpress)",
}
ROW_RE = re.compile(r"^\|\s*`(\w+)\.(\w+)`\s*\|\s*([^|]+?)\s*\|")


def table(kind: str) -> dict[tuple[str, str], str]:
    """``(model, field) -> "yes" | "yes, to the second" | "published" | "no" | "internal"``
    from the format's table in docs/migration.md."""
    text = DOCS.read_text("utf-8")
    heading = f"### {TABLES[kind]}"
    assert heading in text, heading
    section = text.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = ROW_RE.match(line)
        if match:
            rows[match.group(1), match.group(2)] = match.group(3).strip().lower()
    return rows


def value(obj, field: str):
    """A field as it can be compared across two blogs: a related row by what names it."""
    model_field = obj._meta.get_field(field)
    if not model_field.is_relation:
        return getattr(obj, field)
    related = getattr(obj, field)
    if related is None:
        return None
    if field in {"author", "user"}:
        return related.name
    if field == "lead_image":
        return related.url
    if field in {"post", "page"}:
        return related.legacy_id or str(related.pk)
    if field == "parent":
        return related.anchor
    raise AssertionError(f"{type(obj).__name__}.{field}: no way to compare it")


def rows(blog):
    def key(obj):
        return obj.legacy_id or str(obj.pk)

    return {
        "Blog": {"blog": blog},
        "Post": {key(p): p for p in Post.objects.filter(blog=blog)},
        "Page": {key(p): p for p in Page.objects.filter(blog=blog)},
        "Comment": {key(c): c for c in Comment.objects.filter(blog=blog)},
        "PageComment": {key(c): c for c in PageComment.objects.filter(blog=blog)},
    }


@pytest.fixture
def full_source(source):  # noqa: F811
    """The round-trip blog, with what the older test does not hold: comments on a page, a
    pingback, a comment with the HTML its platform allowed, redirects and a blocklist."""
    blog = source
    blog.comment_blocklist = "obat murah"
    blog.membership_open = True
    blog.show_pingbacks = False
    blog.theme, blog.accent_color = "koran", "#b3261e"
    blog.custom_css = ".blog-title { letter-spacing: 0.02em; }"
    blog.save()
    post = Post.objects.filter(blog=blog, title__startswith="Banjir").get()
    page = Page.objects.get(blog=blog)
    Comment.objects.create(
        blog=blog, post=post, author_name="Blog lain", author_url="https://lain.id/",
        body="[…] menautkan […]", kind=Comment.Kind.PINGBACK,
    )  # fmt: skip
    html = Comment(blog=blog, post=post, author_name="Eka", body="tebal sumber (https://a.id/)")
    html.body_html, html.is_html = '<b>tebal</b> <a href="https://a.id/">sumber</a>', True
    html.save()
    Comment.objects.recount(post)
    first = PageComment.objects.create(blog=blog, page=page, author_name="Fani", body="Halo")
    PageComment.objects.create(
        blog=blog, page=page, parent=first, author_name="Gita", body="Balas", status="pending"
    )
    Redirect.objects.create(blog=blog, old_path="/?p=77", new_path=post.path)
    draft = Post.objects.get(blog=blog, status="draft")
    Post.objects.filter(pk=draft.pk).update(
        created_at=timezone.now().replace(microsecond=0) - datetime.timedelta(days=9)
    )
    return blog


@pytest.mark.parametrize("kind", ["json", "blogger", "wordpress"])
def test_every_field_goes_through_as_the_docs_table_says(full_source, kind, tmp_path):
    carried = table(kind)
    missing = [
        f"{name}.{field.name}"
        for name, model in MODELS.items()
        for field in model._meta.concrete_fields
        if (name, field.name) not in carried
    ]
    assert not missing, f"not in the {kind} table of docs/migration.md: {missing}"

    path = tmp_path / f"export.{kind}"
    path.write_text("".join(export_blog(full_source, kind)), "utf-8")
    IMPORTERS[kind](path=path, blog_slug="tujuan")
    before, after = rows(full_source), rows(Blog.objects.get(slug="tujuan"))
    for (name, field), how in carried.items():
        if not how.startswith(("yes", "published")):
            continue
        assert before[name].keys() == after[name].keys(), (kind, name)
        for key, obj in before[name].items():
            if how.startswith("published") and getattr(obj, "status", "") not in {
                "published",
                "scheduled",
            }:
                continue
            want, got = value(obj, field), value(after[name][key], field)
            if "second" in how and isinstance(want, datetime.datetime):
                want = want.replace(microsecond=0)
            assert got == want, (kind, name, key, field)


def test_the_blogger_export_says_what_it_leaves_out(full_source, tmp_path, capsys):
    call_command("export", "blogger", "--blog", full_source.slug, "-o", str(tmp_path / "b.xml"))
    out = capsys.readouterr().out
    assert "1 redirects" in out
    assert "pingbacks" in out


def test_the_wordpress_comment_policy_comes_back_as_it_was(full_source, tmp_path):
    for policy in Blog.CommentPolicy.values:
        Blog.objects.filter(pk=full_source.pk).update(comment_policy=policy)
        full_source.refresh_from_db()
        path = tmp_path / f"{policy}.xml"
        path.write_text("".join(export_blog(full_source, "wordpress")), "utf-8")
        IMPORTERS["wordpress"](path=path, blog_slug=f"policy-{policy.replace('_', '-')}")
        assert Blog.objects.get(slug=f"policy-{policy.replace('_', '-')}").comment_policy == policy


@pytest.mark.parametrize("kind", ["json", "blogger", "wordpress"])
def test_an_imported_blog_is_searchable_at_once(full_source, kind, tmp_path):
    """Bulk writes send no signals: the import indexes what it wrote, in its transaction."""
    path = tmp_path / f"export.{kind}"
    path.write_text("".join(export_blog(full_source, kind)), "utf-8")
    IMPORTERS[kind](path=path, blog_slug="dicari")
    target = Blog.objects.get(slug="dicari")
    assert is_complete(target)
    banjir = Post.objects.get(blog=target, title__startswith="Banjir")
    assert banjir.pk in matching_ids(target, "banjir")


def test_a_setting_this_install_refuses_is_left_out_with_a_warning(source, tmp_path, make_blog):  # noqa: F811
    source.custom_css = ".tagline { color: teal; }"
    source.save()
    lines = "".join(export_blog(source, "json")).splitlines()
    header = json.loads(lines[0])
    header["blog"]["custom_css"] = '@import url("https://jahat.example/x.css");'
    header["blog"]["theme"] = "tema-yang-tidak-ada"
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", "utf-8")
    target = make_blog("tujuan")
    report = IMPORTERS["json"](path=path, blog_slug="tujuan")
    target.refresh_from_db()
    assert (target.custom_css, target.theme) == ("", "kabar")
    assert target.title == source.title  # the other settings came in
    said = " ".join(message for _key, message in report.warnings)
    assert "custom_css" in said and "theme" in said
