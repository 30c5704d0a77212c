"""Why the slow scenarios are slow: `python -m bench.explain` (after bench.measure).

For each scenario of var/bench/results.json, takes its slowest URL, requests it in-process
(Django's test client, same settings and database as the benchmark) while capturing every
SQL query, then runs EXPLAIN (ANALYZE, BUFFERS) on the slowest query. Everything goes to
var/bench/explain.md; the scenarios that missed their target (or have a p95 over a second)
also go to docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import re
import time

from . import report
from .common import OUT_DIR, django_env
from .measure import verify_dataset

MAX_SQL = 2500
SLOW_MS = 1000  # scenarios without a target are still shown when this slow


def profile(path: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path)  # warm: plans and caches, as in the benchmark
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    total = (time.perf_counter() - started) * 1000
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    slowest_ms, slowest_sql = max(queries)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "path": path,
        "status": status,
        "total_ms": round(total, 1),
        "queries": [(round(ms, 1), sql[:160]) for ms, sql in queries],
        "sql_ms": round(sum(ms for ms, _ in queries), 1),
        "slowest_ms": round(slowest_ms, 1),
        "slowest_sql": slowest_sql,
        "plan": plan,
    }


def query_lines(queries: list[tuple[float, str]]) -> list[str]:
    """One line per query, runs of the same query shape (an N+1) folded into one line."""
    lines: list[str] = []
    shapes: list[str] = []
    for ms, sql in queries:
        shape = re.sub(r"\b\d+\b", "N", sql)
        if shapes and shape == shapes[-1]:
            lines[-1] = _folded(lines[-1], ms, shape)
            continue
        shapes.append(shape)
        lines.append(f"- {ms} `{sql}`")
    return lines


def _folded(line: str, ms: float, shape: str) -> str:
    match = re.match(r"- (\d+) queries, ([\d.]+) ms in all", line)
    if match:
        count, total = int(match.group(1)) + 1, float(match.group(2)) + ms
    else:
        count, total = 2, float(line[2:].split(" ", 1)[0]) + ms
    return f"- {count} queries, {total:.1f} ms in all, each `{shape}`"


def render(name: str, found: dict) -> list[str]:
    sql = found["slowest_sql"]
    sql = sql if len(sql) <= MAX_SQL else sql[:MAX_SQL] + " …"
    return [
        f"#### {name}",
        "",
        f"`{found['path']}`: {found['total_ms']} ms in-process, {len(found['queries'])} "
        f"queries taking {found['sql_ms']} ms; the slowest took {found['slowest_ms']} ms:",
        "",
        "```sql",
        sql,
        "```",
        "",
        "```",
        found["plan"],
        "```",
        "",
    ]


def main() -> None:
    os.environ.update(django_env(ALLOWED_HOSTS="127.0.0.1,localhost,testserver"))
    import django

    django.setup()
    verify_dataset()
    results = json.loads((OUT_DIR / "results.json").read_text())
    by_name = {row["name"]: row for row in results["scenarios"]}
    full, missed = [], []
    for row in results["scenarios"]:
        path = row["slowest_paths"][0]["path"]
        found = profile(path)
        print(f"[bench] {row['name']}: {found['total_ms']} ms, {len(found['queries'])} queries")
        section = render(row["name"], found)
        section[2:2] = ["Queries (ms, start of SQL):", "", *query_lines(found["queries"]), ""]
        full += section
        if "miss" in report.verdict(row, by_name) or row["p95"] > SLOW_MS:
            missed += render(row["name"], found)
    verify_dataset()
    (OUT_DIR / "explain.md").write_text("\n".join(full))
    body = missed or ["Every scenario met its target; plans are in var/bench/explain.md."]
    report.replace_section("explain", "\n".join(body))


if __name__ == "__main__":
    main()
