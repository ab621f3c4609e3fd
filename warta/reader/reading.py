"""Reading on: what a reader may open next. Blog-wide (the archive by month, the labels, the
blog's pages and the owner's menu for the header) and around one post (the previous and next post, related posts
by shared labels).

None of it is read on a page-cache miss as a rule: an article costs its three queries (see
tests/test_query_budget.py). The blog-wide part is kept in the Django cache, shared by every
worker, under the blog's page-cache token (``request.page_token``), which every write a
reader could see replaces and which is renewed every few minutes anyway (posts whose time
comes without a write). The part around a post changes only when posts do, not with every
comment: it is kept under the post and the blog's *posts version* (how many are published
and the latest change among them), which the blog-wide part carries. Each worker also
keeps what it read, bounded, as it keeps the shared comment thread.
"""

import datetime
import pickle
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.template import engines
from django.utils import timezone, translation
from markupsafe import Markup

from warta.core.memory import BoundedMemory
from warta.pagecache.worker import token_for
from warta.posts.models import Label, Page, Post, Redirect, Status
from warta.posts.reads import around

BLOG_TIMEOUT = 600
POST_TIMEOUT = 24 * 3600
LABELS_SHOWN = 40  # the most used ones, in name order: a list a phone can scroll
RELATED_SHOWN = 4


@dataclass
class Month:
    start: datetime.datetime  # the first instant of the month, in the blog's time zone
    count: int

    @property
    def url(self):
        return f"/{self.start.year}/{self.start.month:02d}/"


@dataclass
class Year:
    year: int
    count: int = 0
    months: list = field(default_factory=list)

    @property
    def url(self):
        return f"/{self.year}/"


@dataclass
class BlogReading:
    years: list  # newest first, each with its months newest first
    labels: list  # (name, url, count) in name order
    pages: list  # (title, path) in the order they were written
    menu: list  # (title, path) of the header: the owner's menu (Blog.menu), else the pages
    languages: list  # the languages posts are written in, the blog's own first
    version: tuple  # published posts' count and latest change: see PostReading
    # Whether a redirect starts from an address with a query (WordPress's ``/?p=123``), which
    # only then the home page looks up for a request with parameters of its own.
    query_redirects: bool = False
    # The aside's HTML per language, rendered once by each worker that keeps this reading
    # (``aside_html``): a blog of ten years has some 120 months to write out on every page.
    rendered: dict = field(default_factory=dict, compare=False, repr=False)

    def has_posts_in(self, year, month=None):
        for entry in self.years:
            if entry.year == year:
                return month is None or any(m.start.month == month for m in entry.months)
        return False

    @property
    def is_bilingual(self):
        return len(self.languages) > 1


@dataclass
class Link:
    title: str
    path: str
    published_at: datetime.datetime


@dataclass
class PostReading:
    previous: Link | None  # the post published just before
    next: Link | None  # the post published just after
    related: list  # posts sharing the most labels with it, newest first among equals


def blog_reading(request) -> BlogReading:
    """The blog-wide reading for a reader's page (a template global: see apps.py)."""
    return reading_for(request.blog, getattr(request, "page_token", None))


def aside_html(reading) -> Markup:
    """The archive and label widgets (``reader/_reading_on.html``) for ``reading``, in the
    active language: rendered on the first page that shows them, then kept with it."""
    if reading is None:
        return Markup("")
    language = translation.get_language()
    html = reading.rendered.get(language)
    if html is None:
        template = engines["jinja2"].get_template("reader/_reading_on.html")
        html = reading.rendered[language] = Markup(template.render({"reading": reading}))
    return html


def reading_for(blog, token=None) -> BlogReading:
    token = token or token_for(blog) or f"generation-{blog.generation}"
    return kept(f"reading:blog:3:{blog.pk}:{token}", BLOG_TIMEOUT, lambda: read_blog(blog))


# What this worker read from the cache, kept under the same keys so a miss does not unpickle
# it again. A key never comes back with other content (a new token or posts version makes a
# new key), so nothing needs invalidating: entries past the bound go, oldest first.
worker_memory = BoundedMemory(4 * 1024 * 1024, size_of=lambda entry: entry[0])


def kept(key, timeout, read):
    entry = worker_memory.get(key)
    if entry is not None:
        return entry[1]
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, timeout)  # before any rendering: stored with none
    worker_memory.put(key, (len(pickle.dumps(value)), value))
    return value


def read_blog(blog) -> BlogReading:
    published = Post.objects.for_blog(blog).published()
    by_month = (
        published.annotate(month=TruncMonth("published_at", tzinfo=blog.tzinfo))
        .values_list("month", "language")
        .annotate(count=Count("pk"), latest=Max("updated_at"))
        .order_by()
    )
    months, languages, total, latest = {}, {blog.language}, 0, None
    for month, language, count, updated in by_month:
        month = month.astimezone(blog.tzinfo)
        months[month] = months.get(month, 0) + count
        languages.add(language or blog.language)
        total += count
        latest = updated if latest is None or updated > latest else latest
    years = {}
    for month in sorted(months, reverse=True):
        year = years.setdefault(month.year, Year(month.year))
        year.count += months[month]
        year.months.append(Month(month, months[month]))
    labels = (
        Label.objects.filter(
            blog=blog, posts__status=Status.PUBLISHED, posts__published_at__lte=timezone.now()
        )
        .annotate(count=Count("posts"))
        .order_by("-count", "name")
        .values_list("name", "count")[:LABELS_SHOWN]
    )
    pages = list(
        Page.objects.for_blog(blog).published().order_by("pk").values_list("pk", "title", "path")
    )
    return BlogReading(
        years=list(years.values()),
        labels=sorted(
            ((name, Label(name=name).get_absolute_url(), count) for name, count in labels),
            key=lambda label: label[0].casefold(),
        ),
        pages=[(title, path) for _pk, title, path in pages],
        menu=read_menu(blog, pages),
        languages=sorted(languages, key=lambda code: code != blog.language),
        version=(total, latest.timestamp() if latest else 0),
        query_redirects=Redirect.objects.filter(blog=blog, old_path__startswith="/?").exists(),
    )


def read_menu(blog, pages) -> list:
    """The owner's menu as (title, path), in their order: pages that are published (``pages``
    as read, with their keys) and labels that still exist; the pages alone when none is set."""
    entries = [entry for entry in blog.menu or () if isinstance(entry, dict)]
    if not entries:
        return [(title, path) for _pk, title, path in pages]
    by_page = {pk: (title, path) for pk, title, path in pages}
    wanted_labels = [entry["label"] for entry in entries if isinstance(entry.get("label"), int)]
    by_label = {}
    if wanted_labels:
        for label in Label.objects.filter(blog=blog, pk__in=wanted_labels).only("pk", "name"):
            by_label[label.pk] = (label.name, label.get_absolute_url())
    menu = []
    for entry in entries:
        found = by_page.get(entry.get("page")) or by_label.get(entry.get("label"))
        if found:
            menu.append(found)
    return menu


def post_reading(post, reading: BlogReading) -> PostReading:
    if post.status != Status.PUBLISHED:  # the desk's preview of a draft: not worth keeping
        return read_around(post)
    key = (
        f"reading:post:{post.blog_id}:{post.pk}:{post.updated_at.timestamp()}:"
        f"{reading.version[0]}:{reading.version[1]}"
    )
    return kept(key, POST_TIMEOUT, lambda: read_around(post))


def read_around(post) -> PostReading:
    labels = [label.pk for label in getattr(post, "reader_labels", None) or post.labels.all()]
    previous, following, related = around(post, labels, related=RELATED_SHOWN)
    return PostReading(
        previous=link_to(previous) if previous else None,
        next=link_to(following) if following else None,
        related=[link_to(entry) for entry in related],
    )


def link_to(post) -> Link:
    return Link(post.title, post.path, post.published_at)
