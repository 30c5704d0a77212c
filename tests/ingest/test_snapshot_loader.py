"""The OpenAlex snapshot loader: manifests, resumability, a reload that writes nothing, the same
rows as the per-record importer, readable failures that keep earlier partitions, and claimant
decisions that survive a reload. Runs on PostgreSQL (COPY + set-based) and SQLite (importer)."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.ingest.importer import import_batch
from apps.ingest.models import LoadedPartition, MergedId, SnapshotTouchedAuthor
from apps.ingest.normalized import Batch, ParseError
from apps.ingest.parsers.openalex import parse_merged_ids_csv, parse_snapshot_line
from apps.ingest.snapshot import METRICS_KEY, SnapshotError, load_snapshot, plan_snapshot
from apps.ingest.snapshot.reader import read_text
from apps.ingest.snapshot.staging import create_tables
from apps.records.models import (
    Author,
    Authorship,
    AuthorTopic,
    CoAuthorship,
    Institution,
    Provenance,
    Topic,
    Venue,
    Work,
)
from tests import samples
from tests.ingest import snapshot_builder as build
from tests.ingest.content import table_rows

pytestmark = pytest.mark.django_db
SAMPLE = samples.SAMPLES / "openalex-snapshot"


def load(folder: Path, **options) -> list:
    return load_snapshot(folder, progress=False, report=lambda line: None, **options)


def run_command(*args) -> str:
    out = StringIO()
    call_command("load_openalex_snapshot", *map(str, args), "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def snapshot_dir(tmp_path) -> Path:
    return build.standard_snapshot(tmp_path / "openalex-snapshot")


# What the records tables hold, by natural keys (ids differ between two ways of loading) -------


def _in_order(rows) -> list:
    return sorted(rows, key=repr)  # rows hold None next to strings


def _who(author: Author | None) -> tuple | None:
    if author is None:
        return None
    return (author.openalex_id, author.orcid, author.display_name)


def content() -> dict:
    """Everything the loader and the importer write, without surrogate ids or timestamps."""
    authors = {a.pk: a for a in Author.objects.all()}
    works = {w.pk: w for w in Work.objects.select_related("venue")}
    who = {pk: _who(a) for pk, a in authors.items()}
    return {
        "works": _in_order(_work_row(w) for w in works.values()),
        "authors": _in_order(_author_row(a, who, works) for a in authors.values()),
        "authorships": _in_order(
            (
                works[a.work_id].openalex_id,
                a.position,
                a.raw_name,
                a.status,
                who[a.author_id],
                sorted(i.name for i in a.institutions.all()),
            )
            for a in Authorship.objects.prefetch_related("institutions")
        ),
        "provenance": _in_order(
            (
                works[p.work_id].openalex_id if p.work_id else who[p.author_id],
                p.source,
                p.source_key,
                json.dumps(p.fields, sort_keys=True),
            )
            for p in Provenance.objects.all()
        ),
        "topics": _in_order((t.name, t.slug, t.code, t.openalex_id) for t in Topic.objects.all()),
        "venues": _in_order((v.name, v.openalex_id, v.issn_l, v.kind) for v in Venue.objects.all()),
        "institutions": _in_order(
            (i.name, i.ror_id, i.openalex_id, i.country_code) for i in Institution.objects.all()
        ),
        "author_topics": _in_order(
            (who[t.author_id], t.topic.openalex_id, t.works_count)
            for t in AuthorTopic.objects.select_related("topic")
        ),
        "coauthors": _in_order(
            (who[c.author_id], who[c.coauthor_id], c.shared_works)
            for c in CoAuthorship.objects.all()
        ),
        "merged_ids": _in_order(MergedId.objects.values_list("old_id", "new_id")),
    }


def _work_row(work: Work) -> tuple:
    return (
        work.openalex_id,
        work.doi,
        work.arxiv_id,
        work.title,
        work.abstract,
        work.type,
        str(work.publication_date),
        work.date_precision,
        work.publication_year,
        work.venue.openalex_id if work.venue else None,
        json.dumps(work.other_ids, sort_keys=True),
        work.landing_url,
        work.pdf_url,
        work.citation_count,
        work.authors_count,
        sorted(work.topics.values_list("openalex_id", flat=True)),
    )


def _author_row(author: Author, who: dict, works: dict) -> tuple:
    return (
        _who(author),
        tuple(author.name_variants),
        author.search_name,
        json.dumps(author.other_ids, sort_keys=True),
        who.get(author.merged_into_id),
        author.verification_level,
        (author.works_count, author.citation_count, author.h_index),
        (author.topics_count, author.collaborators_count),
        (author.first_year, author.last_year),
        [works[pk].openalex_id for pk in author.recent_work_ids or []],
        sorted(author.institutions.values_list("name", flat=True)),
    )


def import_like_the_loader(folder: Path) -> None:
    """The same files through import_batch, one batch per file, in the loader's order."""
    for partition in plan_snapshot(folder).partitions:
        if partition.is_merge_file:
            import_batch(Batch(merged=parse_merged_ids_csv(read_text(partition.path))))
            continue
        records = [parse_snapshot_line(line) for line in read_text(partition.path).splitlines()]
        records = [r for r in records if r is not None]
        works = [r for r in records if partition.entity == "works"]
        authors = [r for r in records if partition.entity == "authors"]
        import_batch(Batch(works=works, authors=authors))


def wipe() -> None:
    for model in (Work, Author, Venue, Topic, Institution, MergedId, LoadedPartition):
        model.objects.all().delete()


# Loading -----------------------------------------------------------------------------------


def files(results: list) -> list:
    """The partitions' results, without the run's deferred metrics refresh (PostgreSQL's)."""
    return [r for r in results if r.key != METRICS_KEY]


def test_a_snapshot_loads_works_authors_and_merges(snapshot_dir):
    results = load(snapshot_dir)

    assert [r.key for r in files(results)] == [
        "authors/updated_date=2024-01-15/part_000.gz",
        "works/updated_date=2024-01-01/part_000.gz",
        "works/updated_date=2024-02-01/part_000.gz",
        "merged_ids/authors/2024-01-20.csv.gz",
    ]
    assert Work.objects.count() == 8  # W14 and W12 are DOI twins of W1 and W3
    assert Work.objects.get(openalex_id="W6").authors_count == 3
    assert list(
        Work.objects.get(openalex_id="W4").authorships.values_list("raw_name", flat=True)
    ) == [build.person(6)]  # printed twice, one authorship
    ada = Author.objects.get(openalex_id="A1")
    assert (ada.display_name, ada.orcid, ada.verification_level) == (
        "Ada Lindqvist",
        build.orcid(1),
        1,
    )
    assert ada.works_count == 4  # W1 (and W14, its DOI twin), W2, W6, W8
    assert Author.objects.get(openalex_id="A10").merged_into == Author.objects.get(openalex_id="A4")
    assert MergedId.objects.filter(old_id="A5999", new_id="A5998").exists()
    assert Provenance.objects.filter(source="openalex", work__isnull=False).count() == 10
    assert LoadedPartition.objects.count() == 4


def test_the_collector_runs_less_during_a_load_and_as_before_after_it(snapshot_dir, monkeypatch):
    import gc

    import apps.ingest.snapshot.load as loader
    from apps.ingest.snapshot.collector import BULK_THRESHOLDS

    real, seen = loader.load_partition, []

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_partition", spy)
    before = gc.get_threshold()
    load(snapshot_dir)

    assert seen and set(seen) == {BULK_THRESHOLDS}
    assert gc.get_threshold() == before != BULK_THRESHOLDS
    assert gc.get_freeze_count() == 0


def test_a_second_run_skips_every_loaded_partition(snapshot_dir):
    load(snapshot_dir)
    before = table_rows()

    results = load(snapshot_dir)

    assert all(r.already_loaded for r in results)
    assert table_rows() == before


def test_force_reloads_and_writes_nothing_when_nothing_changed(snapshot_dir):
    load(snapshot_dir)
    before = table_rows()  # ids included: not even a derived row is deleted and re-made

    results = load(snapshot_dir, force=True)

    assert [r.rows_written for r in results] == [0, 0, 0, 0]
    assert sum(r.created + r.updated for r in results) == 0
    assert table_rows() == before


def test_an_older_copy_of_a_record_changes_nothing(snapshot_dir):
    load(snapshot_dir)
    before = table_rows()
    stale = [build.work(6, [build.authorship(1)], cited=0, title="Old", updated="2023-01-01")]
    build.write_partition(snapshot_dir, "works", "2023-01-01", stale)

    load(snapshot_dir)

    assert table_rows() == before


def test_the_loader_writes_what_the_importer_writes(snapshot_dir):
    load(snapshot_dir)
    loaded = content()
    wipe()

    import_like_the_loader(snapshot_dir)

    assert content() == loaded


def test_a_changed_file_is_loaded_again(snapshot_dir):
    load(snapshot_dir)
    path = snapshot_dir / "works" / "updated_date=2024-02-01" / "part_000.gz"
    build.write_partition(
        snapshot_dir,
        "works",
        "2024-02-01",
        [build.work(6, [build.authorship(1)], cited=99, updated="2024-02-15")],
    )

    results = load(snapshot_dir)

    assert [r.key for r in files(results) if not r.already_loaded] == [
        path.relative_to(snapshot_dir).as_posix()
    ]
    assert Work.objects.get(openalex_id="W6").citation_count == 99
    assert Work.objects.get(openalex_id="W6").authors_count == 3  # never deletes authorships


def test_an_update_partition_goes_through_the_importers_rules(snapshot_dir):
    """A later partition that moves W1 (new title, new citations, one author fewer) must give
    what the importer gives."""
    load(snapshot_dir)
    update = [
        build.work(1, [build.authorship(1)], cited=50, title="Retitled", updated="2024-03-01")
    ]
    build.write_partition(snapshot_dir, "works", "2024-03-01", update)
    build.write_manifest(snapshot_dir, "works")
    load(snapshot_dir)
    loaded = content()
    wipe()

    import_like_the_loader(snapshot_dir)

    assert content() == loaded
    assert Work.objects.get(openalex_id="W1").title == "Retitled"


# Claimant decisions --------------------------------------------------------------------------


def _reload_with_changes(folder: Path) -> None:
    """A new monthly partition carrying W1 and W3 again with new citation counts."""
    a = build.authorship
    byline = [a(1, inst=(1,)), a(2, inst=(1, 2)), a(3)]
    moved = [
        build.work(1, byline, cited=11, topics=(1, 2), updated="2024-04-01"),
        build.work(3, [a(2), a(3), a(5)], cited=1, topics=(2, 3), venue=2, updated="2024-04-01"),
    ]
    build.write_partition(folder, "works", "2024-04-01", moved)
    build.write_manifest(folder, "works")
    load(folder)


def test_a_disowned_authorship_stays_disowned(snapshot_dir):
    load(snapshot_dir)
    mine = Authorship.objects.get(work__openalex_id="W1", author__openalex_id="A3")
    Authorship.objects.filter(pk=mine.pk).update(status="disowned")

    load(snapshot_dir, force=True)
    _reload_with_changes(snapshot_dir)

    mine.refresh_from_db()
    assert mine.status == "disowned"
    assert Work.objects.get(openalex_id="W1").citation_count == 11


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the set-based metrics run on PostgreSQL only; SQLite loads through the importer",
)
def test_the_loaders_metrics_do_not_count_a_not_mine_work(snapshot_dir):
    load(snapshot_dir)
    author = Author.objects.get(openalex_id="A3")
    Authorship.objects.filter(work__openalex_id="W1", author=author).update(status="disowned")

    _reload_with_changes(snapshot_dir)  # W1 again: A3's metrics are recomputed by the loader

    author.refresh_from_db()
    active = Work.objects.filter(authorships__author=author, authorships__status="active")
    assert not active.filter(openalex_id="W1").exists()
    assert author.works_count == active.distinct().count()
    assert author.citation_count == sum(active.distinct().values_list("citation_count", flat=True))


def test_an_authorship_moved_to_another_author_stays_there(snapshot_dir, records):
    load(snapshot_dir)
    other = records.author(build.person(3))  # the claimant split W1 off to a new record
    Authorship.objects.filter(work__openalex_id="W1", author__openalex_id="A3").update(author=other)

    load(snapshot_dir, force=True)
    _reload_with_changes(snapshot_dir)

    byline = Authorship.objects.filter(work__openalex_id="W1")
    assert byline.get(raw_name=build.person(3)).author == other
    assert byline.count() == 4  # W1's three, and one from W14, its DOI twin


def test_a_merged_author_stays_merged(snapshot_dir, records):
    from apps.records.services import author_merge_into

    load(snapshot_dir)
    survivor = records.author("Somebody Else")
    author_merge_into(Author.objects.get(openalex_id="A3"), survivor)

    load(snapshot_dir, force=True)
    _reload_with_changes(snapshot_dir)

    assert Author.objects.get(openalex_id="A3").merged_into == survivor
    assert Authorship.objects.get(work__openalex_id="W1", raw_name=build.person(3)).author == (
        survivor
    )
    assert not Authorship.objects.filter(author__openalex_id="A3").exists()


# Failures ------------------------------------------------------------------------------------


def test_a_malformed_line_fails_its_partition_and_keeps_the_earlier_ones(snapshot_dir):
    lines = [json.dumps(build.work(20, [build.authorship(20)])), "{not json"]
    build.write_partition(snapshot_dir, "works", "2024-02-01", lines)

    with pytest.raises(CommandError) as failure:
        run_command(snapshot_dir)

    assert str(failure.value) == (
        "works/updated_date=2024-02-01/part_000.gz line 2: OpenAlex: malformed JSON "
        "(Expecting property name enclosed in double quotes at line 1 column 2)"
    )
    assert Work.objects.filter(openalex_id="W1").exists()  # the earlier partition
    assert not Work.objects.filter(openalex_id="W20").exists()
    assert not Author.objects.filter(openalex_id="A20").exists()
    assert set(LoadedPartition.objects.values_list("path", flat=True)) == {
        "authors/updated_date=2024-01-15/part_000.gz",
        "works/updated_date=2024-01-01/part_000.gz",
    }


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (b"[1, 2", "malformed JSON (Expecting ',' delimiter at line 1 column 6)"),
        (b'{"id": "W1",}', "malformed JSON (Illegal trailing comma before end of object"),
        (b"\xff{}", "body is not UTF-8 (invalid start byte)"),
        (b'{"title": "x"}', "a line that is not an entity with an id"),
    ],
)
def test_a_malformed_line_is_worded_as_before(line, error):
    with pytest.raises(ParseError, match=re.escape(error)):
        parse_snapshot_line(line)


def test_lines_only_the_standard_library_reads_parse_as_before():
    from apps.ingest.parsers.openalex import parse_work

    work = json.dumps(build.work(1, [build.authorship(1)]))
    odd = [
        "\ufeff" + work,  # a byte order mark
        re.sub(r'"cited_by_count": \d+', '"cited_by_count": NaN', work),
        work.replace("Work number 1", "Work \\ud800 number 1"),  # a lone surrogate
        "\u00a0" + work,  # Unicode whitespace before the object
    ]

    for line in odd:
        expected = parse_work(json.loads(line.removeprefix("\ufeff").strip()))
        assert parse_snapshot_line(line.encode()) == expected


def test_a_crash_mid_partition_leaves_nothing_and_the_rerun_loads_it(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    if connection.vendor == "postgresql":
        monkeypatch.setattr(loader, "record_touched", crash)
    else:
        monkeypatch.setattr(loader, "import_batch", crash)
    with pytest.raises(RuntimeError):
        load(snapshot_dir, entities=("works",))
    assert not Work.objects.exists()
    assert not LoadedPartition.objects.exists()

    monkeypatch.undo()
    load(snapshot_dir, entities=("works",))
    assert Work.objects.count() == 8


# Metrics, refreshed once per run ------------------------------------------------------------


def importer_content(folder: Path) -> dict:
    """content() as the per-record importer leaves it (which refreshes metrics as it goes);
    the database is wiped before and after."""
    wipe()
    import_like_the_loader(folder)
    expected = content()
    wipe()
    return expected


def test_a_completed_run_refreshes_metrics_once_and_leaves_nothing_pending(snapshot_dir):
    results = load(snapshot_dir)

    assert not SnapshotTouchedAuthor.objects.exists()
    if connection.vendor == "postgresql":
        assert results[-1].key == METRICS_KEY
        assert results[-1].records == Author.objects.count()  # each author once
    ada = Author.objects.get(openalex_id="A1")
    assert (ada.works_count, ada.topics_count) == (
        4,
        AuthorTopic.objects.filter(author=ada).count(),
    )


def test_metrics_after_a_full_run_are_the_importers(snapshot_dir):
    expected = importer_content(snapshot_dir)

    load(snapshot_dir)

    assert content() == expected


def test_a_run_killed_between_partitions_is_resumed_with_correct_metrics(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    expected = importer_content(snapshot_dir)
    real = loader._mark_loaded

    def killed_at_the_second_works_partition(partition, *args):
        if partition.key == "works/updated_date=2024-02-01/part_000.gz":
            raise KeyboardInterrupt
        return real(partition, *args)

    monkeypatch.setattr(loader, "_mark_loaded", killed_at_the_second_works_partition)
    with pytest.raises(KeyboardInterrupt):
        load(snapshot_dir)
    assert LoadedPartition.objects.count() == 2  # authors and the first works partition
    if connection.vendor == "postgresql":  # their metrics wait for the end of a run
        assert SnapshotTouchedAuthor.objects.exists()

    monkeypatch.undo()
    results = load(snapshot_dir)

    assert [r.already_loaded for r in files(results)] == [True, True, False, False]
    assert content() == expected
    assert not SnapshotTouchedAuthor.objects.exists()


def test_a_run_killed_in_its_metrics_refresh_is_caught_up_by_the_next(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    if connection.vendor != "postgresql":
        pytest.skip("the importer refreshes metrics as it goes")
    expected = importer_content(snapshot_dir)
    monkeypatch.setattr(loader, "METRICS_CHUNK", 3)
    real, calls = loader.refresh_metrics, []

    def killed_in_the_second_chunk(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(loader, "refresh_metrics", killed_in_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        load(snapshot_dir)
    pending = SnapshotTouchedAuthor.objects.count()
    assert 0 < pending < Author.objects.count()  # the first chunk committed, the rest waits

    monkeypatch.setattr(loader, "refresh_metrics", real)
    results = load(snapshot_dir)

    assert all(r.already_loaded for r in files(results))
    assert (results[-1].key, results[-1].records) == (METRICS_KEY, pending)
    assert content() == expected
    assert not SnapshotTouchedAuthor.objects.exists()


def test_metrics_refreshed_in_small_chunks_are_the_same(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    expected = importer_content(snapshot_dir)
    monkeypatch.setattr(loader, "METRICS_CHUNK", 2)  # co-authors fall in different chunks

    load(snapshot_dir)

    assert content() == expected


def derived_foreign_keys() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid::regclass::text IN ('records_authortopic', 'records_coauthorship') "
            "ORDER BY 1, 2"
        )
        return cursor.fetchall()


def derived_indexes() -> list[tuple[str, str, str | None]]:
    """(table, index definition, constraint definition if a constraint owns it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid), "
            "pg_get_constraintdef(c.oid) FROM pg_index i "
            "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('p', 'u') "
            "WHERE i.indrelid::regclass::text IN ('records_authortopic', 'records_coauthorship') "
            "ORDER BY 1, 2"
        )
        return cursor.fetchall()


@pytest.mark.parametrize("chunk", [None, 2])
def test_a_bulk_refresh_gives_the_same_rows_and_puts_the_keys_and_indexes_back(
    snapshot_dir, monkeypatch, chunk
):
    import apps.ingest.snapshot.load as loader
    import apps.ingest.snapshot.metrics as metrics

    if connection.vendor != "postgresql":
        pytest.skip("the importer refreshes metrics as it goes")
    expected, keys, indexes = (
        importer_content(snapshot_dir),
        derived_foreign_keys(),
        derived_indexes(),
    )
    assert len(keys) == 4  # author and topic; author and co-author
    assert sum(constraint is not None for *_, constraint in indexes) == 4  # 2 pkeys, 2 unique
    monkeypatch.setattr(metrics, "BULK_FROM", 1)  # every refresh sets the keys aside
    if chunk:
        monkeypatch.setattr(loader, "METRICS_CHUNK", chunk)  # co-authors in other chunks
    dropped, rebuilt = [], []
    real_keys, real_indexes = metrics.set_aside_foreign_keys, metrics.set_aside_indexes
    monkeypatch.setattr(
        metrics, "set_aside_foreign_keys", lambda cursor: dropped.append(1) or real_keys(cursor)
    )
    monkeypatch.setattr(
        metrics,
        "set_aside_indexes",
        lambda cursor, table: rebuilt.append(table) or real_indexes(cursor, table),
    )

    load(snapshot_dir)

    assert dropped
    # The first refresh fills empty tables, so both rebuild their indexes.
    assert set(rebuilt) == {"records_authortopic", "records_coauthorship"}
    assert content() == expected
    assert derived_foreign_keys() == keys
    assert derived_indexes() == indexes


@pytest.fixture
def bulk_loaded(snapshot_dir, monkeypatch):
    """The snapshot loaded with every metrics refresh on the bulk path; the metrics module."""
    import apps.ingest.snapshot.metrics as metrics

    if connection.vendor != "postgresql":
        pytest.skip("the importer refreshes metrics as it goes")
    monkeypatch.setattr(metrics, "BULK_FROM", 1)
    load(snapshot_dir)
    return metrics


def test_a_small_bulk_refresh_keeps_the_indexes_of_a_full_table(bulk_loaded, monkeypatch):
    metrics = bulk_loaded
    edges = CoAuthorship.objects.count()
    assert edges >= 3
    # Take the edges of one author away: refreshing that author adds back fewer rows than a
    # third of the table, so the refresh keeps the indexes and inserts through them.
    author_id = CoAuthorship.objects.values_list("author_id", flat=True).first()
    CoAuthorship.objects.filter(author_id=author_id).delete()
    assert (
        CoAuthorship.objects.count() * metrics.REBUILD_FROM_SHARE
        > edges - CoAuthorship.objects.count()
    )
    rebuilt = []
    real = metrics.set_aside_indexes
    monkeypatch.setattr(
        metrics,
        "set_aside_indexes",
        lambda cursor, table: rebuilt.append(table) or real(cursor, table),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        create_tables(cursor)
        metrics.refresh_metrics(cursor, {author_id}, timezone.now())

    assert "records_coauthorship" not in rebuilt
    assert CoAuthorship.objects.count() == edges


def test_restored_keys_and_rebuilt_indexes_still_refuse_bad_rows(bulk_loaded):
    edge = CoAuthorship.objects.first()

    with pytest.raises(IntegrityError), transaction.atomic():  # a dangling co-author
        CoAuthorship.objects.create(author_id=edge.author_id, coauthor_id=10**9, shared_works=1)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError), transaction.atomic():  # the same edge twice
        CoAuthorship.objects.create(
            author_id=edge.author_id, coauthor_id=edge.coauthor_id, shared_works=1
        )


def test_reloading_after_a_resumed_run_changes_nothing(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    monkeypatch.setattr(loader, "refresh_pending_metrics", lambda: None)  # killed before it
    load(snapshot_dir)
    monkeypatch.undo()
    load(snapshot_dir)
    before = table_rows()

    results = load(snapshot_dir, force=True)

    assert [r.rows_written for r in results] == [0, 0, 0, 0]
    assert table_rows() == before


def test_a_missing_folder_is_one_readable_line(tmp_path):
    with pytest.raises(CommandError, match=r"^.*nowhere: no such folder$"):
        run_command(tmp_path / "nowhere")


def test_a_malformed_manifest_is_one_readable_line(snapshot_dir):
    (snapshot_dir / "works" / "manifest").write_text('{"entries": [{"url": 3}]')
    with pytest.raises(CommandError, match=r"works/manifest: malformed manifest"):
        run_command(snapshot_dir)
    assert not Work.objects.exists()


def test_unknown_entities_are_refused(snapshot_dir):
    with pytest.raises(CommandError):
        call_command("load_openalex_snapshot", str(snapshot_dir), "--entities", "funders")


# Manifests -----------------------------------------------------------------------------------


def test_files_missing_or_unlisted_are_reported_and_unlisted_ones_loaded(snapshot_dir):
    listed = [snapshot_dir / "works" / "updated_date=2024-01-01" / "part_000.gz"]
    build.write_manifest(snapshot_dir, "works", listed=listed, extra=["updated_date=2025/p.gz"])

    output = run_command(snapshot_dir)

    assert "works: 1 manifest entry not on disk, skipped (first: updated_date=2025/p.gz)" in output
    assert "works/updated_date=2024-02-01/part_000.gz is not in the manifest; loading it" in output
    assert Work.objects.filter(openalex_id="W6").exists()


def test_only_the_chosen_entities_load(snapshot_dir):
    output = run_command(snapshot_dir, "--entities", "authors")
    assert "authors/updated_date=2024-01-15/part_000.gz: 4 records, 4 created" in output
    assert not Work.objects.exists()


def test_the_command_prints_a_line_per_partition_and_a_total(snapshot_dir):
    output = run_command(snapshot_dir)
    assert "works/updated_date=2024-01-01/part_000.gz: 6 records, 5 created" in output
    assert "4 file(s) loaded, 0 already loaded; 16 records" in output
    assert "4 file(s) loaded" not in run_command(snapshot_dir)


def test_the_progress_bar_runs(snapshot_dir, capsys):
    load_snapshot(snapshot_dir, progress=True, report=lambda line: None)
    assert "records" in capsys.readouterr().err


@samples.needs_samples
def test_the_genuine_sample_snapshot_loads():
    output = run_command(SAMPLE)

    assert "authors/updated_date=2023-04-21/part_000.gz is not in the manifest" in output
    assert Work.objects.count() == 27
    assert Author.objects.filter(openalex_id="A4347464006").exists()
    assert MergedId.objects.count() == 5
    assert "0 rows written" in run_command(SAMPLE, "--force").splitlines()[-1]


def messy_snapshot(root: Path) -> Path:
    """Edge cases of identity: one A id printed with and without its ORCID iD, two A ids
    sharing an ORCID iD, null authors, a venue without an id, an institution known by name
    only, a topic without an id, a "Deleted Author", an author record filling in an ORCID iD."""
    a = build.authorship
    named = build.work(31, [a(30, with_orcid=False, name="L. Schmidt"), a(32)], venue=None)
    named["authorships"][1]["author"]["orcid"] = f"https://orcid.org/{build.orcid(30)}"
    bare_venue = build.work(30, [a(30, name="Lena Schmidt"), a(31, with_orcid=False)], venue=None)
    bare_venue["primary_location"]["raw_source_name"] = "Proc. Things"
    anonymous = build.work(32, [a(33), a(0, name="X Y"), a(0, name="Z W")], topics=())
    anonymous["authorships"][0]["institutions"] = [
        {"display_name": "Institute of Nothing"},
        build.institution(40),
    ]
    anonymous["topics"] = [{"display_name": "Loose Topic"}]
    build.write_partition(root, "works", "2024-01-01", [bare_venue, named, anonymous])
    build.write_manifest(root, "works")
    deleted = build.author(35, name="Deleted Author", with_orcid=False)
    fills_orcid = build.author(31)
    twin = build.author(32, name="Lena S.")
    twin["orcid"] = f"https://orcid.org/{build.orcid(30)}"
    people = [build.author(30, name="Lena Schmidt", inst=(40,)), twin, fills_orcid, deleted]
    people.append(build.author(34, inst=(41,)))
    build.write_partition(root, "authors", "2024-01-02", people)
    build.write_manifest(root, "authors")
    return root


def test_identity_edge_cases_come_out_as_the_importer_has_them(tmp_path):
    folder = messy_snapshot(tmp_path / "messy")
    load(folder, entities=("works",))
    load(folder, entities=("authors",))
    loaded = content()
    wipe()

    for entity in ("works", "authors"):
        import_like_the_loader_only(folder, entity)

    assert content() == loaded
    lena = Author.objects.get(orcid=build.orcid(30))
    assert (lena.openalex_id, lena.display_name) == ("A30", "Lena Schmidt")
    assert Author.objects.get(openalex_id="A31").orcid == build.orcid(31)
    assert not Author.objects.filter(display_name="Deleted Author").exists()


def import_like_the_loader_only(folder: Path, entity: str) -> None:
    for partition in plan_snapshot(folder, (entity,)).partitions:
        records = [parse_snapshot_line(line) for line in read_text(partition.path).splitlines()]
        records = [r for r in records if r is not None]
        if entity == "works":
            import_batch(Batch(works=records))
        else:
            import_batch(Batch(authors=records))


def test_a_damaged_gzip_file_fails_with_its_name(snapshot_dir):
    path = snapshot_dir / "works" / "updated_date=2024-02-01" / "part_000.gz"
    path.write_bytes(path.read_bytes()[:-40])

    with pytest.raises(CommandError, match=r"^works/updated_date=2024-02-01/part_000.gz: "):
        run_command(snapshot_dir)
    assert not Work.objects.filter(openalex_id="W6").exists()


def test_a_partition_that_loses_a_race_is_loaded_again(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.sql as sql
    from apps.ingest.snapshot.outcome import ConcurrentChange

    if connection.vendor != "postgresql":
        pytest.skip("the set-based path is PostgreSQL's")
    real, calls = sql.insert_checked, []

    def lose_once(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 1:
            raise ConcurrentChange("1 row(s) of author were created meanwhile elsewhere")
        return real(*args, **kwargs)

    monkeypatch.setattr(sql, "insert_checked", lose_once)
    results = load(snapshot_dir, entities=("authors",))

    assert results[0].created == 4
    assert Author.objects.count() == 4


def test_worker_processes_parse_the_same_records(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    if connection.vendor != "postgresql":
        pytest.skip("workers feed the set-based path")
    monkeypatch.setattr(loader, "PARALLEL_FROM_BYTES", 0)
    load(snapshot_dir, workers=1)
    loaded = content()
    wipe()

    load(snapshot_dir, workers=0)

    assert content() == loaded


# Reader processes (parallel.py) -------------------------------------------------------------


@pytest.fixture
def readers(monkeypatch):
    """Every partition read by a reader process, however small, and read ahead."""
    import apps.ingest.snapshot.load as loader

    if connection.vendor != "postgresql":
        pytest.skip("readers feed the set-based path")
    monkeypatch.setattr(loader, "PARALLEL_FROM_BYTES", 0)


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        ("line", "works/updated_date=2024-02-01/part_000.gz line 2: OpenAlex: malformed JSON"),
        ("gzip", "works/updated_date=2024-02-01/part_000.gz: unreadable gzip data after line"),
    ],
)
def test_a_reader_reports_a_bad_partition_as_inline_reading_does(
    snapshot_dir, readers, damage, error
):
    path = snapshot_dir / "works" / "updated_date=2024-02-01" / "part_000.gz"
    if damage == "line":
        build.write_partition(snapshot_dir, "works", "2024-02-01", ['{"id": "W20"}', "{not"])
    else:
        path.write_bytes(path.read_bytes()[:-40])

    failures = []
    for workers in (1, 0):
        wipe()
        with pytest.raises(SnapshotError) as failure:
            load(snapshot_dir, workers=workers)
        failures.append(str(failure.value))
        assert Work.objects.filter(openalex_id="W1").exists()  # the partition before it

    assert failures[0] == failures[1]
    assert failures[0].startswith(error)


@pytest.mark.parametrize(
    ("entity", "line", "error"),
    [
        ("works", json.dumps(build.author(30)), "line 2: an author in the works partition"),
        ("authors", json.dumps(build.work(30, [])), "line 2: a work in the authors partition"),
    ],
)
def test_a_record_of_the_other_entity_fails_its_partition_read_either_way(
    snapshot_dir, readers, entity, line, error
):
    """Read by a reader process (which hands works on prepared for staging) or inline: the
    same one line, and nothing of the partition written."""
    first = build.work(20, []) if entity == "works" else build.author(20)
    build.write_partition(snapshot_dir, entity, "2024-02-01", [json.dumps(first), line])
    build.write_manifest(snapshot_dir, entity)

    for workers in (1, 0):
        wipe()
        with pytest.raises(SnapshotError) as failure:
            load(snapshot_dir, workers=workers)
        assert str(failure.value) == f"{entity}/updated_date=2024-02-01/part_000.gz {error}"
        assert not Work.objects.filter(openalex_id="W20").exists()
        assert not Author.objects.filter(openalex_id="A20").exists()


def test_a_partition_left_half_read_is_read_again_from_its_start(
    snapshot_dir, readers, monkeypatch
):
    """A retry after staging gave up midway (the reader still holds that partition's later
    batches, and the next partition's) gets every record again, and the run the same rows."""
    import apps.ingest.snapshot.load as loader
    from apps.ingest.snapshot.outcome import ConcurrentChange
    from apps.ingest.snapshot.works import WorksStage

    load(snapshot_dir, workers=0)
    expected = content()
    wipe()
    monkeypatch.setattr(loader, "CHUNK", 1)  # (the reader sends the partition in one batch)
    real, calls = WorksStage.stage_chunk, []

    def lose_once(self, chunk):
        calls.append(chunk[0][0])
        if len(calls) == 2:  # the first partition's second record
            raise ConcurrentChange("1 row(s) of work were created meanwhile elsewhere")
        return real(self, chunk)

    monkeypatch.setattr(WorksStage, "stage_chunk", lose_once)
    results = load(snapshot_dir, workers=1)

    assert calls[:4] == [1, 2, 1, 2]  # line numbers: the retry starts from line 1
    assert [r.records for r in results if r.key.startswith("works/")] == [6, 4]
    assert content() == expected


def test_a_reader_that_dies_fails_the_partition_with_one_line(snapshot_dir, readers, monkeypatch):
    from apps.ingest.snapshot import parallel

    monkeypatch.setattr(parallel, "POLL", 0.2)
    real = parallel.Reader.submit

    def submit_and_kill(self, path):
        real(self, path)
        self.process.kill()  # before it has read anything: it takes a second to start

    monkeypatch.setattr(parallel.Reader, "submit", submit_and_kill)
    with pytest.raises(SnapshotError) as failure:
        load(snapshot_dir, workers=1)

    assert str(failure.value) == (
        "authors/updated_date=2024-01-15/part_000.gz: the reader process stopped (exit code -9)"
    )
    assert not LoadedPartition.objects.exists()


def test_a_bulk_run_refreshes_the_planners_statistics_before_its_merges(snapshot_dir, monkeypatch):
    import apps.ingest.snapshot.load as loader

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's")
    lines = []
    load_snapshot(snapshot_dir, progress=False, report=lines.append)
    assert not any(line.startswith("analyzed ") for line in lines)  # a small run leaves it
    wipe()

    monkeypatch.setattr(loader, "ANALYZE_FROM_ROWS", 1)
    lines = []
    load_snapshot(snapshot_dir, progress=False, report=lines.append)

    analyzed = next(i for i, line in enumerate(lines) if line.startswith("analyzed 10 tables"))
    merges = next(i for i, line in enumerate(lines) if line.startswith("merged_ids/"))
    assert analyzed == merges - 1  # after the last partition, before the merged ids
