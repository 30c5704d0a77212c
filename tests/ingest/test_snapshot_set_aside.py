"""What a bulk load sets aside while it runs (snapshot/set_aside.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from apps.ingest.models import SetAside
from apps.ingest.snapshot import SnapshotError, load_snapshot
from apps.ingest.snapshot.set_aside import KEYS_OF, SEARCH_INDEXES, if_not_exists
from apps.records.models import Author, Authorship, Work
from apps.records.search import author_search, work_search
from tests.factories import make_author, make_work
from tests.ingest import snapshot_builder as build

pytestmark = pytest.mark.django_db
INDEXES = [name for names in SEARCH_INDEXES.values() for name in names]
KEY_TABLES = [table for tables in KEYS_OF.values() for table in tables]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no search indexes to set aside")


@pytest.fixture
def snapshot_dir(tmp_path) -> Path:
    return build.standard_snapshot(tmp_path / "openalex-snapshot")


def set_aside_kind() -> dict[str, str]:
    """name: definition of every search index and foreign key a load may set aside."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s) "
            "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [INDEXES, KEY_TABLES],
        )
        return dict(cursor.fetchall())


def load(folder: Path, lines: list[str] | None = None, **options) -> list:
    report = (lines if lines is not None else []).append
    return load_snapshot(folder, progress=False, report=report, **options)


def test_every_search_index_named_is_in_the_schema_and_the_tables_have_keys():
    schema = set_aside_kind()
    assert set(INDEXES) <= set(schema)
    assert len(schema) - len(INDEXES) >= 10  # authorship's work and author, and so on


def test_a_load_into_an_empty_database_drops_them_while_it_runs_and_builds_them_after(
    snapshot_dir, monkeypatch
):
    import apps.ingest.snapshot.load as loader

    before = set_aside_kind()
    during = {}
    real = loader.refresh_pending_metrics

    def refresh_and_look():
        during["indexes"] = set_aside_kind()
        during["rows"] = sorted(SetAside.objects.values_list("name", "definition"))
        return real()

    monkeypatch.setattr(loader, "refresh_pending_metrics", refresh_and_look)
    lines = []

    load(snapshot_dir, lines)

    assert during["indexes"] == {}  # the metrics refresh ran without them
    assert [name for name, _ in during["rows"]] == sorted(before)
    assert set_aside_kind() == before
    assert not SetAside.objects.exists()
    assert f"set aside until the load ends: {len(before)} search indexes and foreign keys" in lines
    assert sum(line.startswith("put ") for line in lines) == len(before)
    # The trigger kept search_vector up all along, so search finds what was loaded.
    work = Work.objects.exclude(title="").first()
    assert not Work.objects.filter(search_vector__isnull=True).exists()
    assert work in work_search(work.title)
    author = Author.objects.exclude(search_name="").first()
    assert author in author_search(author.display_name)


def test_a_killed_load_leaves_them_to_the_next_run_which_builds_them(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    before = set_aside_kind()

    def killed():
        raise KeyboardInterrupt

    monkeypatch.setattr(loader, "refresh_pending_metrics", killed)
    with pytest.raises(KeyboardInterrupt):
        load(snapshot_dir)
    assert set_aside_kind() == {}
    assert SetAside.objects.count() == len(before)

    monkeypatch.undo()
    results = load(snapshot_dir)  # every partition is loaded already

    assert all(r.already_loaded for r in results if r.key != "metrics")
    assert set_aside_kind() == before
    assert not SetAside.objects.exists()


def test_a_failed_load_builds_them_before_it_raises(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    before = set_aside_kind()

    def failed():
        raise SnapshotError("the metrics refresh failed")

    monkeypatch.setattr(loader, "refresh_pending_metrics", failed)
    with pytest.raises(SnapshotError):
        load(snapshot_dir)

    assert set_aside_kind() == before
    assert not SetAside.objects.exists()


def test_a_load_that_brings_fewer_records_than_a_table_holds_keeps_its_indexes(snapshot_dir):
    load(snapshot_dir)
    # Duplicates and records without a usable id make fewer rows than records: top up.
    for n in range(20):
        make_work(make_author(f"Extra Person {n}"), title=f"Extra work {n}")
    lines = []

    load(snapshot_dir, lines, force=True)

    assert not any("set aside" in line or line.startswith("put ") for line in lines)
    assert SetAside.objects.count() == 0


def test_only_the_table_a_load_outgrows_loses_its_indexes(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    load(snapshot_dir, entities=["authors"])
    during = {}
    real = loader.refresh_pending_metrics

    def refresh_and_look():
        during["tables"] = set(SetAside.objects.values_list("table", flat=True))
        return real()

    monkeypatch.setattr(loader, "refresh_pending_metrics", refresh_and_look)

    load(snapshot_dir, entities=["works"])

    assert during["tables"] == set(KEYS_OF["records_work"])  # the work side only


def test_an_index_definition_becomes_if_not_exists():
    assert (
        if_not_exists("CREATE INDEX w ON public.records_work USING gin (search_vector)")
        == "CREATE INDEX IF NOT EXISTS w ON public.records_work USING gin (search_vector)"
    )
    assert if_not_exists("CREATE UNIQUE INDEX u ON t USING btree (a)").startswith(
        "CREATE UNIQUE INDEX IF NOT EXISTS u "
    )
    with pytest.raises(ValueError, match="not an index definition"):
        if_not_exists("DROP TABLE records_work")


def test_when_building_them_after_a_failure_fails_too_the_runs_own_error_shows(
    snapshot_dir, monkeypatch
):
    import apps.ingest.snapshot.load as loader
    import apps.ingest.snapshot.set_aside as set_aside

    def failed():
        raise SnapshotError("the metrics refresh failed")

    def cannot_build(report):
        raise RuntimeError("server closed the connection")

    before = set_aside_kind()
    monkeypatch.setattr(loader, "refresh_pending_metrics", failed)
    monkeypatch.setattr(set_aside, "restore", cannot_build)
    lines = []

    with pytest.raises(SnapshotError, match="the metrics refresh failed"):
        load(snapshot_dir, lines)

    assert lines[-1] == (
        "search indexes and foreign keys not put back (server closed the connection); "
        "the next run does"
    )
    assert SetAside.objects.count() == len(before)  # kept for the next run


def test_a_key_put_back_still_refuses_a_dangling_authorship(snapshot_dir):
    load(snapshot_dir)
    assert not SetAside.objects.exists()
    authorship = Authorship.objects.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        Authorship.objects.filter(pk=authorship.pk).update(work_id=10**9)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
