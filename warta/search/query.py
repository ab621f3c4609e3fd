"""Full-text search over a blog's posts: SQLite FTS5 or PostgreSQL tsvector (GIN)."""

from django.db import connection
from django.db.models.expressions import RawSQL

from .text import PG_DOCUMENT, query_stems


def matching(posts, query):
    """``posts`` narrowed to those whose title or body has every word of ``query``
    (each word stemmed, then matched as a prefix). Empty when nothing searchable is left."""
    stems = query_stems(query)
    if not stems:
        return posts.none()
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{stem}:*" for stem in stems)
        return posts.filter(
            id__in=RawSQL(
                f"SELECT id FROM posts_post WHERE to_tsvector('simple', {PG_DOCUMENT})"
                " @@ to_tsquery('simple', %s)",
                [tsquery],
            )
        )
    match = " AND ".join(f'"{stem}"*' for stem in stems)
    return posts.filter(
        id__in=RawSQL("SELECT rowid FROM search_post_fts WHERE search_post_fts MATCH %s", [match])
    )
