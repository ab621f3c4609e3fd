"""Search's SQL: the database objects that keep the full-text index current, wherever posts
are written from (the ORM, ``bulk_create``, ``COPY``, a migration's table rebuild), and the
two conditions that match a query against it."""

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from .text import ACCENTED, PLAIN


def postgresql_match(tsquery):
    """True for a post whose stored tsvector matches ``tsquery``."""
    return RawSQL(
        "search_document @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField()
    )


def sqlite_matching_ids(match):
    """The ids of the posts whose FTS5 row matches ``match``."""
    return RawSQL("SELECT rowid FROM search_post_fts WHERE search_post_fts MATCH %s", [match])


SQLITE_TRIGGERS = {
    "search_post_ai": "AFTER INSERT ON posts_post BEGIN "
    "INSERT INTO search_post_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "search_post_ad": "AFTER DELETE ON posts_post BEGIN "
    "DELETE FROM search_post_fts WHERE rowid = old.id; END",
    "search_post_au": "AFTER UPDATE OF title, body ON posts_post BEGIN "
    "DELETE FROM search_post_fts WHERE rowid = old.id; "
    "INSERT INTO search_post_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END",
}

# A stored tsvector kept by a trigger (not a generated column, which would forbid Django
# from ever altering title or body): matching reads it instead of parsing every body again.
POSTGRESQL = [
    "DROP INDEX IF EXISTS search_post_tsv",
    "ALTER TABLE posts_post ADD COLUMN IF NOT EXISTS search_document tsvector",
    # translate() costs more than to_tsvector() itself: skipped for ASCII-only text.
    "CREATE OR REPLACE FUNCTION search_post_document() RETURNS trigger LANGUAGE plpgsql AS $$"
    " DECLARE document text := lower(NEW.title || ' ' || NEW.body); BEGIN"
    " IF octet_length(document) <> char_length(document) THEN"
    f" document := translate(document, '{ACCENTED}', '{PLAIN}'); END IF;"
    " NEW.search_document := to_tsvector('simple', document); RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS search_post_document ON posts_post",
    "CREATE TRIGGER search_post_document BEFORE INSERT OR UPDATE OF title, body ON posts_post"
    " FOR EACH ROW EXECUTE FUNCTION search_post_document()",
    "UPDATE posts_post SET title = title",  # fills the column through the trigger
    "CREATE INDEX IF NOT EXISTS search_post_document ON posts_post USING GIN (search_document)",
]


# Search results are the newest matches: this narrow index gives each matched post's date
# without reading the row, whose body pushes published_at onto overflow pages (3x faster
# for a word in most posts). SQLite only: PostgreSQL filters the stored tsvector instead.
SQLITE_ORDER_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_post_order ON posts_post (id, published_at, blog_id, status)"
)


def ensure_sqlite_index(connection):
    """Create the FTS5 triggers again when they are missing (and re-index every post), and
    the order index.

    SQLite drops a table's triggers with the table, and Django rebuilds ``posts_post`` for
    many schema changes (adding ``teaser`` did): after that, new posts were not indexed.
    The rebuild drops indexes Django does not know about too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'posts_post'"
        )
        present = {row[0] for row in cursor.fetchall()}
        cursor.execute(SQLITE_ORDER_INDEX)
        missing = SQLITE_TRIGGERS.keys() - present
        if not missing:
            return False
        for name in sorted(missing):
            cursor.execute(f"CREATE TRIGGER {name} {SQLITE_TRIGGERS[name]}")
        cursor.execute("DELETE FROM search_post_fts")
        cursor.execute(
            "INSERT INTO search_post_fts (rowid, title, body) SELECT id, title, body FROM posts_post"
        )
        return True
