"""What every format is made of: a ``Format`` naming its file, an ``Importer`` and an
``Exporter``, each a class whose hook methods a format fills in, the way a syndication
``Feed`` fills in ``items`` and ``item_title``. See docs/migration.md, "The formats, and adding one"."""

import contextlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.blogs.models import Blog
from warta.comments.models import Comment
from warta.core.sql import refresh_statistics
from warta.posts.models import BodyFormat, Label, Page, Post
from warta.search.index import index_missing

from ..errors import ImportFailed
from ..report import ImportReport, Progress
from ..staging import BlogWriter, blog_for_import

ENTRY_PATH_RE = re.compile(r"^/\d{4}/\d{2}/[^/?#]+\.html$")
PAGE_PATH_RE = re.compile(r"^/p/[^/?#]+\.html$")
POST_TEXTS = ["body", "body_html", "teaser", "excerpt"]  # what a comment's export never shows
# Characters XML 1.0 cannot carry at all, not even as references (a form accepts them).
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


MAX_FEED_BYTES = 2**30  # a Blogger feed of 1 GB is some 1.5 million comments
MAX_RATIO = 100  # text compresses about 10 times; a thousandfold member is a zip bomb


def compressed_sanely(info: zipfile.ZipInfo) -> bool:
    return info.file_size <= MAX_RATIO * max(info.compress_size, 1)


def check_member(info: zipfile.ZipInfo) -> None:
    """Refuse a member that would fill the disk when unpacked."""
    if info.file_size > MAX_FEED_BYTES or not compressed_sanely(info):
        raise ImportFailed(
            _("%(name)s in the archive is too large to unpack (%(size)s bytes).")
            % {"name": info.filename, "size": info.file_size}
        )


MAX_ARCHIVE_BYTES = 4 * 2**30  # all members unpacked: a Takeout of a large blog with photos
MAX_MEMBERS = 100_000
RATIO_FROM = 2**20  # smaller members may compress as they like: they cannot fill a disk


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse the whole archive before anything is unpacked when a member's name would
    leave the folder it is unpacked into (``../``, an absolute path, a drive) or when it
    is a zip bomb: too many members, too large together, or one compressed a thousandfold."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFailed(
            _("The archive holds too many files (%(n)s); this is not a backup.") % {"n": len(infos)}
        )
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = name.split("/")
        if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
            raise ImportFailed(
                _(
                    "The archive names a file outside its own folders (%(name)s); it is "
                    "refused for safety."
                )
                % {"name": info.filename[:200]}
            )
        if info.file_size > RATIO_FROM and not compressed_sanely(info):
            raise ImportFailed(
                _(
                    "%(name)s in the archive unpacks to %(size)s bytes from %(packed)s: this "
                    "is a zip bomb, refused."
                )
                % {
                    "name": info.filename[:200],
                    "size": info.file_size,
                    "packed": info.compress_size,
                }
            )
        total += info.file_size
    if total > MAX_ARCHIVE_BYTES:
        raise ImportFailed(
            _("The archive unpacks to %(size)s bytes, more than an import reads.") % {"size": total}
        )


class Format:
    """A file format Warta reads and writes, listed in ``warta.migration.formats.FORMATS``.
    The management commands, the desk's export page and its addresses read that list."""

    name = ""  # given by ``register``: the commands' argument and the desk's address
    label = ""  # the desk's link, e.g. "WordPress (WXR 1.2)"
    summary = ""  # what the file is good for, after the link
    importer: type["Importer"]
    exporter: type["Exporter"]

    def import_file(
        self, *, path, blog_slug: str, fetch_media: bool = False, progress=None
    ) -> ImportReport:
        """Import ``path`` into the blog ``blog_slug`` (created when missing), atomically."""
        importer = self.importer(
            path, blog_slug=blog_slug, fetch_media=fetch_media, progress=progress
        )
        return importer.run()

    def export(self, blog: Blog) -> Iterator[str]:
        """The whole blog in this format, as chunks of text (one record each)."""
        return self.exporter(blog).chunks()

    def dropped(self, blog: Blog) -> list[str]:
        return self.exporter(blog).dropped()

    def filename(self, blog: Blog) -> str:
        return f"{blog.slug}-{timezone.now():%Y-%m-%d}.{self.exporter.extension}"


def url_path(url: str) -> str:
    """The decoded path (and query) of an address, as Django's ``request.path`` sees it."""
    parts = urlsplit(url or "")
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


class Importer:
    """Reads one file into one blog in one transaction: an error or Ctrl-C leaves the blog as
    it was. ``run()`` creates the blog when missing, calls the hooks, writes what they stage in
    batches and finishes (threads, recounts, invalidates once). A format's importer gives:

    - ``read_entries()``: read the file, calling ``stage_entry(model, entry)`` for each post
      and page and ``stage_comment(entry, ...)`` for each comment;
    - ``entry_fields(model, entry)``: the Post or Page fields of an entry, ``legacy_id``
      (its id in the file) among them;
    - ``entry_labels(entry)``: the label names of a post;
    - ``comment_fields(entry, ...)``: a comment as ``BlogWriter.write_comments`` takes it, or
      None to leave it out;
    - where needed, ``read_preamble()`` (what must be known before the blog exists),
      ``blog_title()`` (for a new blog) and ``entries_written(model, batch)``.
    """

    batch_size = 500
    #: Record the images that post bodies show as remote images of the media library.
    images_in_bodies = False

    def __init__(self, path, *, blog_slug: str, fetch_media: bool = False, progress=None):
        self.path = path
        self.slug = blog_slug
        self.fetch_media = fetch_media
        self.report = ImportReport()
        self.progress = progress or Progress(total_bytes=os.path.getsize(path))
        self.staged: dict[type, list] = {Post: [], Page: []}
        self.comments: list[dict] = []
        self.page_comments: list[dict] = []  # few: written together at the end

    #: The file is XML: characters XML cannot hold are dropped (with a warning) before it is read.
    xml = True
    #: Prefixes the file never declares are declared for it (WordPress tolerates them).
    tolerate_prefixes = False
    #: What the error about a file of another kind tells the person to give instead.
    expected_file = ""
    #: How deep the file's entries are (the root is 1): where a check reads it element by element.
    entry_level = 2

    def run(self) -> ImportReport:
        with tempfile.TemporaryDirectory(prefix="warta-import-") as directory:
            self.path = self.prepared(self.path, directory)
            return self.run_prepared()

    def prepared(self, path, directory: str):
        """The file to read: an archive opened by ``read_archive``, an XML file repaired
        where it must be (``xmlsafe.repaired``)."""
        from ..xmlsafe import is_zip, repaired

        if is_zip(path):
            try:
                path = self.read_archive(path, directory)
            except zipfile.BadZipFile as error:
                raise ImportFailed(
                    _("The ZIP archive is damaged and cannot be read (%(error)s).")
                    % {"error": error}
                ) from error
        if self.xml:
            path = repaired(
                path, directory, report=self.report, tolerate_prefixes=self.tolerate_prefixes
            )
        return path

    def read_archive(self, path, directory: str):
        """A ZIP archive was given: the file inside to read, extracted into ``directory``."""
        raise ImportFailed(
            _("This is a ZIP archive, not the file the import reads: %(expected)s")
            % {"expected": self.expected_file}
        )

    def run_prepared(self) -> ImportReport:
        with transaction.atomic():
            self.read_preamble()
            self.blog = blog_for_import(slug=self.slug, title=self.blog_title(), report=self.report)
            self.writer = BlogWriter(self.blog, self.report)
            self.read_entries()
            self.flush()
            self.writer.write_page_comments(self.page_comments)
            self.writer.complete(fetch_media=self.fetch_media)
            # Bulk writes send no signals: the imported entries are indexed for search here,
            # in the same transaction, not 2,000 at a time by the first searches.
            index_missing(self.blog)
            self.progress.done()
        # Let SQLite's planner learn the new sizes, as migrate and the generator do.
        refresh_statistics()
        return self.report

    def read_preamble(self) -> None:
        """Read what the blog needs before it exists (a WordPress file's title, say)."""

    def blog_title(self) -> str:
        """The title of a blog the import creates; its slug when empty."""
        return ""

    def read_entries(self) -> None:
        raise NotImplementedError

    def entry_fields(self, model, entry) -> dict:
        raise NotImplementedError

    def entry_labels(self, entry) -> list[str]:
        return []

    def comment_fields(self, entry, **context) -> dict | None:
        raise NotImplementedError

    def entries_written(self, model, batch: list[tuple]) -> None:
        """After each batch of ``(entry, labels)`` is written (WordPress adds redirects)."""

    def stage_entry(self, model, entry) -> None:
        obj = model(blog=self.blog, **self.entry_fields(model, entry))
        if self.images_in_bodies:
            self.writer.images.find_in(obj.body)
        labels = self.entry_labels(entry) if model is Post else []
        self.staged[model].append((obj, labels))
        self.flush_when_full()

    def stage_comment(self, entry, **context) -> None:
        fields = self.comment_fields(entry, **context)
        if fields is not None:
            self.comments.append(fields)
            self.flush_when_full()

    def stage_page_comment(self, entry, **context) -> None:
        """A comment on a page, given as ``comment_fields`` gives it (the page's id as
        ``post_legacy_id``)."""
        fields = self.comment_fields(entry, **context)
        if fields is not None:
            self.page_comments.append(fields)

    def flush_when_full(self) -> None:
        if max(len(self.comments), *map(len, self.staged.values())) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write what is staged: posts and pages first, so the comments find their post."""
        for model, batch in self.staged.items():
            self.writer.write_entries(model, batch)
            self.entries_written(model, batch)
            self.staged[model] = []
        self.writer.write_comments(self.comments)
        self.comments = []


def ident(obj) -> str:
    """An entry's id in an export: its ``legacy_id`` (else its pk), so that old ``#c...``
    anchors and ``/feeds/ID/comments/default`` survive a round trip."""
    return obj.legacy_id or str(obj.pk)


def iso(moment) -> str:
    return moment.isoformat() if moment else ""


def public_email(user) -> str:
    return "" if user is None or user.email.endswith(".invalid") else user.email


def html_body(entry) -> str:
    return entry.body if entry.body_format == BodyFormat.HTML else entry.body_html


class Exporter:
    """Writes one blog as a stream of text chunks, one record each, so a command writes it
    to a file and the desk streams it without holding the blog in memory. A format's exporter
    gives ``sections()``: ``(items, write)`` pairs in file order, where ``write`` turns one
    item into a record (``JsonLinesExporter``) or writes it (``XmlExporter``)."""

    extension = ""  # of the file: ``<blog>-<date>.<extension>``
    content_type = ""  # of the desk's download
    chunk_size = 500  # rows read per query

    def __init__(self, blog: Blog):
        self.blog = blog
        self.base = f"https://{blog.host}"

    def sections(self) -> list[tuple[Iterable, Callable]]:
        raise NotImplementedError

    def dropped(self) -> list[str]:
        """What the blog holds that this format cannot carry, in words for the person
        exporting (the export command prints them; docs/migration.md has the tables)."""
        return []

    def chunks(self) -> Iterator[str]:
        raise NotImplementedError

    def entries(self, model) -> Iterator:
        queryset = model.objects.filter(blog=self.blog).select_related("author").order_by("pk")
        if model is Post:
            queryset = queryset.prefetch_related(Prefetch("labels", Label.objects.order_by("name")))
        return queryset.iterator(chunk_size=self.chunk_size)

    def comments(self, *order: str) -> Iterator[Comment]:
        """The blog's comments, oldest first (within ``order``, e.g. ``"post_id"``), each with
        its post's address and ids, not its text."""
        queryset = (
            Comment.objects.filter(blog=self.blog)
            .select_related("user", "parent", "post")
            .defer(*(f"post__{field}" for field in POST_TEXTS))
        )
        return queryset.order_by(*order, "created_at", "pk").iterator(chunk_size=self.chunk_size)

    def author_ids(self) -> set[int]:
        """The people who wrote the blog's posts and pages."""
        people = set()
        for model in (Post, Page):
            people.update(model.objects.filter(blog=self.blog).values_list("author_id", flat=True))
        return people - {None}


class JsonLinesExporter(Exporter):
    def chunks(self) -> Iterator[str]:
        for items, record in self.sections():
            for item in items:
                yield json.dumps(record(item), ensure_ascii=False, default=str) + "\n"


def xml_text(value) -> str:
    return NOT_XML_RE.sub("", value) if value else ""


class XmlWriter:
    """lxml's incremental writer (``etree.xmlfile``) with the shapes an export uses. Tags are
    Clark names (``{namespace}name``); text is escaped by lxml, and characters that XML cannot
    carry are left out, so the file is always well-formed."""

    def __init__(self, xf):
        self.xf = xf

    def element(self, tag: str, **attributes):
        return self.xf.element(tag, self.cleaned(attributes))

    def text(self, tag: str, text: str, **attributes) -> None:
        # The hottest call of an export: attributes are rare, so they are cleaned only when given.
        with self.xf.element(tag, self.cleaned(attributes) if attributes else None):
            if text:
                self.xf.write(NOT_XML_RE.sub("", text))

    @staticmethod
    def cleaned(attributes: dict) -> dict:
        return {key: xml_text(value) for key, value in attributes.items()}

    def empty(self, tag: str, **attributes) -> None:
        self.text(tag, "", **attributes)

    def cdata(self, tag: str, text: str, **attributes) -> None:
        """``text`` as CDATA, as WordPress writes it (lxml splits a ``]]>`` inside in two)."""
        from lxml.etree import CDATA  # on first use: see xmlsafe

        text = xml_text(text)
        inside = text.rstrip("]")
        with self.element(tag, **attributes):
            self.xf.write(CDATA(inside))
            if inside != text:
                # Outside the section: lxml 6.1 crashes writing CDATA that ends with "]".
                self.xf.write(text[len(inside) :])


class XmlExporter(Exporter):
    """An XML document: ``enclosing`` elements (outermost first, the first declaring
    ``nsmap``), then ``write_head(writer)``, then each section's items, one line each."""

    nsmap: dict = {}
    enclosing: list[tuple[str, dict]] = []

    def write_head(self, writer: XmlWriter) -> None:
        raise NotImplementedError

    def chunks(self) -> Iterator[str]:
        from lxml import etree  # on first use: see xmlsafe

        buffer = io.BytesIO()

        def line() -> str:
            xf.write("\n")
            xf.flush()
            data = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return data.decode("utf-8")

        with etree.xmlfile(buffer, encoding="UTF-8") as xf:
            xf.write_declaration()
            with contextlib.ExitStack() as stack:
                for n, (tag, attributes) in enumerate(self.enclosing):
                    stack.enter_context(
                        xf.element(tag, attributes, nsmap=None if n else self.nsmap)
                    )
                    xf.write("\n")
                writer = XmlWriter(xf)
                self.write_head(writer)
                yield line()
                for items, write in self.sections():
                    for item in items:
                        write(writer, item)
                        yield line()
        yield buffer.getvalue().decode("utf-8") + "\n"
