"""The reader's reads of posts, in hand-written SQL (see ``warta/core/sql.py``): the article
page's post, and the lists and feeds (``PublishedPosts``).

The article: same result as ``Post.objects.for_blog(blog).filter(status=PUBLISHED).for_reader()
.get(path=path)`` (author and lead image joined, labels as a JSON list in the same row),
in one query and a tenth of the time: this runs on every article a reader opens that the
page cache does not hold."""

import json
from functools import cache

from django.contrib.auth import get_user_model
from django.utils import timezone

from warta.core.sql import ModelColumns, database, fetch, per_vendor

from .models import Image, Label, Post, Status


@cache
def _columns():
    # The Markdown source is not shown; it stays deferred.
    shown = {field.name for field in Post._meta.concrete_fields} - {"body"}
    return (
        ModelColumns(Post, "p", shown),
        ModelColumns(get_user_model(), "u"),
        ModelColumns(Image, "i"),
    )


@per_vendor
def _article_sql(db):
    post, author, image = _columns()
    return (
        f"SELECT {post.sql(db)}, {author.sql(db)}, {image.sql(db)}, {_labels_column(db)}"
        f" FROM {post.table(db)}"
        f" LEFT JOIN {author.table(db)} ON u.id = p.author_id"
        f" LEFT JOIN {image.table(db)} ON i.id = p.lead_image_id"
        # By path alone (the post_blog_path index): a date condition would make SQLite
        # pick the timeline index and scan it. The caller checks the date.
        " WHERE p.blog_id = %s AND p.path = %s AND p.status = %s"
    )


def _labels_column(db):
    """The post's labels as a JSON list of ``[id, name]``, in name order on PostgreSQL (its
    collation, as the ORM's ``ordering``); SQLite's aggregates have no order, so they are
    sorted in Python, which compares as SQLite's BINARY collation does."""
    label = db.ops.quote_name(Label._meta.db_table)
    through = db.ops.quote_name(Post.labels.through._meta.db_table)
    joined = f"FROM {label} l JOIN {through} pl ON pl.label_id = l.id WHERE pl.post_id = p.id"
    if db.vendor == "postgresql":
        return f"(SELECT json_agg(json_build_array(l.id, l.name) ORDER BY l.name) {joined})"
    return f"(SELECT json_group_array(json_array(l.id, l.name)) {joined})"


_label_columns = ModelColumns(Label, "l", {"id", "blog", "name"})


def _labels(db, value, blog_id):
    if isinstance(value, str):
        value = json.loads(value)
    pairs = value or []
    if db.vendor != "postgresql":
        pairs.sort(key=lambda pair: pair[1])
    return [_label_columns.instance(db, (pk, blog_id, name)) for pk, name in pairs]


def published_article(blog, path):
    """The post published (or due) at ``path`` on ``blog``, ready for the article page:
    author and lead image attached, labels in ``post.reader_labels``; None if there is none."""
    db = database()
    rows = fetch(db, _article_sql(db), [blog.pk, path, Status.PUBLISHED])
    if not rows:
        return None
    post_columns, author_columns, image_columns = _columns()
    row = rows[0]
    post = post_columns.instance(db, row)
    author = author_columns.instance(db, row, len(post_columns))
    image_at = len(post_columns) + len(author_columns)
    image = image_columns.instance(db, row, image_at)
    Post.blog.field.set_cached_value(post, blog)
    Post.author.field.set_cached_value(post, author)
    Post.lead_image.field.set_cached_value(post, image)
    post.reader_labels = _labels(db, row[image_at + len(image_columns)], post.blog_id)
    return post


@per_vendor
def _label_sql(db):
    return (
        f"SELECT {_label_columns.sql(db)} FROM {_label_columns.table(db)}"
        " WHERE l.blog_id = %s AND l.name = %s"
    )


def label_named(blog, name):
    """``Label.objects.get(blog=blog, name=name)``, or None: the label page's first read."""
    db = database()
    rows = fetch(db, _label_sql(db), [blog.pk, name])
    return _label_columns.instance(db, rows[0]) if rows else None


# ------------------------------------------------------------------ around a post

_link_columns = ModelColumns(Post, "p", {"title", "path", "published_at"})


@per_vendor
def _around_sql(db, label_count):
    shown = _link_columns.sql(db)
    outer = ", ".join(f"x.{db.ops.quote_name(f.column)}" for f in _link_columns.fields)
    published = (
        f"FROM {_link_columns.table(db)}{{join}} WHERE p.blog_id = %s AND p.status = %s"
        " AND p.published_at <= %s AND NOT (p.id = %s)"
    )
    parts = [
        f"SELECT 0, {outer} FROM (SELECT {shown} {published.format(join='')}"
        " AND p.published_at <= %s AND (p.published_at < %s OR p.id < %s)"
        " ORDER BY p.published_at DESC, p.id DESC LIMIT 1) x",
        f"SELECT 1, {outer} FROM (SELECT {shown} {published.format(join='')}"
        " AND p.published_at >= %s AND (p.published_at > %s OR p.id > %s)"
        " ORDER BY p.published_at ASC, p.id ASC LIMIT 1) x",
    ]
    if label_count:
        through = db.ops.quote_name(Post.labels.through._meta.db_table)
        join = f" JOIN {through} pl ON pl.post_id = p.id"
        parts.append(
            f"SELECT 2, {outer} FROM (SELECT {shown}, COUNT(*) AS shared"
            f" {published.format(join=join)}"
            f" AND pl.label_id IN ({', '.join(['%s'] * label_count)})"
            f" GROUP BY {shown} ORDER BY shared DESC, p.published_at DESC, p.id DESC"
            " LIMIT %s) x"
        )
    return " UNION ALL ".join(parts)


def around(post, label_ids, *, related=4, now=None):
    """``(previous, next, related)`` of a published post, in one query: the post published
    just before it and just after it (None at either end; posts of the same moment in key
    order) and up to ``related`` posts sharing the most of ``label_ids``, newest first among
    equals. Each is a ``Post`` with only its title, path and publication date.

    The reference, as ``reader.reading`` read it through the ORM: ``others =
    Post.objects.for_blog(blog).published().exclude(pk=post.pk)``; previous:
    ``others.filter(published_at__lte=when).filter(Q(published_at__lt=when) |
    Q(pk__lt=pk)).order_by("-published_at", "-pk").first()``, next the mirror of it, related
    ``others.filter(labels__in=label_ids).annotate(shared=Count("pk"))
    .order_by("-shared", "-published_at", "-pk")[:related]`` (``test_reads.py``)."""
    db = database()
    moment = db.ops.adapt_datetimefield_value
    label_ids = list(label_ids)
    now = now or timezone.now()
    published = [post.blog_id, Status.PUBLISHED, moment(now), post.pk]
    when = moment(post.published_at or now)  # a draft in the desk's preview: from now
    params = [*published, when, when, post.pk, *published, when, when, post.pk]
    if label_ids:
        params += [*published, *label_ids, related]
    found = ([], [], [])
    for row in fetch(db, _around_sql(db, len(label_ids)), params):
        found[row[0]].append(_link_columns.instance(db, row, 1))
    previous, following, shared = found
    return (previous[0] if previous else None), (following[0] if following else None), shared


# ------------------------------------------------------------------ lists and feeds

# Where a list may be bounded, and how (Blogger's ``updated-max`` and the feeds' bounds).
BOUND_FIELDS = ("published_at", "updated_at")
BOUND_LOOKUPS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
ORDER_FIELDS = {"published_at", "updated_at", "is_sticky", "pk"}


@cache
def _list_columns(with_body, with_author):
    # A list never shows the Markdown source; a summary list not the body either.
    hidden = {"body"} if with_body else {"body", "body_html"}
    shown = {field.name for field in Post._meta.concrete_fields} - hidden
    return (
        ModelColumns(Post, "p", shown),
        ModelColumns(Image, "i"),
        ModelColumns(get_user_model(), "u") if with_author else None,
    )


def _order_sql(order):
    terms = []
    for term in order:
        name = term.lstrip("-")
        if name not in ORDER_FIELDS:
            raise ValueError(f"a list cannot be ordered by {term!r}")
        column = "id" if name == "pk" else name
        terms.append(f"p.{column} {'DESC' if term.startswith('-') else 'ASC'}")
    return ", ".join(terms)


class PublishedPosts:
    """A blog's published posts as a list or a feed shows them, one page read in one
    hand-written query: lead image joined, and on request the author and the labels (as a
    JSON list in the row, in ``post.reader_labels``).

    ``queryset()`` is the reference: ``test_reads.py`` holds every shape of read equal to it
    field by field. Through the ORM a home page's list was compiled again on each request,
    a third of an uncached home page."""

    def __init__(
        self,
        blog,
        *,
        label=None,
        bounds=(),
        order=("-published_at", "-pk"),
        with_body=False,
        with_author=False,
        with_labels=False,
    ):
        for field, lookup, _ in bounds:
            if field not in BOUND_FIELDS or lookup not in BOUND_LOOKUPS:
                raise ValueError(f"a list cannot be bounded by {field}__{lookup}")
        _order_sql(order)
        self.blog = blog
        self.label = label
        self.bounds = tuple(bounds)
        self.order = tuple(order)
        self.with_body = with_body
        self.with_author = with_author
        self.with_labels = with_labels

    def where(self, field, lookup, moment):
        """These posts, also bounded by ``field`` ``lookup`` ``moment``."""
        return self._copy(bounds=(*self.bounds, (field, lookup, moment)))

    def ordered(self, *order):
        return self._copy(order=order)

    def _copy(self, **changes):
        attributes = {
            "label": self.label,
            "bounds": self.bounds,
            "order": self.order,
            "with_body": self.with_body,
            "with_author": self.with_author,
            "with_labels": self.with_labels,
            **changes,
        }
        return PublishedPosts(self.blog, **attributes)

    def queryset(self, now=None):
        """The same posts through the ORM (labels aside: ``post.labels.all()``)."""
        posts = Post.objects.for_blog(self.blog).filter(
            status=Status.PUBLISHED, published_at__lte=now or timezone.now()
        )
        if self.label is not None:
            posts = posts.filter(labels=self.label)
        for field, lookup, moment in self.bounds:
            posts = posts.filter(**{f"{field}__{lookup}": moment})
        related = ["lead_image", *(["author"] if self.with_author else [])]
        return posts.select_related(*related).order_by(*self.order)

    def _sql(self, db):
        return _list_sql(
            db,
            self.label is not None,
            tuple((field, lookup) for field, lookup, _ in self.bounds),
            self.order,
            self.with_body,
            self.with_author,
            self.with_labels,
        )

    def page(self, start, count, now=None):
        """``count`` posts from the ``start``-th (0 is the first) in this order."""
        if count <= 0:
            return []
        db = database()
        moment = db.ops.adapt_datetimefield_value
        params = [self.blog.pk, Status.PUBLISHED, moment(now or timezone.now())]
        if self.label is not None:
            params.append(self.label.pk)
        params += [moment(value) for _, _, value in self.bounds]
        params += [count, start]
        post_columns, image_columns, author_columns = _list_columns(
            self.with_body, self.with_author
        )
        image_at = len(post_columns)
        author_at = image_at + len(image_columns)
        labels_at = author_at + (len(author_columns) if author_columns else 0)
        posts = []
        for row in fetch(db, self._sql(db), params):
            post = post_columns.instance(db, row)
            Post.blog.field.set_cached_value(post, self.blog)
            Post.lead_image.field.set_cached_value(post, image_columns.instance(db, row, image_at))
            if author_columns is not None:
                author = author_columns.instance(db, row, author_at)
                Post.author.field.set_cached_value(post, author)
            if self.with_labels:
                post.reader_labels = _labels(db, row[labels_at], post.blog_id)
            posts.append(post)
        return posts

    def __getitem__(self, window):
        """``posts[start:stop]``, as a QuerySet is sliced."""
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("published posts are read a slice at a time")
        start = window.start or 0
        return self.page(start, window.stop - start)


@per_vendor
def _list_sql(db, labelled, bounds, order, with_body, with_author, with_labels):
    post, image, author = _list_columns(with_body, with_author)
    selected = [post.sql(db), image.sql(db)]
    joins = [f" LEFT JOIN {image.table(db)} ON i.id = p.lead_image_id"]
    if author is not None:
        selected.append(author.sql(db))
        joins.append(f" LEFT JOIN {author.table(db)} ON u.id = p.author_id")
    if with_labels:
        selected.append(_labels_column(db))
    where = ["p.blog_id = %s", "p.status = %s", "p.published_at <= %s"]
    if labelled:
        through = db.ops.quote_name(Post.labels.through._meta.db_table)
        joins.insert(0, f" JOIN {through} pl ON pl.post_id = p.id")
        where.append("pl.label_id = %s")
    where += [f"p.{field} {BOUND_LOOKUPS[lookup]} %s" for field, lookup in bounds]
    return (
        f"SELECT {', '.join(selected)} FROM {post.table(db)}{''.join(joins)}"
        f" WHERE {' AND '.join(where)} ORDER BY {_order_sql(order)} LIMIT %s OFFSET %s"
    )
