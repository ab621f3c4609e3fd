"""Writes shared by the importers: one blog, in one transaction, in batches, idempotently."""

import dataclasses
import hashlib
import os
import re
import sys
import time
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from django.db import connection, models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.accounts.models import User
from warta.blogs.models import Blog
from warta.comments.models import Comment
from warta.comments.text import render_comment
from warta.core.sql import refresh_statistics
from warta.posts.models import Image, Label, Post, Redirect, Status, make_slug

BATCH_SIZE = 500
BLOGGER_NOREPLY = "noreply@blogger.com"


@dataclasses.dataclass
class ImportReport:
    """What an import did, counted per kind: ``imported["post"]``, ``skipped["comment"]``."""

    imported: dict = dataclasses.field(default_factory=dict)
    skipped: dict = dataclasses.field(default_factory=dict)
    warnings: list = dataclasses.field(default_factory=list)
    created_blog: bool = False

    def count(self, kind: str, *, imported: bool = True) -> None:
        target = self.imported if imported else self.skipped
        target[kind] = target.get(kind, 0) + 1

    def warn(self, entry_id: str, message: str) -> None:
        self.warnings.append((entry_id, str(message)))

    def summary(self) -> str:
        def fmt(counts):
            return ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())) or "0"

        lines = [
            _("Imported: %(counts)s") % {"counts": fmt(self.imported)},
            _("Skipped (already there or not importable): %(counts)s")
            % {"counts": fmt(self.skipped)},
            _("Warnings: %(n)s") % {"n": len(self.warnings)},
        ]
        lines += [f"  [{entry_id}] {message}" for entry_id, message in self.warnings]
        return "\n".join(lines)


class Progress:
    """A one-line progress bar with counts and rate, on a terminal only (stderr)."""

    def __init__(self, stream=None, *, total_bytes: int = 0):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total_bytes = total_bytes
        self.started = time.monotonic()
        self.last = 0.0
        self.count = 0

    def tick(self, label: str, position: int = 0) -> None:
        self.count += 1
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = self.count / max(now - self.started, 1e-6)
        share = position / self.total_bytes if self.total_bytes else 0
        bar = "#" * int(share * 30)
        self.stream.write(
            f"\r[{bar:<30}] {share:4.0%} {label}: {self.count} entries, {rate:,.0f}/s "
        )
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def blog_for_import(*, slug: str, title: str = "", report: ImportReport) -> Blog:
    blog = Blog.objects.filter(slug=slug).first()
    if blog is None:
        blog = Blog(slug=slug, title=title or slug)
        blog.full_clean(exclude=["title"])
        blog.save()
        report.created_blog = True
    return blog


def url_path(url: str) -> str:
    """The decoded path (and query) of an address, as Django's ``request.path`` sees it."""
    parts = urlsplit(url or "")
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


ENTRY_PATH_RE = re.compile(r"^/\d{4}/\d{2}/[^/?#]+\.html$")
PAGE_PATH_RE = re.compile(r"^/p/[^/?#]+\.html$")


def url_key(url: str) -> int:
    """A 64-bit digest of an address: a set of these stays small however many images."""
    return int.from_bytes(hashlib.blake2b(url.encode(), digest_size=8).digest(), "big")


PARENTS_TABLE = "warta_import_parent"


class ImportSource:
    """What the three importers share: the file, the blog they write to, and the report."""

    def __init__(self, path, *, blog_slug: str, fetch_media: bool = False, progress=None):
        self.path = path
        self.slug = blog_slug
        self.fetch_media = fetch_media
        self.report = ImportReport()
        self.progress = progress or Progress(total_bytes=os.path.getsize(path))


class BlogWriter:
    """Creates a blog's posts, pages, labels, comments and people, matching earlier imports by
    ``legacy_id`` so that running an import twice changes nothing.

    Memory does not grow with the file: rows go out in batches, earlier rows are looked up per
    batch by their indexed ``legacy_id``, and a reply whose parent is not written yet waits in
    a temporary table, not in a list."""

    def __init__(self, blog: Blog, report: ImportReport):
        self.blog = blog
        self.report = report
        self.labels: dict[str, int] = dict(
            Label.objects.filter(blog=blog).values_list("name", "pk")
        )
        self.people: dict[tuple, int | None] = {}
        self.images: dict[int, int] | None = None
        self.new_images: list[Image] = []
        self.waiting_replies = False
        self.changed = False

    # ------------------------------------------------------------------ people
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

    # ------------------------------------------------------------------ labels
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

    # ------------------------------------------------------------------ entries
    def legacy_pks(self, model, legacy_ids: Iterable[str]) -> dict[str, int]:
        """legacy id -> pk of this blog's rows among ``legacy_ids``.

        Filtered on ``legacy_id`` alone so SQLite uses that index: with ``blog_id`` in the
        query it picks the blog index and reads every row of the blog, once per batch."""
        legacy_ids = [legacy_id for legacy_id in set(legacy_ids) if legacy_id]
        if not legacy_ids:
            return {}
        rows = (
            model.objects.filter(legacy_id__in=legacy_ids)
            .order_by()
            .values_list("legacy_id", "pk", "blog_id")
        )
        return {legacy_id: pk for legacy_id, pk, blog_id in rows if blog_id == self.blog.pk}

    def existing(self, model, legacy_ids: Iterable[str]) -> set[str]:
        return set(self.legacy_pks(model, legacy_ids))

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
                entry.legacy_id, _("The address %(path)s is taken.") % {"path": entry.path}
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

    def write_entries(self, model, batch: list[tuple]) -> dict[str, int]:
        """Create ``(entry, label_names, kind)`` tuples not imported before; legacy id -> pk."""
        known = self.existing(model, [entry.legacy_id for entry, _labels, _kind in batch])
        wanted = {entry.path for entry, _labels, _kind in batch if entry.path}
        taken: set[str] = set(
            model.objects.filter(blog=self.blog, path__in=wanted)
            .order_by()
            .values_list("path", flat=True)
            if wanted
            else ()
        )
        fresh = []
        in_file: set[str] = set()
        for entry, labels, kind in batch:
            if entry.legacy_id in in_file:
                self.report.warn(entry.legacy_id, _("The id appears twice in the file."))
            in_file.add(entry.legacy_id)
            if entry.legacy_id in known:
                self.report.count(kind, imported=False)
                continue
            known.add(entry.legacy_id)
            self.prepare_entry(entry, taken_paths=taken)
            fresh.append((entry, labels, kind))
        model.objects.bulk_create([entry for entry, _labels, _kind in fresh])
        links = []
        for entry, labels, kind in fresh:
            self.report.count(kind)
            for label_id in self.label_ids(labels):
                links.append(Post.labels.through(post_id=entry.pk, label_id=label_id))
        if links:
            Post.labels.through.objects.bulk_create(links)
        self.write_images()
        self.changed = self.changed or bool(fresh)
        return {entry.legacy_id: entry.pk for entry, _labels, _kind in fresh}

    def write_comments(self, batch: list[dict]) -> None:
        """Create comments from dicts with ``legacy_id``, ``post_legacy_id``,
        ``parent_legacy_id`` and Comment fields. A parent may come later in the file."""
        known = self.existing(Comment, [c["legacy_id"] for c in batch])
        post_ids = self.legacy_pks(Post, [c["post_legacy_id"] for c in batch])
        parent_ids = self.legacy_pks(Comment, [c.get("parent_legacy_id") or "" for c in batch])
        columns = [f for f in Comment._meta.concrete_fields if not f.primary_key]
        defaults = {f.attname: f.get_default() for f in columns}
        rows = []
        for data in batch:
            if data["legacy_id"] in known:
                self.report.count("comment", imported=False)
                continue
            post_id = post_ids.get(data["post_legacy_id"])
            if post_id is None:
                self.report.warn(data["legacy_id"], _("The comment's post is not in the file."))
                self.report.count("comment", imported=False)
                continue
            known.add(data["legacy_id"])
            row = defaults | {
                k: v
                for k, v in data.items()
                if k not in {"legacy_id", "post_legacy_id", "parent_legacy_id"}
            }
            if len(row) != len(defaults):
                raise TypeError(f"Not Comment fields: {sorted(row.keys() - defaults.keys())}")
            parent_legacy_id = data.get("parent_legacy_id") or ""
            body = row["body"][:10000]
            row.update(
                blog_id=self.blog.pk,
                post_id=post_id,
                legacy_id=data["legacy_id"],
                body=body,
                body_html=render_comment(body),
                # A parent written in an earlier batch is known now: no second write.
                parent_id=parent_ids.get(parent_legacy_id),
            )
            rows.append((row, parent_legacy_id))
        self.insert_comments(columns, [row for row, _parent in rows if row["legacy_id"]])
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
            self.report.imported["comment"] = self.report.imported.get("comment", 0) + len(rows)
        if waiting:
            pks = self.legacy_pks(Comment, [c for c, _p in waiting if isinstance(c, str)])
            self.wait_for_parents([(pks.get(c, c), parent) for c, parent in waiting])
        self.changed = self.changed or bool(rows)

    def insert_comments(self, columns: list, rows: list[dict]) -> None:
        """The batch through one prepared INSERT (executemany): bulk_create's per-value SQL
        compilation was most of the time of a 100,000-comment import."""
        if not rows:
            return
        table = connection.ops.quote_name(Comment._meta.db_table)
        names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
        marks = ", ".join(["%s"] * len(columns))
        # The other values are already str, int, bool or None, which both drivers take.
        moments = [i for i, f in enumerate(columns) if isinstance(f, models.DateTimeField)]
        values = []
        for row in rows:
            value = [row[f.attname] for f in columns]
            for i in moments:
                value[i] = columns[i].get_db_prep_save(value[i], connection)
            values.append(value)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)

    def wait_for_parents(self, replies: list[tuple[int, str]]) -> None:
        """Park replies whose parent is later in the file (or in this batch) in a temporary
        table, so memory stays flat even when a file lists replies before their parents."""
        table = connection.ops.quote_name(PARENTS_TABLE)
        with connection.cursor() as cursor:
            if not self.waiting_replies:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {table} "
                    "(child_id bigint PRIMARY KEY, parent_legacy_id varchar(200) NOT NULL)"
                )
                self.waiting_replies = True
            cursor.executemany(
                f"INSERT INTO {table} (child_id, parent_legacy_id) VALUES (%s, %s)", replies
            )

    def link_parents(self) -> None:
        """Thread the replies that waited for their parent: one UPDATE, then the table goes."""
        if not self.waiting_replies:
            return
        table = connection.ops.quote_name(PARENTS_TABLE)
        comments = connection.ops.quote_name(Comment._meta.db_table)
        # "blog_id + 0" keeps SQLite on the legacy_id index (see legacy_pks).
        parent = (
            f"SELECT p.id FROM {comments} p WHERE p.legacy_id = t.parent_legacy_id "
            "AND p.blog_id + 0 = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {comments} SET parent_id = (SELECT ({parent} LIMIT 1) FROM {table} t "
                f"WHERE t.child_id = {comments}.id) WHERE id IN (SELECT child_id FROM {table})",
                [self.blog.pk],
            )
            cursor.execute(
                f"SELECT t.parent_legacy_id FROM {table} t WHERE NOT EXISTS ({parent})",
                [self.blog.pk],
            )
            for (parent_legacy_id,) in cursor.fetchall():
                self.report.warn(parent_legacy_id, _("A reply's parent comment is missing."))
            cursor.execute(f"DROP TABLE {table}")
        self.waiting_replies = False

    def complete(self, *, fetch_media: bool) -> None:
        """The end of every import: thread the waiting replies, copy remote images into the
        media library when asked, recount and invalidate once."""
        self.link_parents()
        if fetch_media:
            fetch_remote_images(blog=self.blog, report=self.report)
        self.finish()

    def finish(self) -> None:
        """Recount the comments of touched posts and invalidate the page cache once."""
        self.write_images()
        if not self.changed:
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

    def redirect(self, old_path: str, new_path: str) -> None:
        if not old_path or old_path == new_path or len(old_path) > 1000:
            return
        _obj, created = Redirect.objects.get_or_create(
            blog=self.blog, old_path=old_path, defaults={"new_path": new_path}
        )
        if created:
            self.report.count("redirect")
            self.changed = True

    # ------------------------------------------------------------------ images
    def known_images(self) -> dict[int, int]:
        """Digest of remote address -> image pk for the blog, read once (the column has no
        index: a query per image would read every image of the blog)."""
        if self.images is None:
            rows = Image.objects.filter(blog=self.blog).exclude(remote_url="")
            self.images = {
                url_key(url): pk for url, pk in rows.order_by().values_list("remote_url", "pk")
            }
        return self.images

    def image_pk(self, url: str, *, alt: str = "") -> tuple[int, bool]:
        """The pk of the blog's remote image at ``url``, created when new; and whether it was."""
        url = url[:2000]
        known = self.known_images()
        key = url_key(url)
        if known.get(key) == 0:  # queued by remote_images: its pk comes with the write
            self.write_images()
        if key in known:
            return known[key], False
        self.write_images()
        image = Image.objects.create(blog=self.blog, remote_url=url, alt=alt[:500])
        known[key] = image.pk
        self.report.count("image")
        self.changed = True
        return image.pk, True

    def remote_images(self, html: str, *, legacy_id: str) -> None:
        """Keep each image a body references as a remote image of the media library."""
        known = self.known_images()
        for src in set(IMG_SRC_RE.findall(html or "")):
            if src.startswith("//"):
                src = "https:" + src
            if not src.startswith(("http://", "https://")) or len(src) > 2000:
                continue
            key = url_key(src)
            if key not in known:
                known[key] = 0  # written with its batch
                self.new_images.append(Image(blog=self.blog, remote_url=src))
                self.report.count("image")
                self.changed = True

    def write_images(self) -> None:
        if self.new_images:
            Image.objects.bulk_create(self.new_images)
            for image in self.new_images:
                self.known_images()[url_key(image.remote_url)] = image.pk
            self.new_images = []


IMG_SRC_RE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def run_import(function, **kwargs) -> ImportReport:
    """Run an importer in one transaction: a failure or Ctrl-C leaves the blog as it was.
    Then let SQLite's planner learn the new sizes, as migrate and the generator do."""
    with transaction.atomic():
        report = function(**kwargs)
    refresh_statistics()
    return report


MAX_IMAGE_BYTES = 10 * 2**20


def fetch_remote_images(*, blog: Blog, report: ImportReport, timeout: float = 10) -> None:
    """Download the blog's remote-only images into the media library where reachable; each
    keeps its remote address, and pages use the local copy from then on."""
    import posixpath
    import urllib.request

    from django.core.files.base import ContentFile

    images = Image.objects.filter(blog=blog, file="").exclude(remote_url="")
    for image in images.iterator(chunk_size=100):
        try:
            with urllib.request.urlopen(image.remote_url, timeout=timeout) as response:
                kind = response.headers.get_content_type()
                data = response.read(MAX_IMAGE_BYTES + 1)
            if not kind.startswith("image/") or len(data) > MAX_IMAGE_BYTES:
                raise ValueError(kind)
            name = posixpath.basename(urlsplit(image.remote_url).path) or "image"
            image.file.save(name[-100:], ContentFile(data), save=True)
            report.count("downloaded image")
        except Exception:
            report.warn(
                image.remote_url, _("Could not download %(url)s.") % {"url": image.remote_url}
            )
