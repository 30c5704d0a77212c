"""An authors partition on PostgreSQL: importer.authors.author_upsert, set-based.

For each record the author it resolves to (ORCID first, then surviving OpenAlex id) is
fetched with its provenance and institutions, chunk by chunk. A record whose assertion is
already stored (merge_assertion: the same, or older) changes nothing, as in the importer;
otherwise the importer's `_apply` rules (names by source precedence, other ids merged,
identifiers filled only when free, institutions only added) run in memory, and only what
differs is staged and written. A second record of the partition for an author already
changed here is deferred to the per-record importer, which then sees the first one's writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from apps.ingest.importer.authors import NAME_PRECEDENCE, _names, author_upsert
from apps.ingest.importer.lookups import Lookups
from apps.ingest.importer.precedence import UPDATED, merge_assertion
from apps.ingest.normalized import AuthorRecord

from .outcome import PartitionStats
from .resolve import Stage, json_value, new_author_row
from .sql import apply_new_rows
from .staging import Stager


@dataclass
class AuthorState:
    display_name: str
    name_variants: list[str]
    other_ids: dict
    orcid: str | None
    openalex_id: str | None
    provenance: list[tuple[str, str, dict]] = field(default_factory=list)  # by source_key
    institutions: set[int] = field(default_factory=set)

    def assertion(self, source: str, key: str) -> dict | None:
        return next((f for s, k, f in self.provenance if (s, k) == (source, key)), None)

    def row(self, pk: int) -> tuple:
        """The author's row as s_author and s_author_update stage it."""
        return new_author_row(
            pk,
            self.display_name,
            self.name_variants,
            orcid=self.orcid,
            openalex_id=self.openalex_id,
            other_ids=self.other_ids,
        )

    def identity(self) -> tuple:
        """What importer.authors._apply compares before and after."""
        return (
            self.display_name,
            list(self.name_variants),
            dict(self.other_ids),
            self.orcid,
            self.openalex_id,
        )


def asserted_author_fields(record: AuthorRecord) -> dict:
    """The provenance fields author_upsert stores (before merge_assertion)."""
    return {
        "display_name": record.display_name,
        "name_variants": sorted(record.name_variants),
        "other_ids": dict(sorted(record.other_ids.items())),
        "works_count": record.works_count,
        UPDATED: record.source_updated,
    }


class AuthorsStage(Stage):
    entity = "authors"
    record_type = AuthorRecord

    def __init__(self, cursor, stager: Stager, stats: PartitionStats) -> None:
        super().__init__(cursor, stager, stats)
        self.states: dict[int, AuthorState] = {}
        self.handled: set[int] = set()

    def stage_chunk(self, items: list[tuple[int, AuthorRecord]]) -> None:
        records = [record for _, record in items]
        self.authors.prefetch([r.orcid for r in records], [r.openalex_id for r in records])
        resolved = {self.authors.resolve(r.orcid, r.openalex_id) for r in records}
        self._fetch_states(resolved - {None} - self.handled)
        self.shared.prefetch([], [], [i for r in records for i in r.institutions if i.name])
        for line, record in items:
            self._stage(line, record)
        self.stager.flush(self.cursor)

    def _fetch_states(self, ids: set[int]) -> None:
        self.states = {}
        if not ids:
            return
        self.cursor.execute(
            "SELECT id, display_name, name_variants, other_ids, orcid, openalex_id "
            "FROM records_author WHERE id = ANY(%s)",
            [list(ids)],
        )
        for pk, name, variants, other_ids, orcid, openalex_id in self.cursor.fetchall():
            self.states[pk] = AuthorState(
                name, json_value(variants), json_value(other_ids), orcid, openalex_id
            )
        self.cursor.execute(
            "SELECT author_id, source, source_key, fields FROM records_provenance "
            "WHERE author_id = ANY(%s) ORDER BY author_id, source_key",
            [list(ids)],
        )
        for pk, source, key, fields in self.cursor.fetchall():
            self.states[pk].provenance.append((source, key, json_value(fields)))
        self.cursor.execute(
            "SELECT author_id, institution_id FROM records_author_institutions "
            "WHERE author_id = ANY(%s)",
            [list(ids)],
        )
        for pk, institution_id in self.cursor.fetchall():
            self.states[pk].institutions.add(institution_id)

    def _stage(self, line: int, record: AuthorRecord) -> None:
        if record.deleted or not (record.display_name or record.orcid or record.openalex_id):
            self.stats.add("skipped")
            return
        pk = self.authors.resolve(record.orcid, record.openalex_id)
        if pk in self.handled:
            self.deferred_lines.add(line)
            self.stats.deferred += 1
        elif pk is None:
            self._create(record)
        else:
            self._update(pk, record)

    def _create(self, record: AuthorRecord) -> None:
        pk, key = self.author_ids.take(), self.authors.survivor(record.openalex_id)
        state = AuthorState(record.display_name or "Unknown author", [], {}, record.orcid, key)
        self.authors.add(pk, record.orcid, key)
        self._settle(pk, state, record, asserted_author_fields(record))
        self.stager.add("s_author", state.row(pk))
        self.stager.add("s_touched", (pk,))
        self.stats.add("created")

    def _update(self, pk: int, record: AuthorRecord) -> None:
        state = self.states[pk]
        stored = state.assertion(record.source, record.source_key)
        fields = merge_assertion(stored, asserted_author_fields(record))
        if stored is not None and stored == fields:
            self.stats.add("unchanged")  # author_upsert returns before _apply
            return
        before = state.identity()
        added = self._settle(pk, state, record, fields)
        changed = state.identity() != before
        if changed:
            self.authors.add(pk, state.orcid, state.openalex_id)
            self.stager.add("s_author_update", state.row(pk))
        if changed or added:
            self.stager.add("s_touched", (pk,))
        self.stats.add("updated" if changed or added else "unchanged")

    def _settle(self, pk: int, state: AuthorState, record: AuthorRecord, fields: dict) -> bool:
        """Store the (new or changed) assertion, then importer.authors._apply on `state`;
        stages provenance and institutions. True if institutions were added."""
        self.handled.add(pk)
        self._assert(state, record.source, record.source_key, fields)
        self.stager.add("s_author_provenance", (pk, record.source_key, fields))
        assertions = [(source, f) for source, _, f in state.provenance]
        display, variants = _names(assertions)
        named = new_author_row(0, display or state.display_name, variants)
        state.display_name, state.name_variants = named[1], named[2]
        other_ids: dict = {}
        for _, asserted in sorted(assertions, key=lambda pair: -NAME_PRECEDENCE.index(pair[0])):
            other_ids.update(asserted.get("other_ids", {}))
        state.other_ids = dict(sorted({**state.other_ids, **other_ids}.items()))
        state.orcid = state.orcid or self._free("orcid", record.orcid)
        key = self.authors.survivor(record.openalex_id)
        state.openalex_id = state.openalex_id or self._free("openalex", key)
        wanted = {self.shared.institution(i) for i in record.institutions if i.name}
        for institution_id in wanted - state.institutions:
            self.stager.add("s_author_institution", (pk, institution_id))
        return bool(wanted - state.institutions)

    @staticmethod
    def _assert(state: AuthorState, source: str, key: str, fields: dict) -> None:
        """Put this source's assertion in `state.provenance` (kept in source_key order)."""
        for i, (other_source, other_key, _) in enumerate(state.provenance):
            if (other_source, other_key) == (source, key):
                state.provenance[i] = (source, key, fields)
                return
        state.provenance.append((source, key, fields))
        state.provenance.sort(key=lambda p: p[1])

    def _free(self, field: str, value: str | None) -> str | None:
        return value if value and not self.authors.holds(field, value) else None

    # Writing -----------------------------------------------------------------------------------

    def apply(self, now: datetime.datetime) -> None:
        self.stats.rows_written += apply_new_rows(self.cursor, self.stager, now)
        self._execute_all(AUTHOR_FOLLOWERS, now)

    def run_deferred(self, records: Iterable[AuthorRecord], now: datetime.datetime) -> None:
        """The per-record importer for repeated authors. The importer refreshes the metrics of
        every author it sees; only changed ones are refreshed here, as nothing they count
        changed otherwise."""
        for record in records:
            lookups = Lookups()
            outcome = author_upsert(record, lookups, now)
            self._count(outcome)
            if outcome in ("created", "updated"):
                self.stats.touched_authors |= lookups.touched_authors


AUTHOR_FOLLOWERS = (
    """UPDATE records_author a SET display_name = s.display_name,
           name_variants = s.name_variants, search_name = s.search_name,
           other_ids = s.other_ids, orcid = s.orcid, openalex_id = s.openalex_id,
           updated_at = %(now)s
       FROM s_author_update s
       WHERE a.id = s.id AND (a.display_name, a.name_variants, a.search_name, a.other_ids,
           a.orcid, a.openalex_id) IS DISTINCT FROM (s.display_name, s.name_variants,
           s.search_name, s.other_ids, s.orcid, s.openalex_id)""",
    """INSERT INTO records_provenance (work_id, author_id, source, source_key, fields, fetched_at)
       SELECT NULL, author_id, 'openalex', source_key, fields, %(now)s
       FROM s_author_provenance
       ON CONFLICT (author_id, source, source_key) WHERE author_id IS NOT NULL
       DO UPDATE SET fields = EXCLUDED.fields, fetched_at = EXCLUDED.fetched_at
       WHERE records_provenance.fields IS DISTINCT FROM EXCLUDED.fields""",
    """INSERT INTO records_author_institutions (author_id, institution_id)
       SELECT author_id, institution_id FROM s_author_institution ON CONFLICT DO NOTHING""",
)
