"""Superseded by 0004_document: the index this migration kept on posts_post (FTS5 triggers
on SQLite, a tsvector on PostgreSQL) is dropped there, where it still exists, and replaced
by search_document. Kept, empty, so databases that applied it migrate on as before."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0002_post_document")]

    operations = []
