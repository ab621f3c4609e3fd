"""Reading WordPress eXtended RSS (WXR 1.0-1.2): posts, pages, labels, people, comments, media.

Every old permalink (``<link>``, ``/?p=ID``, ``/?page_id=ID``) becomes a 301 redirect to the
post's Warta address, with and without its trailing slash. Pingbacks and trackbacks are kept
as such (``Comment.kind``) under the linking site's name, with their WordPress status; other
comment types (a fediverse "like") are counted, not imported. Comments on pages are kept as
``PageComment`` rows (shown on the page); comments on an attachment go under the post it belongs to.
"""

import datetime
import html
import os
import re
import shutil
import zipfile
from typing import NamedTuple
from urllib.parse import unquote

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warta.blogs.models import Blog, validate_time_zone
from warta.posts.models import Page, Post, Status

from ...errors import ImportFailed
from ...text import html_to_text
from ...xmlsafe import iter_elements
from ..base import ENTRY_PATH_RE, PAGE_PATH_RE, Importer, check_archive, check_member, url_path
from .wxr import COMMENT_STATUS, NAMESPACES, OPTION_FIELDS, STATUS

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


# comment_type values that are not something a person wrote under the post: counted in the
# report, not imported (a fediverse "like" would read "… liked this!").
SHOWN_COMMENT_TYPES = {"": "comment", "comment": "comment", "pingback": "pingback",
                       "trackback": "trackback"}  # fmt: skip
HTML_TAG_RE = re.compile(r"<[a-zA-Z/][^>]*>")


class WordPressImporter(Importer):
    root_tags = {"rss"}
    tolerate_prefixes = True
    entry_level = 3
    expected_file = gettext_lazy(
        "give the .xml file of WordPress's Tools → Export (WordPress.com: the .xml inside "
        "the .zip it sends)."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen: set[tuple[str, str]] = set()  # (type, id) of the items read
        self.attachment_comments: list[tuple[object, str]] = []  # (fields, parent post id)
        self.attachment_parents: dict[str, str] = {}  # attachment id -> its post's id
        self.options: dict[str, str] = {}  # the channel's wp:option (a Warta export's)
        self.title = ""
        self.version = None
        self.authors: dict[str, dict] = {}
        self.attachments: dict[str, str] = {}  # attachment id -> address
        self.images_done: set[str] = set()
        self.old_links: dict[tuple, list[str]] = {}  # (model, post id) -> old addresses

    def read_archive(self, path, directory: str):
        """A WordPress.com export archive: the one WXR file inside."""
        with zipfile.ZipFile(path) as archive:
            check_archive(archive)
            files = [name for name in archive.namelist() if name.lower().endswith(".xml")]
            if len(files) != 1:
                raise ImportFailed(
                    _("This ZIP archive holds %(n)s XML files (%(files)s): %(expected)s")
                    % {"n": len(files), "files": ", ".join(files[:10]) or "-",
                       "expected": self.expected_file}
                )  # fmt: skip
            check_member(archive.getinfo(files[0]))
            target = os.path.join(directory, "export.xml")
            with archive.open(files[0]) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
        return target

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
            elif name == "language":
                self.options.setdefault("WPLANG", (element.text or "").strip())
            elif name == "wp:option":
                data = fields_of(element)
                self.options[data.get("wp:option_name", "")] = data.get("wp:option_value", "")
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
                    attachment_id = data.get("wp:post_id", "").strip()
                    if url:
                        self.attachments[attachment_id] = url
                    self.attachment_parents[attachment_id] = data.get("wp:post_parent", "0")
        if self.version is None:
            raise ImportFailed(_("This is not a WordPress export: it has no WXR version."))

    def blog_title(self) -> str:
        return self.title

    def apply_options(self) -> None:
        """The blog's settings from a Warta export's options (``wxr.OPTION_FIELDS``), or
        WordPress's own comment options, and the channel's language."""
        blog, options = self.blog, self.options
        values = {}
        for name, field in OPTION_FIELDS.items():
            if name in options:
                values[field] = options[name]
        if "comment_policy" not in values and "default_comment_status" in options:
            if options["default_comment_status"] == "closed":
                values["comment_policy"] = Blog.CommentPolicy.CLOSED
            elif options.get("comment_registration") == "1":
                values["comment_policy"] = Blog.CommentPolicy.SIGNED_IN
            else:
                values["comment_policy"] = Blog.CommentPolicy.ANYONE
        if "language" not in values and options.get("WPLANG"):
            code = options["WPLANG"].replace("_", "-").split("-")[0].lower()
            if code in Blog.Language.values:
                values["language"] = code
            else:
                self.report.warn(
                    "language",
                    _("The blog's language “%(value)s” is not one Warta offers (%(offered)s): "
                      "the blog is in %(language)s.")
                    % {"value": options["WPLANG"][:20], "offered": ", ".join(Blog.Language.values),
                       "language": blog.get_language_display()},
                )  # fmt: skip
        changed = []
        for field, value in values.items():
            current = getattr(blog, field)
            if isinstance(current, bool):
                value = value in {"1", "True", "true"}
            elif isinstance(current, int):
                value = int(value) if str(value).isdigit() else current
            if field in {"comment_policy", "moderation", "language"}:
                choices = Blog._meta.get_field(field).choices
                if value not in {choice for choice, _label in choices}:
                    continue
            if field == "time_zone":
                try:
                    validate_time_zone(value)
                except Exception:
                    continue
            if value != current:
                setattr(blog, field, value)
                changed.append(field)
        if changed:
            blog.save(update_fields=changed)
            self.report.count("settings")

    def read_entries(self) -> None:
        self.apply_options()
        label = _("posts")
        for name, element in self.channel():
            if name != "item":
                continue
            self.progress.tick(label)
            item = Item(element, fields_of(element))
            kind = item.fields.get("wp:post_type", "post")
            post_id = item.fields.get("wp:post_id", "").strip()
            if kind in {"post", "page"} and (kind, post_id) in self.seen:
                # Kept once, the first time; its addresses stay with the first item alone.
                self.report.warn(
                    post_id,
                    _("The id appears twice in the file: this %(type)s was not imported.")
                    % {"type": kind},
                    title=html.unescape(item.fields.get("title", "")),
                )
                self.report.count(kind, imported=False)
                continue
            self.seen.add((kind, post_id))
            if kind in {"post", "page"}:
                self.note_dropped(item, kind)
            if kind == "attachment":
                self.read_attachment(item.fields)
                for comment in children(element, "wp:comment"):
                    self.attachment_comment(comment, item.fields)
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
                    self.stage_page_comment(comment, post_id=post_id)
        self.flush()
        # Comments on an attachment go under the post the attachment belongs to.
        for fields, parent in self.attachment_comments:
            if (parent_kind := self.kind_of(parent)) == "post":
                self.comments.append(fields | {"post_legacy_id": parent})
                self.flush_when_full()
            elif parent_kind == "page":
                self.page_comments.append(fields | {"post_legacy_id": parent})
            else:
                self.report.warn(
                    fields["legacy_id"],
                    _("A comment on an attachment that belongs to no post was not imported."),
                )
                self.report.count("comment", imported=False)

    def note_dropped(self, item: Item, kind: str) -> None:
        """Say once per file each thing of WordPress the import does not bring."""
        element, fields, note = item.element, item.fields, self.report.note
        if any(c.get("domain") == "post_format" for c in children(element, "category")):
            note("post_format", _("Post formats (aside, gallery, quote…) are not kept."))
        if kind == "page" and fields.get("wp:post_parent", "0").strip() not in {"", "0"}:
            note("page_parent", _("The order of pages under other pages is not kept."))
        for meta in children(element, "wp:postmeta"):
            key = fields_of(meta).get("wp:meta_key", "")
            if key and not key.startswith("_"):
                note(
                    f"meta:{key}",
                    _("Custom field “%(key)s” (post meta) is not kept.") % {"key": key[:60]},
                )
        for comment in children(element, "wp:comment"):
            if fields_of(comment).get("wp:comment_author_IP", "").strip():
                note("comment_ip", _("Commenters' IP addresses are not kept."))
                break

    def kind_of(self, post_id: str) -> str:
        for kind in ("post", "page"):
            if (kind, post_id) in self.seen:
                return kind
        return ""

    def attachment_comment(self, comment, fields: dict) -> None:
        attachment_id = fields.get("wp:post_id", "").strip()
        data = self.comment_fields(comment, post_id=attachment_id)
        if data is not None:
            parent = self.attachment_parents.get(attachment_id, "0").strip()
            self.attachment_comments.append((data, parent))

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
        name = unquote(data.get("wp:post_name", "")).strip().lower()
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
            # The original slug, in its own script when it is one (留言板, %e7%95%99… in
            # the file); a name that is no slug is made again from the title.
            "slug": name[:200] if slugify(name, allow_unicode=True) == name else "",
            "body": data.get("content:encoded", ""),
            "body_format": "html",
            "status": status,
            "published_at": published if status != Status.DRAFT else None,
            "created_at": self.created_at(item.element) or published or timezone.now(),
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
        olds = [old_path, re.sub("^/+", "/", old_path)]
        # WordPress answers its permalinks with and without the trailing slash.
        olds += [
            old.removesuffix("/") if old.endswith("/") else old + "/"
            for old in olds
            if "?" not in old and old.count("/") > 1
        ]
        olds.append(f"/?{query}={post_id}")
        self.old_links[model, post_id] = [old for old in dict.fromkeys(olds) if old and old != "/"]
        return fields

    def entry_labels(self, item: Item) -> list[str]:
        return [
            (c.text or "").strip()
            for c in children(item.element, "category")
            if c.get("domain") in {"category", "post_tag"}
        ]

    def created_at(self, element):
        """When the entry was begun: a Warta export's ``_warta_created``; WordPress has no
        such date (a draft's ``post_date`` is its last save)."""
        for meta in children(element, "wp:postmeta"):
            meta_fields = fields_of(meta)
            if meta_fields.get("wp:meta_key") == "_warta_created":
                return parse_datetime(meta_fields.get("wp:meta_value", "").strip())
        return None

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

    def comment_fields(self, comment, *, post_id: str) -> dict | None:
        data = fields_of(comment)
        comment_type = data.get("wp:comment_type", "").strip().lower()
        kind = SHOWN_COMMENT_TYPES.get(comment_type)
        if kind is None:
            self.report.count(comment_type[:40], imported=False)
            self.report.note(
                f"type:{comment_type}",
                _("Comments of type “%(type)s” (not written by a person) are counted, not "
                  "imported.") % {"type": comment_type[:40]},
            )  # fmt: skip
            return None
        content = data.get("wp:comment_content", "")
        is_html = bool(HTML_TAG_RE.search(content))
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
            # A registered author's name and address are their profile's.
            "author_name": ""
            if user
            else html.unescape(data.get("wp:comment_author", "")).strip()[:150],
            "author_email": email[:254] if "@" in email and not user else "",
            "author_url": url[:500] if url.startswith(("http://", "https://")) else "",
            "body": html_to_text(content),
            "body_html": content if is_html else "",
            "is_html": is_html,
            "kind": kind,
            "status": COMMENT_STATUS.get(data.get("wp:comment_approved", "").strip(), "pending"),
            "created_at": created or timezone.now(),
            "updated_at": created or timezone.now(),
        }
