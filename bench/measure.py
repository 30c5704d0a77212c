"""Measure the bench database over real HTTP: `python -m bench.measure`.

Starts gunicorn (production settings via bench/settings.py) on 127.0.0.1:8765, then for each
scenario: a warm-up, N sequential requests timed one by one (p50/p95/p99/max), and a
throughput run with a few client threads. Every response must be a 200 that passes the
scenario's check (right author, 25 rows, an expected name among the results, ...); a failing
scenario is reported as failed, never as fast. Results: var/bench/results.json and the
generated section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg

from . import report, schema
from .common import DATABASE_URL, OUT_DIR, PYTHON, ROOT, TARGET_NAME, django_env
from .vocabulary import rare_words

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
DEEP_PAGE = 500
CARD_NAME = re.compile(r'class="card-title"><a href="[^"]*"><strong>(.*?)</strong>')

# (query, expectation): a display name that must be among the results, "some", "none", or
# None when any answer is acceptable (a bare surname shared by thousands of authors).
NAME_QUERIES = [
    ("Yongji Wu", "Yongji Wu"),
    ("Y. Wu", "some"),
    ("Wu, Yongji", "Yongji Wu"),
    ("Yongji Wuu", "Yongji Wu"),
    ("yongjí wu", "Yongji Wu"),
    ("Wu", None),
    ("Wei Wang", "Wei Wang"),
    ("W. Wang", "some"),
    ("Wang", None),
    ("Jing Li", "Jing Li"),
    ("Li", None),
    ("Zhang Wei", None),
    ("John Smith", "John Smith"),
    ("J. Smith", "some"),
    ("Maria Garcia", "María García"),
    ("María García", "María García"),
    ("Thomas Muller", "Thomas Müller"),
    ("Müller", None),
    ("Hiroshi Tanaka", "Hiroshi Tanaka"),
    ("Priya Sharma", "Priya Sharma"),
    ("Lukasz Nowak", "Łukasz Nowak"),
    ("Oystein Hansen", "Øystein Hansen"),
    ("Ji-hoon Kim", "Ji-hoon Kim"),
    ("Kim", None),
    ("Ada Lindqvist", "Ada M. Lindqvist"),
    ("Bench Target Author", TARGET_NAME),
    ("Bench Targt Author", TARGET_NAME),
    ("Chen", None),
    ("xqzvy plorkt", "none"),
]


def work_queries() -> list[tuple[str, str | None]]:
    """Search terms: very common words first (each matches a large share of the works),
    then phrases, operators, area words and rare words at several frequencies."""
    rare = rare_words(50_000, seed=20260115)
    common = ["learning", "model", "data", "network", "analysis", "method", "system"]
    phrases = [
        "deep learning",
        "neural network",
        "machine learning",
        "language model",
        "large language model",
        "graph neural network",
        "reinforcement learning",
        "efficient model",
        "data analysis",
        "model data network analysis learning",
        "quantum",
        "quantum computing",
        "dark matter",
        "black hole",
        "protein folding",
        "gene expression",
        "causal inference",
        "time series",
        "distributed system",
        "random graphs",
        "phase transition",
        "transformer",
        "diffusion",
        "federated privacy",
        "blockchain",
        "galaxy",
        "market volatility",
        '"deep learning" -survey',
        "quantum or photonic",
        "graph -neural",
    ]
    rares = [rare[9], rare[99], rare[999], rare[4999], f"{rare[49]} model"]
    return [(q, "some") for q in common + phrases + rares] + [
        (rare[19_999], None),
        ("the", None),
        ("zzqxv plorkt", "none"),
    ]


@dataclass
class Scenario:
    name: str
    group: str
    paths: list[str]
    check: Callable[[str, int, bytes], str | None]
    target_ms: float | None = None  # p95 target
    baseline: str | None = None  # or: p50 at most twice this scenario's p50
    samples: list[float] = field(default_factory=list)
    per_path: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    throughput: float = 0.0
    throughput_errors: int = 0


def fetch(path: str) -> tuple[int, bytes, float]:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    started = time.perf_counter()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, body, time.perf_counter() - started


# --- checks -----------------------------------------------------------------------------


def html_rows(expected: int | None) -> Callable[[str, int, bytes], str | None]:
    def check(path: str, status: int, body: bytes) -> str | None:
        rows = body.count(b'class="work-item"')
        if status != 200:
            return f"{status} for {path}"
        if expected is not None and rows != expected:
            return f"{rows} rows, not {expected}, for {path}"
        return None

    return check


def json_rows(expected: int) -> Callable[[str, int, bytes], str | None]:
    def check(path: str, status: int, body: bytes) -> str | None:
        if status != 200:
            return f"{status} for {path}"
        rows = len(json.loads(body)["results"])
        return None if rows == expected else f"{rows} rows, not {expected}, for {path}"

    return check


def author_html(path: str, status: int, body: bytes) -> str | None:
    if status != 200 or TARGET_NAME.encode() not in body:
        return f"{status}, target author missing, for {path}"
    return html_rows(25)(path, status, body)


def author_json(path: str, status: int, body: bytes) -> str | None:
    if status != 200:
        return f"{status} for {path}"
    data = json.loads(body)
    return None if data.get("works_count") == 500 else f"works_count {data.get('works_count')}"


def graph_json(path: str, status: int, body: bytes) -> str | None:
    """The explorer's API: the target in the middle and co-authors around it."""
    if status != 200:
        return f"{status} for {path}"
    nodes = json.loads(body)["nodes"]
    authors = sum(1 for n in nodes if n["kind"] == "author" and n["hop"] == 1)
    return None if nodes and authors else f"{len(nodes)} nodes, {authors} co-authors, for {path}"


def graph_html(path: str, status: int, body: bytes) -> str | None:
    if status != 200 or TARGET_NAME.encode() not in body or b'class="graph-svg"' not in body:
        return f"{status}, no graph of the target author, for {path}"
    return None


def export_bibtex(path: str, status: int, body: bytes) -> str | None:
    if status != 200:
        return f"{status} for {path}"
    entries = body.count(b"\n@") + body.startswith(b"@")
    return None if entries == 500 else f"{entries} entries, not 500, for {path}"


def expecting(expectations: dict[str, str | None], found: Callable[[bytes], list[str] | None]):
    """A check for searches: the query's expectation against the names/rows found."""

    def check(path: str, status: int, body: bytes) -> str | None:
        if status != 200:
            return f"{status} for {path}"
        want = expectations[path]
        results = found(body)
        if want is None or results is None:
            return None
        if want == "some" and not results:
            return f"no results for {path}"
        if want == "none" and results:
            return f"unexpected results for {path}"
        if want not in {"some", "none"} and want not in results:
            return f"{want!r} not among {results[:5]}... for {path}"
        return None

    return check


def names_in_json(body: bytes) -> list[str]:
    return [row.get("display_name") or row.get("title") for row in json.loads(body)["results"]]


def names_in_html(body: bytes) -> list[str]:
    """The names on the search page's recognition cards (`records/_author_card.html`)."""
    text = body.decode()
    if '<ol class="author-results">' not in text:
        return []
    listing = text.split('<ol class="author-results">', 1)[1].split("</ol>", 1)[0]
    return [html.unescape(name) for name in CARD_NAME.findall(listing)]


def works_in_html(body: bytes) -> list[str]:
    return ["row"] * body.count(b'class="work-item"')


# --- scenarios ----------------------------------------------------------------------------


def follow(path: str, pages: int) -> str:
    """The cursor `pages - 1` next-links after `path` (fetched before any timing)."""
    for _ in range(pages - 1):
        status, body, _ = fetch(path)
        if status != 200:
            raise RuntimeError(f"{status} while following {path}")
        link = json.loads(body)["next"]
        if not link:
            raise RuntimeError(f"list ends before page {pages}")
        parts = urlsplit(link)
        path = f"{parts.path}?{parts.query}"
    return path


def cursor_of(path: str) -> str:
    return dict(p.split("=", 1) for p in urlsplit(path).query.split("&"))["cursor"]


def scenarios(
    target: int, topic: str, day: str, *, busiest: int | None = None, deep: bool = True
) -> list[Scenario]:
    """Every scenario; the deep-page ones (which first walk 500 pages) only when `deep`."""
    names = {}
    for query, want in NAME_QUERIES:
        names[f"/search/?kind=authors&q={quote(query)}"] = want
        names[f"/api/v1/authors/?q={quote(query)}"] = want
    works = {}
    for query, want in work_queries():
        works[f"/search/?kind=works&q={quote(query)}"] = want
        works[f"/api/v1/works/?q={quote(query)}"] = want
    html_names = [p for p in names if p.startswith("/search/")]
    api_names = [p for p in names if p.startswith("/api/")]
    html_works = [p for p in works if p.startswith("/search/")]
    api_works = [p for p in works if p.startswith("/api/")]
    found = [
        Scenario("author page (HTML)", "author", [f"/authors/{target}/"], author_html, 150),
        Scenario("author (API)", "author", [f"/api/v1/authors/{target}/"], author_json, 150),
        Scenario(
            "author works (API)", "author", [f"/api/v1/authors/{target}/works/"], json_rows(25), 150
        ),
        Scenario(
            "author graph (API)", "author", [f"/api/v1/authors/{target}/graph/"], graph_json, 200
        ),
        Scenario("author graph (HTML)", "author", [f"/authors/{target}/graph/"], graph_html, 150),
        Scenario(
            "author graph, most works (API)",
            "author",
            [f"/api/v1/authors/{busiest or target}/graph/"],
            graph_json,
            200,
        ),
        Scenario(
            "author export, 500 works (BibTeX)",
            "author",
            [f"/authors/{target}/export/?format=bibtex"],
            export_bibtex,
        ),
        Scenario("name search (HTML)", "names", html_names, expecting(names, names_in_html), 50),
        Scenario("name search (API)", "names", api_names, expecting(names, names_in_json), 50),
        Scenario("work search (HTML)", "works", html_works, expecting(works, works_in_html), 75),
        Scenario("work search (API)", "works", api_works, expecting(works, names_in_json), 75),
    ]
    if not deep:
        return found
    try:
        return found + deep_scenarios(target, topic, day)
    except RuntimeError as exc:  # a small database (--works 20000) has no page 500
        print(f"deep-page scenarios left out: {exc}")
        return found


def deep_scenarios(target: int, topic: str, day: str) -> list[Scenario]:
    deep = follow("/api/v1/works/?page_size=25", DEEP_PAGE)
    author_last = follow(f"/api/v1/authors/{target}/works/?page_size=25", 20)
    topic_deep = follow(f"/api/v1/works/?page_size=25&topic={topic}", DEEP_PAGE)
    works_p1 = "works list p1 (API)"
    topic_p1 = f"topic {topic} p1 (HTML)"
    return [
        Scenario(works_p1, "deep", ["/api/v1/works/?page_size=25"], json_rows(25)),
        Scenario(
            f"works list p{DEEP_PAGE} (API)", "deep", [deep], json_rows(25), baseline=works_p1
        ),
        Scenario(
            "author works p20, the last (HTML)",
            "deep",
            [f"/authors/{target}/?cursor={cursor_of(author_last)}"],
            author_html,
            baseline="author page (HTML)",
        ),
        Scenario(topic_p1, "deep", [f"/topics/{topic}/"], html_rows(25)),
        Scenario(
            f"topic {topic} p{DEEP_PAGE} (HTML)",
            "deep",
            [f"/topics/{topic}/?cursor={cursor_of(topic_deep)}"],
            html_rows(25),
            baseline=topic_p1,
        ),
        Scenario(f"recent day {day} p1 (HTML)", "deep", [f"/recent/{day}/"], html_rows(25)),
    ]


# --- running ------------------------------------------------------------------------------


def run_sequential(scenario: Scenario, requests: int, budget: float) -> None:
    """`requests` timed requests, fewer if they take over `budget` seconds (at least 5)."""
    for path in scenario.paths[: max(3, min(len(scenario.paths), 10))]:
        fetch(path)  # warm-up: connections, plans, caches
    deadline = time.perf_counter() + budget
    for i in range(requests):
        if i >= 5 and time.perf_counter() > deadline:
            break
        path = scenario.paths[i % len(scenario.paths)]
        status, body, seconds = fetch(path)
        error = scenario.check(path, status, body)
        if error:
            scenario.errors.append(error)
        scenario.samples.append(seconds * 1000)
        scenario.per_path.setdefault(path, []).append(seconds * 1000)


def run_throughput(scenario: Scenario, threads: int, seconds: float) -> None:
    done, failed = [0] * threads, [0] * threads
    deadline = time.perf_counter() + seconds

    def client(k: int) -> None:
        i = k
        while time.perf_counter() < deadline:
            path = scenario.paths[i % len(scenario.paths)]
            status, body, _ = fetch(path)
            if scenario.check(path, status, body):
                failed[k] += 1
            done[k] += 1
            i += threads

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    scenario.throughput = sum(done) / (time.perf_counter() - started)
    scenario.throughput_errors = sum(failed)


def gunicorn_command(workers: int) -> list[str]:
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    command = [gunicorn, "config.wsgi:application", "-b", f"{HOST}:{PORT}", "-w", str(workers)]
    command += ["--timeout", "120"]
    help_text = subprocess.run([gunicorn, "--help"], capture_output=True, text=True).stdout  # noqa: S603
    if "--no-control-socket" in help_text:  # gunicorn 27+: no socket under ~/.gunicorn
        command.append("--no-control-socket")
    return command


def start_server(workers: int, *, collect: bool = True, **settings: str) -> subprocess.Popen:
    """gunicorn on the bench database; `settings` are extra environment variables. `collect`:
    run collectstatic first (minutes on a busy 2-core host: it compresses every file)."""
    if collect:
        subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=django_env(),
            check=True,
        )
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        gunicorn_command(workers),
        cwd=ROOT,
        env=django_env(**settings),
        start_new_session=True,
    )
    for _ in range(120):
        try:
            if fetch("/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def summarise(scenario: Scenario) -> dict:
    s = scenario.samples
    slowest = sorted(scenario.per_path.items(), key=lambda kv: -statistics.median(kv[1]))
    return {
        "name": scenario.name,
        "group": scenario.group,
        "target_ms": scenario.target_ms,
        "baseline": scenario.baseline,
        "urls": len(scenario.paths),
        "requests": len(s),
        "errors": len(scenario.errors),
        "error_examples": scenario.errors[:5],
        "p50": round(percentile(s, 50), 1),
        "p95": round(percentile(s, 95), 1),
        "p99": round(percentile(s, 99), 1),
        "max": round(max(s), 1),
        "throughput": round(scenario.throughput, 1),
        "throughput_errors": scenario.throughput_errors,
        "slowest_paths": [
            {"path": path, "median": round(statistics.median(ms), 1), "n": len(ms)}
            for path, ms in slowest[:8]
        ],
    }


CHECKED_TABLES = ["records_work", "records_authorship", "records_author", "records_coauthorship"]


def verify_dataset() -> None:
    """Fail unless the bench database still holds what bench.generate loaded: a benchmark of
    a half-empty database must not look fast."""
    generated = json.loads((OUT_DIR / "generate.json").read_text())
    loaded = generated["rows"]
    with psycopg.connect(DATABASE_URL) as conn:
        indexes = sorted(name for _, name, _ in schema.snapshot(conn).indexes)
        if indexes != generated["checks"]["indexes"]:
            missing = set(generated["checks"]["indexes"]) - set(indexes)
            raise RuntimeError(f"indexes changed since bench.generate; missing: {missing}")
        for table in CHECKED_TABLES:
            count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            if count != loaded[table]:
                raise RuntimeError(
                    f"{table} has {count:,} rows, bench.generate loaded {loaded[table]:,}"
                )


def code_version() -> str:
    """The commit measured, and whether the product code had uncommitted changes."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)  # noqa: S603
    dirty = subprocess.run(  # noqa: S603 - git with fixed arguments
        [*git, "status", "--porcelain", "--", "apps", "config", "templates"],
        capture_output=True,
        text=True,
    )
    changed = len(dirty.stdout.splitlines())
    return head.stdout.strip() + (f" + {changed} uncommitted product files" if changed else "")


def database_facts() -> dict:
    with psycopg.connect(DATABASE_URL) as conn:
        target = conn.execute(
            "SELECT id FROM records_author WHERE display_name = %s", [TARGET_NAME]
        ).fetchone()[0]
        day = conn.execute("SELECT max(publication_date) FROM records_work").fetchone()[0]
        topic = conn.execute(
            "SELECT t.slug, count(*) FROM records_work_topics wt "
            "JOIN records_topic t ON t.id = wt.topic_id GROUP BY t.slug ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
        busiest = conn.execute(
            "SELECT id, works_count FROM records_author ORDER BY works_count DESC, id LIMIT 1"
        ).fetchone()
        return {
            "target": target,
            "busiest": busiest[0],
            "busiest_works": busiest[1],
            "day": day.isoformat(),
            "topic": topic[0],
            "topic_works": topic[1],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--budget", type=float, default=120.0, help="seconds of sequential requests per scenario"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--only", default="", help="run scenarios whose name contains this")
    args = parser.parse_args()
    verify_dataset()
    facts = database_facts()
    load_before = os.getloadavg()
    server = start_server(args.workers)
    try:
        todo = [
            s
            for s in scenarios(
                facts["target"],
                facts["topic"],
                facts["day"],
                busiest=facts["busiest"],
                deep=not args.only,
            )
            if args.only.lower() in s.name.lower()
        ]
        for scenario in todo:
            print(f"[bench] {scenario.name}: {len(scenario.paths)} URL(s)", flush=True)
            run_sequential(scenario, args.requests, args.budget)
            run_throughput(scenario, args.threads, args.seconds)
            print(f"[bench]   {json.dumps(summarise(scenario))[:300]}", flush=True)
    finally:
        stop_server(server)
    verify_dataset()
    results = {
        "run": {
            "finished_at": time.strftime("%Y-%m-%d %H:%M %Z"),
            "requests_per_scenario": args.requests,
            "budget_seconds": args.budget,
            "code": code_version(),
            "throughput_seconds": args.seconds,
            "client_threads": args.threads,
            "gunicorn_workers": args.workers,
            "python": platform.python_version(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        },
        "facts": facts,
        "scenarios": [summarise(s) for s in todo],
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "results.json").write_text(json.dumps(results, indent=2))
    report.write(results)


if __name__ == "__main__":
    main()
