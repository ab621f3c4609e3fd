"""SQLite: a narrow (id, published_at, blog, status) index for ordering search matches."""

from django.db import migrations

from warta.search.sql import ensure_sqlite_index


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        ensure_sqlite_index(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS search_post_order")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_post_document")]

    operations = [migrations.RunPython(forward, backward)]
