"""A reader's search of one blog: its published posts and pages, ranked (bm25 on SQLite,
ts_rank on PostgreSQL), one page of them with highlighted snippets."""

import time
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from warta.core.memory import BoundedMemory
from warta.posts.models import Page, Post

from .index import catch_up, entry_text, generation_key
from .snippets import Marker
from .sql import published_entries, ranked
from .stemmer import query_terms

# A search lists at most the best this-many matches (100 pages of 10).
MAX_RESULTS = 1000
# The ranked ids of a search are kept by each worker under the blog's generation, which
# every write a reader could see replaces; the time limit lets a post published by the
# clock (no write) show up within minutes. In the worker, not the shared cache: a random
# query's results fill no one else's memory and cost no round trip.
RESULTS_TTL = 300
kept_results = BoundedMemory(8 * 1024 * 1024, size_of=lambda kept: 64 + 8 * len(kept[1]))


@dataclass
class Hit:
    entry: Post | Page
    title: str  # Markup: escaped, the matches marked
    snippet: str  # Markup

    @property
    def is_page(self):
        return isinstance(self.entry, Page)


class Results:
    """One page of results, read as ``per_page + 1`` rows: the extra row says whether a
    next page exists, as the lists do (no count of every match)."""

    def __init__(self, hits, *, number, per_page, terms, has_next=False):
        self.hits = hits
        self.terms = terms
        self.number = number
        self.has_next = has_next
        self.has_previous = number > 1
        self.next_page_number = number + 1
        self.previous_page_number = number - 1

    def has_other_pages(self):
        return self.has_next or self.has_previous


def search(blog, query, *, number=1, per_page=10, now=None):
    """Page ``number`` of the blog's entries that have every word of ``query`` (each
    stemmed in the blog's language) in their title or text, best first."""
    terms = query_terms(query, blog.language)
    if not terms:
        return Results([], number=number, per_page=per_page, terms=terms)
    start = (number - 1) * per_page
    rows = ranked_rows(blog, terms, now)[start : start + per_page + 1]
    post_ids = [row for row in rows[:per_page] if row > 0]
    page_ids = [-row for row in rows[:per_page] if row < 0]
    # The documents say who is published; the entries are read through the same rules as
    # every list, so a document left stale by a bulk update never shows a hidden post.
    posts, pages = published_entries(connection, blog.pk, post_ids, page_ids, now or timezone.now())
    hits, markers = [], {}
    for row in rows[:per_page]:
        entry = posts.get(row) if row > 0 else pages.get(-row)
        if entry is None:
            continue
        language = getattr(entry, "language", "") or blog.language
        marker = markers.get(language) or markers.setdefault(language, Marker(terms, language))
        hits.append(
            Hit(
                entry=entry,
                title=marker.highlight(entry.title),
                snippet=marker.snippet(entry_text(entry)),
            )
        )
    has_next = len(rows) > per_page
    return Results(hits, number=number, per_page=per_page, terms=terms, has_next=has_next)


def ranked_rows(blog, terms, now=None):
    """The best ``MAX_RESULTS`` matches, best first: a post as its id, a page as minus its
    id. Ranked once per generation of the blog (and at most ``RESULTS_TTL`` seconds)."""
    key = (generation_key(blog), tuple(terms))
    kept = kept_results.get(key) if now is None else None
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    complete = catch_up(blog)
    rows = ranked(connection, blog.pk, terms, now or timezone.now(), limit=MAX_RESULTS, offset=0)
    rows = tuple(post_id if post_id is not None else -page_id for post_id, page_id in rows)
    if now is None and complete:
        if kept is not None:
            kept_results.entries.pop(key, None)
        kept_results.put(key, (time.monotonic() + RESULTS_TTL, rows))
    return rows


def matching_ids(blog, query):
    """The ids of the posts matching ``query``, best first (for scripts and tests)."""
    terms = query_terms(query, blog.language)
    return [row for row in ranked_rows(blog, terms) if row > 0] if terms else []
