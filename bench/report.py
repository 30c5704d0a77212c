"""The generated parts of docs/benchmarks.md: each lives between a pair of markers, so the
hand-written analysis around them survives a re-run."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from importlib.metadata import version

import psycopg

from .common import DATABASE_URL, OUT_DIR, ROOT

DOC = ROOT / "docs" / "benchmarks.md"
PG_SETTINGS = [
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "random_page_cost",
    "jit",
    "max_parallel_workers_per_gather",
    "autovacuum",
]


def replace_section(name: str, body: str) -> None:
    """Put `body` between `<!-- bench:name -->` and `<!-- /bench:name -->` in the doc,
    appending the section if the doc lacks it."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text}\n{block}\n"
    DOC.write_text(text)
    print(f"[bench] wrote the {name} section of {DOC.relative_to(ROOT)}")


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")  # noqa: SIM115
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))  # noqa: SIM115
    with psycopg.connect(DATABASE_URL) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
        settings = {s: conn.execute(f"SHOW {s}").fetchone()[0] for s in PG_SETTINGS}
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip()  # noqa: S607
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "free": free,
        "os": platform.platform(),
        "postgresql": pg,
        "pg_settings": settings,
        "python": platform.python_version(),
        "django": version("django"),
        "djangorestframework": version("djangorestframework"),
        "gunicorn": version("gunicorn"),
        "psycopg": version("psycopg"),
    }


def verdict(row: dict, by_name: dict[str, dict]) -> str:
    if row["errors"] or row["throughput_errors"]:
        return f"**FAILED** ({row['errors'] + row['throughput_errors']} bad responses)"
    if row["target_ms"]:
        target = row["target_ms"]
        if row["p95"] <= target:
            return f"pass (p95 ≤ {target:g} ms)"
        return f"**miss** by {row['p95'] - target:.0f} ms (x{row['p95'] / target:.1f})"
    if row["baseline"] and row["baseline"] in by_name:
        base = by_name[row["baseline"]]
        ratio = row["p50"] / base["p50"]
        label = f"p50 x{ratio:.2f} of {row['baseline']}"
        return f"pass ({label})" if ratio <= 2 else f"**miss** ({label}; target ≤ x2)"
    if any(other["baseline"] == row["name"] for other in by_name.values()):
        return "(baseline)"
    return "no target"


def results_table(results: dict) -> list[str]:
    by_name = {row["name"]: row for row in results["scenarios"]}
    lines = [
        "| scenario | URLs | n | p50 ms | p95 ms | p99 ms | max ms | req/s | target → result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in results["scenarios"]:
        lines.append(
            f"| {row['name']} | {row['urls']} | {row['requests']} | {row['p50']} | {row['p95']} "
            f"| {row['p99']} "
            f"| {row['max']} | {row['throughput']} | {verdict(row, by_name)} |"
        )
    failed = [row for row in results["scenarios"] if row["errors"]]
    for row in failed:
        lines.append(f"\nBad responses in {row['name']}: {row['error_examples']}")
    return lines


def dataset_lines(gen: dict) -> list[str]:
    rows = gen["rows"]
    checks = gen["checks"]
    lines = [
        "| table | rows |",
        "|---|---:|",
        *[f"| {table} | {count:,} |" for table, count in rows.items()],
        "",
        f"Database size {checks['database_size']}. Target author "
        f"(id {checks['target_author']['id']}): {checks['target_author']['works']} works, "
        f"{checks['target_author']['close_collaborators']} close collaborators, "
        f"{checks['target_author']['topics']} topics, h-index "
        f"{checks['target_author']['h_index']}. Authors with a name word “wu”: "
        f"{checks['authors_named_wu']:,}.",
        "",
        f"Generation (`python -m bench.generate`, seed {gen['requested']['seed']}) took "
        f"**{gen['total_seconds'] / 60:.1f} min** ({gen['finished_at']}):",
        "",
        "| step | seconds |",
        "|---|---:|",
        *[f"| {step} | {seconds} |" for step, seconds in gen["steps_seconds"].items()],
    ]
    return lines


def write(results: dict) -> None:
    gen = json.loads((OUT_DIR / "generate.json").read_text())
    m = machine()
    run = results["run"]
    pg = ", ".join(f"{k}={v}" for k, v in m["pg_settings"].items())
    lines = [
        f"Run finished {run['finished_at']}, code at {run['code']}.",
        "",
        "**Machine.** "
        f"{m['cpus']} vCPUs ({m['cpu']}), {m['memory_gib']} GiB RAM, {m['os']}. "
        f"PostgreSQL {m['postgresql']} on the same machine ({pg}); Python {m['python']}, "
        f"Django {m['django']}, DRF {m['djangorestframework']}, gunicorn {m['gunicorn']}, "
        f"psycopg {m['psycopg']}. Client, server and database share the machine.",
        "",
        "```",
        m["free"],
        "```",
        "",
        "**Server.** `gunicorn config.wsgi:application -b 127.0.0.1:8765 "
        f"-w {run['gunicorn_workers']} --timeout 120` (sync workers), "
        "`DJANGO_SETTINGS_MODULE=bench.settings` (production settings; API throttling off), "
        "`CONN_MAX_AGE=60` (production default), Redis cache on db 14.",
        "",
        f"**Client.** Python `http.client`, one new connection per request. Latency: "
        f"{run['requests_per_scenario']} sequential requests per scenario (fewer, column n, "
        f"when they take over {run['budget_seconds']:g} s) after a warm-up, rotating over the "
        "scenario's URLs. Throughput: "
        f"{run['client_threads']} threads for {run['throughput_seconds']:g} s. Every "
        "response is checked (status 200 and the expected content). Load average "
        f"(1/5/15 min) before the run {run['loadavg_before']}, after {run['loadavg_after']}.",
        "",
        "### Results",
        "",
        *results_table(results),
        "",
        "### Dataset",
        "",
        *dataset_lines(gen),
    ]
    replace_section("results", "\n".join(lines))
