"""``python -m bench.scale --posts N``: how reader pages scale with the size of a blog.

Generates blog ``scale`` up to N posts (10 comments a post, 200 labels) in ``WARTA_DATA_DIR``
(SQLite) or ``WARTA_DATABASE_URL``, starts granian as ``make run`` does (2 workers), and
sends sequential requests with ``?nocache=1`` (always a page-cache miss: full Django, view,
templates, SQL) over one keep-alive connection: article (50 different posts), home, home
page 50, label (20 labels) and search (10 queries). Prints p50/p99 per page and merges the
numbers into ``bench/results/scale.json`` under ``<database>-<posts>``.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.servers import free_port, start_granian, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "scale.json"
HOST = "scale.localhost"
SEARCHES = [
    "banjir",
    "harga beras",
    "nelayan pelabuhan",
    "vaksin gizi anak",
    "gubernur",
    "sepak bola juara",
    "listrik tenaga surya",
    "pemilunya",
    "perpustakaan digital",
    "xylofon",
]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200, help="per page, after 20 warm-up")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")
    os.environ.setdefault(
        "WARTA_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    os.environ.setdefault("WARTA_LOG_LEVEL", "ERROR")
    subprocess.run([str(BIN / "warta"), "migrate", "-v0"], check=True, cwd=ROOT)
    import django

    django.setup()
    from django.db import connection

    from warta.posts.models import Label, Post

    have = Post.objects.filter(blog__slug="scale").count()
    generated = None
    if have < args.posts:
        started = time.monotonic()
        missing = args.posts - have
        subprocess.run(
            [str(BIN / "warta"), "generate", "--blog", "scale", "--posts", str(missing)]
            + ["--comments", str(missing * 10), "--labels", "200"],
            check=True,
            cwd=ROOT,
        )
        generated = round(time.monotonic() - started, 1)
        print(f"generated {missing} posts in {generated} s")
    posts = Post.objects.filter(blog__slug="scale")
    total = posts.count()
    rng = random.Random(7)
    paths = list(posts.values_list("path", flat=True).order_by("pk"))
    articles = rng.sample(paths, 50)
    del paths
    labels = [
        label.get_absolute_url()
        for label in rng.sample(list(Label.objects.filter(blog__slug="scale")), 20)
    ]
    pages = {
        "article": articles,
        "home": ["/"],
        "home, page 50": ["/?page=50"],
        "label": labels,
        "search": ["/search?q=" + query.replace(" ", "+") for query in SEARCHES],
    }
    database = connection.vendor
    connection.close()

    port = free_port()
    env = dict(os.environ)
    granian = start_granian(env, port, args.workers)
    try:
        wait_for(f"http://127.0.0.1:{port}/", {"Host": HOST}, timeout=120)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        results = {}
        print(f"{database}, {total} posts: ms per request, sequential, cache miss")
        for name, urls in pages.items():
            times = []
            for n in range(20 + args.requests):
                url = urls[n % len(urls)]
                url += ("&" if "?" in url else "?") + "nocache=1"
                started = time.perf_counter()
                conn.request("GET", url, headers={"Host": HOST})
                response = conn.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status == 200, (url, response.status)
                if n >= 20:
                    times.append(elapsed)
            cuts = statistics.quantiles(times, n=100)
            results[name] = {
                "p50_ms": round(statistics.median(times), 2),
                "p99_ms": round(cuts[98], 2),
                "mean_ms": round(statistics.fmean(times), 2),
                "requests": len(times),
            }
            row = results[name]
            print(f"  {name:<14} p50 {row['p50_ms']:8.1f}   p99 {row['p99_ms']:8.1f}")
    finally:
        stop(granian)
    if not args.no_save:
        report = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        report[f"{database}-{total}"] = {
            "database": database,
            "posts": total,
            "comments_per_post": 10,
            "labels": 200,
            "cache": "redis" if os.environ.get("WARTA_REDIS_URL") else "file",
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
            ).stdout.strip(),
            "granian_workers": args.workers,
            "load_average": round(os.getloadavg()[0], 2),
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "generated_s": generated,
            "pages": results,
        }
        RESULTS.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
