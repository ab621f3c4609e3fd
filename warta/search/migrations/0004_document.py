"""search_document: the stems of each published post and page, made in Python, indexed by
the database (FTS5 on SQLite, a weighted tsvector on PostgreSQL); replaces the index of
0001-0003, which stemmed nothing. Existing posts are indexed by the first search of each
blog (``index.catch_up``) or at once by ``warta search_index``."""

from django.db import migrations, models

from warta.search.sql import (
    OLD_POSTGRESQL,
    OLD_SQLITE,
    POSTGRESQL,
    POSTGRESQL_REVERSE,
    SQLITE_TRIGGERS,
    ensure_sqlite_index,
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in OLD_POSTGRESQL + POSTGRESQL:
            schema_editor.execute(statement)
    else:
        for statement in OLD_SQLITE:
            schema_editor.execute(statement)
        ensure_sqlite_index(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_REVERSE:
            schema_editor.execute(statement)
    else:
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("search", "0003_sqlite_order_index"),
        ("posts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("blog_id", models.BigIntegerField()),
                ("post_id", models.BigIntegerField(null=True, unique=True)),
                ("page_id", models.BigIntegerField(null=True, unique=True)),
                ("language", models.CharField(max_length=5)),
                ("published_at", models.DateTimeField()),
                ("title", models.TextField()),
                ("body", models.TextField()),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "indexes": [
                    models.Index(fields=["blog_id", "-published_at"], name="search_doc_blog")
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
