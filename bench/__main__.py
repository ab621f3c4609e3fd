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
import shutil
import tempfile
import time
from pathlib import Path

from bench.desk import desk_rows
from bench.imports import import_bench
from bench.mailing import mailing_bench
from bench.pages import (
    ANY_ARTICLE_LUA,
    HOST,
    POST_LUA,
    comment_form,
    comment_post_path,
    inspect_pages,
    prepare,
)
from bench.report import print_table
from bench.servers import (
    ROOT,
    django_env,
    ensure_tools,
    fetch,
    free_port,
    run_wrk,
    start_granian,
    start_nginx,
    stop,
    wait_for,
)

RESULTS = ROOT / "bench" / "results"
# Seconds of load before each measured run (not for the comment POST, which stores rows).
WARM_UP = 2
# The whole of ``make bench`` stays under 10 minutes on the 2-core machine.
BENCH_BUDGET = 600
# Warta's pages are loaded as a browser asks for them: stats counts each view (wrk sends no
# User-Agent, which stats takes for a robot's and leaves uncounted).
READER = (("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),)


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
            headers = READER if host else ()
            if not script:
                # Steady state, as for nginx: every worker and thread has its connection,
                # its compiled templates and, for hits, the page in memory.
                run_wrk(
                    url, duration=WARM_UP, connections=args.connections, host=host, headers=headers
                )
            result = run_wrk(
                url,
                duration=args.duration,
                connections=args.connections,
                host=host,
                script=script,
                headers=headers,
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
        rows += desk_rows(base, article, duration=args.duration, connections=args.connections)
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
            "stats": "on (a browser's User-Agent on every Warta request)",
            "article": {"path": article.path, "comments": article.comment_count},
            "rows": rows,
        }
        print("Blogger import (python -m warta.devtools.import_bench):", flush=True)
        report["import"] = import_bench(started + BENCH_BUDGET - 30)
        print("Mailing one post (python -m bench.mailing):", flush=True)
        report["mailing"] = mailing_bench(started + BENCH_BUDGET - 10)
        print_table(report)
        for run in report["mailing"]["runs"]:
            print(
                f"  mailing {run['subscribers']:,} followers: {run['seconds']} s, "
                f"{run['received']:,} received, peak RSS growth {run['peak_rss_growth_kib']:,} KiB"
            )
        if report["mailing"]["note"]:
            print(f"  mailing: {report['mailing']['note']}")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"written to {args.output}")
        return report
    finally:
        stop(granian)
        stop(nginx)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
