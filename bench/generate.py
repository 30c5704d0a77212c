"""Build the benchmark database: `python -m bench.generate [--works N] [--authors N]`.

Drops and recreates the bench database (BENCH_DATABASE_URL, default peerage_bench on the
local server), runs the migrations, then streams the synthetic dataset (bench/dataset.py) in
with COPY, never the ORM. During the load the migrated schema's foreign keys, unique
constraints and secondary indexes are set aside and rebuilt afterwards (bench/schema.py); the
search_vector trigger stays on, so COPY computes Work.search_vector with the migration's own
expression. Timings and row counts go to var/bench/generate.json for the report.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time

import psycopg

from . import schema
from .common import (
    DATABASE_URL,
    OUT_DIR,
    PYTHON,
    ROOT,
    TARGET_NAME,
    TARGET_WORKS,
    Timer,
    admin_url,
    database_name,
    django_env,
)
from .dataset import Dataset

WORK_COLUMNS = (
    "id, title, title_html, abstract, type, publication_date, date_precision, publication_year, "
    "venue_id, doi, arxiv_id, openalex_id, other_ids, landing_url, pdf_url, code_url, "
    "citation_count, authors_count, created_at, updated_at"
)
AUTHOR_COLUMNS = (
    "id, display_name, name_variants, search_name, orcid, openalex_id, other_ids, "
    "merged_into_id, verification_level, works_count, citation_count, h_index, "
    "topics_count, collaborators_count, metrics_updated_at, created_at, updated_at"
)
AUTHORSHIP_COLUMNS = "id, work_id, author_id, position, raw_name, status, status_changed_at"
CLOSE_COLLABORATOR_MIN_SHARED = 2  # apps.records.metrics; not imported to keep Django out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--authors", type=int, default=300_000)
    parser.add_argument(
        "--skip-if-present", action="store_true", help="keep an existing, complete bench database"
    )
    args = parser.parse_args()
    if args.skip_if_present and already_loaded(args.works):
        print(f"[bench] {database_name()} already holds the dataset; not regenerating")
        return
    generate(Dataset(works=args.works, authors=args.authors))


def already_loaded(works: int) -> bool:
    try:
        with psycopg.connect(DATABASE_URL, connect_timeout=5) as conn:
            count = conn.execute("SELECT count(*) FROM records_work").fetchone()[0]
            target = conn.execute(
                "SELECT works_count FROM records_author WHERE display_name = %s", [TARGET_NAME]
            ).fetchone()
    except psycopg.Error:
        return False
    return count == works and target is not None and target[0] == TARGET_WORKS


def generate(data: Dataset) -> None:
    timer = Timer()
    started = time.perf_counter()
    with timer.step("create database and migrate"):
        recreate_database()
        migrate()
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        shot = schema.snapshot(conn)
        with timer.step("set aside indexes and constraints"):
            schema.set_aside(conn, shot)
        with timer.step("plan authors and bylines (Python)"):
            data.plan_authors()
            data.plan_bylines()
        load(conn, data, timer)
        derive(conn, timer)
        with timer.step("rebuild indexes and constraints"):
            schema.restore(conn, shot)
        with timer.step("VACUUM ANALYZE"):
            conn.execute("VACUUM (ANALYZE)")
        counts = schema.row_counts(conn)
        checks = sanity_checks(conn)
        checks["indexes"] = sorted(name for _, name, _ in schema.snapshot(conn).indexes)
    record(data, timer, counts, checks, time.perf_counter() - started)


def recreate_database() -> None:
    name = database_name()
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate() -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=django_env(),
        check=True,
    )


def copy_rows(conn: psycopg.Connection, table: str, columns: str, rows) -> int:
    n = 0
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def load(conn: psycopg.Connection, data: Dataset, timer: Timer) -> None:
    with timer.step("COPY topics, venues, institutions"):
        copy_rows(conn, "records_topic", "id, name, slug, code, openalex_id", data.topic_rows())
        copy_rows(
            conn,
            "records_venue",
            "id, name, openalex_id, issn_l, kind",
            data.venue_rows(),
        )
        copy_rows(
            conn,
            "records_institution",
            "id, name, ror_id, openalex_id, country_code",
            data.institution_rows(),
        )
    with timer.step("COPY authors"):
        copy_rows(conn, "records_author", AUTHOR_COLUMNS, data.author_rows())
        copy_rows(
            conn,
            "records_author_institutions",
            "id, author_id, institution_id",
            data.author_institution_rows(),
        )
    with timer.step("COPY works, authorships, work topics (search_vector trigger on)"):
        copy_works(data)


def copy_works(data: Dataset) -> None:
    """Three COPY streams on three connections, fed from one pass over the works: PostgreSQL
    parses rows and runs the tsvector trigger while Python generates the next ones."""
    with (
        psycopg.connect(DATABASE_URL, autocommit=True) as wc,
        psycopg.connect(DATABASE_URL, autocommit=True) as ac,
        psycopg.connect(DATABASE_URL, autocommit=True) as tc,
        wc.cursor().copy(f"COPY records_work ({WORK_COLUMNS}) FROM STDIN") as works,
        ac.cursor().copy(f"COPY records_authorship ({AUTHORSHIP_COLUMNS}) FROM STDIN") as ships,
        tc.cursor().copy("COPY records_work_topics (work_id, topic_id) FROM STDIN") as topics,
    ):
        for i, (row, authorships, topic_ids) in enumerate(data.work_rows(), start=1):
            works.write_row(row)
            for authorship in authorships:
                ships.write_row(authorship)
            for topic_id in topic_ids:
                topics.write_row((row[0], topic_id))
            if i % 100_000 == 0:
                print(f"[bench]   {i:,} works", flush=True)


def derive(conn: psycopg.Connection, timer: Timer) -> None:
    conn.execute("SET work_mem = '1GB'")
    with timer.step("sequences"):
        schema.reset_sequences(conn)
    with timer.step("derive AuthorTopic rows"):
        conn.execute(schema.AUTHOR_TOPICS)
    with timer.step("derive CoAuthorship rows (full graph, both directions)"):
        conn.execute(schema.COAUTHORSHIPS)
    with timer.step("derive author metrics (works, citations, h-index, topics, collaborators)"):
        conn.execute(schema.AUTHOR_METRICS, {"close": CLOSE_COLLABORATOR_MIN_SHARED})
        # The UPDATE left a dead copy of every author row; rewrite the table compactly.
        conn.execute("VACUUM FULL records_author")
    with timer.step("check Work.authors_count"):
        mismatches = conn.execute(schema.AUTHORS_COUNT_MISMATCHES).fetchone()[0]
        if mismatches:
            raise RuntimeError(f"{mismatches} works have a wrong authors_count")
    schema.reset_sequences(conn)
    conn.execute("RESET work_mem")


def sanity_checks(conn: psycopg.Connection) -> dict:
    target = conn.execute(
        "SELECT id, works_count, collaborators_count, topics_count, h_index "
        "FROM records_author WHERE display_name = %s",
        [TARGET_NAME],
    ).fetchone()
    if target is None or target[1] != TARGET_WORKS:
        raise RuntimeError(f"target author has {target and target[1]} works, not {TARGET_WORKS}")
    wu = conn.execute(r"SELECT count(*) FROM records_author WHERE search_name ~ '\mwu\M'")
    return {
        "target_author": dict(
            zip(["id", "works", "close_collaborators", "topics", "h_index"], target, strict=True)
        ),
        "authors_named_wu": wu.fetchone()[0],
        "database_size": conn.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()[0],
    }


def record(data: Dataset, timer: Timer, counts: dict, checks: dict, total: float) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    result = {
        "requested": {"works": data.works, "authors": data.authors, "seed": data.seed},
        "rows": counts,
        "checks": checks,
        "steps_seconds": timer.steps,
        "total_seconds": round(total, 1),
        "finished_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    (OUT_DIR / "generate.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
