"""Keeping ``Document`` rows equal to the published posts and pages.

Every save of a post or a page re-indexes it (``signal_handlers``); deleting one drops its
document in the database itself (triggers, ``sql.py``). Bulk writes send no signals
(``bulk_create`` in imports, ``COPY`` in ``warta generate``), so a search first catches its
blog up (``catch_up``): once per generation of the blog it counts the published entries
and the documents, and when they differ indexes the entries that have no document and
drops the documents of entries no longer published. ``warta search_index`` does the same
for every blog at once; a change of the blog's language drops the documents stemmed in
the old one (``signal_handlers``), and searches index them again."""

import html
import re

from django.db import connection
from django.db.models import Q

from warta.posts.models import Page, Post, Status

from .models import Document
from .sql import unindexed_count
from .stemmer import stems

TAG = re.compile(r"<[^>]*>")
BATCH = 500
# A search indexes at most this many missing entries before answering (about a second):
# a big import is caught up over a few searches, or at once by ``warta search_index``.
CATCH_UP_LIMIT = 2000


def plain_text(body_html):
    """The words of sanitised HTML, entities decoded, tags as spaces."""
    return html.unescape(TAG.sub(" ", body_html))


def entry_text(entry):
    text = plain_text(entry.body_html)
    excerpt = getattr(entry, "excerpt", "")
    return f"{excerpt}\n{text}" if excerpt else text


def language_of(entry, blog_language):
    return getattr(entry, "language", "") or blog_language


def document_for(entry, blog_language):
    language = language_of(entry, blog_language)
    fields = {
        "blog_id": entry.blog_id,
        "language": language,
        "published_at": entry.published_at,
        "title": stems(entry.title, language),
        "body": stems(entry_text(entry), language),
    }
    key = "post_id" if isinstance(entry, Post) else "page_id"
    return key, fields


def is_searchable(entry):
    return entry.status == Status.PUBLISHED and entry.published_at is not None


def index_entry(entry, blog_language=None):
    """Index one post or page as it is now (or drop it when it is not published)."""
    key = "post_id" if isinstance(entry, Post) else "page_id"
    if not is_searchable(entry):
        Document.objects.filter(**{key: entry.pk}).delete()
        return
    if blog_language is None:
        blog_language = entry.blog.language
    key, fields = document_for(entry, blog_language)
    Document.objects.update_or_create(**{key: entry.pk}, defaults=fields)


ENTRY_FIELDS = ("pk", "blog_id", "title", "body_html", "status", "published_at")


def _missing(model, blog, key):
    indexed = Document.objects.filter(blog_id=blog.pk, **{f"{key}__isnull": False}).values(key)
    entries = model.objects.filter(blog=blog, status=Status.PUBLISHED, published_at__isnull=False)
    fields = ENTRY_FIELDS + (("excerpt", "language") if model is Post else ())
    return entries.exclude(pk__in=indexed).only(*fields).order_by("-published_at")


def _drop_stale(blog):
    """Documents of entries no longer published (changed by ``QuerySet.update``)."""
    not_public = ~Q(status=Status.PUBLISHED) | Q(published_at__isnull=True)
    posts_gone = Post.objects.filter(blog=blog).filter(not_public).values("pk")
    pages_gone = Page.objects.filter(blog=blog).filter(not_public).values("pk")
    Document.objects.filter(blog_id=blog.pk).filter(
        Q(post_id__in=posts_gone) | Q(page_id__in=pages_gone)
    ).delete()


def drop_other_languages(blog):
    """After a change of the blog's language: the documents stemmed in the old one go (the
    next searches index them again). Posts with a language of their own keep theirs."""
    own_language = Post.objects.filter(blog=blog).exclude(language="").values("pk")
    Document.objects.filter(blog_id=blog.pk).exclude(language=blog.language).exclude(
        post_id__in=own_language
    ).delete()


def is_complete(blog):
    """As many documents as published entries (one query: ``sql.unindexed_count``)."""
    return unindexed_count(connection, blog.pk) == 0


def index_missing(blog, limit=None):
    """Index the blog's published entries that have no document, newest first, at most
    ``limit`` of them; True when some were left for later."""
    _drop_stale(blog)
    left = limit
    for model, key in ((Post, "post_id"), (Page, "page_id")):
        entries = _missing(model, blog, key)
        if left is not None:
            entries = list(entries[: left + 1])  # the extra one says more are waiting
            if len(entries) > left:
                _write(entries[:left], blog)
                return True
            left -= len(entries)
        else:
            entries = entries.iterator(chunk_size=BATCH)
        _write(entries, blog)
    return False


def _write(entries, blog):
    documents = []
    for entry in entries:
        entry.blog = blog
        key, fields = document_for(entry, blog.language)
        documents.append(Document(**{key: entry.pk}, **fields))
        if len(documents) == BATCH:
            Document.objects.bulk_create(documents, ignore_conflicts=True)
            documents = []
    Document.objects.bulk_create(documents, ignore_conflicts=True)


def generation_key(blog):
    """The blog as it is now: its generation, and its creation time, which tells apart a
    new blog that got a deleted one's id (tests roll back and reuse ids)."""
    return (blog.pk, blog.generation, blog.created_at)


# blog id -> the generation_key its index was last found complete under, per worker.
checked = {}


def catch_up(blog):
    """Index what bulk writes left out, once per generation of the blog and worker (one
    query when nothing is missing). True when the blog is caught up."""
    key = generation_key(blog)
    if checked.get(blog.pk) == key:
        return True
    if not is_complete(blog) and index_missing(blog, limit=CATCH_UP_LIMIT):
        return False
    checked[blog.pk] = key
    return True


def reindex_blog(blog):
    """Every document of the blog made again (after a change of stemmer, say)."""
    Document.objects.filter(blog_id=blog.pk).delete()
    index_missing(blog)
