"""Warta's own export, JSON Lines: one record a line (the blog's settings first, then people,
labels, images, posts, pages, comments, redirects and the page-view counts), read back line
by line. Everything a blog holds round-trips."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warta.accounts.models import User
from warta.blogs.models import Blog
from warta.comments.models import Comment, PageComment
from warta.posts.models import Image, Label, Page, Post, Redirect
from warta.stats.models import PageViews
from warta.stats.sql import keep_views

from ..errors import ImportFailed
from .base import Format, Importer, JsonLinesExporter, ident, iso, public_email


def existing(model, names: list[str]) -> list[str]:
    """The ``names`` that are fields of ``model`` (newer ones may not be there yet)."""
    fields = {field.name for field in model._meta.concrete_fields}
    return [name for name in names if name in fields]


BLOG_FIELDS = existing(Blog, [
    "title", "tagline", "description", "language", "time_zone", "comment_policy", "moderation",
    "moderation_delay_days", "membership_open", "posts_per_page", "comment_blocklist",
    "authors_may_publish", "feed_content", "show_pingbacks", "theme", "accent_color",
    "custom_css",
])  # fmt: skip
ENTRY_FIELDS = ["title", "slug", "body", "body_format", "status", "path"]
POST_FIELDS = existing(Post, [
    "kicker", "excerpt", "lead_caption", "lead_alt", "lead_credit", "source_name", "source_url",
    "comments_enabled", "is_sticky", "dateline", "language", "byline_names", "corrections",
])  # fmt: skip
TIMES = ["published_at", "created_at", "updated_at"]
COMMENT_FLAGS = ["is_deleted", "user_deleted"]  # a page comment has neither field


def moment(value):
    return parse_datetime(value) if value else None


class WartaJsonImporter(Importer):
    xml = False
    expected_file = gettext_lazy("give the .jsonl file Warta's export wrote.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people: dict[int, int | None] = {}  # id in the file -> user pk
        self.images: dict[int, int] = {}  # id in the file -> image pk
        self.settings: dict = {}
        self.views: list[tuple] = []  # (post id in the file, path, day, referrer, phone, n)

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
                yield number, record

    def read_preamble(self) -> None:
        """The first record: the format's name and the blog's settings."""
        self.lines = self.records()
        number, first = next(self.lines, (None, None))
        if first is None:
            raise ImportFailed(_("The file is empty."))
        if first.get("format") != "warta":
            raise ImportFailed(_("The file is not a Warta export."), line=number)
        self.settings = first.get("blog") or {}

    def blog_title(self) -> str:
        return self.settings.get("title", "")

    def read_entries(self) -> None:
        self.apply_settings()
        label = _("entries")
        self.progress.tick(label)
        for number, record in self.lines:
            self.progress.tick(label)
            kind = record.get("type")
            if kind == "person":
                self.people[record["id"]] = self.writer.person(
                    name=record.get("name", ""),
                    email=record.get("email", ""),
                    uri=record.get("website", ""),
                    photo=record.get("photo_url", ""),
                )
            elif kind == "label":
                self.writer.label_ids([record["name"]])
            elif kind == "image":
                url = record.get("url", "")[:2000]
                self.images[record["id"]], _created = self.writer.images.pk(
                    url, alt=record.get("alt", "")
                )
            elif kind in {"post", "page"}:
                self.stage_entry(Post if kind == "post" else Page, record)
            elif kind == "comment":
                self.stage_comment(record)
            elif kind == "page_comment":
                self.stage_page_comment(record)
            elif kind == "redirect":
                self.writer.redirect(record["old_path"], record["new"])
            elif kind == "views":
                self.stage_views(number, record)
            else:
                self.report.warn(str(number), _("Unknown record skipped."))
        self.flush()  # the posts the counts name
        self.write_views()

    def stage_views(self, number, record) -> None:
        """A day's count of one page's views; counts an older Warta could not write are
        skipped with a warning, not guessed."""
        try:
            day = datetime.date.fromisoformat(record["day"])
            count = int(record["views"])
            path = str(record["path"])[:500]
        except (KeyError, TypeError, ValueError):
            self.report.warn(str(number), _("A page-view count that cannot be read was skipped."))
            return
        if count < 0 or not path.startswith("/"):
            self.report.warn(str(number), _("A page-view count that cannot be read was skipped."))
            return
        referrer = str(record.get("referrer") or "")[:253]
        post = str(record.get("post") or "")
        self.views.append((post, path, day, referrer, bool(record.get("phone")), count))

    def write_views(self) -> None:
        """The counts, each kept where the blog has none for its page, day, referrer and
        phone yet: importing the same file twice does not count its views twice."""
        if not self.views:
            return
        posts = dict(
            Post.objects.filter(blog=self.blog, legacy_id__in={row[0] for row in self.views})
            .values_list("legacy_id", "pk")
        )  # fmt: skip
        existing = PageViews.objects.for_blog(self.blog)
        before = existing.count()
        keep_views([(self.blog.pk, posts.get(post), *rest) for post, *rest in self.views])
        written = existing.count() - before
        if written:
            self.report.count("views", n=written)
        if written < len(self.views):
            self.report.count("views", imported=False, n=len(self.views) - written)

    def apply_settings(self) -> None:
        changed = {}
        for key, value in self.settings.items():
            if key not in BLOG_FIELDS or getattr(self.blog, key) == value:
                continue
            try:  # a file may carry a theme this install lacks, or CSS it would refuse
                changed[key] = Blog._meta.get_field(key).clean(value, self.blog)
            except ValidationError as error:
                message = _("The blog setting “%(name)s” was not taken: %(error)s") % {
                    "name": key,
                    "error": " ".join(error.messages),
                }
                self.report.note(f"blog-{key}", message)
        if changed:
            for key, value in changed.items():
                setattr(self.blog, key, value)
            # save(), not update(): the stylesheet's version is made again from the new values.
            self.blog.save(update_fields=list(changed))
            self.report.count("settings")

    def entry_fields(self, model, record) -> dict:
        fields = {
            "author_id": self.people.get(record.get("author")),
            "legacy_id": str(record["id"]),
            "title": record.get("title", ""),
            "slug": record.get("slug", ""),
            "body": record.get("body", ""),
            "body_format": record.get("body_format", "html"),
            "status": record.get("status", "draft"),
            "path": record.get("path", ""),
        } | {field: moment(record.get(field)) for field in TIMES}
        if model is Post:
            fields |= {field: record[field] for field in POST_FIELDS if field in record}
            fields["lead_image_id"] = self.images.get(record.get("lead_image"))
        return fields

    def entry_labels(self, record) -> list[str]:
        return record.get("labels", [])

    def comment_fields(self, record) -> dict:
        return {
            "legacy_id": str(record["id"]),
            "post_legacy_id": str(record["post"]),
            "parent_legacy_id": str(record.get("parent") or ""),
            "user_id": self.people.get(record.get("user")),
            "author_name": record.get("author_name", ""),
            "author_email": record.get("author_email", ""),
            "author_url": record.get("author_url", ""),
            "body": record.get("body", ""),
            "body_html": record.get("body_html", "") if record.get("is_html") else "",
            "is_html": bool(record.get("is_html")),
            "kind": record.get("kind", "comment"),
            "status": record.get("status", "approved"),
            **{flag: bool(record.get(flag)) for flag in COMMENT_FLAGS if flag in record},
            "created_at": moment(record.get("created_at")),
            "updated_at": moment(record.get("updated_at")),
        }


class WartaJsonExporter(JsonLinesExporter):
    extension = "jsonl"
    content_type = "application/jsonl; charset=utf-8"

    def sections(self):
        blog = self.blog
        people = self.author_ids()
        people.update(Comment.objects.filter(blog=blog).values_list("user_id", flat=True))
        people.update(PageComment.objects.filter(blog=blog).values_list("user_id", flat=True))
        return [
            ([blog], self.header_record),
            (User.objects.filter(pk__in=people - {None}).order_by("pk"), self.person_record),
            (Label.objects.filter(blog=blog).order_by("name"), self.label_record),
            (
                Image.objects.filter(blog=blog).order_by("pk").iterator(chunk_size=self.chunk_size),
                self.image_record,
            ),
            (self.entries(Post), self.entry_record),
            (self.entries(Page), self.entry_record),
            (self.comments(), self.comment_record),
            (
                PageComment.objects.filter(blog=blog)
                .select_related("page", "parent")
                .order_by("created_at", "pk")
                .iterator(chunk_size=self.chunk_size),
                self.comment_record,
            ),
            (Redirect.objects.filter(blog=blog).order_by("pk"), self.redirect_record),
            (
                PageViews.objects.for_blog(blog)
                .select_related("post")
                .order_by("day", "path", "referrer", "phone")
                .iterator(chunk_size=self.chunk_size),
                self.views_record,
            ),
        ]

    def header_record(self, blog) -> dict:
        fields = ["slug", *BLOG_FIELDS]
        return {"format": "warta", "version": 1, "blog": {f: getattr(blog, f) for f in fields}}

    def person_record(self, user) -> dict:
        return {
            "type": "person",
            "id": user.pk,
            "name": user.display_name,
            "email": public_email(user),
            "website": user.website,
            "photo_url": user.photo_url,
            "bio": user.bio,
        }

    def label_record(self, label) -> dict:
        return {"type": "label", "name": label.name}

    def image_record(self, image) -> dict:
        return {"type": "image", "id": image.pk, "url": image.url, "alt": image.alt}

    def entry_record(self, entry) -> dict:
        record = {
            "type": type(entry).__name__.lower(),
            "id": ident(entry),
            "author": entry.author_id,
        }
        record |= {field: getattr(entry, field) for field in ENTRY_FIELDS}
        record |= {field: iso(getattr(entry, field)) for field in TIMES}
        if isinstance(entry, Post):
            record |= {field: getattr(entry, field) for field in POST_FIELDS}
            record["lead_image"] = entry.lead_image_id
            record["labels"] = [label.name for label in entry.labels.all()]
        return record

    def comment_record(self, comment) -> dict:
        on_page = isinstance(comment, PageComment)
        return {
            "type": "page_comment" if on_page else "comment",
            "id": ident(comment),
            "post": ident(comment.page if on_page else comment.post),
            "parent": ident(comment.parent) if comment.parent else "",
            "user": comment.user_id,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": comment.author_url,
            "body": comment.body,
            "is_html": comment.is_html,
            **({"body_html": comment.body_html} if comment.is_html else {}),
            "kind": comment.kind,
            "status": comment.status,
            **({} if on_page else {flag: getattr(comment, flag) for flag in COMMENT_FLAGS}),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
        }

    def redirect_record(self, redirect) -> dict:
        return {"type": "redirect", "old_path": redirect.old_path, "new": redirect.new_path}

    def views_record(self, row) -> dict:
        """One page's views on one day from one referring domain, on phones or not: counts,
        never anything about a reader."""
        return {
            "type": "views",
            "post": ident(row.post) if row.post else "",
            "path": row.path,
            "day": row.day.isoformat(),
            "referrer": row.referrer,
            "phone": row.phone,
            "views": row.views,
        }


class WartaJson(Format):
    label = gettext_lazy("Warta (JSON Lines)")
    summary = gettext_lazy("everything, for another Warta installation")
    importer = WartaJsonImporter
    exporter = WartaJsonExporter
