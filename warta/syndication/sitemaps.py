"""A blog's sitemaps: an index (``/sitemap.xml``, as on Blogger) naming paged sitemaps of
posts (with their lead images), static pages and labels, and a Google News sitemap of the
last two days.

Each section is a class with hook methods, as ``django.contrib.sitemaps.Sitemap``: ``rows``
(the section's addresses in a stable order, the address and its last change first),
``location`` and ``extensions`` (what else an entry says). Rows are read with
``iterator()`` over ``values_list``, never as model instances, and written as text in
batches: a file of ``size`` entries costs the same memory whatever the size of the blog,
and the index reads one column of every post in chunks (120,000 posts:
tests/test_sitemap_scale.py)."""

import datetime
import re
from xml.sax.saxutils import escape

from django.db.models import CharField, Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from warta.posts.models import Image, Label, Page, Post, Status

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
# What XML 1.0 cannot carry at all: an imported title with a stray control character would
# make the whole file unreadable to a crawler.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CHUNK = 2000  # rows fetched, and entries written, at a time


def text(value) -> str:
    return escape(NOT_XML.sub("", str(value)))


def address(base, path) -> str:
    """An absolute URL as the protocol wants it: percent-encoded (a Unicode slug too)."""
    return text(base + (path if path.isascii() else iri_to_uri(path)))


def w3c(moment) -> str:
    """A W3C datetime in UTC, to the second: ``2024-03-04T09:00:00+00:00``."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def as_text(field):
    """A timestamp column as the database writes it in UTC (``2024-03-04 09:00:00...``):
    turning each one into an aware datetime and back cost most of a big index's time."""
    return Cast(field, output_field=CharField())


def w3c_text(value) -> str:
    return value[:19].replace(" ", "T") + "+00:00" if value else ""


class Section:
    """One kind of address. ``size`` entries a file: well under the protocol's 50,000 URLs
    and 50 MB, and small enough to build in a few milliseconds."""

    path = ""
    size = 10_000
    namespaces = {}

    def __init__(self, blog, base):
        self.blog = blog
        self.base = base  # "https://kabar.warta.id"

    def rows(self):
        """The section's rows in a stable order, new ones last so earlier files stay the
        same: values whose first two are the path and ``changed``, the last change
        (``as_text``)."""
        raise NotImplementedError

    def location(self, row) -> str:
        return address(self.base, row[0])

    def extensions(self, row) -> str:
        return ""

    def url(self, number: int) -> str:
        return f"{self.base}{self.path}?page={number}"

    def page_lastmods(self):
        """For the index, each file's latest change: one pass over one column, in order."""
        lastmods = []
        changed = self.rows().values_list("changed", flat=True)
        for index, moment in enumerate(changed.iterator(chunk_size=CHUNK)):
            moment = (moment or "")[:19]
            if index % self.size == 0:
                lastmods.append(moment)
            elif moment > lastmods[-1]:
                lastmods[-1] = moment
        return lastmods

    def page(self, number: int):
        """The text of file ``number`` (from 1), in pieces; None past the last one."""
        start = (number - 1) * self.size
        rows = self.rows()[start : start + self.size].iterator(chunk_size=CHUNK)
        first = next(rows, None)
        if first is None and number > 1:
            return None
        return self._urlset(first, rows)

    def _urlset(self, first, rows):
        names = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in self.namespaces.items())
        yield f'{XML_HEAD}<urlset xmlns="{SITEMAP_NS}"{names}>\n'
        if first is not None:
            batch = [self.entry(first)]
            for row in rows:
                batch.append(self.entry(row))
                if len(batch) >= CHUNK:
                    yield "".join(batch)
                    batch = []
            yield "".join(batch)
        yield "</urlset>\n"

    def entry(self, row) -> str:
        lastmod = w3c_text(row[1])
        when = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        return f"<url><loc>{self.location(row)}</loc>{when}{self.extensions(row)}</url>\n"


class PostSection(Section):
    """Published posts, oldest first, each with its lead image (Google's image extension: a
    separate image sitemap would name every post's address a second time)."""

    path = "/sitemap.xml"
    namespaces = {"image": IMAGE_NS}

    def __init__(self, blog, base):
        super().__init__(blog, base)
        self.storage = Image._meta.get_field("file").storage

    def rows(self):
        return (
            Post.objects.for_blog(self.blog)
            .published()
            .order_by("published_at", "pk")
            .annotate(changed=as_text("updated_at"))
            .values_list("path", "changed", "lead_image__file", "lead_image__remote_url")
        )

    def extensions(self, row):
        _path, _updated, file, remote = row
        image = self.storage.url(file) if file else remote
        if not image:
            return ""
        if image.startswith("/"):
            image = self.base + image
        return f"<image:image><image:loc>{text(image)}</image:loc></image:image>"


class PageSection(Section):
    path = "/sitemap-pages.xml"

    def rows(self):
        return (
            Page.objects.for_blog(self.blog)
            .published()
            .order_by("pk")
            .annotate(changed=as_text("updated_at"))
            .values_list("path", "changed")
        )


class LabelSection(Section):
    """Label pages with at least one published post; a label changes with its posts."""

    path = "/sitemap-labels.xml"

    def rows(self):
        return (
            Label.objects.filter(
                blog=self.blog,
                posts__status=Status.PUBLISHED,
                posts__published_at__lte=timezone.now(),
            )
            .annotate(changed=as_text(Max("posts__updated_at")))
            .order_by("pk")
            .values_list("name", "changed")
        )

    def location(self, row):
        return address(self.base, Label(name=row[0]).get_absolute_url())


SECTIONS = (PostSection, PageSection, LabelSection)


def index(blog, base):
    """The sitemap index, in pieces: every file of every section, with its last change.
    The posts' first file is named even for an empty blog, so the index is never empty."""
    yield f'{XML_HEAD}<sitemapindex xmlns="{SITEMAP_NS}">\n'
    for section_class in SECTIONS:
        section = section_class(blog, base)
        lastmods = section.page_lastmods()
        if not lastmods and section_class is PostSection:
            lastmods = [""]
        for number, lastmod in enumerate(lastmods, start=1):
            when = f"<lastmod>{w3c_text(lastmod)}</lastmod>" if lastmod else ""
            yield f"<sitemap><loc>{text(section.url(number))}</loc>{when}</sitemap>\n"
    yield "</sitemapindex>\n"


class NewsSection(Section):
    """Google News: posts published in the last 48 hours, newest first, at most 1,000 (the
    limit Google reads). Its own file, named in robots.txt, not in the index: those posts are
    already in the posts' sitemaps."""

    path = "/sitemap-news.xml"
    size = 1000
    window = datetime.timedelta(hours=48)
    namespaces = {"news": NEWS_NS}

    def rows(self):
        since = timezone.now() - self.window
        return (
            Post.objects.for_blog(self.blog)
            .published()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-pk")
            .values_list("path", "title", "published_at", "language")
        )

    def entry(self, row):
        path, title, published_at, language = row
        return (
            f"<url><loc>{address(self.base, path)}</loc>"
            "<news:news><news:publication>"
            f"<news:name>{text(self.blog.title)}</news:name>"
            f"<news:language>{text(language or self.blog.language)}</news:language>"
            "</news:publication>"
            f"<news:publication_date>{w3c(published_at)}</news:publication_date>"
            f"<news:title>{text(title)}</news:title>"
            "</news:news></url>\n"
        )
