"""Reading WordPress eXtended RSS (WXR 1.0-1.2): posts, pages, labels, people, comments, media.

Every old permalink (``<link>``, ``/?p=ID``, ``/?page_id=ID``) becomes a 301 redirect to the
post's Warta address. Pingbacks and trackbacks are kept as comments under the linking site's
name, with their WordPress status, so nothing the old blog showed is lost.
"""

import datetime
import html
import re
from typing import NamedTuple
from urllib.parse import unquote

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from warta.posts.models import Page, Post, Status

from ...errors import ImportFailed
from ...text import html_to_text
from ...xmlsafe import iter_elements
from ..base import ENTRY_PATH_RE, PAGE_PATH_RE, Importer, url_path
from .wxr import COMMENT_STATUS, NAMESPACES, STATUS

WXR_VERSIONS = {"1.0", "1.1", "1.2"}
SKIPPED_TYPES = {"nav_menu_item", "revision", "custom_css", "customize_changeset", "oembed_cache"}


def prefix_of(namespace: str) -> str:
    if "wordpress.org/export/" in namespace:
        return "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    if namespace == NAMESPACES["content"]:
        return "content"
    if namespace == NAMESPACES["dc"]:
        return "dc"
    return ""


def name_of(element) -> str:
    """``prefix:name`` of an element, whichever WXR namespace version it is in."""
    namespace, _brace, name = element.tag.rpartition("}")
    prefix = prefix_of(namespace[1:])
    return f"{prefix}:{name}" if prefix else name


def fields_of(element) -> dict[str, str]:
    """The element's single-valued children by ``prefix:name`` (any WXR namespace version)."""
    return {name_of(child): (child.text or "") for child in element if isinstance(child.tag, str)}


def children(element, name: str):
    return [child for child in element if isinstance(child.tag, str) and name_of(child) == name]


def parse_time(gmt: str, local: str, tz):
    for value, zone in ((gmt, datetime.UTC), (local, tz)):
        value = (value or "").strip()
        if value and not value.startswith("0000"):
            moment = parse_datetime(value)
            if moment is not None:
                return timezone.make_aware(moment, zone) if timezone.is_naive(moment) else moment
    return None


class Item(NamedTuple):
    """An ``<item>`` of the channel and its single-valued fields."""

    element: object  # an lxml element
    fields: dict[str, str]


class WordPressImporter(Importer):
    root_tags = {"rss"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = ""
        self.version = None
        self.authors: dict[str, dict] = {}
        self.attachments: dict[str, str] = {}  # attachment id -> address
        self.images_done: set[str] = set()
        self.old_links: dict[tuple, list[str]] = {}  # (model, post id) -> old addresses

    def channel(self):
        for element in iter_elements(self.path, level=3, root_tags=self.root_tags):
            yield name_of(element), element

    def read_preamble(self) -> None:
        """Channel facts, people and attachments, which items refer to."""
        label = _("media")
        for name, element in self.channel():
            self.progress.tick(label)
            if name == "wp:wxr_version":
                self.version = (element.text or "").strip()
                if self.version not in WXR_VERSIONS:
                    raise ImportFailed(
                        _("Unsupported WXR version “%(v)s”.") % {"v": self.version[:20]},
                        line=element.sourceline,
                    )
            elif name == "title":
                self.title = (element.text or "").strip()
            elif name == "wp:author":
                data = fields_of(element)
                self.authors[data.get("wp:author_login", "")] = {
                    "name": data.get("wp:author_display_name", "")
                    or data.get("wp:author_login", ""),
                    "email": data.get("wp:author_email", ""),
                }
            elif name == "item":
                if self.version is None:
                    raise ImportFailed(
                        _("This is not a WordPress export: it has no WXR version."),
                        line=element.sourceline,
                    )
                data = fields_of(element)
                if data.get("wp:post_type") == "attachment":
                    url = data.get("wp:attachment_url", "").strip()
                    if url:
                        self.attachments[data.get("wp:post_id", "")] = url
        if self.version is None:
            raise ImportFailed(_("This is not a WordPress export: it has no WXR version."))

    def blog_title(self) -> str:
        return self.title

    def read_entries(self) -> None:
        label = _("posts")
        for name, element in self.channel():
            if name != "item":
                continue
            self.progress.tick(label)
            item = Item(element, fields_of(element))
            kind = item.fields.get("wp:post_type", "post")
            post_id = item.fields.get("wp:post_id", "").strip()
            if kind == "attachment":
                self.read_attachment(item.fields)
            elif kind not in {"post", "page"}:
                self.report.count(kind, imported=False)
                if kind not in SKIPPED_TYPES:
                    self.report.warn(
                        post_id, _("Items of type “%(type)s” are not imported.") % {"type": kind}
                    )
            elif item.fields.get("wp:status") == "auto-draft":
                self.report.count(kind, imported=False)
            elif kind == "post":
                self.stage_entry(Post, item)
                for comment in children(element, "wp:comment"):
                    self.stage_comment(comment, post_id=post_id)
            else:
                self.stage_entry(Page, item)
                for comment in children(element, "wp:comment"):
                    comment_id = fields_of(comment).get("wp:comment_id", "")
                    self.report.warn(comment_id, _("Comments on pages are not imported."))
                    self.report.count("comment", imported=False)

    def read_attachment(self, data: dict) -> None:
        url = data.get("wp:attachment_url", "").strip()[:2000]
        if not url or url in self.images_done:
            return
        self.images_done.add(url)
        _pk, created = self.writer.images.pk(url, alt=data.get("title", ""))
        if not created:
            self.report.count("image", imported=False)

    def entry_fields(self, model, item: Item) -> dict:
        data = item.fields
        post_id = data.get("wp:post_id", "").strip()
        status = STATUS.get(data.get("wp:status", ""), Status.DRAFT)
        if data.get("wp:post_password"):
            status = Status.DRAFT
            self.report.warn(post_id, _("Password-protected: imported as a draft."))
        elif data.get("wp:status") == "private":
            self.report.warn(post_id, _("Private: imported as a draft."))
        published = parse_time(
            data.get("wp:post_date_gmt", ""), data.get("wp:post_date", ""), self.blog.tzinfo
        )
        if status == Status.SCHEDULED and published and published <= timezone.now():
            status = Status.PUBLISHED
        # WordPress keeps titles as HTML (``l&#039;é``); Warta's are plain text.
        title = html.unescape(data.get("title", "")).strip()[:500]
        name = unquote(data.get("wp:post_name", "")).strip()
        old_path = url_path(data.get("link", ""))
        path = ""
        if status in {Status.PUBLISHED, Status.SCHEDULED}:
            if (ENTRY_PATH_RE if model is Post else PAGE_PATH_RE).match(old_path):
                path = old_path
        login = data.get("dc:creator", "")
        author = self.authors.get(login) or ({"name": login, "email": ""} if login else None)
        fields = {
            "author_id": self.writer.person(**author) if author else None,
            "title": title or (_("(untitled)") if model is Post else post_id),
            "slug": name[:200] if name.isascii() and re.fullmatch(r"[a-z0-9_-]+", name) else "",
            "body": data.get("content:encoded", ""),
            "body_format": "html",
            "status": status,
            "published_at": published if status != Status.DRAFT else None,
            "created_at": published or timezone.now(),
            "updated_at": parse_time(data.get("wp:post_modified_gmt", ""), "", self.blog.tzinfo)
            or published
            or timezone.now(),
            "path": path,
            "legacy_id": post_id,
        }
        if model is Post:
            fields["excerpt"] = html_to_text(data.get("excerpt:encoded", ""))[:1000]
            fields["is_sticky"] = data.get("wp:is_sticky", "0").strip() == "1"
            fields["comments_enabled"] = data.get("wp:comment_status", "open") != "closed"
            fields["lead_image_id"] = self.lead_image_id(item.element)
        query = "page_id" if model is Page else "p"
        # Not the guid: WordPress.com guids may name another site's post id.
        olds = [old_path, re.sub("^/+", "/", old_path), f"/?{query}={post_id}"]
        self.old_links[model, post_id] = [old for old in dict.fromkeys(olds) if old and old != "/"]
        return fields

    def entry_labels(self, item: Item) -> list[str]:
        return [
            (c.text or "").strip()
            for c in children(item.element, "category")
            if c.get("domain") in {"category", "post_tag"}
        ]

    def lead_image_id(self, element) -> int | None:
        lead = None
        for meta in children(element, "wp:postmeta"):
            meta_fields = fields_of(meta)
            if meta_fields.get("wp:meta_key") == "_thumbnail_id":
                url = self.attachments.get(meta_fields.get("wp:meta_value", "").strip())
                if url:
                    lead, created = self.writer.images.pk(url)
                    if created:
                        self.images_done.add(url[:2000])
        return lead

    def entries_written(self, model, batch: list[tuple]) -> None:
        """Each old address of the batch's entries redirects to the entry's Warta address."""
        olds = {
            entry.legacy_id: self.old_links.pop((model, entry.legacy_id), []) for entry, _ in batch
        }
        for legacy_id, new_path in self.writer.legacy_pks(model, olds, field="path").items():
            for old in olds[legacy_id] if new_path else ():
                self.writer.redirect(old, new_path)

    def comment_fields(self, comment, *, post_id: str) -> dict:
        data = fields_of(comment)
        created = parse_time(
            data.get("wp:comment_date_gmt", ""), data.get("wp:comment_date", ""), self.blog.tzinfo
        )
        email = data.get("wp:comment_author_email", "").strip()
        url = data.get("wp:comment_author_url", "").strip()
        parent = data.get("wp:comment_parent", "0").strip()
        user = None
        if data.get("wp:comment_user_id", "0").strip() not in {"", "0"} and email:
            user = self.writer.person(name=data.get("wp:comment_author", ""), email=email)
        return {
            "legacy_id": data.get("wp:comment_id", "").strip(),
            "post_legacy_id": post_id,
            "parent_legacy_id": "" if parent in {"", "0"} else parent,
            "user_id": user,
            "author_name": html.unescape(data.get("wp:comment_author", "")).strip()[:150],
            "author_email": email[:254] if "@" in email else "",
            "author_url": url[:500] if url.startswith(("http://", "https://")) else "",
            "body": html_to_text(data.get("wp:comment_content", "")),
            "status": COMMENT_STATUS.get(data.get("wp:comment_approved", "").strip(), "pending"),
            "created_at": created or timezone.now(),
            "updated_at": created or timezone.now(),
        }
