"""Exports of a whole blog, streamed: Blogger's backup Atom, WordPress WXR 1.2, Warta JSON Lines.

Each is a generator of text chunks, so a command writes it to a file and the desk streams it as
a download without holding the blog in memory. Ids: an entry keeps its ``legacy_id`` (else its
pk), so old ``#c...`` anchors and ``/feeds/ID/comments/default`` survive a round trip.
"""

import datetime
import json
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from warta.blogs.models import Blog
from warta.comments.models import Comment
from warta.posts.models import BodyFormat, Image, Label, Page, Post, Redirect, Status

FORMATS = ("blogger", "wordpress", "json")
CHUNK = 500
ATTACHMENT_ID_OFFSET = 900_000_000  # WordPress ids are one sequence; keep images out of the way.
COMMENT_ACCESS = {
    Blog.CommentPolicy.ANYONE: "ANYONE",
    Blog.CommentPolicy.SIGNED_IN: "BLOGGERS",
    Blog.CommentPolicy.MEMBERS: "MEMBERS",
    Blog.CommentPolicy.CLOSED: "MEMBERS",
}
MODERATION = {
    Blog.Moderation.NONE: "DISABLED",
    Blog.Moderation.ALWAYS: "ALWAYS",
    Blog.Moderation.OLDER_THAN: "OLDER_THAN",
    Blog.Moderation.FIRST_TIME: "FIRST_TIME",
}
WP_STATUS = {
    Status.PUBLISHED: "publish",
    Status.SCHEDULED: "future",
    Status.DRAFT: "draft",
    Status.TRASHED: "trash",
}
WP_COMMENT_STATUS = {"approved": "1", "pending": "0", "spam": "spam", "trashed": "trash"}
BLOGGER_COMMENT_STATUS = {"pending": "PENDING", "spam": "SPAM_COMMENT", "trashed": "SOFT_TRASHED"}


def export_blog(blog: Blog, kind: str) -> Iterator[str]:
    return {"blogger": blogger, "wordpress": wordpress, "json": json_lines}[kind](blog)


def filename_for(blog: Blog, kind: str) -> str:
    suffix = {"blogger": "xml", "wordpress": "wxr.xml", "json": "jsonl"}[kind]
    return f"{blog.slug}-{timezone.now():%Y-%m-%d}.{suffix}"


def ident(obj) -> str:
    return obj.legacy_id or str(obj.pk)


def iso(moment) -> str:
    return moment.isoformat() if moment else ""


def public_email(user) -> str:
    return "" if user is None or user.email.endswith(".invalid") else user.email


def entries(model, blog):
    queryset = model.objects.filter(blog=blog).select_related("author").order_by("pk")
    if model is Post:
        queryset = queryset.prefetch_related(Prefetch("labels", Label.objects.order_by("name")))
    return queryset.iterator(chunk_size=CHUNK)


def comments_of(blog, post=None):
    queryset = Comment.objects.filter(blog=blog).select_related("user", "parent", "post")
    if post is not None:
        queryset = queryset.filter(post=post)
    return queryset.order_by("created_at", "pk").iterator(chunk_size=CHUNK)


def html_body(entry) -> str:
    return entry.body if entry.body_format == BodyFormat.HTML else entry.body_html


# ---------------------------------------------------------------- Warta JSON Lines
def json_lines(blog: Blog) -> Iterator[str]:
    def line(record):
        return json.dumps(record, ensure_ascii=False, default=str) + "\n"

    fields = [
        "slug", "title", "tagline", "description", "language", "time_zone", "comment_policy",
        "moderation", "moderation_delay_days", "membership_open", "posts_per_page",
    ]  # fmt: skip
    yield line({"format": "warta", "version": 1, "blog": {f: getattr(blog, f) for f in fields}})
    people = set()
    for model in (Post, Page):
        people.update(model.objects.filter(blog=blog).values_list("author_id", flat=True))
    people.update(Comment.objects.filter(blog=blog).values_list("user_id", flat=True))
    from warta.accounts.models import User

    for user in User.objects.filter(pk__in=people - {None}).order_by("pk"):
        yield line(
            {
                "type": "person",
                "id": user.pk,
                "name": user.display_name,
                "email": public_email(user),
                "website": user.website,
                "photo_url": user.photo_url,
                "bio": user.bio,
            }
        )
    for label in Label.objects.filter(blog=blog).order_by("name"):
        yield line({"type": "label", "name": label.name})
    for image in Image.objects.filter(blog=blog).order_by("pk").iterator(chunk_size=CHUNK):
        yield line({"type": "image", "id": image.pk, "url": image.url, "alt": image.alt})
    common = ["title", "slug", "body", "body_format", "status", "path"]
    for model in (Post, Page):
        for entry in entries(model, blog):
            record = {"type": model.__name__.lower(), "id": ident(entry), "author": entry.author_id}
            record.update({f: getattr(entry, f) for f in common})
            for f in ("published_at", "created_at", "updated_at"):
                record[f] = iso(getattr(entry, f))
            if model is Post:
                record.update(
                    {
                        f: getattr(entry, f)
                        for f in (
                            "kicker",
                            "excerpt",
                            "lead_caption",
                            "lead_alt",
                            "lead_credit",
                            "source_name",
                            "source_url",
                            "comments_enabled",
                            "is_sticky",
                        )
                    }  # fmt: skip
                )
                record["lead_image"] = entry.lead_image_id
                record["labels"] = [label.name for label in entry.labels.all()]
            yield line(record)
    for comment in comments_of(blog):
        yield line(
            {
                "type": "comment",
                "id": ident(comment),
                "post": ident(comment.post),
                "parent": ident(comment.parent) if comment.parent else "",
                "user": comment.user_id,
                "author_name": comment.author_name,
                "author_email": comment.author_email,
                "author_url": comment.author_url,
                "body": comment.body,
                "status": comment.status,
                "created_at": iso(comment.created_at),
                "updated_at": iso(comment.updated_at),
            }
        )
    for redirect in Redirect.objects.filter(blog=blog).order_by("pk"):
        yield line({"type": "redirect", "old_path": redirect.old_path, "new": redirect.new_path})


# ---------------------------------------------------------------- Blogger Atom
def tag(name: str, text: str, **attributes) -> str:
    attrs = "".join(f" {key.replace('_', ':', 1) if key.startswith('xml') else key}={quoteattr(v)}"
                    for key, v in attributes.items())  # fmt: skip
    return f"<{name}{attrs}>{escape(text or '')}</{name}>"


def blogger(blog: Blog) -> Iterator[str]:
    base = f"https://{blog.host}"
    blog_tag = f"tag:blogger.com,1999:blog-{blog.pk}"
    kind = "http://schemas.google.com/blogger/2008/kind#"

    def category(term, scheme="http://schemas.google.com/g/2005#kind"):
        return f"<category scheme={quoteattr(scheme)} term={quoteattr(term)}/>"

    def author(user, name="", email="", uri=""):
        if user is not None:
            name = user.name
            email = public_email(user)
            uri = user.website or f"{base}/profile/{user.pk}"
        parts = [tag("name", name)]
        if uri:
            parts.append(tag("uri", uri))
        parts.append(tag("email", email or "noreply@blogger.com"))
        if user is not None and user.photo_url:
            parts.append(f"<gd:image rel='http://schemas.google.com/g/2005#thumbnail' "
                         f"width='32' height='32' src={quoteattr(user.photo_url)}/>")  # fmt: skip
        return "<author>" + "".join(parts) + "</author>"

    now = timezone.localtime(timezone.now(), blog.tzinfo)
    yield (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
        "xmlns:gd='http://schemas.google.com/g/2005' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0' "
        "xmlns:app='http://purl.org/atom/app#' "
        "xmlns:blogger='http://schemas.google.com/blogger/2018'>\n"
        f"{tag('id', blog_tag + '.archive')}{tag('updated', iso(now))}"
        f"{tag('title', blog.title, type='text')}"
        f"<link rel='alternate' type='text/html' href={quoteattr(base + '/')}/>"
        "<generator version='7.00' uri='https://www.blogger.com'>Blogger</generator>\n"
    )
    settings = {
        "BLOG_NAME": blog.title,
        "BLOG_DESCRIPTION": blog.description or blog.tagline,
        "BLOG_LOCALE": blog.language,
        "BLOG_TIME_ZONE": blog.time_zone,
        "BLOG_COMMENTS_ALLOWED": "false" if blog.comment_policy == "closed" else "true",
        "BLOG_COMMENT_ACCESS": COMMENT_ACCESS[blog.comment_policy],
        "BLOG_COMMENT_MODERATION": MODERATION[blog.moderation],
        "BLOG_COMMENT_MODERATION_DELAY": str(blog.moderation_delay_days),
        "BLOG_MAX_NUM": str(blog.posts_per_page),
        "BLOG_MAX_UNIT": "POSTS",
    }
    for key, value in settings.items():
        yield (
            f"<entry>{tag('id', f'{blog_tag}.settings.{key}')}{tag('published', iso(now))}"
            f"{tag('updated', iso(now))}{category(kind + 'settings')}{tag('title', key)}"
            f"{tag('content', value, type='text')}</entry>\n"
        )

    def local(moment):
        return iso(timezone.localtime(moment, blog.tzinfo)) if moment else ""

    for model in (Post, Page):
        noun = model.__name__.lower()
        for entry in entries(model, blog):
            entry_id = f"{blog_tag}.{noun}-{ident(entry)}"
            parts = [
                tag("id", entry_id),
                tag("published", local(entry.published_at or entry.created_at)),
                tag("updated", local(entry.updated_at)),
                tag("blogger:created", local(entry.created_at)),
                category(kind + noun),
            ]
            if model is Post:
                parts += [
                    category(label.name, "http://www.blogger.com/atom/ns#")
                    for label in entry.labels.all()
                ]
            parts += [tag("title", entry.title, type="text"), tag("content", html_body(entry),
                      type="html")]  # fmt: skip
            if entry.path and entry.status in {Status.PUBLISHED, Status.SCHEDULED}:
                parts.append(
                    f"<link rel='alternate' type='text/html' href={quoteattr(base + entry.path)}"
                    f" title={quoteattr(entry.title)}/>"
                )
            if entry.author is not None:
                parts.append(author(entry.author))
            if entry.status == Status.DRAFT:
                parts.append("<app:control><app:draft>yes</app:draft></app:control>")
            elif entry.status == Status.TRASHED:
                parts.append(tag("blogger:status", "SOFT_TRASHED"))
            if model is Post:
                parts.append(tag("thr:total", str(entry.comment_count)))
                if entry.excerpt:
                    parts.append(tag("blogger:metaDescription", entry.excerpt))
            yield "<entry>" + "".join(parts) + "</entry>\n"
    for comment in comments_of(blog):
        post = comment.post
        post_tag = f"{blog_tag}.post-{ident(post)}"
        feed = f"https://www.blogger.com/feeds/{blog.pk}/{ident(post)}/comments/default/"
        millis = int(comment.created_at.timestamp() * 1000)
        parts = [
            tag("id", f"{blog_tag}.post-{ident(comment)}"),
            tag("published", local(comment.created_at)),
            tag("updated", local(comment.updated_at)),
            category(kind + "comment"),
            tag(
                "title", comment.body[:50] + ("..." if len(comment.body) > 50 else ""), type="text"
            ),
            tag("content", comment.body_html, type="html"),
            f"<link rel='alternate' type='text/html' href="
            f"{quoteattr(f'{base}{post.path}?showComment={millis}#{comment.anchor}')}/>",
        ]
        if comment.parent_id:
            parts.append(
                f"<link rel='related' type='application/atom+xml' "
                f"href={quoteattr(feed + ident(comment.parent))}/>"
            )
        parts.append(author(comment.user, comment.author_name, comment.author_email,
                            comment.author_url))  # fmt: skip
        parts.append(
            f"<thr:in-reply-to href={quoteattr(base + post.path)} ref={quoteattr(post_tag)} "
            f"type='text/html'/>"
        )
        if comment.status in BLOGGER_COMMENT_STATUS:
            parts.append(tag("blogger:status", BLOGGER_COMMENT_STATUS[comment.status]))
        yield "<entry>" + "".join(parts) + "</entry>\n"
    yield "</feed>\n"


# ---------------------------------------------------------------- WordPress WXR 1.2
def cdata(text: str) -> str:
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wordpress(blog: Blog) -> Iterator[str]:
    base = f"https://{blog.host}"
    from warta.accounts.models import User

    def wp_dates(prefix, moment):
        if not moment:
            return (f"<wp:{prefix}>0000-00-00 00:00:00</wp:{prefix}>"
                    f"<wp:{prefix}_gmt>0000-00-00 00:00:00</wp:{prefix}_gmt>")  # fmt: skip
        local = timezone.localtime(moment, blog.tzinfo)
        gmt = moment.astimezone(datetime.UTC)
        return (
            f"<wp:{prefix}>{local:%Y-%m-%d %H:%M:%S}</wp:{prefix}>"
            f"<wp:{prefix}_gmt>{gmt:%Y-%m-%d %H:%M:%S}</wp:{prefix}_gmt>"
        )

    yield (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        f"{tag('title', blog.title)}{tag('link', base)}{tag('description', blog.tagline)}"
        f"{tag('language', blog.language)}<wp:wxr_version>1.2</wp:wxr_version>"
        f"{tag('wp:base_site_url', base)}{tag('wp:base_blog_url', base)}\n"
    )
    people = set()
    for model in (Post, Page):
        people.update(model.objects.filter(blog=blog).values_list("author_id", flat=True))
    for user in User.objects.filter(pk__in=people - {None}).order_by("pk"):
        yield (
            f"<wp:author><wp:author_id>{user.pk}</wp:author_id>"
            f"<wp:author_login>{cdata(f'user-{user.pk}')}</wp:author_login>"
            f"<wp:author_email>{cdata(public_email(user))}</wp:author_email>"
            f"<wp:author_display_name>{cdata(user.display_name)}</wp:author_display_name>"
            "</wp:author>\n"
        )
    for n, label in enumerate(Label.objects.filter(blog=blog).order_by("name"), start=1):
        yield (
            f"<wp:category><wp:term_id>{n}</wp:term_id>"
            f"<wp:category_nicename>{cdata(slugify(label.name, allow_unicode=True))}"
            "</wp:category_nicename><wp:category_parent></wp:category_parent>"
            f"<wp:cat_name>{cdata(label.name)}</wp:cat_name></wp:category>\n"
        )
    for image in Image.objects.filter(blog=blog).order_by("pk").iterator(chunk_size=CHUNK):
        url = image.url if image.url.startswith("http") else base + image.url
        yield (
            f"<item>{tag('title', image.alt)}{tag('guid', url, isPermaLink='false')}"
            f"<wp:post_id>{ATTACHMENT_ID_OFFSET + image.pk}</wp:post_id>"
            "<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>"
            f"{tag('wp:attachment_url', url)}</item>\n"
        )
    for model in (Post, Page):
        for entry in entries(model, blog):
            link = base + entry.path if entry.path else f"{base}/?p={ident(entry)}"
            parts = [
                tag("title", entry.title),
                tag("link", link),
                tag("dc:creator", f"user-{entry.author_id}" if entry.author_id else ""),
                tag("guid", f"{base}/?p={ident(entry)}", isPermaLink="false"),
                f"<content:encoded>{cdata(html_body(entry))}</content:encoded>",
                f"<excerpt:encoded>{cdata(getattr(entry, 'excerpt', ''))}</excerpt:encoded>",
                tag("wp:post_id", ident(entry)),
                wp_dates("post_date", entry.published_at),
                wp_dates("post_modified", entry.updated_at),
                tag(
                    "wp:comment_status",
                    "open" if getattr(entry, "comments_enabled", True) else "closed",
                ),  # fmt: skip
                tag("wp:post_name", entry.slug),
                tag("wp:status", WP_STATUS[entry.status]),
                tag("wp:post_type", model.__name__.lower()),
                tag("wp:is_sticky", "1" if getattr(entry, "is_sticky", False) else "0"),
            ]
            if model is Post:
                for label in entry.labels.all():
                    parts.append(
                        f"<category domain='category' nicename="
                        f"{quoteattr(slugify(label.name, allow_unicode=True))}>"
                        f"{cdata(label.name)}</category>"
                    )
                if entry.lead_image_id:
                    parts.append(
                        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                        f"<wp:meta_value>{ATTACHMENT_ID_OFFSET + entry.lead_image_id}"
                        "</wp:meta_value></wp:postmeta>"
                    )
                for comment in comments_of(blog, entry):
                    parts.append(wxr_comment(comment, wp_dates))
            yield "<item>" + "".join(parts) + "</item>\n"
    yield "</channel>\n</rss>\n"


def wxr_comment(comment, wp_dates) -> str:
    user = comment.user
    name = user.name if user else comment.author_name
    email = public_email(user) if user else comment.author_email
    return (
        f"<wp:comment><wp:comment_id>{escape(ident(comment))}</wp:comment_id>"
        f"<wp:comment_author>{cdata(name)}</wp:comment_author>"
        f"<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>"
        f"{tag('wp:comment_author_url', comment.author_url)}"
        f"{wp_dates('comment_date', comment.created_at)}"
        f"<wp:comment_content>{cdata(escape(comment.body))}</wp:comment_content>"
        f"{tag('wp:comment_approved', WP_COMMENT_STATUS[comment.status])}"
        "<wp:comment_type></wp:comment_type>"
        f"{tag('wp:comment_parent', ident(comment.parent) if comment.parent else '0')}"
        f"{tag('wp:comment_user_id', str(user.pk) if user and email else '0')}"
        "</wp:comment>"
    )
