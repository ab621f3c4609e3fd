"""WordPress eXtended RSS (WXR 1.0-1.2): posts, pages, labels, people, comments, media.

Every old permalink (``<link>``, ``/?p=ID``, ``/?page_id=ID``) becomes a 301 redirect to the
post's Warta address. Pingbacks and trackbacks are kept as comments under the linking site's
name, with their WordPress status, so nothing the old blog showed is lost.
"""

import datetime
import html
import re
from urllib.parse import unquote

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree

from warta.posts.models import Page, Post, Status

from .services import (
    BATCH_SIZE,
    ENTRY_PATH_RE,
    PAGE_PATH_RE,
    BlogWriter,
    ImportReport,
    ImportSource,
    blog_for_import,
    run_import,
    url_path,
)
from .text import html_to_text
from .xmlsafe import ImportFailed, iter_elements

WXR_VERSIONS = {"1.0", "1.1", "1.2"}
STATUS = {
    "publish": Status.PUBLISHED,
    "future": Status.SCHEDULED,
    "draft": Status.DRAFT,
    "pending": Status.DRAFT,
    "private": Status.DRAFT,
    "trash": Status.TRASHED,
}
COMMENT_STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trashed"}
SKIPPED_TYPES = {"nav_menu_item", "revision", "custom_css", "customize_changeset", "oembed_cache"}


def prefix_of(namespace: str) -> str:
    if "wordpress.org/export/" in namespace:
        return "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    if namespace == "http://purl.org/rss/1.0/modules/content/":
        return "content"
    if namespace == "http://purl.org/dc/elements/1.1/":
        return "dc"
    return ""


def name_of(element) -> str:
    qname = etree.QName(element)
    prefix = prefix_of(qname.namespace or "")
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


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


class WordPressImport(ImportSource):
    root_tags = {"rss"}

    def __init__(self, path, *, blog_slug: str, fetch_media: bool = False, progress=None):
        super().__init__(path, blog_slug=blog_slug, fetch_media=fetch_media, progress=progress)
        self.authors: dict[str, dict] = {}
        self.attachments: dict[str, str] = {}
        self.version = None

    def channel(self):
        for element in iter_elements(self.path, level=3, root_tags=self.root_tags):
            yield name_of(element), element

    def run(self) -> ImportReport:
        self.first_pass()
        self.blog = blog_for_import(slug=self.slug, title=self.title, report=self.report)
        self.writer = BlogWriter(self.blog, self.report)
        self.second_pass()
        self.writer.complete(fetch_media=self.fetch_media)
        self.progress.done()
        return self.report

    def first_pass(self) -> None:
        """Channel facts, people and attachments, which items refer to."""
        self.title = ""
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

    def second_pass(self) -> None:
        self.images_done = set()
        posts, pages = [], []
        comments = []
        label = _("posts")
        for name, element in self.channel():
            if name != "item":
                continue
            self.progress.tick(label)
            data = fields_of(element)
            kind = data.get("wp:post_type", "post")
            post_id = data.get("wp:post_id", "").strip()
            if kind == "attachment":
                self.attachment(data)
                continue
            if kind not in {"post", "page"}:
                self.report.count(kind, imported=False)
                if kind not in SKIPPED_TYPES:
                    self.report.warn(
                        post_id, _("Items of type “%(type)s” are not imported.") % {"type": kind}
                    )
                continue
            if data.get("wp:status") == "auto-draft":
                self.report.count(kind, imported=False)
                continue
            item = self.entry_from(element, data, Post if kind == "post" else Page)
            (posts if kind == "post" else pages).append(item)
            if kind == "post":
                comments += self.comments_of(element, post_id)
            else:
                for comment in children(element, "wp:comment"):
                    comment_id = fields_of(comment).get("wp:comment_id", "")
                    self.report.warn(comment_id, _("Comments on pages are not imported."))
                    self.report.count("comment", imported=False)
            if len(posts) >= BATCH_SIZE or len(comments) >= BATCH_SIZE:
                self.flush(posts, pages, comments)
                posts, pages, comments = [], [], []
        self.flush(posts, pages, comments)

    def flush(self, posts, pages, comments) -> None:
        for model, batch in ((Post, posts), (Page, pages)):
            olds = {entry.legacy_id: entry._old_links for entry, _labels, _kind in batch}
            self.writer.write_entries(model, batch)
            # On legacy_id alone, so SQLite uses its index (see BlogWriter.legacy_pks).
            rows = model.objects.filter(legacy_id__in=list(olds)).exclude(path="").order_by()
            paths = {
                legacy_id: path
                for legacy_id, path, blog_id in rows.values_list("legacy_id", "path", "blog_id")
                if blog_id == self.blog.pk
            }
            for legacy_id, new_path in paths.items():
                for old in olds[legacy_id]:
                    self.writer.redirect(old, new_path)
        self.writer.write_comments(comments)

    def attachment(self, data) -> None:
        url = data.get("wp:attachment_url", "").strip()[:2000]
        if not url or url in self.images_done:
            return
        self.images_done.add(url)
        _pk, created = self.writer.image_pk(url, alt=data.get("title", ""))
        if not created:
            self.report.count("image", imported=False)

    def entry_from(self, element, data, model):
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
        slug = name if name.isascii() and re.fullmatch(r"[a-z0-9_-]+", name) else ""
        old_path = url_path(data.get("link", ""))
        path = ""
        if status in {Status.PUBLISHED, Status.SCHEDULED}:
            pattern = ENTRY_PATH_RE if model is Post else PAGE_PATH_RE
            if pattern.match(old_path):
                path = old_path
        login = data.get("dc:creator", "")
        author = self.authors.get(login) or ({"name": login, "email": ""} if login else None)
        obj = model(
            blog=self.blog,
            author_id=self.writer.person(**author) if author else None,
            title=title or (_("(untitled)") if model is Post else post_id),
            slug=slug[:200],
            body=data.get("content:encoded", ""),
            body_format="html",
            status=status,
            published_at=published if status != Status.DRAFT else None,
            created_at=published or timezone.now(),
            updated_at=parse_time(data.get("wp:post_modified_gmt", ""), "", self.blog.tzinfo)
            or published
            or timezone.now(),
            path=path,
            legacy_id=post_id,
        )
        labels = []
        if model is Post:
            obj.excerpt = html_to_text(data.get("excerpt:encoded", ""))[:1000]
            obj.is_sticky = data.get("wp:is_sticky", "0").strip() == "1"
            obj.comments_enabled = data.get("wp:comment_status", "open") != "closed"
            labels = [
                (c.text or "").strip()
                for c in children(element, "category")
                if c.get("domain") in {"category", "post_tag"}
            ]
            for meta in children(element, "wp:postmeta"):
                meta_fields = fields_of(meta)
                if meta_fields.get("wp:meta_key") == "_thumbnail_id":
                    url = self.attachments.get(meta_fields.get("wp:meta_value", "").strip())
                    if url:
                        obj.lead_image_id = self.image_for(url)
        query = "page_id" if model is Page else "p"
        # Not the guid: WordPress.com guids may name another site's post id.
        olds = [old_path, re.sub("^/+", "/", old_path), f"/?{query}={post_id}"]
        obj._old_links = [old for old in dict.fromkeys(olds) if old and old != "/"]
        return obj, labels, model.__name__.lower()

    def image_for(self, url: str) -> int:
        pk, created = self.writer.image_pk(url)
        if created:
            self.images_done.add(url[:2000])
        return pk

    def comments_of(self, element, post_id: str) -> list[dict]:
        result = []
        for comment in children(element, "wp:comment"):
            data = fields_of(comment)
            created = parse_time(
                data.get("wp:comment_date_gmt", ""),
                data.get("wp:comment_date", ""),
                self.blog.tzinfo,
            )
            email = data.get("wp:comment_author_email", "").strip()
            url = data.get("wp:comment_author_url", "").strip()
            parent = data.get("wp:comment_parent", "0").strip()
            user = None
            if data.get("wp:comment_user_id", "0").strip() not in {"", "0"} and email:
                user = self.writer.person(name=data.get("wp:comment_author", ""), email=email)
            result.append(
                {
                    "legacy_id": data.get("wp:comment_id", "").strip(),
                    "post_legacy_id": post_id,
                    "parent_legacy_id": "" if parent in {"", "0"} else parent,
                    "user_id": user,
                    "author_name": html.unescape(data.get("wp:comment_author", "")).strip()[:150],
                    "author_email": email[:254] if "@" in email else "",
                    "author_url": url[:500] if url.startswith(("http://", "https://")) else "",
                    "body": html_to_text(data.get("wp:comment_content", "")),
                    "status": COMMENT_STATUS.get(
                        data.get("wp:comment_approved", "").strip(), "pending"
                    ),
                    "created_at": created or timezone.now(),
                    "updated_at": created or timezone.now(),
                }
            )
        return result


def import_wordpress(*, path, blog_slug: str, fetch_media: bool = False, progress=None):
    """Import a WXR file into the blog ``blog_slug`` (created when missing), atomically."""
    return run_import(
        lambda: WordPressImport(
            path, blog_slug=blog_slug, fetch_media=fetch_media, progress=progress
        ).run()
    )
