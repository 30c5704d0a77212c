"""A works partition on PostgreSQL: classify each record, stage new works, upsert set-based.

Each record is matched the way importer.works.find_work matches it (surviving OpenAlex id,
then DOI, then arXiv id) and falls in one of three cases:

* new (no row has any of its identifiers, and no earlier record of this partition had one):
  the work, its OpenAlex provenance, byline, topics and any new authors, venues and
  institutions are staged and inserted set-based, with exactly the values the importer would
  give a work whose only source is OpenAlex (its `_apply_fields`, `_rebuild` and
  `author_for_ref` rules, reproduced below);
* unchanged (a row exists and its OpenAlex provenance for this W id already holds what the
  record asserts, or something newer): nothing is written; the importer writes `fetched_at`;
* otherwise (a row exists with other or older assertions, or an identifier repeats within
  the partition, or a truncated byline): deferred to the per-record importer
  (`importer.works.work_upsert`) once the set-based part is in, in file order. That keeps
  its field precedence across sources and its byline reconciliation (never delete an
  authorship, never change its status or author) for rows other sources or claimants have
  touched; it is slower, and a monthly update of changed works takes that path.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import orjson

from apps.ingest.importer.authors import UNKNOWN_AUTHOR
from apps.ingest.importer.lookups import Lookups
from apps.ingest.importer.precedence import (
    asserted_fields,
    effective_date,
    merge_assertion,
    merged_other_ids,
    winner,
)
from apps.ingest.importer.works import SCALAR_FIELDS, work_upsert
from apps.ingest.normalized import AuthorRef, WorkRecord
from apps.records.models import WorkType
from apps.records.names import preferred_name

from .outcome import PartitionStats
from .resolve import IdPool, Stage, json_value, new_author_row
from .sql import apply_new_rows, insert_checked
from .staging import Stager

WORK_TYPES = frozenset(WorkType.values)  # the enum rebuilds this list on every access
MATCH_ORDER = ("openalex_id", "doi", "arxiv_id")  # strongest identifier first, as find_work
ID_LIMITS = {"doi": 255, "arxiv_id": 40, "openalex_id": 20}


class WorksStage(Stage):
    entity = "works"
    record_type = WorkRecord

    def __init__(self, cursor, stager: Stager, stats: PartitionStats) -> None:
        super().__init__(cursor, stager, stats)
        self.work_ids = IdPool(cursor, "records_work")
        self.seen: set[tuple[str, str]] = set()
        self._existing: dict[tuple[str, str], int] = {}
        self._provenance: dict[tuple[int, str], dict] = {}

    # Staging -----------------------------------------------------------------------------------

    def stage_chunk(self, items: list[tuple[int, PreparedWork]]) -> None:
        self._prefetch([prepared.record for _, prepared in items])
        for line, prepared in items:
            self._stage(line, prepared)
        self.stager.flush(self.cursor)

    def _prefetch(self, records: list[WorkRecord]) -> None:
        refs = [ref for record in records for ref in record.authors]
        self.survivors.prefetch([r.openalex_id for r in records] + [r.openalex_id for r in refs])
        self.authors.prefetch([r.orcid for r in refs], [r.openalex_id for r in refs])
        self._fetch_existing(records)
        self.shared.prefetch(
            venues=[r.venue for r in records if r.venue],
            topics=[t for r in records for t in r.topics],
            institutions=[i for ref in refs for i in ref.institutions if i.name],
        )

    def _identifiers(self, record: WorkRecord) -> dict[str, str]:
        ids = {
            "doi": record.doi,
            "arxiv_id": record.arxiv_id,
            "openalex_id": self.survivors.get(record.openalex_id),
        }
        return {k: v for k, v in ids.items() if v}

    def _fetch_existing(self, records: list[WorkRecord]) -> None:
        wanted: dict[str, set[str]] = {field: set() for field in MATCH_ORDER}
        for record in records:
            for field, value in self._identifiers(record).items():
                wanted[field].add(value)
        self.cursor.execute(
            "SELECT id, openalex_id, doi, arxiv_id FROM records_work "
            "WHERE openalex_id = ANY(%s) OR doi = ANY(%s) OR arxiv_id = ANY(%s)",
            [list(wanted[field]) for field in MATCH_ORDER],
        )
        self._existing = {
            (field, value): pk
            for pk, *values in self.cursor.fetchall()
            for field, value in zip(MATCH_ORDER, values, strict=True)
            if value
        }
        self._fetch_provenance({r.source_key for r in records})

    def _fetch_provenance(self, keys: set[str]) -> None:
        self._provenance = {}
        if not self._existing:
            return
        self.cursor.execute(
            "SELECT work_id, source_key, fields FROM records_provenance "
            "WHERE source = 'openalex' AND work_id = ANY(%s) AND source_key = ANY(%s)",
            [list(set(self._existing.values())), list(keys)],
        )
        self._provenance = {
            (pk, key): json_value(fields) for pk, key, fields in self.cursor.fetchall()
        }

    def _stage(self, line: int, prepared: PreparedWork) -> None:
        record = prepared.record
        ids = self._identifiers(record)
        keys = set(ids.items())
        repeated = bool(keys & self.seen)
        self.seen |= keys
        found = next(
            (self._existing[(f, ids[f])] for f in MATCH_ORDER if (f, ids.get(f)) in self._existing),
            None,
        )
        truncated = bool(record.authors) and not record.complete_byline
        if repeated or not ids or (found is None and truncated):
            self._defer(line)
        elif found is None:
            self._create(prepared, ids)
            self.stats.add("created")
        elif self._unchanged(found, record):
            self.stats.add("unchanged")
        else:
            self._defer(line)

    def _unchanged(self, work_id: int, record: WorkRecord) -> bool:
        """work_upsert's early return: this source's stored assertion already says it all
        (merge_assertion also ignores a response older than the one stored)."""
        stored = self._provenance.get((work_id, record.source_key))
        return stored is not None and merge_assertion(stored, asserted_fields(record)) == stored

    def _defer(self, line: int) -> None:
        self.deferred_lines.add(line)
        self.stats.deferred += 1

    # A new work, as the importer would write it ------------------------------------------------

    def _create(self, prepared: PreparedWork, ids: dict[str, str]) -> None:
        record, values = prepared.record, prepared.values
        pk = self.work_ids.take()
        venue_id = self.shared.venue(values["venue"])
        topic_ids = {self.shared.topic(t) for t in record.topics if t.name or t.code}
        byline = self._byline(record)
        add = self.stager.add
        for position, (author_id, ref) in enumerate(byline):  # (metrics follow s_authorship)
            add("s_authorship", (pk, author_id, position, ref.raw_name[:300]))
        for position, (_, ref) in enumerate(byline):
            for institution_id in {self.shared.institution(i) for i in ref.institutions if i.name}:
                add("s_authorship_institution", (pk, position, institution_id))
        for topic_id in topic_ids:
            add("s_work_topic", (pk, topic_id))
        ids = {f: (v if len(v) <= ID_LIMITS[f] else None) for f, v in ids.items()}
        self.stager.add(
            "s_work",
            (
                pk,
                values["title"],
                values["title_html"],
                values["abstract"],
                values["type"],
                values["publication_date"],
                values["date_precision"],
                values["publication_year"],
                venue_id,
                ids.get("doi"),
                ids.get("arxiv_id"),
                ids.get("openalex_id"),
                values["other_ids"],
                values["landing_url"],
                values["pdf_url"],
                values["code_url"],
                values["citation_count"],
                len(byline),
                record.source_key,
                orjson.Fragment(prepared.fields_json),
            ),
        )

    def _byline(self, record: WorkRecord) -> list[tuple[int, AuthorRef]]:
        """importer.byline._rebuild for a work without authorships: the byline in order, each
        person once (the first time they are printed), positions renumbered from 0."""
        refs = sorted(record.authors, key=lambda r: (r.position is None, r.position or 0))
        kept, taken = [], set()
        for ref in refs:
            author_id = self._author_for(ref)
            if author_id not in taken:
                taken.add(author_id)
                kept.append((author_id, ref))
        return kept

    def _author_for(self, ref: AuthorRef) -> int:
        """importer.authors.author_for_ref: the record these identifiers resolve to, else a
        new one named as printed (its identifiers are free, or they would have resolved)."""
        found = self.authors.resolve(ref.orcid, ref.openalex_id)
        if found is not None:
            return found
        pk = self.author_ids.take()
        key = self.authors.survivor(ref.openalex_id)
        name = preferred_name(ref.raw_name, ref.display_name) or UNKNOWN_AUTHOR
        self.stager.add("s_author", new_author_row(pk, name, [], orcid=ref.orcid, openalex_id=key))
        self.authors.add(pk, ref.orcid, key)
        return pk

    # Writing -----------------------------------------------------------------------------------

    def apply(self, now: datetime.datetime) -> None:
        """Move the staged rows into place (one INSERT … SELECT per table)."""
        self.stats.rows_written += apply_new_rows(self.cursor, self.stager, now)
        self.stats.rows_written += insert_checked(
            self.cursor,
            self.stager,
            "s_work",
            """INSERT INTO records_work (id, title, title_html, abstract, type,
                   publication_date, date_precision, publication_year, venue_id, doi,
                   arxiv_id, openalex_id, other_ids, landing_url, pdf_url, code_url,
                   citation_count, authors_count, created_at, updated_at)
               SELECT id, title, title_html, abstract, type, publication_date, date_precision,
                   publication_year, venue_id, doi, arxiv_id, openalex_id, other_ids, landing_url,
                   pdf_url, code_url, citation_count, authors_count, %(now)s, %(now)s
               FROM s_work ON CONFLICT DO NOTHING""",
            now,
        )
        self._execute_all(WORK_FOLLOWERS, now)

    def run_deferred(self, records: Iterable[WorkRecord], now: datetime.datetime) -> None:
        """The per-record importer, for the records classified as deferred, in file order."""
        lookups = Lookups()
        for record in records:
            self._count(work_upsert(record, lookups, now))
        self.stats.touched_authors |= lookups.touched_authors


WORK_FOLLOWERS = (
    """INSERT INTO records_provenance (work_id, author_id, source, source_key, fields, fetched_at)
       SELECT id, NULL, 'openalex', source_key, fields, %(now)s FROM s_work""",
    """INSERT INTO records_authorship (work_id, author_id, position, raw_name, status)
       SELECT work_id, author_id, position, raw_name, 'active' FROM s_authorship""",
    """INSERT INTO records_authorship_institutions (authorship_id, institution_id)
       SELECT a.id, s.institution_id FROM s_authorship_institution s
       JOIN records_authorship a ON a.work_id = s.work_id AND a.position = s.position
       ON CONFLICT DO NOTHING""",
    """INSERT INTO records_work_topics (work_id, topic_id)
       SELECT work_id, topic_id FROM s_work_topic ON CONFLICT DO NOTHING""",
)


@dataclass
class PreparedWork:
    """A work record, with what staging it as a new work needs that no lookup can change:
    its OpenAlex assertion (records.Provenance.fields) as JSON text, and the values the
    importer would give a work whose one source that is. The reader process that parsed the
    record computes them (prepare_work), so the loader only looks up and numbers rows."""

    record: WorkRecord
    fields_json: str
    values: dict


def prepare_work(record: WorkRecord) -> PreparedWork:
    fields = asserted_fields(record)
    return PreparedWork(record, orjson.dumps(fields).decode(), effective_values(fields))


def effective_values(fields: dict) -> dict:
    """importer.works._apply_fields for a new work whose one assertion is `fields`."""
    by_source = {"openalex": [fields]}
    values = {field: winner(field, by_source)[1] for field in SCALAR_FIELDS}
    titled, _ = winner("title", by_source)
    values["title_html"] = (titled or {}).get("title_markup") or ""
    values["title"] = values["title"] or ""
    values["other_ids"] = merged_other_ids(by_source)
    values["abstract"] = values["abstract"] or ""
    values["type"] = values["type"] if values["type"] in WORK_TYPES else "other"
    for url in ("landing_url", "pdf_url", "code_url"):
        values[url] = (values[url] or "")[:1000]
    if values["citation_count"] is None:
        values["citation_count"] = 0
    date, precision = effective_date(by_source)
    values.update(
        publication_date=date,
        date_precision=precision or "day",
        publication_year=date.year if date else None,
        venue=winner("venue", by_source)[1],
    )
    return values
