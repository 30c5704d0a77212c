"""Benchmark the OpenAlex snapshot loader: `python -m bench.snapshot [--works 200000]`.

Generates a snapshot folder in OpenAlex's layout (manifests, `updated_date=…` partitions of
gzip JSON Lines shaped like real Work and Author objects, a merged_ids file) into a temp dir,
then, against its own database (SNAPBENCH_DATABASE_URL, default peerage_snapbench, dropped,
created and migrated), measures:

  (a) raw COPY: the very rows the loader stages, COPYed again into tables of the same shape
      (same COPY path, no parsing): the ceiling for the staging step;
  (b) the staging step alone: read, parse, resolve and COPY into the staging tables, per
      partition, rolled back (every work new: an initial load), for each staging design
      (`--staging python,sql`: reader processes parsing in Python, or the lines COPYed as
      jsonb and staged by set-based SQL; the same partition both ways, back to back);
  (c) the full load: `load_snapshot` from an empty database (staging, set-based upsert,
      metrics), partition by partition, committed; once per design.

Prints a markdown table (works/s, and (b)/(a), (c)/(a)) and writes var/bench/snapshot.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "snapshot.json"
DATABASE_URL = os.environ.get(
    "SNAPBENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peerage_snapbench"
)
OA = "https://openalex.org/"
WORDS = (  # noqa: SIM905  (a sentence of words reads better than a column of strings)
    "model data network analysis learning graph stream adaptive robust sparse quantum "
    "protein cell climate signal optimal bayesian neural distributed causal spectral "
    "inference dynamic latent kernel efficient scalable memory energy transfer structure"
).split()
GIVEN = "Ada Bruno Chiara Dmitri Elif Farid Grace Hiro Ines Jonas Kwame Lena".split()  # noqa: SIM905
FAMILY = "Lindqvist Okafor Tanaka Novak Haddad Moreau Silva Kowalski Yilmaz Kim".split()  # noqa: SIM905


# The synthetic snapshot ---------------------------------------------------------------------


def orcid(n: int) -> str:
    base = f"0000000{n:08d}"
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


class Generator:
    """Deterministic OpenAlex-shaped objects: about 4 authors a work from a pool of half as
    many authors as works (40% with an ORCID iD), 5,000 institutions, 2,000 sources, 4,500
    topics, ~100-word abstracts and the reference lists real records carry."""

    def __init__(self, works: int, seed: int = 7) -> None:
        self.works, self.authors = works, max(works // 2, 10)
        self.rng = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)

    def name(self, n: int) -> str:
        return f"{GIVEN[n % len(GIVEN)]} {chr(65 + n % 26)}. {FAMILY[n * 7 % len(FAMILY)]}{n}"

    def institution(self, n: int) -> dict:
        return {
            "id": f"{OA}I{n}",
            "display_name": f"Institute {n}",
            "ror": None,
            "country_code": "SE",
            "type": "education",
            "lineage": [f"{OA}I{n}"],
        }

    def author_ref(self, n: int) -> dict:
        return {
            "author_position": "middle",
            "author": {
                "id": f"{OA}A{5_000_000_000 + n}",
                "display_name": self.name(n),
                "orcid": f"https://orcid.org/{orcid(n)}" if n % 5 < 2 else None,
            },
            "institutions": [self.institution(n % 5000)] if n % 10 < 7 else [],
            "countries": ["SE"],
            "is_corresponding": False,
            "raw_author_name": self.name(n),
            "raw_affiliation_strings": [f"Institute {n % 5000}, Somewhere"],
        }

    def work(self, n: int) -> dict:
        rng = self.rng
        size = min(max(int(rng.gauss(4, 2)), 1), 12)
        people = rng.sample(range(self.authors), size)
        abstract = {}
        for position in range(100):
            abstract.setdefault(rng.choice(WORDS) + str(rng.randrange(50)), []).append(position)
        source = rng.randrange(2000)
        title = " ".join(rng.choice(WORDS) for _ in range(9)).capitalize()
        year = rng.randrange(2001, 2026)
        return {
            "id": f"{OA}W{4_000_000_000 + n}",
            "doi": f"https://doi.org/10.5555/bench.{n}",
            "title": title,
            "display_name": title,
            "publication_year": year,
            "publication_date": f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            "ids": {"openalex": f"{OA}W{4_000_000_000 + n}", "mag": str(n), "pmid": None},
            "language": "en",
            "primary_location": {
                "is_oa": True,
                "landing_page_url": f"https://doi.org/10.5555/bench.{n}",
                "pdf_url": None,
                "source": {
                    "id": f"{OA}S{source}",
                    "display_name": f"Journal of {WORDS[source % len(WORDS)].title()} {source}",
                    "issn_l": "1234-5678",
                    "type": "journal",
                },
            },
            "type": "article",
            "type_crossref": "journal-article",
            "open_access": {"is_oa": True, "oa_status": "gold", "oa_url": None},
            "authorships": [self.author_ref(p) for p in people],
            "cited_by_count": int(rng.paretovariate(1.3)) - 1,
            "biblio": {"volume": "12", "issue": "3", "first_page": "1", "last_page": "9"},
            "is_retracted": False,
            "is_paratext": False,
            "topics": [
                {"id": f"{OA}T{10000 + t}", "display_name": f"Topic {t}", "score": 0.9}
                for t in rng.sample(range(4500), 3)
            ],
            "concepts": [
                {"id": f"{OA}C{c}", "display_name": f"Concept {c}", "level": 1, "score": 0.5}
                for c in rng.sample(range(60000), 5)
            ],
            "locations": [{"is_oa": True, "landing_page_url": f"https://example.org/{n}"}],
            "referenced_works": [f"{OA}W{rng.randrange(10**9)}" for _ in range(20)],
            "related_works": [f"{OA}W{rng.randrange(10**9)}" for _ in range(10)],
            "abstract_inverted_index": abstract,
            "counts_by_year": [{"year": 2024, "cited_by_count": 1}],
            "updated_date": "2024-01-01T00:00:00.000000",
            "created_date": "2020-01-01",
        }

    def author(self, n: int) -> dict:
        return {
            "id": f"{OA}A{5_000_000_000 + n}",
            "orcid": f"https://orcid.org/{orcid(n)}" if n % 5 < 2 else None,
            "display_name": self.name(n),
            "display_name_alternatives": [self.name(n), self.name(n).replace(". ", " ")],
            "works_count": 8,
            "cited_by_count": 20,
            "ids": {"openalex": f"{OA}A{5_000_000_000 + n}"},
            "last_known_institutions": [self.institution(n % 5000)] if n % 10 < 7 else [],
            "x_concepts": [{"id": f"{OA}C{n % 60000}", "display_name": "Concept", "score": 9}],
            "counts_by_year": [{"year": 2024, "works_count": 2, "cited_by_count": 5}],
            "updated_date": "2024-01-01T00:00:00",
        }


def kept_snapshot(folder: Path, works: int, per_partition: int) -> dict | None:
    """The sizes of a snapshot an earlier `--keep` run wrote into `folder`, if it holds `works`
    works in partitions of `per_partition` (the generator is deterministic, so it holds the
    same records); else None."""
    try:
        sizes = json.loads((folder / "sizes.json").read_text())
    except (OSError, ValueError):
        return None
    same = (sizes.get("works", {}).get("records"), sizes.get("partition")) == (works, per_partition)
    return sizes if same else None


def write_snapshot(folder: Path, generator: Generator, per_partition: int) -> dict:
    """Write the folder; returns sizes for the report."""
    sizes = {}
    for entity, count, make in (
        ("authors", generator.authors, generator.author),
        ("works", generator.works, generator.work),
    ):
        entries, raw = [], 0
        for part, start in enumerate(range(0, count, per_partition)):
            path = folder / entity / f"updated_date=2024-01-{part + 1:02d}" / "part_000.gz"
            path.parent.mkdir(parents=True, exist_ok=True)
            n = min(per_partition, count - start)
            lines = "".join(json.dumps(make(i)) + "\n" for i in range(start, start + n))
            raw += len(lines)
            path.write_bytes(gzip.compress(lines.encode(), compresslevel=3))
            url = f"s3://openalex/data/{entity}/{path.parent.name}/{path.name}"
            meta = {"content_length": path.stat().st_size, "record_count": n}
            entries.append({"url": url, "meta": meta})
        manifest = {"entries": entries, "meta": {"record_count": count}}
        (folder / entity / "manifest").write_text(json.dumps(manifest))
        sizes[entity] = {"records": count, "json_bytes_per_record": raw // max(count, 1)}
    merged = folder / "merged_ids" / "authors" / "2024-01-20.csv.gz"
    merged.parent.mkdir(parents=True)
    pairs = "".join(
        f"2024-01-20,A{5_000_000_000 + i},A{5_000_000_000 + i + 1}\n" for i in range(0, 200, 2)
    )
    merged.write_bytes(gzip.compress(("merge_date,id,merge_into_id\n" + pairs).encode()))
    sizes["partition"] = per_partition
    (folder / "sizes.json").write_text(json.dumps(sizes))  # outside any entity's folder
    return sizes


# The database ------------------------------------------------------------------------------


def recreate_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_DEBUG": "false"},
        check=True,
    )


def setup_django() -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=DATABASE_URL,
        DJANGO_DEBUG="false",  # no query log growing by the million
        REDIS_URL="",
    )
    import django

    django.setup()


def close_connection() -> None:
    from django.db import connection

    connection.close()


# The measurements --------------------------------------------------------------------------


def measure_staging(folder: Path, designs: tuple[str, ...]) -> dict:
    """(b) the staging step per partition, for each design, and (a) the rows the Python
    design staged COPYed again, rolled back (the collector set as load_snapshot sets it)."""
    from apps.ingest.snapshot.collector import fewer_collections

    with fewer_collections():
        return _measure_staging(folder, designs)


def _measure_staging(folder: Path, designs: tuple[str, ...]) -> dict:
    from apps.ingest.snapshot import plan_snapshot
    from apps.ingest.snapshot.parallel import Readers, default_workers

    plan = plan_snapshot(folder)
    readers = Readers(default_workers())
    readers.start()  # before the clock does
    found: dict = {"raw_copy_s": 0.0}
    cpu = {"raw_client": 0.0, "raw_server": 0.0}
    for design in designs:
        found[design] = {
            "staging_s": 0.0,
            "cpu": dict.fromkeys(("reader", "loader", "server"), 0.0),
        }
        found[design].update(phases={}, staged_by=[])
    for partition in (p for p in plan.partitions if p.entity == "works"):
        for design in designs:
            _stage_once(partition, design, plan, readers, found, cpu)
        print(f"[snapshot] staged {partition.key} both ways", flush=True)
    readers.close()
    for design in designs:
        print(f"[snapshot] {design}: CPU while staging", _rounded(found[design]["cpu"]), flush=True)
        print(f"[snapshot] {design}: phases", _rounded(found[design]["phases"]), flush=True)
        print(f"[snapshot] {design}: staged by", found[design]["staged_by"], flush=True)
    print("[snapshot] CPU during (a):", _rounded(cpu), flush=True)
    found["raw_cpu"] = cpu
    return found


def _stage_once(partition, design: str, plan, readers, found: dict, cpu: dict) -> None:
    """Stage `partition` with `design` (rolled back); after the Python design, (a) on the
    rows it staged."""
    from django.db import connection, transaction

    from apps.ingest.snapshot import PartitionStats, stage_partition
    from apps.ingest.snapshot.progress import Progress
    from apps.ingest.snapshot.staging import TABLES, copy_rows
    from bench.staging import CapturingStager, reader_pids

    bar = Progress(plan, enabled=False, report=print)
    mine = found[design]
    with transaction.atomic():
        connection.ensure_connection()
        server = connection.connection.info.backend_pid
        with connection.connection.cursor() as cursor:
            stager, started = CapturingStager(), time.perf_counter()
            stats = PartitionStats(partition.key)
            clock = CpuClock(reader_pids(readers) if design == "python" else [], server)
            stage_partition(
                partition,
                cursor,
                stager,
                stats,
                bar,
                readers if design == "python" else None,
                design,
            )
            mine["staging_s"] += time.perf_counter() - started
            for key, spent in zip(("reader", "loader", "server"), clock.spent(), strict=True):
                mine["cpu"][key] += spent
            for phase, seconds in stats.phases.items():
                mine["phases"][phase] = mine["phases"].get(phase, 0.0) + seconds
            mine["staged_by"].append(stats.staged_by)
            if design == "sql":
                _copy_lines_as_text(partition, cursor, found, server)
            if design == "python":
                for table in TABLES:
                    cursor.execute(f"CREATE TEMP TABLE raw_{table} (LIKE {table})")
                started, clock = time.perf_counter(), CpuClock([], server)
                for table, rows in stager.captured.items():
                    copy_rows(cursor, table, rows, target=f"raw_{table}")
                found["raw_copy_s"] += time.perf_counter() - started
                _, client, backend = clock.spent()
                cpu["raw_client"] += client
                cpu["raw_server"] += backend
        transaction.set_rollback(True)


def _copy_lines_as_text(partition, cursor, found: dict, server: int) -> None:
    """The partition's lines COPYed into a `text` column the way the SQL design COPYs them into
    `jsonb`: what any design that stages in the database pays before parsing a byte."""
    from apps.ingest.snapshot.jsonstage import copy_lines

    table = f"bench_lines_text_{server}"
    cursor.execute(
        f"CREATE UNLOGGED TABLE {table} (line bigint GENERATED ALWAYS AS IDENTITY, doc text)"
    )
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN doc SET STORAGE EXTERNAL")
    started, clock = time.perf_counter(), CpuClock([], server)
    copy_lines(partition.path, cursor, table)
    found["lines_text_s"] = found.get("lines_text_s", 0.0) + time.perf_counter() - started
    _, client, backend = clock.spent()
    found["lines_text_cpu"] = [
        a + b
        for a, b in zip(found.get("lines_text_cpu", [0.0, 0.0]), (client, backend), strict=True)
    ]


class CpuClock:
    """CPU time (user + system) spent since it was made by the reader processes, this
    process and the server's backend. Read from /proc: zeros where there is none."""

    def __init__(self, readers: list[int], server: int) -> None:
        self.readers, self.server = readers, server
        self.start = self._now()

    def _now(self) -> tuple[float, float, float]:
        return sum(map(_proc_cpu, self.readers)), time.process_time(), _proc_cpu(self.server)

    def spent(self) -> tuple[float, ...]:
        return tuple(b - a for a, b in zip(self.start, self._now(), strict=True))


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rounded(values: dict) -> dict:
    return {k: round(v, 1) for k, v in values.items()}


def measure_full_load(folder: Path, design: str) -> dict:
    """(c) the whole load, committed, from an empty database."""
    from apps.ingest.snapshot import load_snapshot

    server_before = server_counters()
    lines: list[str] = []

    def report(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    started = time.perf_counter()
    results = load_snapshot(folder, progress=False, report=report, staging=design)
    total = time.perf_counter() - started
    # "put work_search_vector_gin back in 61.2 s": what the load set aside while it ran
    rebuilt = [
        float(line.split(" back in ")[1].split()[0]) for line in lines if " back in " in line
    ]
    server = {k: v - server_before[k] for k, v in server_counters().items()}
    print("[snapshot] server, during the load:", server, flush=True)
    works = [r for r in results if r.key.startswith("works/")]
    print("[snapshot] works partitions staged by", [r.staged_by for r in works], flush=True)
    phases: dict[str, float] = {}
    for result in works:
        for phase, seconds in result.phases.items():
            phases[phase] = phases.get(phase, 0.0) + seconds
    print("[snapshot] works partitions by phase:", {k: round(v, 1) for k, v in phases.items()})
    partitions = [
        {"key": r.key, "s": round(r.seconds, 1), **{k: round(v, 1) for k, v in r.phases.items()}}
        for r in works
    ]
    for partition in partitions:  # a phase that grows partition by partition shows up here
        print("[snapshot]", partition, flush=True)
    return {
        "works_phases_s": phases,
        "works_partitions": partitions,
        "full_load_s": total,
        "works_load_s": sum(r.seconds for r in works),
        "authors_load_s": sum(r.seconds for r in results if r.key.startswith("authors/")),
        "metrics_s": sum(r.seconds for r in results if r.key == "metrics"),  # once, at the end
        "set_aside_s": sum(rebuilt),
        "rows_written": sum(r.rows_written for r in results),
        "server": server,
        "settings": server_settings(),
    }


def server_counters() -> dict[str, int]:
    """PostgreSQL's own counters (server-wide, so nothing else should run): WAL written,
    full-page images in it, checkpoints forced by max_wal_size, and buffers the backends had
    to write out themselves for want of clean ones."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w.wal_bytes::bigint, w.wal_fpi, b.checkpoints_req, b.buffers_backend "
            "FROM pg_stat_wal w, pg_stat_bgwriter b"
        )
        row = cursor.fetchone()
    names = ("wal_bytes", "wal_fpi", "checkpoints_req", "buffers_backend")
    return dict(zip(names, row, strict=True))


def server_settings() -> str:
    """The settings that shape a bulk load's cost, as the section's heading shows them."""
    from django.db import connection

    names = ("shared_buffers", "max_wal_size", "checkpoint_timeout", "wal_compression")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s) "
            "ORDER BY name",
            [list(names)],
        )
        return ", ".join(f"{name} {value}" for name, value in cursor.fetchall())


def table(works: int, timings: dict, designs: tuple[str, ...]) -> str:
    raw = timings.get("raw_copy_s")

    def row(label: str, seconds: float | None) -> str:
        if seconds is None:
            return f"| {label} | not measured | | |"
        ratio = f"{raw / seconds:.2f}" if raw else ""
        return f"| {label} | {seconds:.1f} | {works / seconds:,.0f} | {ratio} |"

    lines = [
        f"| Snapshot loader, {works:,} works | seconds | works/s | vs raw COPY |",
        "|---|---:|---:|---:|",
        row("(a) raw COPY of the staged rows", raw),
    ]
    if timings.get("lines_text_s"):
        lines.append(
            row("(a2) the partitions' lines COPYed into a text column", timings["lines_text_s"])
        )
    for design in designs:
        staged = timings.get(design, {}).get("staging_s")
        lines.append(row(f"(b) staging, {DESIGNS[design]}", staged))
    for design in designs:
        lines += _full_rows(works, timings.get(design, {}), DESIGNS[design], row)
    lines.append("")
    for design in designs:
        if timings.get(design, {}).get("cpu"):
            lines.append(cpu_line(design, timings))
    if timings.get("lines_text_cpu"):
        client, backend = timings["lines_text_cpu"]
        lines.append(f"CPU seconds during (a2): client {client:.1f}, backend {backend:.1f}.\n")
    for design in designs:
        if timings.get(design, {}).get("server"):
            lines.append(server_line(design, timings[design]))
    return "\n".join(lines)


DESIGNS = {
    "python": "Python design (reader processes parse, the loader resolves and COPYs rows)",
    "sql": "SQL design (lines COPYed as jsonb, rows built by set-based SQL)",
}


def _full_rows(works: int, full: dict, label: str, row) -> list[str]:
    if "full_load_s" not in full:
        return []
    phases = ", ".join(
        f"{k} {v:.0f} s" for k, v in full["works_phases_s"].items() if not k.startswith("sql ")
    )
    rows = [row(f"(c) {label}: works partitions ({phases})", full["works_load_s"])]
    if full.get("metrics_s"):
        rows.append(
            f"| (c) the run's metrics refresh, once after the last partition | "
            f"{full['metrics_s']:.1f} | | |"
        )
    if full.get("set_aside_s"):
        rows.append(
            f"| (c) search indexes and foreign keys put back | {full['set_aside_s']:.1f} | | |"
        )
    rows.append(row(f"(c) {label}: everything", full["full_load_s"]))
    minutes = full["full_load_s"] * 1e6 / works / 60
    rows.append(f"| 1,000,000 works at that rate | {minutes:.1f} min | | |")
    return rows


def cpu_line(design: str, timings: dict) -> str:
    """Where (b)'s CPU went, and (a)'s: the lower bound on (b) is their sum over the cores."""
    cpu, raw = timings[design]["cpu"], timings["raw_cpu"]
    spent = cpu["reader"] + cpu["loader"] + cpu["server"]
    steps = {k[4:]: v for k, v in timings[design]["phases"].items() if k.startswith("sql ")}
    where = "; its steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()) if steps else ""
    return (
        f"CPU seconds during (b), {design} design: reader processes {cpu['reader']:.1f}, loader "
        f"{cpu['loader']:.1f}, PostgreSQL backend {cpu['server']:.1f} (sum {spent:.1f}, "
        f"{spent / (os.cpu_count() or 1):.1f} s over {os.cpu_count()} cores){where}; during (a): "
        f"client {raw['raw_client']:.1f}, backend {raw['raw_server']:.1f}.\n"
    )


def server_line(design: str, timings: dict) -> str:
    server = timings.get("server") or {}
    if not server:
        return ""
    return (
        f"PostgreSQL ({timings['settings']}) during (c), {design} design: "
        f"{server['wal_bytes'] / 2**30:.1f} GiB "
        f"of WAL, {server['wal_fpi']:,} full-page images in it, {server['checkpoints_req']} "
        f"checkpoints forced by max_wal_size, {server['buffers_backend']:,} buffers written out "
        "by backends."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=200_000)
    parser.add_argument("--partition", type=int, default=50_000, help="records per partition")
    parser.add_argument(
        "--keep", type=Path, help="write the snapshot here and keep it (or reuse it, if there)"
    )
    parser.add_argument(
        "--full-only", action="store_true", help="skip (a) and (b): time the full load only"
    )
    parser.add_argument(
        "--staging",
        default="python,sql",
        help="the staging designs to measure, comma-separated (python, sql)",
    )
    parser.add_argument("--no-full", action="store_true", help="skip (c): (a) and (b) only")
    args = parser.parse_args()
    designs = tuple(d.strip() for d in args.staging.split(",") if d.strip())
    folder = args.keep or Path(tempfile.mkdtemp(prefix="snapbench-"))
    load_before = os.getloadavg()
    try:
        started = time.perf_counter()
        sizes = kept_snapshot(folder, args.works, args.partition) if args.keep else None
        if sizes is None:
            sizes = write_snapshot(folder, Generator(args.works), args.partition)
            print(f"[snapshot] generated {folder} in {time.perf_counter() - started:.0f} s")
        else:
            print(f"[snapshot] reusing {folder} (written by an earlier --keep run)", flush=True)
        recreate_database()
        setup_django()
        timings = {} if args.full_only else measure_staging(folder, designs)
        for design in () if args.no_full else designs:
            close_connection()
            recreate_database()
            print(f"[snapshot] full load, {design} design", flush=True)
            timings.setdefault(design, {}).update(measure_full_load(folder, design))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report = table(args.works, timings, designs)
    print(report)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"works": args.works, "sizes": sizes, **timings}, indent=1))
    write_section(args.works, report, load_before, full_only=args.full_only, designs=designs)


def write_section(
    works: int,
    report: str,
    load_before: tuple[float, ...],
    *,
    full_only: bool = False,
    designs: tuple[str, ...] = ("python",),
) -> None:
    """The `snapshot` section of docs/benchmarks.md, or `snapshot-full-<works>` for a
    --full-only run (so neither a 1M-work load nor a quick one replaces the other, nor the
    staging figures; the analysis is by hand); a run of both staging designs writes
    `snapshot-staging`."""
    from .measure import code_version
    from .report import replace_section

    finished = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = [round(x, 2) for x in load_before], [round(x, 2) for x in os.getloadavg()]
    head = (
        f"Run finished {finished}, code at {code_version()}: `python -m bench.snapshot --works "
        f"{works}{' --full-only' if full_only else ''} --staging {','.join(designs)}` (database "
        f"{urlsplit(DATABASE_URL).path.lstrip('/')}). Load average "
        f"(1/5/15 min) before {load[0]}, after {load[1]}."
    )
    name = "snapshot-staging" if len(designs) > 1 else "snapshot"
    replace_section(f"snapshot-full-{works}" if full_only else name, f"{head}\n\n{report}")


if __name__ == "__main__":
    main()
