"""``make bench``: a big blog under the production server, loaded with wrk, against nginx.

Generates a blog (10,000 posts, 200 labels, 100,000 comments by default; SQLite in a fresh
data folder, or the database of ``WARTA_DATABASE_URL``), starts granian as ``make run``
does, serves the same article bytes as a static file from nginx in the same run, loads
each page with ``wrk`` on 127.0.0.1 and prints requests/s, p50/p99 latency, bytes, SQL
queries and the ratio to nginx. Writes ``bench/results/latest.json``.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
HOST = "bench.localhost"

NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    default_type text/html;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
    }}
}}
"""

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
# Seconds of load before each measured run (not for the comment POST, which stores rows).
WARM_UP = 2
# The whole of ``make bench`` stays under 10 minutes on the 2-core machine.
BENCH_BUDGET = 600


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_tools():
    missing = [name for name in ("wrk", "nginx") if not shutil.which(name) and not _sbin(name)]
    if missing:
        print(f"installing {', '.join(missing)} (apt-get install -y wrk nginx-light)")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk", "nginx-light"], check=True)


def _sbin(name):
    path = Path("/usr/sbin") / name
    return str(path) if path.exists() else None


def wait_for(url, headers=None, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def fetch(url, headers=None, data=None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def parse_wrk(output):
    def ms(value, unit):
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"\s50%\s+([\d.]+)(us|ms|s|m)\b", output)
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)\b", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    total = re.search(r"(\d+) requests in", output)
    return {
        "rps": round(rps, 1),
        "p50_ms": round(ms(*p50.groups()), 2),
        "p99_ms": round(ms(*p99.groups()), 2),
        "requests": int(total.group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
    }


def run_wrk(url, *, duration, connections, host=None, script=None):
    command = [
        shutil.which("wrk") or "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
    ]
    if host:
        command += ["-H", f"Host: {host}"]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def django_env(data_dir):
    env = dict(os.environ, WARTA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="warta.settings")
    env.setdefault("WARTA_LOG_LEVEL", "ERROR")
    return env


def manage(env, *args):
    subprocess.run([str(BIN / "warta"), *args], env=env, check=True, cwd=ROOT)


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


def start_granian(env, port, workers):
    from warta.core.management.commands.serve import granian_command

    command = granian_command(host="127.0.0.1", port=port, workers=workers)
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def start_nginx(tmp, body, workers):
    port = free_port()
    # nginx started by root drops its workers to "nobody": they must reach the file.
    tmp.chmod(0o755)
    (tmp / "www").mkdir(mode=0o755)
    (tmp / "www" / "article.html").write_bytes(body)
    (tmp / "www" / "article.html").chmod(0o644)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, workers=workers))
    nginx = shutil.which("nginx") or _sbin("nginx")
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp)], start_new_session=True)
    wait_for(f"http://127.0.0.1:{port}/article.html")
    return process, port


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


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
    stamp = form_stamp(time.time() - 3600)
    return urllib.parse.quote(stamp, safe=""), Comment.objects.filter(post=article)


def import_bench(deadline):
    """The Blogger import at 1,000 posts / 10,000 comments, then at 10,000 / 100,000 when the
    first run says it fits before ``deadline`` (the same peak memory at both shows it flat)."""
    runs, note = [], ""
    for posts, comments in ((1_000, 10_000), (10_000, 100_000)):
        left = deadline - time.monotonic()
        if runs and runs[-1]["seconds"] * posts / runs[-1]["posts"] * 1.5 > left:
            note = f"{posts} posts / {comments} comments skipped: would not fit the time budget"
            break
        try:
            output = subprocess.run(
                [sys.executable, "-m", "warta.migration.bench", "--posts", str(posts)]
                + ["--comments", str(comments)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=max(left, 30),
                check=True,
            )
        except (subprocess.SubprocessError, OSError) as error:
            note = f"{posts} posts / {comments} comments failed: {error}"
            break
        runs.append(json.loads(output.stdout))
    return {"runs": runs, "note": note}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)

    started = time.monotonic()
    ensure_tools()
    tmp = Path(tempfile.mkdtemp(prefix="warta-bench-"))
    env = django_env(tmp / "data")
    # The comment POST row measures the write path, not the per-address limiter.
    env["WARTA_COMMENT_RATE_PER_IP"] = "1000000/60"
    granian = nginx = None
    try:
        generate_seconds = prepare(args, env)
        article, pages, queries, article_paths = inspect_pages(env)
        stamp, article_comments = comment_form(article)
        port = free_port()
        granian = start_granian(env, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        wait_for(base + article.path, {"Host": HOST})
        status, headers, body = fetch(base + article.path, {"Host": HOST})
        nginx, nginx_port = start_nginx(tmp, body, args.workers)

        rows = []

        def measure(name, url, *, host=None, script=None, path="", sql=None, size=None):
            if not script:
                # Steady state, as for nginx: every worker and thread has its connection,
                # its compiled templates and, for hits, the page in memory.
                run_wrk(url, duration=WARM_UP, connections=args.connections, host=host)
            result = run_wrk(
                url,
                duration=args.duration,
                connections=args.connections,
                host=host,
                script=script,
            )
            if size is None:
                size = len(fetch(url, {"Host": host} if host else {})[2])
            rows.append({"page": name, "path": path, "bytes": size, "sql": sql, **result})
            print(f"  {name}: {result['rps']:.0f} req/s", flush=True)

        print("loading (wrk, 127.0.0.1):", flush=True)
        measure(
            "static file (nginx)",
            f"http://127.0.0.1:{nginx_port}/article.html",
            path="/article.html",
            sql=0,
        )
        for name, path in pages.items():
            measure(name, base + path, host=HOST, path=path, sql=queries[name])
        script = tmp / "any-article.lua"
        script.write_text(ANY_ARTICLE_LUA.format(paths=", ".join(map(json.dumps, article_paths))))
        measure(
            "any article (cache miss)",
            base + "/",
            host=HOST,
            script=str(script),
            path="(random article)?nocache=1",
            sql=queries["article (cache miss)"],
            size=0,
        )
        post_path = comment_post_path(article)
        if post_path:
            script = tmp / "post.lua"
            # The port is part of the Origin a browser sends, so Host carries it too.
            host_port = f"{HOST}:{port}"
            script.write_text(POST_LUA.format(stamp=stamp, host=host_port))
            before = article_comments.count()
            measure(
                "comment POST (303)",
                base + post_path,
                host=host_port,
                script=str(script),
                path=post_path,
                size=0,
            )
            time.sleep(1)  # requests wrk cut off at the end may still be finishing
            row = rows[-1]
            row["accepted"] = row["requests"] - row["non_2xx"]
            row["comments_stored"] = article_comments.count() - before
            # Requests in flight when wrk stops are stored but not counted by wrk.
            row["stored_matches_accepted"] = (
                row["accepted"] <= row["comments_stored"] <= row["accepted"] + args.connections
            )
            print(
                f"  comment POST: {row['accepted']} accepted (303), {row['non_2xx']} refused, "
                f"{row['socket_errors']} socket errors, {row['comments_stored']} comments stored"
                + ("" if row["stored_matches_accepted"] else " (MISMATCH)"),
                flush=True,
            )
        else:
            rows.append({"page": "comment POST", "note": "not measured: endpoint missing"})

        reference = rows[0]["rps"]
        for row in rows:
            if "rps" in row:
                row["ratio"] = round(row["rps"] / reference, 3)
        report = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "load_before": os.getloadavg()[0],
            },
            "database": "postgresql" if os.environ.get("WARTA_DATABASE_URL") else "sqlite",
            "cache": "redis" if os.environ.get("WARTA_REDIS_URL") else "file",
            "blog": {"posts": args.posts, "labels": args.labels, "comments": args.comments},
            "generate_seconds": round(generate_seconds, 1),
            "wrk": {"connections": args.connections, "threads": 2, "seconds": args.duration},
            "granian_workers": args.workers,
            "article": {"path": article.path, "comments": article.comment_count},
            "rows": rows,
        }
        print("Blogger import (python -m warta.migration.bench):", flush=True)
        report["import"] = import_bench(started + BENCH_BUDGET - 30)
        print_table(report)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"written to {args.output}")
        return report
    finally:
        stop(granian)
        stop(nginx)
        shutil.rmtree(tmp, ignore_errors=True)


def print_table(report):
    print()
    print(
        f"Warta bench: {report['blog']['posts']} posts, {report['blog']['labels']} labels, "
        f"{report['blog']['comments']} comments; {report['database']}, {report['cache']} cache; "
        f"wrk -c{report['wrk']['connections']} {report['wrk']['seconds']} s per page"
    )
    header = f"{'page':<26}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'bytes':>8}{'SQL':>5}"
    print(header + f"{'x nginx':>9}  errors")
    print("-" * (len(header) + 17))
    for row in report["rows"]:
        if "rps" not in row:
            print(f"{row['page']:<26}{row['note']}")
            continue
        print(
            f"{row['page']:<26}{row['rps']:>10.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
            f"{row['bytes']:>8}{'' if row['sql'] is None else row['sql']:>5}{row['ratio']:>9.2f}"
            f"  {row['non_2xx'] or ''}"
        )
    if "import" in report:
        print()
        print(
            f"{'Blogger import (SQLite)':<26}{'seconds':>10}{'CPU s':>9}{'peak MB':>9}"
            f"{'before':>9}{'file MB':>8}"
        )
        for run in report["import"]["runs"]:
            name = f"{run['posts'] // 1000}k posts, {run['comments'] // 1000}k comments"
            print(
                f"{name:<26}{run['seconds']:>10.1f}{run.get('cpu_seconds', 0):>9.1f}"
                f"{run['peak_rss_mb']:>9.1f}"
                f"{run['rss_before_import_mb']:>9.1f}{run['file_mb']:>8.1f}"
            )
        if report["import"]["note"]:
            print(report["import"]["note"])


if __name__ == "__main__":
    main()
