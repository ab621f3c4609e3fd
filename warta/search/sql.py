"""Search's SQL: the database objects that keep the full-text index of ``search_document``
current (SQLite FTS5 or a weighted PostgreSQL tsvector, both filled by triggers from the
stems Python wrote), the triggers that drop a post's or a page's document with it wherever
it is deleted from, and the one ranked read of a search.

Both databases are given the same stems as plain words, tokenised the same way (letters
and digits only), so they hold the same terms; ranking is bm25 on FTS5 and ts_rank on
PostgreSQL, the title weighted above the text on both."""

import functools

from warta.core.sql import ModelColumns, fetch

# FTS5 reads the stems: no diacritics left to fold, no stemming of its own. ``scope`` holds
# one term per document, ``b<blog id>``, so a search of one blog reads only its postings.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "scope, title, body, tokenize = 'unicode61 remove_diacritics 0')"
)
_FTS_INSERT = (
    "INSERT INTO search_fts (rowid, scope, title, body)"
    " VALUES (new.id, 'b' || new.blog_id, new.title, new.body);"
)
SQLITE_TRIGGERS = {
    "search_document_ai": f"AFTER INSERT ON search_document BEGIN {_FTS_INSERT} END",
    "search_document_ad": "AFTER DELETE ON search_document BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.id; END",
    "search_document_au": "AFTER UPDATE OF blog_id, title, body ON search_document BEGIN "
    f"DELETE FROM search_fts WHERE rowid = old.id; {_FTS_INSERT} END",
    # Dropped by Django whenever it rebuilds posts_post or posts_page: see ensure_sqlite_index.
    "search_post_gone": "AFTER DELETE ON posts_post BEGIN "
    "DELETE FROM search_document WHERE post_id = old.id; END",
    "search_page_gone": "AFTER DELETE ON posts_page BEGIN "
    "DELETE FROM search_document WHERE page_id = old.id; END",
}

POSTGRESQL = [
    "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS terms tsvector",
    "CREATE OR REPLACE FUNCTION search_document_terms() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN NEW.terms := setweight(to_tsvector('simple', NEW.title), 'A')"
    " || setweight(to_tsvector('simple', NEW.body), 'B'); RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS search_document_terms ON search_document",
    "CREATE TRIGGER search_document_terms BEFORE INSERT OR UPDATE OF title, body"
    " ON search_document FOR EACH ROW EXECUTE FUNCTION search_document_terms()",
    "CREATE INDEX IF NOT EXISTS search_document_terms ON search_document USING GIN (terms)",
    "CREATE OR REPLACE FUNCTION search_post_gone() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN DELETE FROM search_document WHERE post_id = OLD.id; RETURN OLD; END $$",
    "DROP TRIGGER IF EXISTS search_post_gone ON posts_post",
    "CREATE TRIGGER search_post_gone AFTER DELETE ON posts_post"
    " FOR EACH ROW EXECUTE FUNCTION search_post_gone()",
    "CREATE OR REPLACE FUNCTION search_page_gone() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN DELETE FROM search_document WHERE page_id = OLD.id; RETURN OLD; END $$",
    "DROP TRIGGER IF EXISTS search_page_gone ON posts_page",
    "CREATE TRIGGER search_page_gone AFTER DELETE ON posts_page"
    " FOR EACH ROW EXECUTE FUNCTION search_page_gone()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS search_post_gone ON posts_post",
    "DROP TRIGGER IF EXISTS search_page_gone ON posts_page",
    "DROP FUNCTION IF EXISTS search_post_gone()",
    "DROP FUNCTION IF EXISTS search_page_gone()",
    "DROP TRIGGER IF EXISTS search_document_terms ON search_document",
    "DROP FUNCTION IF EXISTS search_document_terms()",
]

# What search 0001-0003 kept on posts_post, replaced by search_document.
OLD_SQLITE = [
    "DROP TRIGGER IF EXISTS search_post_ai",
    "DROP TRIGGER IF EXISTS search_post_ad",
    "DROP TRIGGER IF EXISTS search_post_au",
    "DROP TABLE IF EXISTS search_post_fts",
    "DROP INDEX IF EXISTS search_post_order",
]
OLD_POSTGRESQL = [
    "DROP TRIGGER IF EXISTS search_post_document ON posts_post",
    "DROP FUNCTION IF EXISTS search_post_document()",
    "DROP INDEX IF EXISTS search_post_document",
    "ALTER TABLE posts_post DROP COLUMN IF EXISTS search_document",
]


def ensure_sqlite_index(connection):
    """Create the FTS5 table and the triggers that are missing, and fill the FTS5 table
    again when its own triggers were missing. SQLite drops a table's triggers with the
    table, and Django rebuilds a table for many schema changes. True when any was missing."""
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_FTS)
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name IN ('search_document', 'posts_post', 'posts_page')"
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = SQLITE_TRIGGERS.keys() - present
        for name in sorted(missing):
            cursor.execute(f"CREATE TRIGGER {name} {SQLITE_TRIGGERS[name]}")
        if missing & {"search_post_gone", "search_page_gone"}:
            # Posts or pages deleted meanwhile left their documents behind.
            cursor.execute(
                "DELETE FROM search_document WHERE (post_id IS NOT NULL AND post_id NOT IN"
                " (SELECT id FROM posts_post)) OR (page_id IS NOT NULL AND page_id NOT IN"
                " (SELECT id FROM posts_page))"
            )
        if missing & {"search_document_ai", "search_document_ad", "search_document_au"}:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute(
                "INSERT INTO search_fts (rowid, scope, title, body)"
                " SELECT id, 'b' || blog_id, title, body FROM search_document"
            )
        return bool(missing)


def sqlite_match(blog_id, terms):
    """An FTS5 query: the blog's scope and every term in the title or the text. Terms are
    letters and digits only (``stemmer.query_terms``); quoted all the same."""
    words = " AND ".join(f'"{term}"' for term in terms)
    return f'scope : "b{int(blog_id)}" AND {{title body}} : ({words})'


def postgresql_tsquery(terms):
    return " & ".join(f"'{term}'" for term in terms)


# Title matches weigh ten times a match in the text on both: bm25's column weights, and
# ts_rank's weights for D, C, B (text), A (title). ts_rank's normalisation 1 divides by the
# log of the document's length, as bm25 scales by it.
SQLITE_RANKED = (
    "SELECT d.post_id, d.page_id FROM search_fts JOIN search_document d ON d.id = search_fts.rowid"
    " WHERE search_fts MATCH %s AND d.published_at <= %s"
    " ORDER BY bm25(search_fts, 0.0, 10.0, 1.0), d.published_at DESC, d.id DESC"
    " LIMIT %s OFFSET %s"
)
POSTGRESQL_RANKED = (
    "SELECT d.post_id, d.page_id FROM search_document d, to_tsquery('simple', %s) query"
    " WHERE d.blog_id = %s AND d.terms @@ query AND d.published_at <= %s"
    " ORDER BY ts_rank('{0.1, 0.2, 0.1, 1.0}', d.terms, query, 1) DESC,"
    " d.published_at DESC, d.id DESC LIMIT %s OFFSET %s"
)


def ranked(connection, blog_id, terms, now, *, limit, offset):
    """``(post_id, page_id)`` of the best-ranked documents of a blog matching every term,
    published by ``now``: ``limit`` of them from ``offset`` on."""
    now = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            params = [postgresql_tsquery(terms), blog_id, now, limit, offset]
            cursor.execute(POSTGRESQL_RANKED, params)
        else:
            cursor.execute(SQLITE_RANKED, [sqlite_match(blog_id, terms), now, limit, offset])
        return cursor.fetchall()


# The entries of one page of results, read with hand-written SQL (see warta/core/sql.py):
# compiling the two QuerySets cost a third of a search. Only what the results show and the
# snippets read; the QuerySets ``Post.objects.for_blog(blog).published()`` and the same for
# ``Page`` are the reference (test_search holds them equal).
SHOWN_POST = {"blog", "title", "path", "kicker", "excerpt", "body_html", "published_at"}
SHOWN_POST |= {"language", "status"}
SHOWN_PAGE = {"blog", "title", "path", "body_html", "published_at", "status"}


@functools.cache
def _entry_columns():
    from warta.posts.models import Page, Post

    return ModelColumns(Post, "p", SHOWN_POST), ModelColumns(Page, "g", SHOWN_PAGE)


def published_entries(db, blog_id, post_ids, page_ids, now):
    """``({id: Post}, {id: Page})`` of those ids that are the blog's and published by ``now``."""
    post_columns, page_columns = _entry_columns()
    now = db.ops.adapt_datetimefield_value(now)
    found = []
    for columns, ids in ((post_columns, post_ids), (page_columns, page_ids)):
        if not ids:
            found.append({})
            continue
        alias = columns.alias
        sql = (
            f"SELECT {columns.sql(db)} FROM {columns.table(db)} WHERE {alias}.blog_id = %s"
            f" AND {alias}.status = 'published' AND {alias}.published_at <= %s"
            f" AND {alias}.id IN ({', '.join(['%s'] * len(ids))})"
        )
        rows = fetch(db, sql, [blog_id, now, *ids])
        entries = (columns.instance(db, row) for row in rows)
        found.append({entry.pk: entry for entry in entries})
    return found[0], found[1]


def unindexed_count(db, blog_id):
    """Published entries of the blog minus its documents, in one query of three counts,
    each read from an index. Reference: ``Post.objects.filter(blog=blog, status=PUBLISHED,
    published_at__isnull=False).count()``, the same of ``Page``, ``Document`` by blog."""
    published = "blog_id = %s AND status = 'published' AND published_at IS NOT NULL"
    sql = (
        f"SELECT (SELECT COUNT(*) FROM posts_post WHERE {published})"
        f" + (SELECT COUNT(*) FROM posts_page WHERE {published})"
        " - (SELECT COUNT(*) FROM search_document WHERE blog_id = %s)"
    )
    return fetch(db, sql, [blog_id, blog_id, blog_id])[0][0]
