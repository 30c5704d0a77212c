"""Load test the bench database with Locust: `python -m bench.loadtest` (`make loadtest`).

Starts gunicorn on 127.0.0.1 (production settings, bench/settings.py) twice, with the public
page cache off and then on, and for each scenario of bench/locustfile.py and each concurrency
runs Locust headless for a fixed time against the loopback address only. Locust's users loop
without pause, so N users are N readers each waiting on a response. Signed-in members (with
their sessions) are added to the bench database once; nothing else in it changes.
Results: var/bench/loadtest.json and the generated section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

from . import report
from .common import OUT_DIR, PYTHON, ROOT, TARGET_NAME, TARGET_WORKS, django_env
from .measure import (
    HOST,
    NAME_QUERIES,
    PORT,
    code_version,
    database_facts,
    start_server,
    stop_server,
    verify_dataset,
    work_queries,
)

SCENARIOS = {
    "home": "Home",
    f"author page ({TARGET_WORKS} works)": "AuthorPage",
    "name search": "NameSearch",
    "work search": "WorkSearch",
    "API author": "ApiAuthor",
    "signed-in mix": "SignedInMix",
}
CONCURRENCY = (1, 8, 32, 64)
MEMBERS = 64
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def members(count: int) -> list[str]:
    """Session keys of `count` signed-in members, each holding a record (L2) of their own; the
    target author's record is held by one more member, so the members read another claimed
    researcher's page. Made once (same emails next time); sessions are made afresh."""
    os.environ.update(django_env())
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings

    from apps.accounts.models import User
    from apps.claims.models import Claim
    from apps.records.models import Author

    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]
    target = Author.objects.get(display_name=TARGET_NAME)
    others = Author.objects.exclude(pk=target.pk).order_by("pk")[: count + 1]
    keys = []
    for i, author in enumerate([target, *others[:count]]):
        user, _ = User.objects.get_or_create(
            email=f"loadtest{i}@example.invalid", defaults={"display_name": f"Load Test {i}"}
        )
        Claim.objects.get_or_create(
            user=user, status=Claim.Status.APPROVED, defaults={"author": author, "kind": "orcid"}
        )
        Author.objects.filter(pk=author.pk).update(verification_level=2)
        if i == 0:
            continue  # the target's holder only holds it
        session = store()
        session.update(
            {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": backend,
                "_auth_user_hash": user.get_session_auth_hash(),
            }
        )
        session.create()
        keys.append(session.session_key)
    return keys


def facts(sessions: list[str]) -> dict:
    found = database_facts()
    return {
        "target": found["target"],
        "target_name": TARGET_NAME,
        "works": TARGET_WORKS,
        "name_searches": [f"/search/?kind=authors&q={quote(q)}" for q, _ in NAME_QUERIES],
        "work_searches": [f"/search/?kind=works&q={quote(q)}" for q, _ in work_queries()],
        "sessions": sessions,
    }


def run_locust(user_class: str, users: int, seconds: int, facts_path: Path) -> dict:
    """One headless Locust run, summarised from every response it timed."""
    out = OUT_DIR / "locust" / f"{user_class}-{users}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(PYTHON).parent / "locust"), "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--stop-timeout", "10",
        "-H", f"http://{HOST}:{PORT}", "--only-summary", "--loglevel", "WARNING", user_class,
    ]  # fmt: skip
    env = {**os.environ, "LOADTEST_FACTS": str(facts_path), "LOADTEST_OUT": str(out)}
    subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=seconds + 120)  # noqa: S603
    samples = json.loads(out.read_text())
    times = sorted(ms for _, ms, _ in samples)
    span = max(at for at, _, _ in samples) - min(at for at, _, _ in samples) if samples else 0

    def pct(p: int) -> float:
        return round(statistics.quantiles(times, n=100, method="inclusive")[p - 1], 1)

    return {
        "users": users,
        "requests": len(samples),
        "errors": sum(1 for *_, failed in samples if failed),
        "rps": round(len(samples) / max(span, seconds * 0.5), 1),
        "p50": pct(50) if len(times) > 1 else None,
        "p95": pct(95) if len(times) > 1 else None,
        "p99": pct(99) if len(times) > 1 else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per scenario and concurrency")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--users", default=",".join(map(str, CONCURRENCY)))
    parser.add_argument("--only", default="", help="scenarios whose name contains this")
    parser.add_argument("--no-collectstatic", action="store_true", help="static files are current")
    args = parser.parse_args()
    verify_dataset()
    facts_path = OUT_DIR / "loadtest-facts.json"
    facts_path.write_text(json.dumps(facts(members(MEMBERS))))
    concurrency = [int(n) for n in args.users.split(",")]
    todo = {name: cls for name, cls in SCENARIOS.items() if args.only.lower() in name.lower()}
    load_before = os.getloadavg()
    rows = []
    for cache in ("off", "on"):
        seconds = "0" if cache == "off" else "600"
        server = start_server(
            args.workers,
            collect=cache == "off" and not args.no_collectstatic,
            PUBLIC_PAGE_CACHE_SECONDS=seconds,
        )
        try:
            for name, user_class in todo.items():
                for users in concurrency:
                    row = {"scenario": name, "cache": cache}
                    row.update(run_locust(user_class, users, args.seconds, facts_path))
                    print(f"[loadtest] {json.dumps(row)}", flush=True)
                    rows.append(row)
        finally:
            stop_server(server)
    results = {
        "run": {
            "finished_at": time.strftime("%Y-%m-%d %H:%M %Z"),
            "code": code_version(),
            "seconds_per_run": args.seconds,
            "gunicorn_workers": args.workers,
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        },
        "dataset": json.loads((OUT_DIR / "generate.json").read_text())["rows"],
        "rows": rows,
    }
    (OUT_DIR / "loadtest.json").write_text(json.dumps(results, indent=2))
    report.replace_section("loadtest", "\n".join(table(results)))


def table(results: dict) -> list[str]:
    run, data = results["run"], results["dataset"]
    lines = [
        f"`make loadtest` at `{run['code']}`, finished {run['finished_at']}: "
        f"{data['records_work']:,} works, {data['records_author']:,} authors; gunicorn "
        f"{run['gunicorn_workers']} sync workers; Locust {run['seconds_per_run']} s per row; "
        f"load average {run['loadavg_before'][0]} before, {run['loadavg_after'][0]} after.",
        "",
        "| scenario | users | cache | req/s | p50 ms | p95 ms | p99 ms | errors / requests |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(results["rows"], key=lambda r: (list(SCENARIOS).index(r["scenario"]),
                                                      r["users"], r["cache"])):  # fmt: skip
        p50, p95, p99 = (
            f"{row[p]:g}" if row[p] is not None else "-" for p in ("p50", "p95", "p99")
        )
        lines.append(
            f"| {row['scenario']} | {row['users']} | {row['cache']} | {row['rps']} "
            f"| {p50} | {p95} | {p99} | {row['errors']} / {row['requests']} |"
        )
    return lines


if __name__ == "__main__":
    main()
