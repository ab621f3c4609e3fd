"""The pages a benchmark run loads: the generated blog, the article, list, feed and search
addresses with their SQL queries on a miss, and the comment form wrk posts."""

import os
import time

from bench.servers import manage

HOST = "bench.localhost"

# A reader's form as the article page sends it: name, body, the signed stamp, the empty
# honeypot, and the Origin an anonymous comment must come from.
POST_LUA = """\
wrk.method = "POST"
wrk.body = "name=Pembaca&email=&url=&body=Komentar+dari+benchmark&stamp={stamp}&homepage="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "http://{host}"
"""
# Every article of the blog, each request a random one: the page cache and the workers'
# rendered comment threads are cold for most of them (each thread is kept after its first
# visit), as when a blog-wide write has just invalidated every page.
ANY_ARTICLE_LUA = """\
local paths = {{ {paths} }}
function init(args)
    math.randomseed(tonumber(tostring({{}}):match("0x(%x+)"), 16) % 2147483647)
end
function request()
    return wrk.format(nil, paths[math.random(#paths)] .. "?nocache=1")
end
"""


def prepare(args, env):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    started = time.monotonic()
    manage(
        env,
        "generate",
        "--blog",
        "bench",
        "--posts",
        str(args.posts),
        "--comments",
        str(args.comments),
        "--labels",
        str(args.labels),
    )
    return time.monotonic() - started


def inspect_pages(env):
    """Pick the pages to load and count each one's SQL queries on a miss, in-process."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from warta.blogs.models import Blog
    from warta.posts.models import Post

    blog = Blog.objects.get(slug="bench")
    posts = Post.objects.filter(blog=blog).order_by("-comment_count")
    count = posts.count()
    article = posts[count // 10]  # busier than most, not the outlier
    label = article.labels.order_by("name").first()
    pages = {
        "article (cache hit)": article.path,
        "article (cache miss)": article.path + "?nocache=1",
        "home (cache hit)": "/",
        "home (cache miss)": "/?nocache=1",
        "label (cache miss)": label.get_absolute_url() + "?nocache=1",
        "Atom feed (cache miss)": "/feeds/posts/default?nocache=1",
        "search (cache miss)": "/search?q=banjir+warga&nocache=1",
    }
    client = Client()
    queries = {}
    for name, path in pages.items():
        if "hit" in name:
            queries[name] = 0  # answered before Django: see test_pagecache
            continue
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST=HOST)
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(captured)
    paths = list(Post.objects.filter(blog=blog).values_list("path", flat=True))
    return article, pages, queries, paths


def comment_post_path(article):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("comments:post", kwargs={"post_id": article.pk})
    except NoReverseMatch:
        return None


def comment_form(article):
    """Open the bench blog to anyone's comments without moderation, so the comment POST row
    measures a stored comment; and a form stamp old enough to pass the minimum fill time."""
    import urllib.parse

    from warta.blogs.models import Blog
    from warta.comments.forms import form_stamp
    from warta.comments.models import Comment

    Blog.objects.filter(slug="bench").update(
        comment_policy=Blog.CommentPolicy.ANYONE, moderation=Blog.Moderation.NONE
    )
    stamp = form_stamp(blog_id=article.blog_id, post_id=article.pk, now=time.time() - 3600)
    return urllib.parse.quote(stamp, safe=""), Comment.objects.filter(post=article)
