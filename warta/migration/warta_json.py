"""Warta's own export (JSON Lines, one record a line), read back line by line."""

import json

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from warta.blogs.models import Blog
from warta.posts.models import Page, Post

from .services import (
    BATCH_SIZE,
    BlogWriter,
    ImportReport,
    ImportSource,
    blog_for_import,
    run_import,
)
from .xmlsafe import ImportFailed

BLOG_FIELDS = {
    "title", "tagline", "description", "language", "time_zone", "comment_policy", "moderation",
    "moderation_delay_days", "membership_open", "posts_per_page",
}  # fmt: skip
POST_FIELDS = {
    "kicker", "excerpt", "lead_caption", "lead_alt", "lead_credit", "source_name", "source_url",
    "comments_enabled", "is_sticky",
}  # fmt: skip


def moment(value):
    return parse_datetime(value) if value else None


class WartaJsonImport(ImportSource):
    def __init__(self, path, *, blog_slug: str, fetch_media: bool = False, progress=None):
        super().__init__(path, blog_slug=blog_slug, fetch_media=fetch_media, progress=progress)
        self.people: dict[int, int | None] = {}
        self.images: dict[int, int] = {}

    def records(self):
        with open(self.path, encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as error:
                    raise ImportFailed(
                        _("The file is not Warta JSON: %(error)s") % {"error": error.msg},
                        line=number,
                    ) from error
                if not isinstance(record, dict):
                    raise ImportFailed(_("The file is not Warta JSON."), line=number)
                if number == 1 and record.get("format") != "warta":
                    raise ImportFailed(_("The file is not a Warta export."), line=1)
                yield number, record

    def run(self) -> ImportReport:
        posts, pages, comments = [], [], []
        label = _("entries")
        for number, record in self.records():
            self.progress.tick(label)
            kind = record.get("type")
            if number == 1:
                self.start(record.get("blog") or {})
            elif kind == "person":
                self.people[record["id"]] = self.writer.person(
                    name=record.get("name", ""),
                    email=record.get("email", ""),
                    uri=record.get("website", ""),
                    photo=record.get("photo_url", ""),
                )
            elif kind == "label":
                self.writer.label_ids([record["name"]])
            elif kind == "image":
                self.image(record)
            elif kind in {"post", "page"}:
                model = Post if kind == "post" else Page
                (posts if kind == "post" else pages).append(self.entry(model, record))
            elif kind == "comment":
                self.writer.write_entries(Post, posts)
                self.writer.write_entries(Page, pages)
                posts, pages = [], []
                comments.append(self.comment(record))
            elif kind == "redirect":
                self.writer.redirect(record["old_path"], record["new"])
            else:
                self.report.warn(str(number), _("Unknown record skipped."))
            if len(posts) >= BATCH_SIZE or len(pages) >= BATCH_SIZE:
                self.writer.write_entries(Post, posts)
                self.writer.write_entries(Page, pages)
                posts, pages = [], []
            if len(comments) >= BATCH_SIZE:
                self.writer.write_comments(comments)
                comments = []
        if not hasattr(self, "writer"):
            raise ImportFailed(_("The file is empty."))
        self.writer.write_entries(Post, posts)
        self.writer.write_entries(Page, pages)
        self.writer.write_comments(comments)
        self.writer.complete(fetch_media=self.fetch_media)
        self.progress.done()
        return self.report

    def start(self, settings: dict) -> None:
        self.blog = blog_for_import(
            slug=self.slug, title=settings.get("title", ""), report=self.report
        )
        self.writer = BlogWriter(self.blog, self.report)
        changed = {
            k: v for k, v in settings.items() if k in BLOG_FIELDS and getattr(self.blog, k) != v
        }
        if changed:
            Blog.objects.filter(pk=self.blog.pk).update(**changed)
            for key, value in changed.items():
                setattr(self.blog, key, value)
            self.report.count("settings")

    def image(self, record) -> None:
        url = record.get("url", "")[:2000]
        self.images[record["id"]], _created = self.writer.image_pk(url, alt=record.get("alt", ""))

    def entry(self, model, record):
        obj = model(
            blog=self.blog,
            author_id=self.people.get(record.get("author")),
            legacy_id=str(record["id"]),
            title=record.get("title", ""),
            slug=record.get("slug", ""),
            body=record.get("body", ""),
            body_format=record.get("body_format", "html"),
            status=record.get("status", "draft"),
            path=record.get("path", ""),
            published_at=moment(record.get("published_at")),
            created_at=moment(record.get("created_at")),
            updated_at=moment(record.get("updated_at")),
        )
        if model is Post:
            for field in POST_FIELDS & record.keys():
                setattr(obj, field, record[field])
            obj.lead_image_id = self.images.get(record.get("lead_image"))
        return obj, record.get("labels", []), model.__name__.lower()

    def comment(self, record) -> dict:
        return {
            "legacy_id": str(record["id"]),
            "post_legacy_id": str(record["post"]),
            "parent_legacy_id": str(record.get("parent") or ""),
            "user_id": self.people.get(record.get("user")),
            "author_name": record.get("author_name", ""),
            "author_email": record.get("author_email", ""),
            "author_url": record.get("author_url", ""),
            "body": record.get("body", ""),
            "status": record.get("status", "approved"),
            "created_at": moment(record.get("created_at")),
            "updated_at": moment(record.get("updated_at")),
        }


def import_warta_json(*, path, blog_slug: str, fetch_media: bool = False, progress=None):
    """Import a Warta JSON export into the blog ``blog_slug`` (created when missing)."""
    return run_import(
        lambda: WartaJsonImport(
            path, blog_slug=blog_slug, fetch_media=fetch_media, progress=progress
        ).run()
    )
