"""Writing WXR 1.2, which WordPress's importer reads: times to the second, images as
attachments."""

import datetime
import html
from collections.abc import Iterator

from django.utils import timezone
from django.utils.text import slugify

from warta.accounts.models import User
from warta.blogs.models import Blog
from warta.comments.models import Comment, PageComment
from warta.posts.models import Image, Label, Page, Post, Status

from ..base import XmlExporter, html_body, ident, public_email
from .wxr import COMMENT_STATUS, CONTENT, DC, EXCERPT, NAMESPACES, OPTION_FIELDS, WP

EXPORTED_STATUS = {
    Status.PUBLISHED: "publish",
    Status.SCHEDULED: "future",
    Status.DRAFT: "draft",
    Status.TRASHED: "trash",
}
EXPORTED_COMMENT_STATUS = {value: key for key, value in COMMENT_STATUS.items()}
ATTACHMENT_ID_OFFSET = 900_000_000  # WordPress ids are one sequence; keep images out of the way.
NO_TIME = "0000-00-00 00:00:00"


class CommentsByPost:
    """Each post's comments, for posts taken in pk order: one query read alongside the posts
    instead of one per post (which was most of the time of an export)."""

    def __init__(self, comments: Iterator[Comment], key: str = "post_id"):
        self.comments = comments
        self.key = key
        self.next = next(comments, None)

    def of(self, post: Post) -> list[Comment]:
        found = []
        while self.next is not None and getattr(self.next, self.key) <= post.pk:
            if getattr(self.next, self.key) == post.pk:
                found.append(self.next)
            self.next = next(self.comments, None)
        return found


class WordPressExporter(XmlExporter):
    extension = "wxr.xml"
    content_type = "application/rss+xml; charset=utf-8"
    nsmap = NAMESPACES
    enclosing = [("rss", {"version": "2.0"}), ("channel", {})]

    def sections(self):
        self.post_comments = CommentsByPost(self.comments("post_id"))
        page_comments = (
            PageComment.objects.filter(blog=self.blog)
            .select_related("user", "parent")
            .order_by("page_id", "created_at", "pk")
            .iterator(chunk_size=self.chunk_size)
        )
        self.page_comments = CommentsByPost(page_comments, key="page_id")
        people = User.objects.filter(pk__in=self.author_ids()).order_by("pk")
        labels = Label.objects.filter(blog=self.blog).order_by("name")
        images = Image.objects.filter(blog=self.blog).order_by("pk")
        return [
            (people, self.write_author),
            (enumerate(labels, start=1), self.write_category),
            (images.iterator(chunk_size=self.chunk_size), self.write_attachment),
            (self.entries(Post), self.write_entry),
            (self.entries(Page), self.write_entry),
        ]

    def write_head(self, w) -> None:
        w.text("title", self.blog.title)
        w.text("link", self.base)
        w.text("description", self.blog.tagline)
        w.text("language", self.blog.language)
        w.text(f"{WP}wxr_version", "1.2")
        w.text(f"{WP}base_site_url", self.base)
        w.text(f"{WP}base_blog_url", self.base)
        for name, value in self.options().items():
            with w.element(f"{WP}option"):
                w.text(f"{WP}option_name", name)
                w.cdata(f"{WP}option_value", value)

    def options(self) -> dict[str, str]:
        """The blog's settings as WordPress options (``wxr.OPTION_FIELDS``), with the
        standard ones WordPress reads for the comment policy."""
        blog = self.blog
        options = {name: str(getattr(blog, field)) for name, field in OPTION_FIELDS.items()}
        options["warta_membership_open"] = "1" if blog.membership_open else "0"
        closed = blog.comment_policy == Blog.CommentPolicy.CLOSED
        options["default_comment_status"] = "closed" if closed else "open"
        options["comment_registration"] = "0" if blog.comment_policy == "anyone" else "1"
        options["comment_moderation"] = "1" if blog.moderation == "always" else "0"
        options["comment_previously_approved"] = "1" if blog.moderation == "first_time" else "0"
        return options

    def write_dates(self, w, name: str, moment) -> None:
        """``wp:NAME`` in the blog's time and ``wp:NAME_gmt``, to the second."""
        local = (
            f"{timezone.localtime(moment, self.blog.tzinfo):%Y-%m-%d %H:%M:%S}" if moment else ""
        )
        gmt = f"{moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M:%S}" if moment else ""
        w.text(f"{WP}{name}", local or NO_TIME)
        w.text(f"{WP}{name}_gmt", gmt or NO_TIME)

    def write_author(self, w, user) -> None:
        with w.element(f"{WP}author"):
            w.text(f"{WP}author_id", str(user.pk))
            w.cdata(f"{WP}author_login", f"user-{user.pk}")
            w.cdata(f"{WP}author_email", public_email(user))
            w.cdata(f"{WP}author_display_name", user.display_name)

    def write_category(self, w, numbered: tuple[int, Label]) -> None:
        n, label = numbered
        with w.element(f"{WP}category"):
            w.text(f"{WP}term_id", str(n))
            w.cdata(f"{WP}category_nicename", slugify(label.name, allow_unicode=True))
            w.empty(f"{WP}category_parent")
            w.cdata(f"{WP}cat_name", label.name)

    def write_attachment(self, w, image) -> None:
        url = image.url if image.url.startswith("http") else self.base + image.url
        with w.element("item"):
            w.text("title", image.alt)
            w.text("guid", url, isPermaLink="false")
            w.text(f"{WP}post_id", str(ATTACHMENT_ID_OFFSET + image.pk))
            w.text(f"{WP}status", "inherit")
            w.text(f"{WP}post_type", "attachment")
            w.text(f"{WP}attachment_url", url)

    def write_entry(self, w, entry) -> None:
        is_post = isinstance(entry, Post)
        link = self.base + entry.path if entry.path else f"{self.base}/?p={ident(entry)}"
        with w.element("item"):
            w.text("title", entry.title)
            w.text("link", link)
            w.text(f"{DC}creator", f"user-{entry.author_id}" if entry.author_id else "")
            w.text("guid", f"{self.base}/?p={ident(entry)}", isPermaLink="false")
            w.cdata(f"{CONTENT}encoded", html_body(entry))
            w.cdata(f"{EXCERPT}encoded", entry.excerpt if is_post else "")
            w.text(f"{WP}post_id", ident(entry))
            # A draft's date is when it was begun, as WordPress writes it.
            self.write_dates(w, "post_date", entry.published_at or entry.created_at)
            self.write_dates(w, "post_modified", entry.updated_at)
            comments_open = not is_post or entry.comments_enabled
            w.text(f"{WP}comment_status", "open" if comments_open else "closed")
            w.text(f"{WP}post_name", entry.slug)
            w.text(f"{WP}status", EXPORTED_STATUS[entry.status])
            w.text(f"{WP}post_type", type(entry).__name__.lower())
            w.text(f"{WP}is_sticky", "1" if is_post and entry.is_sticky else "0")
            with w.element(f"{WP}postmeta"):
                w.text(f"{WP}meta_key", "_warta_created")
                w.text(f"{WP}meta_value", entry.created_at.astimezone(datetime.UTC).isoformat())
            if not is_post:
                for comment in self.page_comments.of(entry):
                    self.write_comment(w, comment)
            if is_post:
                for label in entry.labels.all():
                    nicename = slugify(label.name, allow_unicode=True)
                    w.cdata("category", label.name, domain="category", nicename=nicename)
                if entry.lead_image_id:
                    with w.element(f"{WP}postmeta"):
                        w.text(f"{WP}meta_key", "_thumbnail_id")
                        w.text(f"{WP}meta_value", str(ATTACHMENT_ID_OFFSET + entry.lead_image_id))
                for comment in self.post_comments.of(entry):
                    self.write_comment(w, comment)

    def write_comment(self, w, comment) -> None:
        user = comment.user
        email = public_email(user) if user else comment.author_email
        with w.element(f"{WP}comment"):
            w.text(f"{WP}comment_id", ident(comment))
            w.cdata(f"{WP}comment_author", user.name if user else comment.author_name)
            w.cdata(f"{WP}comment_author_email", email)
            w.text(f"{WP}comment_author_url", comment.author_url)
            self.write_dates(w, "comment_date", comment.created_at)
            content = (
                comment.body_html if comment.is_html else html.escape(comment.body, quote=False)
            )
            w.cdata(f"{WP}comment_content", content)
            w.text(f"{WP}comment_approved", EXPORTED_COMMENT_STATUS[comment.status])
            kind = "" if comment.kind in {"", "comment"} else comment.kind
            w.text(f"{WP}comment_type", kind)
            w.text(f"{WP}comment_parent", ident(comment.parent) if comment.parent else "0")
            w.text(f"{WP}comment_user_id", str(user.pk) if user and email else "0")
