import pytest
from django.db import connection

from warta.core.sql import refresh_statistics


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its statistics by ANALYZE")
def test_home_page_reads_posts_in_index_order_once_statistics_exist(blog, make_post):
    from warta.posts.models import Post

    for _ in range(30):
        make_post(blog)
    refresh_statistics()
    posts = Post.objects.for_blog(blog).published().order_by("-is_sticky", "-published_at", "-pk")
    sql, params = posts[:10].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "post_blog_front" in plan
