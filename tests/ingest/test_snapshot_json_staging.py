"""Staging works partitions in the database (SNAPSHOT_STAGING = "sql", snapshot/jsonstage.py)
against the Python path: the same staging rows, table by table, and the same records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection, transaction

from apps.ingest.snapshot import PartitionStats, load_partition, plan_snapshot, stage_partition
from apps.ingest.snapshot.jsonstage import ahead_for
from apps.ingest.snapshot.parallel import Readers
from apps.ingest.snapshot.progress import Progress
from apps.ingest.snapshot.staging import TABLES, Stager
from bench.snapshot import Generator
from tests import samples
from tests.ingest import snapshot_builder as build
from tests.ingest.test_snapshot_loader import content, load, messy_snapshot, wipe

pytestmark = [
    pytest.mark.django_db(transaction=True),
    samples.postgres_only("staging from jsonb is PostgreSQL's"),
]
SAMPLE = samples.SAMPLES / "openalex-snapshot"
SEQUENCED = ("records_work", "records_author", "records_venue", "records_topic")


def odd_lines() -> list[dict | str]:
    """Works whose fields the SQL leaves to the Python parser, or handles at its edges."""
    a = build.authorship
    marked = build.work(40, [a(40)], title="The <i>E. coli</i> genome &amp; its H<sub>2</sub>O")
    arxiv = build.work(41, [a(41), a(0, name="Nobody")])
    arxiv["locations"] = [{"landing_page_url": "https://arxiv.org/abs/2401.01234v2"}]
    odd_doi = build.work(42, [a(42)], doi="10.5555/ODD%20Doi")
    bad_orcid = build.work(43, [a(43)])
    bad_orcid["authorships"][0]["author"]["orcid"] = "https://orcid.org/0000-0002-1825-0098"
    truncated = build.work(44, [a(44), a(45)])
    truncated["is_authors_truncated"] = True
    untitled = build.work(45, [a(46)], title=None, doi=False)
    untitled.update(title=None, display_name=None, ids={}, doi=None)
    spaced = build.work(
        46, [a(47, name="  Ada\u00a0 Lovelace ")], title="  Spaced\t out\u2003title "
    )
    spaced["abstract_inverted_index"] = {"b": [1], "\ta": [0], "c": [2.0], "d": [3]}
    dated = build.work(47, [a(48)])
    dated.update(publication_date="2023-02-30", publication_year=2023, cited_by_count=None)
    dated["updated_date"] = "2024-03-01"
    twice = build.work(48, [a(49)])
    twice["abstract_inverted_index"] = {"x": [0], "y": [0, 1]}
    entity = build.work(50, [build.authorship(51)])
    entity["abstract_inverted_index"] = {"Salt": [0], "&amp;": [1], "pepper": [2]}
    ids = build.work(49, [a(50)])
    ids["ids"] = {"pmid": "https://pubmed.ncbi.nlm.nih.gov/29456894/", "pmcid": "pmc123", "mag": 7}
    return [
        marked,
        arxiv,
        odd_doi,
        bad_orcid,
        truncated,
        untitled,
        "",
        spaced,
        dated,
        twice,
        ids,
        entity,
        # one person printed with an ORCID iD, then without it: one new record
        build.work(51, [a(70)]),
        build.work(52, [a(71), a(70, with_orcid=False)]),
    ]


def named_rows() -> list[dict]:
    """Venues and institutions known by name only, before and after rows with identifiers
    that carry the same name (in another case)."""
    a, lab = build.authorship, {"display_name": "Lab Zero", "country_code": "fr"}

    def at(n: int, venue: tuple[str | None, str], inst: list[dict]) -> dict:
        work = build.work(n, [a(n, inst=())])
        work["primary_location"]["source"] = {"id": venue[0], "display_name": venue[1]}
        work["authorships"][0]["institutions"] = inst
        return work

    lab_one = {"id": f"{build.OPENALEX}I900", "display_name": "Lab One"}
    return [
        at(60, (None, "Shared Venue"), [lab]),
        at(61, (f"{build.OPENALEX}S77", "Other Venue"), [lab_one]),
        at(62, (None, "OTHER VENUE"), [{"display_name": "LAB ONE"}, {"display_name": "lab zero"}]),
        at(63, (f"{build.OPENALEX}S78", "Shared Venue"), [{**lab_one, "display_name": "Lab 1"}]),
    ]


def varied_snapshot(root: Path) -> Path:
    """The standard snapshot, a partition of odd lines, and one from the benchmark's
    generator (200 works)."""
    build.standard_snapshot(root)
    build.write_partition(root, "works", "2024-03-01", odd_lines() + named_rows())
    generator = Generator(200)
    build.write_partition(root, "works", "2024-04-01", [generator.work(n) for n in range(200)])
    build.write_manifest(root, "works")
    return root


def _reset_sequences(cursor, start: dict[str, int]) -> None:
    for table, value in start.items():
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, value])


def _next_ids(cursor) -> dict[str, int]:
    found = {}
    for table in (*SEQUENCED, "records_institution"):
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
        found[table] = cursor.fetchone()[0]
    return found


def staged(partition, design: str, *, prepared: bool = False) -> dict:
    """What staging `partition` puts in every staging table (ids drawn from the same
    sequence values each time), its counts and the lines it leaves to the importer (with
    `prepared`, its lines COPYed and extracted ahead by a second connection)."""
    ahead = ahead_for(design) if prepared else None
    if ahead is not None:
        ahead.prepare(partition)
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            _reset_sequences(cursor, _next_ids(cursor))
            stats = PartitionStats(partition.key)
            bar = Progress(plan_snapshot(partition.path.parents[2]), enabled=False, report=print)
            stage = stage_partition(
                partition, cursor, Stager(), stats, bar, Readers(), design, ahead
            )
            tables = {}
            for table in TABLES:
                cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
                tables[table] = sorted(cursor.fetchall(), key=repr)
        transaction.set_rollback(True)
    if ahead is not None:
        with connection.cursor() as cursor:
            ahead.close(cursor)
    counts = (stats.records, stats.created, stats.unchanged, stats.skipped, stats.deferred)
    return {
        "tables": tables,
        "counts": counts,
        "deferred": sorted(stage.deferred_lines),
        "by": stats.staged_by,
        "prepared": "sql prepared ahead" in stats.phases,
    }


def test_both_designs_stage_the_same_rows_table_by_table(tmp_path):
    folder = varied_snapshot(tmp_path / "snapshot")
    bar = Progress(plan_snapshot(folder), enabled=False, report=print)
    compared = 0
    for partition in plan_snapshot(folder).partitions:
        if partition.entity == "works" and not partition.is_merge_file:
            python = staged(partition, "python")
            inline, ahead = staged(partition, "sql"), staged(partition, "sql", prepared=True)
            assert (inline["prepared"], ahead["prepared"]) == (False, True)
            for sql in (inline, ahead):
                assert sql["by"].startswith("sql"), sql["by"]
                for table in TABLES:
                    assert sql["tables"][table] == python["tables"][table], (partition.key, table)
                assert (sql["counts"], sql["deferred"]) == (python["counts"], python["deferred"])
            compared += sum(len(rows) for rows in python["tables"].values())
        load_partition(partition, force=False, bar=bar, readers=Readers(), staging="python")
    assert compared > 3000


def test_a_load_staged_in_the_database_writes_what_the_python_path_writes(tmp_path):
    folder = varied_snapshot(tmp_path / "snapshot")
    load(folder, staging="python")
    expected = content()
    wipe()

    results = load(folder, staging="sql")

    assert content() == expected
    works = [r for r in results if r.key.startswith("works/") and r.staged_by]
    assert {r.staged_by[:3] for r in works} == {"sql"}
    assert "(6 odd lines parsed in Python)" in works[-2].staged_by
    # each works partition was COPYed and extracted by a second connection ahead of its turn,
    # and nothing of that is left behind
    assert all("sql prepared ahead" in r.phases for r in works)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'snapshot_ahead_%%'")
        assert cursor.fetchone()[0] == 0


def test_a_partition_the_rules_cannot_take_is_staged_in_python(tmp_path):
    folder = messy_snapshot(tmp_path / "messy")
    load(folder, staging="python")
    expected = content()
    wipe()

    results = load(folder, staging="sql")

    assert content() == expected
    (works,) = [r for r in results if r.key.startswith("works/")]
    assert works.staged_by.startswith("python (")


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "https://openalex.org/W1", "title": NaN}',
        "\\.",
        '{"id": "W1", "title": "a\\u0000b"}',
    ],
)
def test_a_line_postgresql_refuses_is_read_by_the_python_path(tmp_path, line):
    root = tmp_path / "snapshot"
    good = build.work(1, [build.authorship(1)])
    build.write_partition(root, "works", "2024-01-01", [good, line, build.work(2, [])])
    build.write_manifest(root, "works")
    try:
        python = load(root, staging="python")
    except Exception as exc:
        python = repr(exc)
        expected = None
    else:
        expected = content()
    wipe()
    try:
        sql = load(root, staging="sql")
    except Exception as exc:
        sql = repr(exc)
    if expected is None:
        assert sql == python
    else:
        assert content() == expected
        assert json.dumps([r.staged_by for r in sql if r.key.startswith("works/")]).count("python")


def test_the_benchmark_stages_each_partition_both_ways(tmp_path):
    from bench import snapshot as bench

    folder = tmp_path / "bench"
    bench.write_snapshot(folder, Generator(300), per_partition=150)

    timings = bench.measure_staging(folder, ("python", "sql"))
    report = bench.table(300, timings, ("python", "sql"))

    assert timings["python"]["staged_by"] == ["python"] * 2
    assert [by[:3] for by in timings["sql"]["staged_by"]] == ["sql"] * 2
    assert timings["raw_copy_s"] > 0 and {"sql copy", "sql extract"} <= set(
        timings["sql"]["phases"]
    )
    assert "(b) staging, SQL design" in report and "CPU seconds during (b), sql design" in report
    assert timings["lines_text_s"] > 0 and "(a2)" in report


@pytest.mark.skipif(not SAMPLE.exists(), reason="needs ../shared/samples/openalex-snapshot")
def test_the_genuine_sample_is_staged_as_the_python_path_stages_it():
    (works,) = [p for p in plan_snapshot(SAMPLE).partitions if p.entity == "works"]

    python, sql = staged(works, "python"), staged(works, "sql")

    assert sql["tables"] == python["tables"] and sql["counts"] == python["counts"]
    assert sql["by"] == "sql"  # (no line of it needs the Python parser)
    assert python["counts"][1] == 27


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        ([b'{"a": "x\\\\y\\n"}\n'], b'{"a": "x\\\\\\\\y\\\\n"}\n'),
        ([b"\n\n\n{}\n"], b"\\N\n\\N\n\\N\n{}\n"),
        ([b"{}\n", b"\n{}\n\n"], b"{}\n\\N\n{}\n\\N\n"),
        ([b"{}", b"\n\n"], b"{}\n\\N\n"),
    ],
)
def test_lines_go_to_copy_as_text_with_every_line_kept(chunks, expected):
    from apps.ingest.snapshot.jsonstage import as_copy_text

    out, last = b"", b"\n"
    for chunk in chunks:
        out += as_copy_text(chunk, after_newline=last == b"\n")
        last = chunk[-1:]

    assert out == expected
