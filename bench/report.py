"""The table ``make bench`` prints."""


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
