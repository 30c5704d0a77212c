"""The search indexes a bulk load sets aside while it runs (snapshot/search_indexes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from apps.ingest.models import SetAsideIndex
from apps.ingest.snapshot import SnapshotError, load_snapshot
from apps.ingest.snapshot.search_indexes import SEARCH_INDEXES, if_not_exists
from apps.records.models import Author, Work
from apps.records.search import author_search, work_search
from tests.factories import make_author, make_work
from tests.ingest import snapshot_builder as build

pytestmark = pytest.mark.django_db
NAMES = [name for names in SEARCH_INDEXES.values() for name in names]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no search indexes to set aside")


@pytest.fixture
def snapshot_dir(tmp_path) -> Path:
    return build.standard_snapshot(tmp_path / "openalex-snapshot")


def search_index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [NAMES]
        )
        return dict(cursor.fetchall())


def load(folder: Path, lines: list[str] | None = None, **options) -> list:
    report = (lines if lines is not None else []).append
    return load_snapshot(folder, progress=False, report=report, **options)


def test_every_search_index_named_is_in_the_schema():
    assert sorted(search_index_definitions()) == sorted(NAMES)


def test_a_load_into_an_empty_database_drops_them_while_it_runs_and_builds_them_after(
    snapshot_dir, monkeypatch
):
    import apps.ingest.snapshot.load as loader

    before = search_index_definitions()
    during = {}
    real = loader.refresh_pending_metrics

    def refresh_and_look():
        during["indexes"] = search_index_definitions()
        during["rows"] = sorted(SetAsideIndex.objects.values_list("name", "definition"))
        return real()

    monkeypatch.setattr(loader, "refresh_pending_metrics", refresh_and_look)
    lines = []

    load(snapshot_dir, lines)

    assert during["indexes"] == {}  # the metrics refresh ran without them
    assert during["rows"] == sorted(before.items())
    assert search_index_definitions() == before
    assert not SetAsideIndex.objects.exists()
    assert any(line.startswith("search indexes set aside until the load ends") for line in lines)
    assert sum(line.startswith("built ") for line in lines) == len(NAMES)
    # The trigger kept search_vector up all along, so search finds what was loaded.
    work = Work.objects.exclude(title="").first()
    assert not Work.objects.filter(search_vector__isnull=True).exists()
    assert work in work_search(work.title)
    author = Author.objects.exclude(search_name="").first()
    assert author in author_search(author.display_name)


def test_a_killed_load_leaves_them_to_the_next_run_which_builds_them(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    before = search_index_definitions()

    def killed():
        raise KeyboardInterrupt

    monkeypatch.setattr(loader, "refresh_pending_metrics", killed)
    with pytest.raises(KeyboardInterrupt):
        load(snapshot_dir)
    assert search_index_definitions() == {}
    assert SetAsideIndex.objects.count() == len(NAMES)

    monkeypatch.undo()
    results = load(snapshot_dir)  # every partition is loaded already

    assert all(r.already_loaded for r in results if r.key != "metrics")
    assert search_index_definitions() == before
    assert not SetAsideIndex.objects.exists()


def test_a_failed_load_builds_them_before_it_raises(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    before = search_index_definitions()

    def failed():
        raise SnapshotError("the metrics refresh failed")

    monkeypatch.setattr(loader, "refresh_pending_metrics", failed)
    with pytest.raises(SnapshotError):
        load(snapshot_dir)

    assert search_index_definitions() == before
    assert not SetAsideIndex.objects.exists()


def test_a_load_that_brings_fewer_records_than_a_table_holds_keeps_its_indexes(snapshot_dir):
    load(snapshot_dir)
    # Duplicates and records without a usable id make fewer rows than records: top up.
    for n in range(20):
        make_work(make_author(f"Extra Person {n}"), title=f"Extra work {n}")
    lines = []

    load(snapshot_dir, lines, force=True)

    assert not any("set aside" in line or line.startswith("built ") for line in lines)
    assert sorted(search_index_definitions()) == sorted(NAMES)


def test_only_the_table_a_load_outgrows_loses_its_indexes(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    load(snapshot_dir, entities=["authors"])
    during = {}
    real = loader.refresh_pending_metrics

    def refresh_and_look():
        during["tables"] = set(SetAsideIndex.objects.values_list("table", flat=True))
        return real()

    monkeypatch.setattr(loader, "refresh_pending_metrics", refresh_and_look)

    load(snapshot_dir, entities=["works"])

    assert during["tables"] == {"records_work"}


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
