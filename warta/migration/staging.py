"""Writes shared by the importers: one blog's rows, in batches, matched to earlier imports.

Memory does not grow with the file: rows go out in batches, earlier rows are looked up per
batch by their indexed ``legacy_id``, and a reply whose parent is not written yet waits in
a temporary table (``sql.park_replies``), not in a list.
"""

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.accounts.models import User
from warta.blogs.models import Blog
from warta.comments.models import Comment, PageComment
from warta.comments.text import render_comment, render_comment_html
from warta.posts.models import Label, Page, Post, Redirect, Status, make_slug

from . import sql
from .media import RemoteImages, fetch_remote_images
from .report import ImportReport

BLOGGER_NOREPLY = "noreply@blogger.com"
# What write_comments takes beside Comment's own fields.
COMMENT_LINKS = {"legacy_id", "post_legacy_id", "parent_legacy_id"}


def blog_for_import(*, slug: str, title: str = "", report: ImportReport) -> Blog:
    blog = Blog.objects.filter(slug=slug).first()
    if blog is None:
        blog = Blog(slug=slug, title=title or slug)
        blog.full_clean(exclude=["title"])
        blog.save()
        report.created_blog = True
    return blog


class BlogWriter:
    """Creates a blog's posts, pages, labels, comments, people and redirects, matching
    earlier imports by ``legacy_id`` so that running an import twice changes nothing."""

    def __init__(self, blog: Blog, report: ImportReport):
        self.blog = blog
        self.report = report
        self.images = RemoteImages(blog, report)
        self.labels: dict[str, int] = dict(
            Label.objects.filter(blog=blog).values_list("name", "pk")
        )
        self.people: dict[tuple, int | None] = {}
        self.replies_parked = False
        self.changed = False

    def person(self, *, name: str, email: str = "", uri: str = "", photo: str = "") -> int | None:
        """The pk of the user behind an author: matched by real e-mail, then by profile address
        or name among imported profiles; otherwise a new profile without login."""
        email = (email or "").strip().lower()
        if email == BLOGGER_NOREPLY or email.endswith(".invalid"):
            email = ""
        name = (name or "").strip()[:150]
        key = (name, email, uri)
        if key in self.people:
            return self.people[key]
        user = None
        if email:
            user = User.objects.filter(email__iexact=email).first()
        if user is None and uri:
            user = User.objects.filter(is_profile_only=True, website=uri[:500]).first()
        if user is None and not email and not uri and name:
            user = User.objects.filter(is_profile_only=True, display_name=name).first()
        if user is None and (name or email):
            if photo.startswith("//"):
                photo = "https:" + photo
            user = User.objects.create_profile(
                display_name=name,
                email=email,
                website=uri[:500],
                photo_url=photo[:1000] if photo.startswith("http") else "",
            )
            self.report.count("author")
        self.people[key] = user.pk if user else None
        return self.people[key]

    def registered(self, *, email: str = "", uri: str = "") -> int | None:
        """The pk of a person already known by this real e-mail address or profile address
        (a comment's registered author, after a round trip); nobody is created."""
        email = (email or "").strip().lower()
        key = ("registered", email, uri)
        if key not in self.people:
            user = None
            if email and email != BLOGGER_NOREPLY and not email.endswith(".invalid"):
                user = User.objects.filter(email__iexact=email).first()
            if user is None and uri:
                user = User.objects.filter(is_profile_only=True, website=uri[:500]).first()
            self.people[key] = user.pk if user else None
        return self.people[key]

    def label_ids(self, names: Iterable[str]) -> list[int]:
        ids = []
        for name in names:
            name = name.strip()[:200]
            if not name:
                continue
            if name not in self.labels:
                self.labels[name] = Label.objects.create(blog=self.blog, name=name).pk
                self.report.count("label")
            ids.append(self.labels[name])
        return sorted(set(ids))

    def legacy_pks(self, model, legacy_ids: Iterable[str], *, field: str = "pk") -> dict:
        """legacy id -> pk (or ``field``) of this blog's rows among ``legacy_ids``.

        Filtered on ``legacy_id`` alone so SQLite uses that index: with ``blog_id`` in the
        query it picks the blog index and reads every row of the blog, once per batch."""
        legacy_ids = [legacy_id for legacy_id in set(legacy_ids) if legacy_id]
        if not legacy_ids:
            return {}
        rows = (
            model.objects.filter(legacy_id__in=legacy_ids)
            .order_by()
            .values_list("legacy_id", field, "blog_id")
        )
        return {legacy_id: value for legacy_id, value, blog_id in rows if blog_id == self.blog.pk}

    def prepare_entry(self, entry, *, taken_paths: set[str]) -> None:
        """What ``Entry.save`` does, for ``bulk_create``: slug, sanitised HTML, the path.
        ``taken_paths`` holds the batch's paths and those already in the blog."""
        if not entry.slug:
            entry.slug = make_slug(entry.title)
        entry.render()
        if entry.status == Status.PUBLISHED and not entry.published_at:
            entry.published_at = timezone.now()
        model = type(entry)
        if entry.path and entry.path in taken_paths:
            self.report.warn(
                entry.legacy_id,
                _("The address %(path)s is taken.") % {"path": entry.path},
                title=entry.title,
            )
            entry.path = ""
        if not entry.path and entry.status in {Status.PUBLISHED, Status.SCHEDULED}:
            entry.path = entry.build_path()
            base = entry.path.removesuffix(".html")
            n = 1
            while (
                entry.path in taken_paths
                or model.objects.filter(blog=self.blog, path=entry.path).exists()
            ):
                n += 1
                entry.path = f"{base}_{n}.html"
        if entry.path:
            taken_paths.add(entry.path)

    def write_entries(self, model, batch: list[tuple]) -> None:
        """Create the ``(entry, label_names)`` pairs not imported before."""
        known = set(self.legacy_pks(model, [entry.legacy_id for entry, _labels in batch]))
        wanted = {entry.path for entry, _labels in batch if entry.path}
        taken: set[str] = set(
            model.objects.filter(blog=self.blog, path__in=wanted)
            .order_by()
            .values_list("path", flat=True)
            if wanted
            else ()
        )
        kind = model.__name__.lower()
        fresh = []
        in_file: set[str] = set()
        for entry, labels in batch:
            if entry.legacy_id in in_file:
                self.report.warn(
                    entry.legacy_id, _("The id appears twice in the file."), title=entry.title
                )
            in_file.add(entry.legacy_id)
            if entry.legacy_id in known:
                self.report.count(kind, imported=False)
                continue
            known.add(entry.legacy_id)
            self.prepare_entry(entry, taken_paths=taken)
            fresh.append((entry, labels))
        model.objects.bulk_create([entry for entry, _labels in fresh])
        links = []
        for entry, labels in fresh:
            self.report.count(kind)
            for label_id in self.label_ids(labels):
                links.append(Post.labels.through(post_id=entry.pk, label_id=label_id))
        if links:
            Post.labels.through.objects.bulk_create(links)
        self.images.write()
        self.changed = self.changed or bool(fresh)

    @staticmethod
    def comment_text(body: str, body_html: str, is_html: bool) -> dict:
        """An imported comment's text as stored: the plain text cut to the field's length,
        the HTML its platform allowed sanitised, else the plain text rendered; ``is_html``
        only while sanitised HTML is left."""
        body = body[:10000]
        html = render_comment_html(body_html) if is_html else ""
        return {"body": body, "body_html": html or render_comment(body), "is_html": bool(html)}

    def new_comments(
        self, batch: list[dict], model, *, on, kind: str, missing: str
    ) -> list[tuple[dict, int]]:
        """The comments of ``batch`` that ``model`` (Comment or PageComment) does not hold yet,
        each with the pk of the ``on`` row (Post or Page) its ``post_legacy_id`` names. The
        others count as ``kind`` not imported; one whose post or page is not in the file is
        also warned about, with ``missing``. A comment twice in the batch is taken once."""
        known = set(self.legacy_pks(model, [c["legacy_id"] for c in batch]))
        on_ids = self.legacy_pks(on, [c["post_legacy_id"] for c in batch])
        new = []
        for data in batch:
            if data["legacy_id"] in known:
                self.report.count(kind, imported=False)
                continue
            on_id = on_ids.get(data["post_legacy_id"])
            if on_id is None:
                self.report.warn(data["legacy_id"], missing)
                self.report.count(kind, imported=False)
                continue
            known.add(data["legacy_id"])
            new.append((data, on_id))
        return new

    def write_comments(self, batch: list[dict]) -> None:
        """Create comments from dicts with ``legacy_id``, ``post_legacy_id``,
        ``parent_legacy_id`` and Comment fields. A parent may come later in the file."""
        missing = _("The comment's post is not in the file.")
        new = self.new_comments(batch, Comment, on=Post, kind="comment", missing=missing)
        parent_ids = self.legacy_pks(Comment, [c.get("parent_legacy_id") or "" for c in batch])
        fields = [f for f in Comment._meta.concrete_fields if not f.primary_key]
        defaults = {f.attname: f.get_default() for f in fields}
        rows = []
        for data, post_id in new:
            row = defaults | {k: v for k, v in data.items() if k not in COMMENT_LINKS}
            if len(row) != len(defaults):
                raise TypeError(f"Not Comment fields: {sorted(row.keys() - defaults.keys())}")
            parent_legacy_id = data.get("parent_legacy_id") or ""
            row.update(
                self.comment_text(row["body"], row["body_html"], row["is_html"]),
                blog_id=self.blog.pk,
                post_id=post_id,
                legacy_id=data["legacy_id"],
                # A parent written in an earlier batch is known now: no second write.
                parent_id=parent_ids.get(parent_legacy_id),
            )
            rows.append((row, parent_legacy_id))
        sql.insert_comments(fields, [row for row, _parent in rows if row["legacy_id"]])
        # Without a legacy id a row cannot be found again: the ORM returns its pk.
        unnamed = [Comment(**row) for row, _parent in rows if not row["legacy_id"]]
        Comment.objects.bulk_create(unnamed)
        unnamed_pks = iter([comment.pk for comment in unnamed])
        waiting = []
        for row, parent_legacy_id in rows:
            child = row["legacy_id"] or next(unnamed_pks)
            if parent_legacy_id and row["parent_id"] is None:
                waiting.append((child, parent_legacy_id))
        if rows:
            self.report.count("comment", n=len(rows))
        if waiting:
            pks = self.legacy_pks(Comment, [c for c, _p in waiting if isinstance(c, str)])
            self.park_replies([(pks.get(c, c), parent) for c, parent in waiting])
        self.changed = self.changed or bool(rows)

    def write_page_comments(self, batch: list[dict]) -> None:
        """Comments on pages, as ``write_comments`` takes them with the page's id in
        ``post_legacy_id``: kept with their status and threads (pages show no thread yet).
        Few per blog, so written together at the end, then threaded among themselves."""
        if not batch:
            return
        missing = _("The comment's page is not in the file.")
        new = self.new_comments(batch, PageComment, on=Page, kind="page comment", missing=missing)
        fresh, parents = [], {}
        for data, page_id in new:
            fields = {k: v for k, v in data.items() if k not in COMMENT_LINKS}
            text = self.comment_text(
                fields.pop("body", ""), fields.pop("body_html", ""), fields.pop("is_html", False)
            )
            fresh.append(
                PageComment(
                    blog=self.blog, page_id=page_id, legacy_id=data["legacy_id"], **fields, **text
                )
            )
            if data.get("parent_legacy_id"):
                parents[data["legacy_id"]] = data["parent_legacy_id"]
        PageComment.objects.bulk_create(fresh)
        if fresh:
            self.report.count("page comment", n=len(fresh))
        ids = self.legacy_pks(PageComment, [*parents, *parents.values()])
        threaded = []
        for comment in fresh:
            parent = parents.get(comment.legacy_id)
            if parent and parent in ids:
                comment.parent_id = ids[parent]
                threaded.append(comment)
            elif parent:
                self.report.warn(parent, _("A reply's parent comment is missing."))
        PageComment.objects.bulk_update(threaded, ["parent"])
        self.changed = self.changed or bool(fresh)

    def park_replies(self, replies: list[tuple[int, str]]) -> None:
        """Replies whose parent is later in the file (or in this batch) wait on disk, so
        memory stays flat even when a file lists replies before their parents."""
        if not self.replies_parked:
            sql.create_parked_replies()
            self.replies_parked = True
        sql.park_replies(replies)

    def thread_parked_replies(self) -> None:
        if self.replies_parked:
            for parent_legacy_id in sql.thread_parked_replies(blog_id=self.blog.pk):
                self.report.warn(parent_legacy_id, _("A reply's parent comment is missing."))
            self.replies_parked = False

    def redirect(self, old_path: str, new_path: str) -> None:
        if not old_path or old_path == new_path or len(old_path) > 1000:
            return
        _obj, created = Redirect.objects.get_or_create(
            blog=self.blog, old_path=old_path, defaults={"new_path": new_path}
        )
        if created:
            self.report.count("redirect")
            self.changed = True

    def complete(self, *, fetch_media: bool) -> None:
        """The end of every import: thread the parked replies, copy remote images into the
        media library when asked, recount the comments and invalidate the page cache once."""
        self.thread_parked_replies()
        if fetch_media:
            fetch_remote_images(blog=self.blog, report=self.report)
        self.images.write()
        if not (self.changed or self.images.changed):
            return
        # What Comment.objects.recount does, for every post of the blog in one UPDATE.
        approved = (
            Comment.objects.filter(post=OuterRef("pk"), status=Comment.Status.APPROVED)
            .order_by()
            .values("post")
            .annotate(n=Count("pk"))
            .values("n")
        )
        count = Coalesce(Subquery(approved), 0)
        Post.objects.filter(blog=self.blog).exclude(comment_count=count).update(comment_count=count)
        Post.objects.filter(blog=self.blog).threads_changed()
        self.blog.bump_generation()
