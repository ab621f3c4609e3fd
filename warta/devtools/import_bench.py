"""Import benchmark: a generated Blogger backup of N posts and M comments, imported into a fresh
SQLite database in a child process; prints time and peak memory (max RSS) as JSON.

    .venv/bin/python -m warta.devtools.import_bench --posts 10000 --comments 100000
    .venv/bin/python -m warta.devtools.import_bench --sizes 1000:10000,10000:100000

Flat memory shows as the same peak RSS at both sizes (the file is streamed, never held).
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from xml.sax.saxutils import escape, quoteattr

KIND = "http://schemas.google.com/blogger/2008/kind#"
BODY = escape(
    "<p>Ratusan keluarga di pesisir utara masih bertahan di tenda pengungsian, setelah air "
    "pasang merendam permukiman mereka selama hampir dua pekan.</p>"
    '<p><img src="https://blogger.googleusercontent.com/img/a/foto-{n}.jpg" alt="foto"></p>'
    "<blockquote>Rumah kami masih tergenang sebetis, kata seorang warga.</blockquote>" * 3
)


def generate(path, *, posts: int, comments: int) -> None:
    """Write a Blogger backup (older format) entry by entry, never holding it in memory."""
    start = datetime.datetime(2010, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
            "xmlns:thr='http://purl.org/syndication/thread/1.0' "
            "xmlns:gd='http://schemas.google.com/g/2005'>"
            "<id>tag:blogger.com,1999:blog-1.archive</id><title>Bench</title>\n"
        )
        for n in range(posts):
            moment = (start + datetime.timedelta(hours=n)).isoformat()
            url = f"https://bench.blogspot.com/{moment[:4]}/{moment[5:7]}/kabar-{n}.html"
            out.write(
                f"<entry><id>tag:blogger.com,1999:blog-1.post-{10**9 + n}</id>"
                f"<published>{moment}</published><updated>{moment}</updated>"
                f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}post'/>"
                f"<category scheme='http://www.blogger.com/atom/ns#' term='Label {n % 50}'/>"
                f"<title type='text'>Kabar nomor {n}</title>"
                f"<content type='html'>{BODY.replace('{n}', str(n))}</content>"
                f"<link rel='alternate' type='text/html' href={quoteattr(url)}/>"
                f"<author><name>Penulis {n % 5}</name>"
                f"<uri>https://www.blogger.com/profile/{n % 5}</uri></author></entry>\n"
            )
        for c in range(comments):
            n = c % posts
            moment = (start + datetime.timedelta(hours=n, minutes=1 + c // posts)).isoformat()
            parent = ""
            if c >= posts and c % 2:
                parent = (
                    "<link rel='related' type='application/atom+xml' href='https://www.blogger"
                    f".com/feeds/1/{10**9 + n}/comments/default/{2 * 10**9 + c - posts}'/>"
                )
            out.write(
                f"<entry><id>tag:blogger.com,1999:blog-1.post-{2 * 10**9 + c}</id>"
                f"<published>{moment}</published><updated>{moment}</updated>"
                f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}comment'/>"
                f"<title type='text'>Komentar</title><content type='html'>Komentar {c} "
                "&lt;a href=&quot;https://contoh.id/&quot;&gt;tautan&lt;/a&gt;</content>"
                f"{parent}<author><name>Pembaca {c % 1000}</name></author>"
                f"<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-{10**9 + n}'/></entry>\n"
            )
        out.write("</feed>\n")


def child(path: str) -> None:
    """In a fresh process and database: migrate, then import and report."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from warta.migration.services import import_blogger

    started, cpu = time.perf_counter(), time.process_time()
    report = import_blogger(path=path, blog_slug="bench")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                # The import's own CPU time: on a shared machine, wall time includes waiting.
                "cpu_seconds": round(cpu, 2),
                "peak_rss_mb": round(peak / 1024, 1),
                "rss_before_import_mb": round(before / 1024, 1),
                "imported": report.imported,
                "warnings": len(report.warnings),
            }
        )
    )


def measure(posts: int, comments: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="warta-bench-") as folder:
        path = os.path.join(folder, "blog.xml")
        generate(path, posts=posts, comments=comments)
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"WARTA_DATABASE_URL", "WARTA_REDIS_URL"}
        }
        env["WARTA_DATA_DIR"] = os.path.join(folder, "data")
        result = subprocess.run(
            [sys.executable, "-m", "warta.devtools.import_bench", "--child", path],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        data = json.loads(result.stdout.strip().splitlines()[-1])
        data.update(posts=posts, comments=comments, file_mb=round(os.path.getsize(path) / 2**20, 1))
        return data


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--comments", type=int, default=100000)
    parser.add_argument("--sizes", help="several runs, e.g. 1000:10000,10000:100000")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return
    sizes = [(args.posts, args.comments)]
    if args.sizes:
        sizes = [tuple(int(x) for x in size.split(":")) for size in args.sizes.split(",")]
    results = [measure(posts, comments) for posts, comments in sizes]
    print(json.dumps(results if len(results) > 1 else results[0], indent=2))


if __name__ == "__main__":
    main()
