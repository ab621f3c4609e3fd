import copy

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from warta.comments.models import Comment
from warta.comments.text import render_comment
from warta.devtools.generator import TABLES
from warta.devtools.sql import indexes_built_after
from warta.posts.models import Post
from warta.search.models import Document
from warta.search.query import matching_ids


def generate(slug="gen", posts=30, comments=120, labels=5):
    call_command("generate", blog=slug, posts=posts, comments=comments, labels=labels, verbosity=0)


def test_generated_posts_are_what_saving_them_in_the_app_would_store(db):
    generate()
    posts = Post.objects.filter(blog__slug="gen").select_related("blog")
    assert posts.count() == 30
    for post in posts:
        saved = copy.copy(post)
        saved.render()
        assert (post.body_html, post.teaser) == (saved.body_html, saved.teaser)
        assert post.teaser and post.body_html.startswith("<p>")
        assert post.path == post.build_path()
        assert post.is_published


def test_generated_comments_are_rendered_and_counted_on_their_posts(db):
    generate()
    comments = Comment.objects.filter(blog__slug="gen")
    assert comments.count() == 120
    for comment in comments:
        assert comment.body_html == render_comment(comment.body)
        assert comment.created_at <= timezone.now()
        assert comment.created_at >= comment.post.published_at
    for post in Post.objects.filter(blog__slug="gen"):
        assert post.comment_count == post.comments.approved().count()
    assert sum(Post.objects.filter(blog__slug="gen").values_list("comment_count", flat=True)) == 120


def test_every_generated_post_has_two_or_three_labels_of_its_blog(db):
    generate()
    for post in Post.objects.filter(blog__slug="gen").prefetch_related("labels"):
        assert len(post.labels.all()) in (2, 3)
        assert {label.blog_id for label in post.labels.all()} == {post.blog_id}


def test_generated_posts_are_found_by_search(db):
    generate()
    post = Post.objects.filter(blog__slug="gen").order_by("pk")[7]
    words = post.title.split()[:2]
    assert Document.objects.filter(blog_id=post.blog_id).count() == 30  # indexed at the end
    post.blog.refresh_from_db()
    assert post.pk in matching_ids(post.blog, " ".join(words))
    assert matching_ids(post.blog, "xylofonzzz") == []


def test_generating_again_extends_the_blog_with_new_addresses(db):
    generate(posts=10, comments=20)
    generate(posts=15, comments=30)
    posts = Post.objects.filter(blog__slug="gen")
    assert posts.count() == 25
    assert len(set(posts.values_list("path", flat=True))) == 25
    assert Comment.objects.filter(blog__slug="gen").count() == 50
    for post in posts:
        assert post.comment_count == post.comments.approved().count()


def index_names(cursor):
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename IN ('posts_post', 'comments_comment')"
    )
    return {row[0] for row in cursor.fetchall()}


def test_a_big_load_on_postgresql_builds_the_same_indexes_again_after_an_error(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps its indexes during a load")
    with connection.cursor() as cursor:
        before = index_names(cursor)
        with pytest.raises(RuntimeError), indexes_built_after(TABLES, print):
            during = index_names(cursor)
            raise RuntimeError("interrupted")
        assert index_names(cursor) == before
    assert "post_blog_timeline" in before and "post_blog_timeline" not in during
    assert "post_blog_front" not in during and "comment_thread" not in during
    assert "posts_post_pkey" in during and "post_path_unique_per_blog" in during
