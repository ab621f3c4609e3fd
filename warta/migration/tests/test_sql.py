"""The importers' SQL (``warta/migration/sql.py``) held equal to the ORM it stands for."""

import datetime

import pytest
from django.utils import timezone

from warta.comments.models import Comment
from warta.comments.text import render_comment
from warta.migration import sql

FIELDS = [f for f in Comment._meta.concrete_fields if not f.primary_key]


@pytest.fixture
def post(blog, make_post):
    return make_post(blog, title="Banjir di Demak")


def comment_row(post, legacy_id, **fields):
    row = {f.attname: f.get_default() for f in FIELDS}
    moment = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    row.update(
        blog_id=post.blog_id,
        post_id=post.pk,
        legacy_id=legacy_id,
        author_name="Ani “Pembaca”",
        author_email="ani@example.com",
        body="Semoga cepat surut.\n\nhttps://contoh.id/a",
        body_html=render_comment("Semoga cepat surut.\n\nhttps://contoh.id/a"),
        status="pending",
        created_at=moment,
        updated_at=moment + datetime.timedelta(hours=1),
        **fields,
    )
    return row


def stored(legacy_id):
    """Every column of the row as read back, but its keys."""
    comment = Comment.objects.get(legacy_id=legacy_id)
    return {f.attname: getattr(comment, f.attname) for f in FIELDS if f.name != "legacy_id"}


def test_insert_comments_stores_what_bulk_create_stores(post):
    sql.insert_comments(FIELDS, [comment_row(post, "raw")])
    Comment.objects.bulk_create([Comment(**comment_row(post, "orm"))])
    assert stored("raw") == stored("orm")


def test_thread_parked_replies_sets_the_parents_the_orm_update_would(post, blog, make_blog):
    elsewhere = make_blog("lain")
    sql.insert_comments(
        FIELDS,
        [comment_row(post, legacy_id) for legacy_id in ("top", "reply", "orphan", "stranger")],
    )
    other = comment_row(post, "top")  # the same legacy id in another blog is not the parent
    other.update(blog_id=elsewhere.pk)
    Comment.objects.bulk_create([Comment(**other)])
    pks = dict(Comment.objects.filter(blog=blog).values_list("legacy_id", "pk"))
    parked = [(pks["reply"], "top"), (pks["orphan"], "gone"), (pks["stranger"], "top")]

    sql.create_parked_replies()
    sql.park_replies(parked)
    missing = sql.thread_parked_replies(blog_id=blog.pk)

    threaded = dict(Comment.objects.filter(blog=blog).values_list("pk", "parent_id"))
    for child_id, parent_legacy_id in parked:  # the reference, as the docstring gives it
        parent = Comment.objects.filter(blog_id=blog.pk, legacy_id=parent_legacy_id)
        Comment.objects.filter(pk=child_id).update(parent=parent.values("pk")[:1])
    assert threaded == dict(Comment.objects.filter(blog=blog).values_list("pk", "parent_id"))
    assert threaded[pks["reply"]] == threaded[pks["stranger"]] == pks["top"]
    assert missing == ["gone"]


def test_parent_in_chains_answers_what_the_dictionary_would(db):
    chains = {"c3": "c2", "c2": "p1", "c9": "c3"}
    sql.create_reply_chains()
    sql.add_reply_chains(list(chains.items()))
    try:
        for comment_id in [*chains, "p1", "unknown"]:
            assert sql.parent_in_chains(comment_id) == chains.get(comment_id, "")
    finally:
        sql.drop_reply_chains()
