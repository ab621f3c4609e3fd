"""Reading a Blogger backup: the older "Back up content" file and the newer Takeout one.

Entries are classified by their kind (``#post`` category or ``<blogger:type>``), never by their
id: a comment's id looks like a post's. The file is read twice, streaming: settings, posts and
pages first, then comments, so a comment never needs its post held in memory.
"""

import csv
import datetime
import html
import io
import os
import re
import shutil
import zipfile

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warta.blogs.models import Blog, validate_time_zone
from warta.comments.models import Comment
from warta.comments.text import render_comment
from warta.posts.models import Page, Post, Status

from ... import sql
from ...errors import ImportFailed
from ...staging import BLOGGER_NOREPLY
from ...text import html_to_text
from ...xmlsafe import iter_elements, text_of
from ..base import Importer, check_archive, check_member, compressed_sanely, url_path
from .atom import APP, ATOM, BLOGGER, GD, KIND_PREFIX, KIND_SCHEME, LABEL_SCHEME, THR

ID_RE = re.compile(r"\.(?:post|page)-([^.]+)$")
SETTING_RE = re.compile(r"\.settings\.(\w+)$")

# Blogger's BLOG_COMMENT_ACCESS values; anything else becomes members-only, with a warning.
COMMENT_ACCESS = {
    "ANYONE": Blog.CommentPolicy.ANYONE,
    "PUBLIC": Blog.CommentPolicy.ANYONE,
    "BLOGGERS": Blog.CommentPolicy.SIGNED_IN,
    "REGISTERED": Blog.CommentPolicy.SIGNED_IN,
    "USERS": Blog.CommentPolicy.SIGNED_IN,
    "BLOGGER": Blog.CommentPolicy.SIGNED_IN,
    "BLOGGER_PLUS_OPENID": Blog.CommentPolicy.SIGNED_IN,
    "MEMBERS": Blog.CommentPolicy.MEMBERS,
    "BLOG_MEMBERS": Blog.CommentPolicy.MEMBERS,
}
MODERATION = {
    "DISABLED": Blog.Moderation.NONE,
    "NEVER": Blog.Moderation.NONE,
    "ALWAYS": Blog.Moderation.ALWAYS,
    "ENABLED": Blog.Moderation.ALWAYS,
    "OLDER_THAN": Blog.Moderation.OLDER_THAN,
    "FIRST_TIME": Blog.Moderation.FIRST_TIME,  # not Blogger's: a Warta export's
}
POST_STATUS = {
    "LIVE": Status.PUBLISHED,
    "DRAFT": Status.DRAFT,
    "SCHEDULED": Status.SCHEDULED,
    "SOFT_TRASHED": Status.TRASHED,
    "DELETED": Status.TRASHED,
}
# Only LIVE is public; every other status keeps its meaning. Takeout writes
# PENDING_MODERATION for a comment waiting for the owner and GHOSTED_COMMENT for one
# Blogger's filter hid (it shows neither): both stay out of sight, as pending and spam.
COMMENT_STATUS = {
    "LIVE": "approved",
    "PENDING": "pending",
    "PENDING_MODERATION": "pending",
    "SPAM_COMMENT": "spam",
    "SPAM": "spam",
    "GHOSTED_COMMENT": "spam",
    "SOFT_TRASHED": "trashed",
    "DELETED": "trashed",
    "DELETED_COMMENT": "trashed",
}
# Takeout's settings.csv names settings in lower case; the older file as BLOG_…
CSV_IGNORED = {"BLOG_ADMIN_PERMISSION", "BLOG_COMMENT_EMAIL", "BLOG_POST_EMAIL"}
# The settings apply_settings reads; the rest is said once in the report.
READ_SETTINGS = {
    "BLOG_NAME", "BLOG_DESCRIPTION", "BLOG_LOCALE", "BLOG_TIME_ZONE", "BLOG_MAX_NUM",
    "BLOG_MAX_UNIT", "BLOG_COMMENTS_ALLOWED", "BLOG_COMMENT_ACCESS", "BLOG_COMMENT_MODERATION",
    "BLOG_COMMENT_MODERATION_DELAY",
}  # fmt: skip
HTML_TAG_RE = re.compile(r"<[a-zA-Z/][^>]*>")
TAKEOUT_FEED_RE = re.compile(r"(?:^|/)Blogs/([^/]+)/feed\.atom$")
ALBUM_IMAGE_RE = re.compile(r"(?:^|/)Albums/([^/]+)/([^/]+\.(?:jpe?g|png|gif|webp))$", re.I)


MAX_IMAGE_BYTES = 10 * 2**20  # as --fetch-media
MAX_ALBUM_IMAGES = 10_000


def read_settings_csv(text: str) -> dict[str, str]:
    """Takeout's ``settings.csv`` (a header row and a value row, read by header name) as the
    older file's ``BLOG_…`` settings. Addresses of people are never read."""
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2:
        return {}
    settings = {
        name.strip().upper(): value.strip() for name, value in zip(rows[0], rows[1], strict=False)
    }
    return {
        name: value
        for name, value in settings.items()
        if name not in CSV_IGNORED and "@" not in value  # never a person's address
    }


def entry_kind(entry) -> str:
    for category in entry.iterfind(f"{ATOM}category"):
        if category.get("scheme") == KIND_SCHEME:
            return category.get("term", "").removeprefix(KIND_PREFIX)
    return text_of(entry, f"{BLOGGER}type").strip().lower()


def numeric_id(value: str) -> str:
    """``tag:blogger.com,1999:blog-1.post-42`` (or ``42``) -> ``42``."""
    value = (value or "").strip()
    match = ID_RE.search(value)
    if match:
        return match.group(1)
    digits = re.search(r"(\d+)$", value)
    return digits.group(1) if digits else value


def entry_id(entry) -> str:
    return numeric_id(text_of(entry, f"{ATOM}id"))


def parse_time(value: str):
    moment = parse_datetime((value or "").strip()) if (value or "").strip() else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def time_of(entry, tag: str):
    return parse_time(text_of(entry, tag))


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


class BloggerImporter(Importer):
    root_tags = {f"{ATOM}feed"}
    images_in_bodies = True
    expected_file = gettext_lazy(
        "give a Google Takeout archive of Blogger (with Takeout/Blogger/Blogs/<blog>/feed.atom), "
        "that feed.atom, or the .xml file of Blogger's “Back up content”."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chains_read = False
        self.batch_posts: dict[str, str] = {}  # comment id -> post id, for the unwritten batch
        self.settings: dict[str, str] = {}  # Takeout's settings.csv
        self.page_ids: set[str] = set()  # a blog has few pages
        self.album_images: list[tuple[str, str]] = []  # (name, extracted file)
        beside = os.path.join(os.path.dirname(os.path.abspath(self.path)), "settings.csv")
        if os.path.basename(self.path) == "feed.atom" and os.path.isfile(beside):
            self.settings = read_settings_csv(open(beside, encoding="utf-8-sig").read())

    def read_archive(self, path, directory: str):
        """A Takeout archive: its blog's ``feed.atom``, the ``settings.csv`` beside it and the
        images of its albums. The Comments feed holds copies of the owner's own comments."""
        with zipfile.ZipFile(path) as archive:
            check_archive(archive)
            names = archive.namelist()
            feeds = [name for name in names if TAKEOUT_FEED_RE.search(name)]
            if not feeds:
                raise ImportFailed(
                    _("This ZIP archive holds no Blogger blog: %(expected)s")
                    % {"expected": self.expected_file}
                )
            if len(feeds) > 1:
                raise ImportFailed(
                    _("This archive holds %(n)s blogs; unpack it and give one of: %(files)s")
                    % {"n": len(feeds), "files": ", ".join(sorted(feeds))}
                )
            feed = feeds[0]
            check_member(archive.getinfo(feed))
            target = os.path.join(directory, "feed.atom")
            with archive.open(feed) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
            settings = feed.removesuffix("feed.atom") + "settings.csv"
            if settings in names and archive.getinfo(settings).file_size < 2**20:
                self.settings = read_settings_csv(archive.read(settings).decode("utf-8-sig"))
            albums = [name for name in names if ALBUM_IMAGE_RE.search(name)][:MAX_ALBUM_IMAGES]
            for n, name in enumerate(albums):
                info = archive.getinfo(name)
                if info.file_size <= MAX_IMAGE_BYTES and compressed_sanely(info):
                    extracted = os.path.join(directory, f"album-{n}")
                    with archive.open(name) as source, open(extracted, "wb") as out:
                        shutil.copyfileobj(source, out)
                    self.album_images.append((name.rsplit("/", 1)[-1], extracted))
        return target

    def blog_title(self) -> str:
        return self.settings.get("BLOG_NAME", "")[:200]

    def entries(self):
        """``(kind, element)`` for each entry of the file, read anew on each call."""
        for entry in iter_elements(self.path, level=2, root_tags=self.root_tags):
            if entry.tag == f"{ATOM}entry":
                yield entry_kind(entry), entry

    def read_entries(self) -> None:
        self.read_posts()
        self.read_comments()
        if self.chains_read:
            sql.drop_reply_chains()

    def read_posts(self) -> None:
        settings = dict(self.settings)
        if settings:  # settings.csv: before the posts, whose addresses follow its time zone
            self.apply_settings(settings)
        seen_kinds = False
        label = _("posts")
        for kind, entry in self.entries():
            self.progress.tick(label)
            seen_kinds = seen_kinds or bool(kind)
            if kind == "settings":
                match = SETTING_RE.search(text_of(entry, f"{ATOM}id"))
                if match and match.group(1) != "BLOG_ADMIN_PERMISSION":
                    settings[match.group(1)] = text_of(entry, f"{ATOM}content").strip()
            elif kind in {"post", "page"}:
                if kind == "page":
                    self.page_ids.add(entry_id(entry))
                if settings and settings is not self.settings:
                    # The older file lists its settings first: the time zone is known now.
                    self.apply_settings(settings)
                    self.settings = settings
                self.stage_entry(Post if kind == "post" else Page, entry)
            elif kind not in {"comment", "template", "layout"}:
                self.report.warn(
                    entry_id(entry),
                    _("Entry of unknown kind “%(kind)s” skipped.") % {"kind": kind or "?"},
                )
                self.report.count("unknown", imported=False)
        if not seen_kinds:
            raise ImportFailed(_("This is not a Blogger backup: no entry says its kind."))
        self.flush()
        if settings and settings is not self.settings:
            self.apply_settings(settings)
        self.write_album_images()

    def write_album_images(self) -> None:
        """Takeout's album photos into the media library, each once (by its name)."""
        from django.core.files import File

        from warta.posts.models import Image

        for name, extracted in self.album_images:
            alt = os.path.splitext(name)[0][:500]
            if Image.objects.filter(blog=self.blog, remote_url="", alt=alt).exists():
                self.report.count("image", imported=False)
                continue
            image = Image(blog=self.blog, alt=alt)
            with open(extracted, "rb") as stream:
                try:
                    image.file.save(name[-100:], File(stream), save=True)
                except Exception:
                    self.report.warn(name, _("This album file is not an image Warta can read."))
                    continue
            self.report.count("image")
            self.writer.changed = True

    def entry_fields(self, model, entry) -> dict:
        status = status_of(entry)
        published = time_of(entry, f"{ATOM}published")
        if status == Status.PUBLISHED and published and published > timezone.now():
            status = Status.SCHEDULED
        path = ""
        if status in {Status.PUBLISHED, Status.SCHEDULED}:
            path = text_of(entry, f"{BLOGGER}filename").strip() or url_path(
                link(entry, "alternate")
            )
            path = path.split("?", 1)[0]
        author = author_of(entry)
        fields = {
            "author_id": self.writer.person(**author) if author["name"] else None,
            "title": self.entry_title(entry),
            "slug": path.rsplit("/", 1)[-1].removesuffix(".html")[:200] if path else "",
            "body": text_of(entry, f"{ATOM}content"),
            "body_format": "html",
            "status": status,
            "published_at": published if status != Status.DRAFT else None,
            "created_at": time_of(entry, f"{BLOGGER}created") or published or timezone.now(),
            "updated_at": time_of(entry, f"{ATOM}updated") or published or timezone.now(),
            "path": path,
            "legacy_id": entry_id(entry),
        }
        if model is Post:
            fields["excerpt"] = text_of(entry, f"{BLOGGER}metaDescription").strip()[:1000]
        location = entry.find(f"{BLOGGER}location")
        if location is not None and (location.get("name") or text_of(location, f"{BLOGGER}name")):
            self.report.count("location", imported=False)
            self.report.note(
                "location",
                _("Places (blogger:location) are not imported: Warta has no field for them."),
            )
        return fields

    def entry_title(self, entry) -> str:
        title = text_of(entry, f"{ATOM}title").strip()
        if "&" in title and text_of(entry, f"{BLOGGER}type"):
            title = html.unescape(title)  # Takeout titles may be escaped twice.
        return title[:500]

    def entry_labels(self, entry) -> list[str]:
        takeout = bool(text_of(entry, f"{BLOGGER}type"))
        return [
            c.get("term", "")
            for c in entry.iterfind(f"{ATOM}category")
            if c.get("scheme") != KIND_SCHEME and (c.get("scheme") == LABEL_SCHEME or takeout)
        ]

    def apply_settings(self, settings: dict) -> None:
        blog = self.blog
        unused = sorted(set(settings) - READ_SETTINGS)
        if unused:
            self.report.note(
                "settings",
                _("Blogger settings Warta has no place for, not kept: %(names)s")
                % {"names": ", ".join(unused)},
            )
        if settings.get("BLOG_NAME"):
            blog.title = settings["BLOG_NAME"][:200]
        if "BLOG_DESCRIPTION" in settings:
            blog.description = settings["BLOG_DESCRIPTION"][:2000]
            blog.tagline = settings["BLOG_DESCRIPTION"][:300]
        locale = settings.get("BLOG_LOCALE", "")
        if locale[:2].lower() in Blog.Language.values and locale[2:3] in {"", "_", "-"}:
            blog.language = locale[:2].lower()
        elif locale:
            self.report.warn(
                "BLOG_LOCALE",
                _("The blog's language “%(value)s” is not one Warta offers (%(offered)s): "
                  "the blog is in %(language)s.")
                % {"value": locale, "offered": ", ".join(Blog.Language.values),
                   "language": blog.get_language_display()},
            )  # fmt: skip
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

    def read_comments(self) -> None:
        label = _("comments")
        for kind, entry in self.entries():
            if kind == "comment":
                self.progress.tick(label)
                fields = self.comment_fields(entry)
                if fields is None:
                    continue
                if fields.pop("on_page"):
                    self.page_comments.append(fields)
                else:
                    self.comments.append(fields)
                    self.flush_when_full()

    def flush(self) -> None:
        super().flush()
        self.batch_posts = {}

    def comment_fields(self, entry) -> dict | None:
        comment_id = entry_id(entry)
        reply_to = entry.find(f"{THR}in-reply-to")
        parent_id = ""
        if reply_to is not None:
            post_id = numeric_id(reply_to.get("ref", ""))
            # A Warta export numbers posts and pages apart: ``.page-1`` is not ``.post-1``.
            on_page = ".page-" in reply_to.get("ref", "") or (
                ".post-" not in reply_to.get("ref", "") and post_id in self.page_ids
            )
            related = link(entry, "related")
            if related:
                parent_id = related.rstrip("/").rsplit("/", 1)[-1]
        else:
            # Takeout: ``parent`` is the post (or, in some files, the comment replied to);
            # ``inReplyTo``, when not empty, the comment replied to.
            parent = numeric_id(text_of(entry, f"{BLOGGER}parent"))
            post_id = self.batch_posts.get(parent) or self.post_of_parent(parent)
            if post_id != parent:
                parent_id = parent
            on_page = post_id in self.page_ids
            in_reply_to = numeric_id(text_of(entry, f"{BLOGGER}inReplyTo"))
            if in_reply_to and in_reply_to != post_id:
                parent_id = in_reply_to
        if not post_id:
            self.report.warn(comment_id, _("A comment without its post was skipped."))
            self.report.count("comment", imported=False)
            return None
        self.batch_posts[comment_id] = post_id
        author = author_of(entry)
        email = author["email"].strip().lower()
        if email == BLOGGER_NOREPLY or "@" not in email or len(email) > 254:
            email = ""
        blogger_status = text_of(entry, f"{BLOGGER}status").strip().upper()
        status = COMMENT_STATUS.get(blogger_status or "LIVE")
        if status is None:
            status = "pending"
            self.report.warn(
                comment_id,
                _("Unknown comment status “%(value)s”: held for moderation.")
                % {"value": blogger_status[:40]},
            )
        created = time_of(entry, f"{ATOM}published") or timezone.now()
        user = self.writer.registered(email=email, uri=author["uri"])
        content = text_of(entry, f"{ATOM}content")
        body = html_to_text(content)
        # Blogger allows b, i and a in a comment: kept, sanitised, when the comment has any
        # markup beyond what Warta makes of plain text (a Warta export's comments).
        is_html = bool(HTML_TAG_RE.search(content)) and render_comment(body) != content
        return {
            "legacy_id": comment_id,
            "post_legacy_id": post_id,
            "parent_legacy_id": parent_id,
            "on_page": on_page,  # taken out again by read_comments
            "user_id": user,
            # A registered author's name and address are their profile's.
            "author_name": "" if user else author["name"][:150],
            "author_email": "" if user else email,
            # A registered author's address is their profile, not a website they gave.
            "author_url": author["uri"][:500]
            if author["uri"].startswith("http") and user is None
            else "",
            "body": body,
            "body_html": content if is_html else "",
            "is_html": is_html,
            "status": status,
            "created_at": created,
            "updated_at": time_of(entry, f"{ATOM}updated") or created,
        }

    def post_of_parent(self, parent: str) -> str:
        """Takeout: ``blogger:parent`` is a post id, or a comment id for a reply."""
        if not parent or parent in self.page_ids or self.writer.legacy_pks(Post, [parent]):
            return parent
        written = self.writer.legacy_pks(Comment, [parent], field="post__legacy_id")
        return written[parent] if parent in written else self.pending_post_of(parent)

    def pending_post_of(self, parent: str) -> str:
        """A reply before its parent in the file: walk up the file's reply chain to the post.
        The chains are read once into a temporary table; a scan of the file per such reply
        was quadratic, and a dictionary of them would grow with the file."""
        if not self.chains_read:
            self.read_chains()
        seen = set()
        while parent and parent not in seen:
            seen.add(parent)
            parent = sql.parent_in_chains(parent)
            if parent and self.writer.legacy_pks(Post, [parent]):
                return parent
        return ""

    def read_chains(self) -> None:
        sql.create_reply_chains()
        pairs = []
        for kind, entry in self.entries():
            parent = numeric_id(text_of(entry, f"{BLOGGER}parent")) if kind == "comment" else ""
            if parent:
                pairs.append((entry_id(entry), parent))
            if len(pairs) >= self.batch_size:
                sql.add_reply_chains(pairs)
                pairs = []
        sql.add_reply_chains(pairs)
        self.chains_read = True
