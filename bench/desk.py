"""The desk's rows of ``make bench``: the desk home and the editor of a post on the big
blog, signed in as an editor (SQL queries per page, req/s under wrk), and saving a post with
its revision (milliseconds, in-process)."""

import shutil
import statistics
import subprocess
import time

from bench.pages import HOST
from bench.servers import parse_wrk

SAVES = 30


def desk_session(article):
    """An editor of the bench blog, signed in: the session cookie for wrk."""
    from django.conf import settings
    from django.test import Client

    from warta.accounts.models import User
    from warta.blogs.models import Membership

    editor, _ = User.objects.get_or_create(
        email="bench-editor@example.com", defaults={"display_name": "Bench Editor"}
    )
    Membership.objects.get_or_create(
        blog_id=article.blog_id, user=editor, defaults={"role": Membership.Role.EDITOR}
    )
    client = Client()
    client.force_login(editor)
    return (
        editor,
        client,
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
    )


def desk_pages(article):
    return {
        "desk home": "/desk/",
        "desk home, published p.2": "/desk/?status=published&page=2",
        "desk editor": f"/desk/posts/{article.pk}/",
    }


def count_queries(client, pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST=HOST)
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(captured)
    return queries


def save_timings(article, editor, saves=SAVES):
    """Milliseconds of ``save_post`` (the row locked, rendered, saved, labels, a revision)."""
    from warta.posts import services
    from warta.posts.models import Post

    post = Post.objects.get(pk=article.pk)
    body = post.body
    labels = list(post.labels.values_list("name", flat=True))
    timings = []
    for n in range(saves):
        started = time.perf_counter()
        post = services.save_post(
            post,
            by=editor,
            fields={"body": body + f"\n\nBench {n}."},
            labels=labels,
            version=post.version,
            keep_lead_image=True,
        )
        timings.append((time.perf_counter() - started) * 1000)
    services.save_post(post, by=editor, fields={"body": body}, labels=labels, keep_lead_image=True)
    return timings


def wrk(url, *, cookie, duration, connections):
    command = [shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{duration}s"]
    command += ["--latency", "-H", f"Host: {HOST}", "-H", f"Cookie: {cookie}", url]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def desk_rows(base, article, *, duration, connections, warm_up=2):
    """The desk's rows for the report: each page under load, then the save timing."""
    editor, client, cookie = desk_session(article)
    pages = desk_pages(article)
    queries = count_queries(client, pages)
    rows = []
    for name, path in pages.items():
        wrk(base + path, cookie=cookie, duration=warm_up, connections=connections)
        result = wrk(base + path, cookie=cookie, duration=duration, connections=connections)
        size = len(client.get(path, HTTP_HOST=HOST).content)
        rows.append({"page": name, "path": path, "bytes": size, "sql": queries[name], **result})
        print(f"  {name}: {result['rps']:.0f} req/s, {queries[name]} SQL", flush=True)
    timings = save_timings(article, editor)
    median = statistics.median(timings)
    rows.append(
        {
            "page": "desk: save + revision",
            "save_ms_median": round(median, 2),
            "save_ms_max": round(max(timings), 2),
            "saves": len(timings),
            "note": f"{median:.1f} ms median, {max(timings):.1f} ms max ({len(timings)} saves)",
        }
    )
    print(f"  save with revision: {median:.1f} ms median", flush=True)
    return rows


def main():
    """Alone, against an already generated data folder: ``python -m bench.desk``
    (WARTA_DATA_DIR set, blog "bench"), no server: query counts and save timings only."""
    import django

    django.setup()
    from warta.posts.models import Post

    article = Post.objects.filter(blog__slug="bench").order_by("-comment_count").first()
    editor, client, _cookie = desk_session(article)
    print(count_queries(client, desk_pages(article)))
    timings = save_timings(article, editor, saves=10)
    print(f"save with revision: {statistics.median(timings):.1f} ms median")


if __name__ == "__main__":
    main()
