"""The full-text index of posts, kept by the database itself (triggers on SQLite, an
expression index on PostgreSQL), so bulk imports and ``warta generate`` are indexed too."""

from django.db import migrations

from warta.search.text import PG_DOCUMENT

SQLITE = [
    "CREATE VIRTUAL TABLE search_post_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO search_post_fts (rowid, title, body) SELECT id, title, body FROM posts_post",
    "CREATE TRIGGER search_post_ai AFTER INSERT ON posts_post BEGIN "
    "INSERT INTO search_post_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_post_ad AFTER DELETE ON posts_post BEGIN "
    "DELETE FROM search_post_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER search_post_au AFTER UPDATE OF title, body ON posts_post BEGIN "
    "DELETE FROM search_post_fts WHERE rowid = old.id; "
    "INSERT INTO search_post_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_post_au",
    "DROP TRIGGER IF EXISTS search_post_ad",
    "DROP TRIGGER IF EXISTS search_post_ai",
    "DROP TABLE IF EXISTS search_post_fts",
]
POSTGRESQL = [
    "CREATE INDEX search_post_tsv ON posts_post "
    f"USING GIN (to_tsvector('simple', {PG_DOCUMENT}))"
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS search_post_tsv"]


def forward(apps, schema_editor):
    for statement in SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_REVERSE if vendor == "sqlite" else POSTGRESQL_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
