"""Blogger's backup file (Atom): the older "Back up content" format and the newer Takeout one.

Entries are classified by their kind (``#post`` category or ``<blogger:type>``), never by their
id: a comment's id looks like a post's. Two streaming passes: settings, posts and pages first,
then comments, so a comment never needs its post held in memory.
"""

import datetime
import re

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from warta.blogs.models import Blog, validate_time_zone
from warta.posts.models import Page, Post, Status

from .services import (
    BATCH_SIZE,
    BlogWriter,
    ImportReport,
    ImportSource,
    blog_for_import,
    url_path,
)
from .text import html_to_text
from .xmlsafe import ImportFailed, iter_elements, text_of

ATOM = "{http://www.w3.org/2005/Atom}"
APP = "{http://purl.org/atom/app#}"
THR = "{http://purl.org/syndication/thread/1.0}"
GD = "{http://schemas.google.com/g/2005}"
BLOGGER = "{http://schemas.google.com/blogger/2018}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
ID_RE = re.compile(r"\.(?:post|page)-([^.]+)$")
SETTING_RE = re.compile(r"\.settings\.(\w+)$")
CHAINS_TABLE = "warta_import_chain"

# Blogger's BLOG_COMMENT_ACCESS values; anything else becomes members-only, with a warning.
COMMENT_ACCESS = {
    "ANYONE": Blog.CommentPolicy.ANYONE,
    "PUBLIC": Blog.CommentPolicy.ANYONE,
    "BLOGGERS": Blog.CommentPolicy.SIGNED_IN,
    "REGISTERED": Blog.CommentPolicy.SIGNED_IN,
    "USERS": Blog.CommentPolicy.SIGNED_IN,
    "MEMBERS": Blog.CommentPolicy.MEMBERS,
    "BLOG_MEMBERS": Blog.CommentPolicy.MEMBERS,
}
MODERATION = {
    "DISABLED": Blog.Moderation.NONE,
    "NEVER": Blog.Moderation.NONE,
    "ALWAYS": Blog.Moderation.ALWAYS,
    "ENABLED": Blog.Moderation.ALWAYS,
    "OLDER_THAN": Blog.Moderation.OLDER_THAN,
}
POST_STATUS = {
    "LIVE": Status.PUBLISHED,
    "DRAFT": Status.DRAFT,
    "SCHEDULED": Status.SCHEDULED,
    "SOFT_TRASHED": Status.TRASHED,
    "DELETED": Status.TRASHED,
}
COMMENT_STATUS = {
    "LIVE": "approved",
    "PENDING": "pending",
    "SPAM_COMMENT": "spam",
    "SPAM": "spam",
    "SOFT_TRASHED": "trashed",
    "DELETED": "trashed",
}


def entry_kind(entry) -> str:
    for category in entry.iterfind(f"{ATOM}category"):
        if category.get("scheme") == KIND_SCHEME:
            return category.get("term", "").removeprefix(KIND_PREFIX)
    kind = text_of(entry, f"{BLOGGER}type").strip().lower()
    return kind


def numeric_id(value: str) -> str:
    """``tag:blogger.com,1999:blog-1.post-42`` (or ``42``) -> ``42``."""
    value = (value or "").strip()
    match = ID_RE.search(value)
    if match:
        return match.group(1)
    digits = re.search(r"(\d+)$", value)
    return digits.group(1) if digits else value


def parse_time(value: str):
    value = (value or "").strip()
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def link(entry, rel: str) -> str:
    for element in entry.iterfind(f"{ATOM}link"):
        if element.get("rel") == rel:
            return element.get("href", "")
    return ""


def author_of(entry) -> dict:
    author = entry.find(f"{ATOM}author")
    if author is None:
        return {"name": "", "email": "", "uri": "", "photo": ""}
    image = author.find(f"{GD}image")
    return {
        "name": text_of(author, f"{ATOM}name"),
        "email": text_of(author, f"{ATOM}email"),
        "uri": text_of(author, f"{ATOM}uri"),
        "photo": image.get("src", "") if image is not None else "",
    }


def status_of(entry) -> str:
    control = entry.find(f"{APP}control")
    if control is not None and text_of(control, f"{APP}draft").strip().lower() == "yes":
        return Status.DRAFT
    blogger_status = text_of(entry, f"{BLOGGER}status").strip().upper()
    if blogger_status:
        return POST_STATUS.get(blogger_status, Status.DRAFT)
    return Status.PUBLISHED


def title_of(entry) -> str:
    title = text_of(entry, f"{ATOM}title").strip()
    if "&" in title and text_of(entry, f"{BLOGGER}type"):
        import html

        # Takeout titles may be escaped twice.
        title = html.unescape(title)
    return title[:500]


class BloggerImport(ImportSource):
    """``BloggerImport(path, blog_slug=...).run()``: see ``import_blogger``."""

    root_tags = {f"{ATOM}feed"}

    def __init__(self, path, *, blog_slug: str, fetch_media: bool = False, progress=None):
        super().__init__(path, blog_slug=blog_slug, fetch_media=fetch_media, progress=progress)
        self.chains_read = False

    def entries(self):
        for entry in iter_elements(self.path, level=2, root_tags=self.root_tags):
            if entry.tag == f"{ATOM}entry":
                yield entry_kind(entry), entry

    def run(self) -> ImportReport:
        self.blog = blog_for_import(slug=self.slug, report=self.report)
        self.writer = BlogWriter(self.blog, self.report)
        self.first_pass()
        self.second_pass()
        self.forget_chains()
        self.writer.complete(fetch_media=self.fetch_media)
        self.progress.done()
        return self.report

    # ------------------------------------------------------------ pass 1
    def first_pass(self) -> None:
        posts, pages = [], []
        settings = {}
        seen_kinds = False
        label = _("posts")
        for kind, entry in self.entries():
            self.progress.tick(label)
            if kind:
                seen_kinds = True
            if kind == "settings":
                match = SETTING_RE.search(text_of(entry, f"{ATOM}id"))
                if match and match.group(1) != "BLOG_ADMIN_PERMISSION":
                    settings[match.group(1)] = text_of(entry, f"{ATOM}content").strip()
            elif kind in {"post", "page"}:
                item = self.entry_from(entry, Post if kind == "post" else Page)
                (posts if kind == "post" else pages).append(item)
                if len(posts) >= BATCH_SIZE:
                    self.writer.write_entries(Post, posts)
                    posts = []
            elif kind in {"comment", "template", "layout"}:
                continue
            else:
                self.report.warn(
                    numeric_id(text_of(entry, f"{ATOM}id")),
                    _("Entry of unknown kind “%(kind)s” skipped.") % {"kind": kind or "?"},
                )
                self.report.count("unknown", imported=False)
        if not seen_kinds:
            raise ImportFailed(_("This is not a Blogger backup: no entry says its kind."))
        self.writer.write_entries(Post, posts)
        self.writer.write_entries(Page, pages)
        if settings:
            self.apply_settings(settings)

    def entry_from(self, entry, model):
        entry_id = numeric_id(text_of(entry, f"{ATOM}id"))
        status = status_of(entry)
        published = parse_time(text_of(entry, f"{ATOM}published"))
        updated = parse_time(text_of(entry, f"{ATOM}updated")) or published
        created = parse_time(text_of(entry, f"{BLOGGER}created")) or published
        if status == Status.PUBLISHED and published and published > timezone.now():
            status = Status.SCHEDULED
        path = ""
        if status in {Status.PUBLISHED, Status.SCHEDULED}:
            path = text_of(entry, f"{BLOGGER}filename").strip() or url_path(
                link(entry, "alternate")
            )
            path = path.split("?", 1)[0]
        body = text_of(entry, f"{ATOM}content")
        author = author_of(entry)
        obj = model(
            blog=self.blog,
            author_id=self.writer.person(**author) if author["name"] else None,
            title=title_of(entry),
            slug=path.rsplit("/", 1)[-1].removesuffix(".html")[:200] if path else "",
            body=body,
            body_format="html",
            status=status,
            published_at=published if status != Status.DRAFT else None,
            created_at=created or timezone.now(),
            updated_at=updated or timezone.now(),
            path=path,
            legacy_id=entry_id,
        )
        if model is Post:
            meta = text_of(entry, f"{BLOGGER}metaDescription").strip()
            obj.excerpt = meta[:1000]
        self.writer.remote_images(body, legacy_id=entry_id)
        labels = [
            c.get("term", "")
            for c in entry.iterfind(f"{ATOM}category")
            if c.get("scheme") not in {KIND_SCHEME}
            and (c.get("scheme") == LABEL_SCHEME or text_of(entry, f"{BLOGGER}type"))
        ]
        return obj, labels, model.__name__.lower()

    def apply_settings(self, settings: dict) -> None:
        blog = self.blog
        if settings.get("BLOG_NAME"):
            blog.title = settings["BLOG_NAME"][:200]
        if "BLOG_DESCRIPTION" in settings:
            blog.description = settings["BLOG_DESCRIPTION"][:2000]
            blog.tagline = settings["BLOG_DESCRIPTION"][:300]
        locale = settings.get("BLOG_LOCALE", "")[:2].lower()
        if locale in Blog.Language.values:
            blog.language = locale
        zone = settings.get("BLOG_TIME_ZONE", "")
        if zone:
            try:
                validate_time_zone(zone)
                blog.time_zone = zone
            except Exception:
                self.report.warn("BLOG_TIME_ZONE", _("Unknown time zone %(z)s.") % {"z": zone})
        if settings.get("BLOG_MAX_UNIT") == "POSTS" and settings.get("BLOG_MAX_NUM", "").isdigit():
            blog.posts_per_page = max(1, min(int(settings["BLOG_MAX_NUM"]), 100))
        access = settings.get("BLOG_COMMENT_ACCESS", "")
        if settings.get("BLOG_COMMENTS_ALLOWED", "").lower() == "false":
            blog.comment_policy = Blog.CommentPolicy.CLOSED
        elif access:
            if access.upper() not in COMMENT_ACCESS:
                self.report.warn(
                    "BLOG_COMMENT_ACCESS",
                    _("Unknown comment access “%(value)s”: members only.") % {"value": access},
                )
            blog.comment_policy = COMMENT_ACCESS.get(access.upper(), Blog.CommentPolicy.MEMBERS)
        moderation = settings.get("BLOG_COMMENT_MODERATION", "").upper()
        if moderation:
            if moderation not in MODERATION:
                self.report.warn(
                    "BLOG_COMMENT_MODERATION",
                    _("Unknown moderation “%(value)s”: always moderate.") % {"value": moderation},
                )
            blog.moderation = MODERATION.get(moderation, Blog.Moderation.ALWAYS)
        delay = settings.get("BLOG_COMMENT_MODERATION_DELAY", "")
        if delay.isdigit():
            blog.moderation_delay_days = int(delay)
        fields = [
            "title", "description", "tagline", "language", "time_zone", "posts_per_page",
            "comment_policy", "moderation", "moderation_delay_days",
        ]  # fmt: skip
        before = Blog.objects.filter(pk=blog.pk).values(*fields).get()
        if any(before[f] != getattr(blog, f) for f in fields):
            blog.save(update_fields=fields)
            self.report.count("settings")

    # ------------------------------------------------------------ pass 2
    def second_pass(self) -> None:
        batch = []
        batch_posts: dict[str, str] = {}  # comment legacy id -> post legacy id, this batch
        label = _("comments")
        for kind, entry in self.entries():
            if kind != "comment":
                continue
            self.progress.tick(label)
            data = self.comment_from(entry, batch_posts)
            if data is not None:
                batch.append(data)
                batch_posts[data["legacy_id"]] = data["post_legacy_id"]
            if len(batch) >= BATCH_SIZE:
                self.writer.write_comments(batch)
                batch, batch_posts = [], {}
        self.writer.write_comments(batch)

    def comment_from(self, entry, batch_posts: dict[str, str]) -> dict | None:
        comment_id = numeric_id(text_of(entry, f"{ATOM}id"))
        reply_to = entry.find(f"{THR}in-reply-to")
        parent_id = ""
        if reply_to is not None:
            post_id = numeric_id(reply_to.get("ref", ""))
            related = link(entry, "related")
            if related:
                parent_id = related.rstrip("/").rsplit("/", 1)[-1]
        else:
            parent = numeric_id(text_of(entry, f"{BLOGGER}parent"))
            post_id = batch_posts.get(parent) or self.post_of_parent(parent)
            if post_id != parent:
                parent_id = parent
        if not post_id:
            self.report.warn(comment_id, _("A comment without its post was skipped."))
            self.report.count("comment", imported=False)
            return None
        author = author_of(entry)
        email = author["email"].strip().lower()
        if email == "noreply@blogger.com" or "@" not in email or len(email) > 254:
            email = ""
        status = COMMENT_STATUS.get(text_of(entry, f"{BLOGGER}status").strip().upper(), "approved")
        created = parse_time(text_of(entry, f"{ATOM}published")) or timezone.now()
        return {
            "legacy_id": comment_id,
            "post_legacy_id": post_id,
            "parent_legacy_id": parent_id,
            "author_name": author["name"][:150],
            "author_email": email,
            "author_url": author["uri"][:500] if author["uri"].startswith("http") else "",
            "body": html_to_text(text_of(entry, f"{ATOM}content")),
            "status": status,
            "created_at": created,
            "updated_at": parse_time(text_of(entry, f"{ATOM}updated")) or created,
        }

    def post_of_parent(self, parent: str) -> str:
        """Takeout: ``blogger:parent`` is a post id, or a comment id for a reply."""
        from warta.comments.models import Comment

        if not parent or self.writer.legacy_pks(Post, [parent]):
            return parent
        comment_pk = self.writer.legacy_pks(Comment, [parent]).get(parent)
        if comment_pk:
            return Comment.objects.filter(pk=comment_pk).values_list("post__legacy_id", flat=True)[
                0
            ]
        return self.pending_post_of(parent)

    def pending_post_of(self, parent: str) -> str:
        """A reply before its parent in the file: walk up the file's reply chain to the post.
        The chains are read once into a temporary table; a scan of the file per such reply
        was quadratic, and a list of them would grow with the file."""
        table = connection.ops.quote_name(CHAINS_TABLE)
        with connection.cursor() as cursor:
            if not self.chains_read:
                self.read_chains(cursor, table)
            seen = set()
            while parent and parent not in seen:
                seen.add(parent)
                cursor.execute(
                    f"SELECT parent_id FROM {table} WHERE comment_id = %s LIMIT 1", [parent]
                )
                row = cursor.fetchone()
                parent = row[0] if row else ""
                if parent and self.writer.legacy_pks(Post, [parent]):
                    return parent
        return ""

    def read_chains(self, cursor, table: str) -> None:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} "
            "(comment_id varchar(200) NOT NULL, parent_id varchar(200) NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {CHAINS_TABLE}_comment ON {table} (comment_id)")
        insert = f"INSERT INTO {table} (comment_id, parent_id) VALUES (%s, %s)"
        rows = []
        for kind, entry in self.entries():
            parent = numeric_id(text_of(entry, f"{BLOGGER}parent")) if kind == "comment" else ""
            if parent:
                rows.append((numeric_id(text_of(entry, f"{ATOM}id")), parent))
            if len(rows) >= BATCH_SIZE:
                cursor.executemany(insert, rows)
                rows = []
        cursor.executemany(insert, rows)
        self.chains_read = True

    def forget_chains(self) -> None:
        if self.chains_read:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(CHAINS_TABLE)}")
            self.chains_read = False


def import_blogger(*, path, blog_slug: str, fetch_media: bool = False, progress=None):
    """Import a Blogger backup into the blog ``blog_slug`` (created when missing), atomically."""
    from .services import run_import

    return run_import(
        lambda: BloggerImport(
            path, blog_slug=blog_slug, fetch_media=fetch_media, progress=progress
        ).run()
    )
