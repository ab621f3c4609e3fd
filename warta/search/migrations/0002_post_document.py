"""PostgreSQL: a stored tsvector column (trigger-kept) and its GIN index replace the
expression index, whose matches recomputed to_tsvector for each row (3.5 s a search at
10,000 posts). SQLite: put back the FTS5 triggers that posts.0003's table rebuild dropped."""

from django.db import migrations

from warta.search.sql import POSTGRESQL, ensure_sqlite_index
from warta.search.text import PG_DOCUMENT


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)
    else:
        ensure_sqlite_index(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS search_post_document ON posts_post")
        schema_editor.execute("DROP FUNCTION IF EXISTS search_post_document()")
        schema_editor.execute("ALTER TABLE posts_post DROP COLUMN IF EXISTS search_document")
        schema_editor.execute(
            f"CREATE INDEX search_post_tsv ON posts_post USING GIN (to_tsvector('simple', {PG_DOCUMENT}))"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_post_index"), ("posts", "0003_post_teaser")]

    operations = [migrations.RunPython(forward, backward)]
