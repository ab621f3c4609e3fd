"""A post's visible comments in hand-written SQL, for every article page the page cache does
not hold. ``Comment.objects.for_post(post).visible_to(...)`` is the reference:
``comments/tests/test_thread.py`` holds this read equal to it, field by field."""

from django.contrib.auth import get_user_model

from warta.core.sql import ModelColumns, database, fetch, per_vendor

from .models import Comment

# What a thread shows and who may edit what; the rest (the raw text, e-mail address, IP
# hash) stays deferred.
THREAD_COLUMNS = {
    "blog",
    "post",
    "parent",
    "user",
    "author_name",
    "author_url",
    "body_html",
    "status",
    "is_deleted",
    "user_deleted",
    "created_at",
    "legacy_id",
}


@per_vendor
def _thread_select(db):
    comment = ModelColumns(Comment, "c", THREAD_COLUMNS)
    user = ModelColumns(get_user_model(), "u", {"email", "display_name"})
    sql = (
        f"SELECT {comment.sql(db)}, {user.sql(db)} FROM {comment.table(db)}"
        f" LEFT JOIN {user.table(db)} ON u.id = c.user_id WHERE c.post_id = %s AND"
    )
    return comment, user, sql


def shows_pingbacks(blog) -> bool:
    """The blog's ``show_pingbacks`` setting (True where the field does not exist yet)."""
    return getattr(blog, "show_pingbacks", True)


def visible_comments(post, *, user=None, pending_ids=(), pingbacks=True) -> list[Comment]:
    """``Comment.objects.for_post(post).visible_to(user=..., pending_ids=..., pingbacks=...)``
    with the commenters attached, read through hand-written SQL (see ``warta/core/sql.py``):
    this runs on every article page the page cache does not hold."""
    db = database()
    comment_columns, user_columns, select = _thread_select(db)
    shown = ["c.status = %s", "c.is_deleted = %s"]
    params = [post.pk, Comment.Status.APPROVED, True]
    if user is not None and user.is_authenticated:
        shown.append("(c.status = %s AND c.user_id = %s)")
        params += [Comment.Status.PENDING, user.pk]
    if pending_ids:
        ids = [int(pk) for pk in pending_ids]
        shown.append(f"(c.status = %s AND c.id IN ({', '.join(['%s'] * len(ids))}))")
        params += [Comment.Status.PENDING, *ids]
    kinds = ""
    if not pingbacks:
        kinds = " AND c.kind NOT IN (%s, %s)"
        params += list(Comment.NOTICES)
    sql = f"{select} ({' OR '.join(shown)}){kinds} ORDER BY c.created_at, c.id"
    comments = []
    user_field, post_field = Comment.user.field, Comment.post.field
    for row in fetch(db, sql, params):
        comment = comment_columns.instance(db, row)
        user_field.set_cached_value(comment, user_columns.instance(db, row, len(comment_columns)))
        post_field.set_cached_value(comment, post)
        comments.append(comment)
    return comments
