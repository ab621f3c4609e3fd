"""The importers' SQL: one prepared INSERT for a batch of comments, and two temporary tables
that keep what an import must remember about replies on disk rather than in memory.

Raw SQL in Warta stands only in modules named ``reads.py`` or ``sql.py``
(``tests/test_layers.py``). Each function names its ORM reference in its docstring, and
``tests/test_sql.py`` holds the two equal where there is one; the temporary tables have no
model, so their reference is the dictionary they stand in for.
"""

from django.db import connection, models

from warta.comments.models import Comment

PARKED_REPLIES = "warta_import_parent"
REPLY_CHAINS = "warta_import_chain"


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def create_temporary_table(table: str, columns: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {quoted(table)} ({columns})")


def insert_rows(table: str, columns: list[str], rows: list) -> None:
    names = ", ".join(quoted(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quoted(table)} ({names}) VALUES ({marks})", rows)


def drop_temporary_table(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quoted(table)}")


def insert_comments(fields: list[models.Field], rows: list[dict]) -> None:
    """Insert comment rows (values by ``attname`` for each of ``fields``) with one prepared
    INSERT. Reference: ``Comment.objects.bulk_create([Comment(**row) for row in rows])``,
    whose per-value SQL compilation was most of the time of a 100,000-comment import."""
    if not rows:
        return
    # The other values are already str, int, bool or None, which both drivers take.
    moments = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
    values = []
    for row in rows:
        value = [row[f.attname] for f in fields]
        for i in moments:
            value[i] = fields[i].get_db_prep_save(value[i], connection)
        values.append(value)
    insert_rows(Comment._meta.db_table, [f.column for f in fields], values)


def create_parked_replies() -> None:
    """A temporary table of replies whose parent comment is not written yet. Reference: a
    ``{child_id: parent_legacy_id}`` dictionary, which would grow with the file."""
    create_temporary_table(
        PARKED_REPLIES, "child_id bigint PRIMARY KEY, parent_legacy_id varchar(200) NOT NULL"
    )


def park_replies(replies: list[tuple[int, str]]) -> None:
    """Add ``(child pk, parent legacy id)`` pairs to the parked replies."""
    insert_rows(PARKED_REPLIES, ["child_id", "parent_legacy_id"], replies)


def thread_parked_replies(*, blog_id: int) -> list[str]:
    """Give each parked reply its parent among the blog's comments, in one UPDATE; drop the
    table; return the parent legacy ids that were not found. Reference, per parked pair::

        parent = Comment.objects.filter(blog_id=blog_id, legacy_id=parent_legacy_id)
        Comment.objects.filter(pk=child_id).update(parent=parent.values("pk")[:1])
    """
    table, comments = quoted(PARKED_REPLIES), quoted(Comment._meta.db_table)
    # "blog_id + 0" keeps SQLite on the legacy_id index (see BlogWriter.legacy_pks).
    parent = (
        f"SELECT p.id FROM {comments} p WHERE p.legacy_id = t.parent_legacy_id "
        "AND p.blog_id + 0 = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {comments} SET parent_id = (SELECT ({parent} LIMIT 1) FROM {table} t "
            f"WHERE t.child_id = {comments}.id) WHERE id IN (SELECT child_id FROM {table})",
            [blog_id],
        )
        cursor.execute(
            f"SELECT t.parent_legacy_id FROM {table} t WHERE NOT EXISTS ({parent})", [blog_id]
        )
        missing = [parent_legacy_id for (parent_legacy_id,) in cursor.fetchall()]
    drop_temporary_table(PARKED_REPLIES)
    return missing


def create_reply_chains() -> None:
    """A temporary table of the file's ``(comment id, parent id)`` pairs, indexed by comment.
    Reference: a ``{comment_id: parent_id}`` dictionary, which would grow with the file."""
    create_temporary_table(
        REPLY_CHAINS, "comment_id varchar(200) NOT NULL, parent_id varchar(200) NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX {REPLY_CHAINS}_comment ON {quoted(REPLY_CHAINS)} (comment_id)"
        )


def add_reply_chains(pairs: list[tuple[str, str]]) -> None:
    insert_rows(REPLY_CHAINS, ["comment_id", "parent_id"], pairs)


def parent_in_chains(comment_id: str) -> str:
    """The parent id the file gives ``comment_id``, or ``""``. Reference: ``chains.get(id, "")``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT parent_id FROM {quoted(REPLY_CHAINS)} WHERE comment_id = %s LIMIT 1",
            [comment_id],
        )
        row = cursor.fetchone()
    return row[0] if row else ""


def drop_reply_chains() -> None:
    drop_temporary_table(REPLY_CHAINS)
