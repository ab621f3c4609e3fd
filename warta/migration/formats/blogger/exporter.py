"""Writing a Blogger backup in the older format, which Blogger and this importer read."""

from django.utils import timezone
from django.utils.translation import gettext as _

from warta.blogs.models import Blog
from warta.comments.models import Comment, PageComment
from warta.posts.models import Image, Page, Post, Redirect, Status

from ...staging import BLOGGER_NOREPLY
from ..base import XmlExporter, html_body, ident, iso, public_email
from .atom import APP, ATOM, BLOGGER, GD, KIND_PREFIX, KIND_SCHEME, LABEL_SCHEME, NAMESPACES, THR

# What the export writes for Warta's settings and statuses.
EXPORTED_ACCESS = {
    Blog.CommentPolicy.ANYONE: "ANYONE",
    Blog.CommentPolicy.SIGNED_IN: "BLOGGERS",
    Blog.CommentPolicy.MEMBERS: "MEMBERS",
    Blog.CommentPolicy.CLOSED: "MEMBERS",
}
EXPORTED_MODERATION = {
    Blog.Moderation.NONE: "DISABLED",
    Blog.Moderation.ALWAYS: "ALWAYS",
    Blog.Moderation.OLDER_THAN: "OLDER_THAN",
    Blog.Moderation.FIRST_TIME: "FIRST_TIME",
}
EXPORTED_COMMENT_STATUS = {"pending": "PENDING", "spam": "SPAM_COMMENT", "trashed": "SOFT_TRASHED"}


class BloggerExporter(XmlExporter):
    extension = "xml"
    content_type = "application/atom+xml; charset=utf-8"
    nsmap = NAMESPACES
    enclosing = [(f"{ATOM}feed", {})]

    def __init__(self, blog: Blog):
        super().__init__(blog)
        self.tag = f"tag:blogger.com,1999:blog-{blog.pk}"
        self.now = iso(timezone.localtime(timezone.now(), blog.tzinfo))

    def sections(self):
        return [
            (self.settings().items(), self.write_setting),
            (self.entries(Post), self.write_entry),
            (self.entries(Page), self.write_entry),
            (self.comments(), self.write_comment),
            (self.page_comments(), self.write_comment),
        ]

    def page_comments(self):
        return (
            PageComment.objects.filter(blog=self.blog)
            .select_related("user", "parent", "page")
            .order_by("created_at", "pk")
            .iterator(chunk_size=self.chunk_size)
        )

    def dropped(self) -> list[str]:
        """What the blog has that a Blogger file cannot carry, said by the export command."""
        blog, notes = self.blog, []
        redirects = Redirect.objects.filter(blog=blog).count()
        if redirects:
            notes.append(
                _("%(n)s redirects: a Blogger file has no place for them (the json export "
                  "keeps them; Blogger's own custom redirects are set in its settings).")
                % {"n": redirects}
            )  # fmt: skip
        images = Image.objects.filter(blog=blog).count()
        if images:
            notes.append(
                _("%(n)s media-library images as such: only the images a post shows go with "
                  "its text.") % {"n": images}
            )  # fmt: skip
        kinds = Comment.objects.filter(blog=blog).exclude(kind__in=["", "comment"]).count()
        if kinds:
            notes.append(_("%(n)s pingbacks and trackbacks become plain comments.") % {"n": kinds})
        return notes

    def local(self, moment) -> str:
        return iso(timezone.localtime(moment, self.blog.tzinfo)) if moment else ""

    def write_head(self, w) -> None:
        w.text(f"{ATOM}id", f"{self.tag}.archive")
        w.text(f"{ATOM}updated", self.now)
        w.text(f"{ATOM}title", self.blog.title, type="text")
        w.empty(f"{ATOM}link", rel="alternate", type="text/html", href=f"{self.base}/")
        w.text(f"{ATOM}generator", "Blogger", version="7.00", uri="https://www.blogger.com")

    def settings(self) -> dict[str, str]:
        blog = self.blog
        return {
            "BLOG_NAME": blog.title,
            "BLOG_DESCRIPTION": blog.description or blog.tagline,
            "BLOG_LOCALE": blog.language,
            "BLOG_TIME_ZONE": blog.time_zone,
            "BLOG_COMMENTS_ALLOWED": "false" if blog.comment_policy == "closed" else "true",
            "BLOG_COMMENT_ACCESS": EXPORTED_ACCESS[blog.comment_policy],
            "BLOG_COMMENT_MODERATION": EXPORTED_MODERATION[blog.moderation],
            "BLOG_COMMENT_MODERATION_DELAY": str(blog.moderation_delay_days),
            "BLOG_MAX_NUM": str(blog.posts_per_page),
            "BLOG_MAX_UNIT": "POSTS",
        }

    def write_setting(self, w, setting: tuple[str, str]) -> None:
        key, value = setting
        with w.element(f"{ATOM}entry"):
            w.text(f"{ATOM}id", f"{self.tag}.settings.{key}")
            w.text(f"{ATOM}published", self.now)
            w.text(f"{ATOM}updated", self.now)
            w.empty(f"{ATOM}category", scheme=KIND_SCHEME, term=f"{KIND_PREFIX}settings")
            w.text(f"{ATOM}title", key)
            w.text(f"{ATOM}content", value, type="text")

    def write_entry(self, w, entry) -> None:
        noun = type(entry).__name__.lower()
        with w.element(f"{ATOM}entry"):
            w.text(f"{ATOM}id", f"{self.tag}.{noun}-{ident(entry)}")
            w.text(f"{ATOM}published", self.local(entry.published_at or entry.created_at))
            w.text(f"{ATOM}updated", self.local(entry.updated_at))
            w.text(f"{BLOGGER}created", self.local(entry.created_at))
            w.empty(f"{ATOM}category", scheme=KIND_SCHEME, term=f"{KIND_PREFIX}{noun}")
            for label in entry.labels.all() if isinstance(entry, Post) else ():
                w.empty(f"{ATOM}category", scheme=LABEL_SCHEME, term=label.name)
            w.text(f"{ATOM}title", entry.title, type="text")
            w.text(f"{ATOM}content", html_body(entry), type="html")
            if entry.path and entry.status in {Status.PUBLISHED, Status.SCHEDULED}:
                w.empty(
                    f"{ATOM}link",
                    rel="alternate",
                    type="text/html",
                    href=self.base + entry.path,
                    title=entry.title,
                )
            if entry.author is not None:
                self.write_author(w, entry.author)
            if entry.status == Status.DRAFT:
                with w.element(f"{APP}control"):
                    w.text(f"{APP}draft", "yes")
            elif entry.status == Status.TRASHED:
                w.text(f"{BLOGGER}status", "SOFT_TRASHED")
            if isinstance(entry, Post):
                w.text(f"{THR}total", str(entry.comment_count))
                if entry.excerpt:
                    w.text(f"{BLOGGER}metaDescription", entry.excerpt)

    def comment_title(self, comment) -> str:
        return comment.body[:50] + ("..." if len(comment.body) > 50 else "")

    def write_comment(self, w, comment) -> None:
        post = comment.page if isinstance(comment, PageComment) else comment.post
        noun = type(post).__name__.lower()
        millis = int(comment.created_at.timestamp() * 1000)
        with w.element(f"{ATOM}entry"):
            w.text(f"{ATOM}id", f"{self.tag}.post-{ident(comment)}")
            w.text(f"{ATOM}published", self.local(comment.created_at))
            w.text(f"{ATOM}updated", self.local(comment.updated_at))
            w.empty(f"{ATOM}category", scheme=KIND_SCHEME, term=f"{KIND_PREFIX}comment")
            w.text(f"{ATOM}title", self.comment_title(comment), type="text")
            w.text(f"{ATOM}content", comment.body_html, type="html")
            w.empty(
                f"{ATOM}link",
                rel="alternate",
                type="text/html",
                href=f"{self.base}{post.path}?showComment={millis}#{comment.anchor}",
            )
            if comment.parent_id:
                feed = (
                    f"https://www.blogger.com/feeds/{self.blog.pk}/{ident(post)}/comments/default/"
                )
                w.empty(
                    f"{ATOM}link",
                    rel="related",
                    type="application/atom+xml",
                    href=feed + ident(comment.parent),
                )
            self.write_author(
                w, comment.user, comment.author_name, comment.author_email, comment.author_url
            )
            w.empty(
                f"{THR}in-reply-to",
                href=self.base + post.path,
                ref=f"{self.tag}.{noun}-{ident(post)}",
                type="text/html",
            )
            if comment.status in EXPORTED_COMMENT_STATUS:
                w.text(f"{BLOGGER}status", EXPORTED_COMMENT_STATUS[comment.status])

    def write_author(self, w, user, name="", email="", uri="") -> None:
        if user is not None:
            name, email = user.name, public_email(user)
            uri = user.website or f"{self.base}/profile/{user.pk}"
        with w.element(f"{ATOM}author"):
            w.text(f"{ATOM}name", name)
            if uri:
                w.text(f"{ATOM}uri", uri)
            w.text(f"{ATOM}email", email or BLOGGER_NOREPLY)
            if user is not None and user.photo_url:
                w.empty(
                    f"{GD}image",
                    rel="http://schemas.google.com/g/2005#thumbnail",
                    width="32",
                    height="32",
                    src=user.photo_url,
                )
