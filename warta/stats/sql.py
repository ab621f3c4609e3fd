"""The one write of stats: counts added to their rows, created when missing (an UPSERT that
SQLite 3.24+ and PostgreSQL both speak), so two workers flushing at once add, not overwrite."""

from django.db import connection

from .models import PageViews

COLUMNS = ("blog_id", "post_id", "path", "day", "referrer", "phone", "views")
UNIQUE = ("blog_id", "path", "day", "referrer", "phone")


def add_views(rows):
    """``rows``: ``(blog_id, post_id, path, day, referrer, phone, views)`` tuples."""
    if rows:
        upsert(rows, adding=True)


def keep_views(rows):
    """``rows`` as for ``add_views``, each written only where its row is not there yet: an
    import read twice counts its views once."""
    if rows:
        upsert(rows, adding=False)


def upsert(rows, *, adding):
    quote = connection.ops.quote_name
    table = quote(PageViews._meta.db_table)
    columns = ", ".join(map(quote, COLUMNS))
    unique = ", ".join(map(quote, UNIQUE))
    views, post = quote("views"), quote("post_id")
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
        f"ON CONFLICT ({unique}) "
    )
    if adding:
        sql += (
            f"DO UPDATE SET {views} = {table}.{views} + excluded.{views}, "
            f"{post} = COALESCE(excluded.{post}, {table}.{post})"
        )
    else:
        sql += "DO NOTHING"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
