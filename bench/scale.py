"""``python -m bench.scale --posts N``: median latency of one request per reader page, in
process (Django's test client, page cache bypassed), on a blog of N generated posts.
Shows whether a page's cost grows with the blog. Uses ``WARTA_DATA_DIR`` /
``WARTA_DATABASE_URL`` as given; generates the blog ``scale`` when it is smaller than N."""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")
    os.environ.setdefault(
        "WARTA_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    subprocess.run([str(BIN / "warta"), "migrate", "-v0"], check=True)
    import django

    django.setup()
    from django.test import Client

    from warta.posts.models import Post

    have = Post.objects.filter(blog__slug="scale").count()
    if have < args.posts:
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "warta"), "generate", "--blog", "scale", "--posts", str(args.posts - have)]
            + ["--comments", str((args.posts - have) * 10), "--labels", "200"],
            check=True,
        )
        print(f"generated in {time.monotonic() - started:.0f} s")
    posts = Post.objects.filter(blog__slug="scale")
    article = posts.order_by("-published_at")[posts.count() // 2]
    label = article.labels.first()
    pages = {
        "article": article.path,
        "home": "/",
        "home, page 50": "/?page=50",
        "label": label.get_absolute_url(),
        "search": "/search?q=banjir+warga",
    }
    client = Client()
    print(f"{posts.count()} posts, median of {args.requests} requests (ms):")
    for name, path in pages.items():
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(
                path + ("&" if "?" in path else "?") + "nocache=1", HTTP_HOST="scale.localhost"
            )
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(f"  {name:<14}{statistics.median(times):8.1f}")


if __name__ == "__main__":
    main()
