"""Each source at its own pace: `python -m bench.pacing` (part of `make bench`).

A mixed refresh run against the fake upstream server (tests/fakes/upstream.py, loopback only):
AUTHORS records, one in four holding an arXiv preprint, refreshed by two Celery worker processes
(production settings, solo pool, the bulk worker's `turns` and `scheduled` queues), with OpenAlex
limited to 10 requests a second and arXiv to one every three seconds. For each source it
reports the requests it received as a share of its configured rate, over the time that source
had work waiting (first request to last), the seconds inside that time with no request at all,
and the seconds in which the server saw more than the limit (a sliding window starting at each
request).

The same run is made twice: `paced` (today's settings: a wait longer than REFRESH_SLOT_WAIT is
spent re-queued, not on the worker) and `sleeping` (REFRESH_SLOT_WAIT raised above arXiv's
interval, so a worker sleeps through the wait, as before issue 24). Results go to
var/bench/pacing.json; docs/benchmarks.md quotes them.

The database is BENCH_PACING_DATABASE_URL (default peerage_pacebench, dropped and created
again); Redis is BENCH_PACING_REDIS_URL (default db 13, flushed).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

from .common import OUT_DIR, PYTHON, ROOT, django_env

DATABASE_URL = os.environ.get(
    "BENCH_PACING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peerage_pacebench"
)
REDIS_URL = os.environ.get("BENCH_PACING_REDIS_URL", "redis://127.0.0.1:6379/13")
RATES = {"openalex": (10, 1.0), "arxiv": (1, 3.0)}  # --openalex-rate changes the first
WORKERS = 2
EMPTY_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <id>https://arxiv.org/api/empty</id><title>empty</title><updated>2024-01-01T00:00:00Z</updated>
  <opensearch:totalResults>0</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex><opensearch:itemsPerPage>100</opensearch:itemsPerPage>
</feed>"""


def _env(upstream_url: str, **extra: str) -> dict[str, str]:
    return django_env(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        OPENALEX_API_URL=f"{upstream_url}/openalex",
        ARXIV_API_URL=f"{upstream_url}/arxiv",
        UPSTREAM_RATE_LIMITS=json.dumps({name: list(rate) for name, rate in RATES.items()}),
        UPSTREAM_RETRY=json.dumps({"max_attempts": 2, "max_wait": 1, "backoff_base": 0.1}),
        **extra,
    )


def _fresh_database() -> None:
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup(authors: int, upstream_url: str) -> None:
    """A fresh database with `authors` records; one in four holds a work with an arXiv id."""
    _fresh_database()
    env = _env(upstream_url)
    subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    import django

    django.setup()
    from apps.records.models import Author, Authorship, Work

    people = Author.objects.bulk_create(
        Author(openalex_id=f"A6{i:09d}", display_name=f"Pace Person{i}") for i in range(authors)
    )
    preprints = Work.objects.bulk_create(
        Work(title=f"Preprint {i}", arxiv_id=f"2401.{i:05d}") for i in range(0, authors, 4)
    )
    Authorship.objects.bulk_create(
        Authorship(work=work, author=people[i * 4], position=0, raw_name=people[i * 4].display_name)
        for i, work in enumerate(preprints)
    )


def _start_workers(env: dict[str, str]) -> list[subprocess.Popen]:
    procs = []
    for n in range(WORKERS):
        proc = subprocess.Popen(  # noqa: S603 - our own worker
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--queues=turns,scheduled",  # as compose's bulk worker
                "--loglevel=WARNING",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"pace{n}-{uuid.uuid4().hex[:6]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        procs.append(proc)
    time.sleep(6)  # both connected to the broker before anything is queued
    return procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _all_done(total: int) -> bool:
    from apps.ingest.models import AuthorRefreshState

    done = AuthorRefreshState.objects.filter(
        last_attempt_at__isnull=False, enqueued_at__isnull=True
    ).count()
    return done >= total


def _source_figures(times: list[float], rate: tuple[int, float], start: float) -> dict:
    """Use of the configured rate over the source's busy time, idle seconds within it, and
    seconds in which some window of the rate's period held more than its requests."""
    requests, period = rate
    times = sorted(times)
    if len(times) < 2:
        return {"requests": len(times)}
    span = times[-1] - times[0]
    use = (len(times) - 1) / (span * requests / period)
    over = set()
    for i, t in enumerate(times):
        inside = sum(1 for u in times[i:] if u < t + period)
        if inside > requests:
            over.add(int(t - start))
    busy_seconds = {int(t - times[0]) for t in times}
    idle = sum(1 for s in range(int(span)) if s not in busy_seconds)
    gaps = sorted(b - a for a, b in itertools.pairwise(times))
    return {
        "requests": len(times),
        "busy_seconds": round(span, 1),
        "gap_median_s": round(gaps[len(gaps) // 2], 2),
        "gap_max_s": round(gaps[-1], 2),
        "use_of_rate_pct": round(100 * use, 1),
        "seconds_without_a_request": idle,
        "over_limit_seconds": len(over),
    }


def run_once(mode: str, authors: int, timeout: float) -> dict:
    from apps.ingest.models import AuthorRefreshState, RefreshLog
    from apps.ingest.services import refresh_schedule
    from tests.fakes.upstream import FakeUpstream

    server = FakeUpstream().start()
    server.add("GET", "/openalex/works", json={"meta": {"next_cursor": None}, "results": []})
    server.add("GET", "/arxiv/api/query", body=EMPTY_FEED, content_type="application/atom+xml")
    redis.Redis.from_url(REDIS_URL).flushdb()
    AuthorRefreshState.objects.all().delete()
    RefreshLog.objects.all().delete()
    # `sleeping`: any wait up to two minutes is slept through on the worker, as before.
    extra = {"REFRESH_SLOT_WAIT": "120"} if mode == "sleeping" else {}
    workers = _start_workers(_env(server.url, **extra))
    try:
        started = time.monotonic()
        queued = refresh_schedule(limit=authors)
        deadline = started + timeout
        while not _all_done(len(queued)) and time.monotonic() < deadline:
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        finished = _all_done(len(queued))
    finally:
        _stop(workers)
        server.stop()
    by_source = {
        "openalex": [r.at for r in server.requests if r.path.startswith("/openalex/")],
        "arxiv": [r.at for r in server.requests if r.path.startswith("/arxiv/")],
    }
    logs = RefreshLog.objects.values_list("source", "outcome")
    return {
        "mode": mode,
        "authors": authors,
        "with_preprint": len(range(0, authors, 4)),
        "finished": finished,
        "seconds": round(elapsed, 1),
        "refresh_logs": len(logs),
        "arxiv_logs_ok": sum(1 for s, o in logs if s == "arxiv" and o == "ok"),
        "sources": {
            name: _source_figures(times, RATES[name], started) for name, times in by_source.items()
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pacing", description=__doc__)
    parser.add_argument("--authors", type=int, default=160)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--modes", default="paced,sleeping")
    parser.add_argument("--openalex-rate", type=int, default=10, help="requests a second")
    parser.add_argument("--out", default="pacing.json", help="file name under var/bench/")
    args = parser.parse_args(argv)
    RATES["openalex"] = (args.openalex_rate, 1.0)

    placeholder = "http://127.0.0.1:9"  # replaced per run: each run starts its own fake server
    _setup(args.authors, placeholder)
    results = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, {platform.platform()}",
        "load_before": os.getloadavg(),
        "runs": [],
    }
    for mode in args.modes.split(","):
        print(f"[bench] pacing: {mode} run with {args.authors} authors ...", flush=True)
        figures = run_once(mode, args.authors, args.timeout)
        print(json.dumps(figures, indent=2), flush=True)
        results["runs"].append(figures)
    results["load_after"] = os.getloadavg()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    results["rates"] = RATES
    (OUT_DIR / args.out).write_text(json.dumps(results, indent=2))
    print(f"[bench] pacing: results in {OUT_DIR / args.out}", flush=True)


if __name__ == "__main__":
    main()
