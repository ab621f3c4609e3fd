"""Full-text search over a blog's posts: SQLite FTS5 or PostgreSQL tsvector (GIN)."""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from .text import query_stems

# A search lists at most the newest this-many matches: a word found in most posts of a
# million-post blog would otherwise cost a count of all of them on every results page.
MAX_RESULTS = 1000


def matching(posts, query):
    """``posts`` narrowed to the newest ``MAX_RESULTS`` whose title or body has every word of
    ``query`` (each word stemmed, then matched as a prefix). Empty when nothing searchable
    is left."""
    stems = query_stems(query)
    if not stems:
        return posts.none()
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{stem}:*" for stem in stems)
        found = posts.filter(
            RawSQL(
                "search_document @@ to_tsquery('simple', %s)",
                [tsquery],
                output_field=BooleanField(),
            )
        )
    else:
        match = " AND ".join(f'"{stem}"*' for stem in stems)
        found = posts.filter(
            id__in=RawSQL(
                "SELECT rowid FROM search_post_fts WHERE search_post_fts MATCH %s", [match]
            )
        )
    newest = found.order_by("-published_at", "-pk").values("pk")[:MAX_RESULTS]
    return posts.filter(pk__in=newest)
