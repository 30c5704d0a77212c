"""Finding the rows a partition's records refer to, by the importer's rules, in bulk.

The importer (apps/ingest/importer/) looks each identifier up as it goes and creates what is
missing, so a later record finds what an earlier one created. Here every chunk of records
first fetches what the database holds for all of its identifiers in a few queries; then the
records are walked in file order, and whatever the importer would have created gets an id
from the table's own sequence and is remembered, so later records find it the same way.
Nothing is written until the chunk's rows are staged (staging.py).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable

from apps.ingest.importer.authors import MAX_MERGE_HOPS
from apps.ingest.importer.lookups import (
    institution_key,
    topic_key,
    topic_slug,
    topic_slug_base,
    venue_key,
)
from apps.ingest.normalized import InstitutionRecord, TopicRecord, VenueRecord
from apps.records.models import Author

from .outcome import PartitionStats
from .staging import Stager


def json_value(value):
    """A jsonb column's value. (Django registers a loader that leaves jsonb as text on its
    connections, for JSONField to decode; this is that decoding.)"""
    return json.loads(value) if isinstance(value, str) else value


class IdPool:
    """Primary keys drawn ahead from a table's identity sequence. Unused ones are gaps, as
    after any rolled-back insert."""

    def __init__(self, cursor, table: str, block: int = 20_000) -> None:
        self.cursor, self.table, self.block = cursor, table, block
        self._ids: list[int] = []

    def take(self) -> int:
        if not self._ids:
            self.cursor.execute(
                "SELECT array_agg(nextval(pg_get_serial_sequence(%s, 'id'))) "
                "FROM generate_series(1, %s)",
                [self.table, self.block],
            )
            self._ids = sorted(self.cursor.fetchone()[0], reverse=True)
        return self._ids.pop()


class Survivors:
    """OpenAlex ids merged into another (ingest.MergedId), fetched as chunks need them."""

    def __init__(self, cursor) -> None:
        self.cursor = cursor
        self.new_ids: dict[str, str] = {}
        self._asked: set[str] = set()

    def prefetch(self, openalex_ids: Iterable[str | None]) -> None:
        fresh = {i for i in openalex_ids if i} - self._asked
        if fresh:
            self.cursor.execute(
                "SELECT old_id, new_id FROM ingest_mergedid WHERE old_id = ANY(%s)", [list(fresh)]
            )
            self.new_ids.update(self.cursor.fetchall())
            self._asked |= fresh

    def get(self, openalex_id: str | None) -> str | None:
        """importer.authors.survivor_openalex_id: one hop through ingest.MergedId."""
        return self.new_ids.get(openalex_id, openalex_id) if openalex_id else None


class AuthorIndex:
    """Which author record an (ORCID iD, OpenAlex id) pair stands for: ORCID first, then the
    surviving OpenAlex id (ingest.MergedId), following merged records to their survivor,
    exactly as importer.authors.resolve_author; plus the records this load creates."""

    def __init__(self, cursor, survivors: Survivors) -> None:
        self.cursor, self.survivors = cursor, survivors
        self.by_orcid: dict[str, int] = {}
        self.by_openalex: dict[str, int] = {}
        self.merged_into: dict[int, int | None] = {}
        self._asked_orcids: set[str] = set()
        self._asked_openalex: set[str] = set()

    def prefetch(self, orcids: Iterable[str], openalex_ids: Iterable[str]) -> None:
        """Look up, in three queries or so, every identifier not asked about before."""
        openalex_ids = {i for i in openalex_ids if i}
        self.survivors.prefetch(openalex_ids)
        orcids = {o for o in orcids if o} - self._asked_orcids
        keys = {self.survivor(i) for i in openalex_ids} - self._asked_openalex
        self._asked_orcids |= orcids
        self._asked_openalex |= keys
        if not (orcids or keys):
            return
        self.cursor.execute(
            "SELECT id, orcid, openalex_id, merged_into_id FROM records_author "
            "WHERE orcid = ANY(%s) OR openalex_id = ANY(%s)",
            [list(orcids), list(keys)],
        )
        for pk, orcid, openalex_id, merged_into in self.cursor.fetchall():
            self._remember(pk, orcid, openalex_id, merged_into)
        self._fetch_merge_targets()

    def _fetch_merge_targets(self) -> None:
        for _ in range(MAX_MERGE_HOPS):
            wanted = {m for m in self.merged_into.values() if m and m not in self.merged_into}
            if not wanted:
                return
            self.cursor.execute(
                "SELECT id, merged_into_id FROM records_author WHERE id = ANY(%s)", [list(wanted)]
            )
            self.merged_into.update(self.cursor.fetchall())

    def _remember(self, pk: int, orcid: str | None, openalex_id: str | None, merged_into) -> None:
        if orcid:
            self.by_orcid[orcid] = pk
        if openalex_id:
            self.by_openalex[openalex_id] = pk
        self.merged_into[pk] = merged_into

    def survivor(self, openalex_id: str | None) -> str | None:
        return self.survivors.get(openalex_id)

    def follow(self, pk: int | None) -> int | None:
        hops = 0
        while pk is not None and self.merged_into.get(pk) and hops < MAX_MERGE_HOPS:
            pk = self.merged_into[pk]
            hops += 1
        return pk

    def resolve(self, orcid: str | None, openalex_id: str | None) -> int | None:
        if orcid and orcid in self.by_orcid:
            return self.follow(self.by_orcid[orcid])
        key = self.survivor(openalex_id)
        if key and key in self.by_openalex:
            return self.follow(self.by_openalex[key])
        return None

    def holds(self, field: str, value: str | None) -> bool:
        """Whether some record (merged or not) already has this ORCID iD / OpenAlex id."""
        return bool(value) and value in (self.by_orcid if field == "orcid" else self.by_openalex)

    def add(self, pk: int, orcid: str | None, openalex_id: str | None) -> None:
        """A record this load creates (or gives an identifier to)."""
        self._remember(pk, orcid, openalex_id, None)


class _Names:
    """Just the attributes Author.set_names writes: the loader needs the names, not a model
    instance per author."""

    display_name = ""
    name_variants: list[str] = []  # set_names replaces it, never mutates it
    search_name = ""


def new_author_row(pk: int, display: str, variants: list[str], **fields) -> tuple:
    """A records_author row for the staging table, names set by Author.set_names itself so
    search_name is exactly what the model would store."""
    names = _Names()
    Author.set_names(names, display, variants)
    return (
        pk,
        names.display_name[:300],
        names.name_variants,
        names.search_name,
        fields.get("orcid"),
        fields.get("openalex_id"),
        fields.get("other_ids") or {},
    )


class SharedRows:
    """Venues, topics and institutions by importer.lookups.Lookups' rules (the same cache
    keys, the same find order, the same fields on creation), found in bulk."""

    def __init__(self, cursor, stager: Stager) -> None:
        self.cursor, self.stager = cursor, stager
        self.venue_ids = IdPool(cursor, "records_venue", 500)
        self.topic_ids = IdPool(cursor, "records_topic", 100)
        self.institution_ids = IdPool(cursor, "records_institution", 500)
        self.cache: dict[tuple[str, str], int] = {}
        self.found: dict[tuple[str, str], int] = {}  # in the database: ("venue-oa", "S1") -> id
        self.created: dict[tuple[str, str], int] = {}  # by this load, found after older rows
        self._asked: set[tuple[str, str]] = set()
        self._slugs: set[str] = set()
        self._db_slugs: set[str] | None = None

    # Bulk lookups ------------------------------------------------------------------------------

    def prefetch(
        self,
        venues: list[VenueRecord],
        topics: list[TopicRecord],
        institutions: list[InstitutionRecord],
    ) -> None:
        self._fetch("venue-oa", "records_venue", "openalex_id", {v.openalex_id for v in venues})
        self._fetch_names(
            "venue-name", "records_venue", {v.name for v in venues if not v.openalex_id}
        )
        self._fetch("topic-oa", "records_topic", "openalex_id", {t.openalex_id for t in topics})
        self._fetch("topic-code", "records_topic", "code", {t.code for t in topics})
        bare = {topic_slug(t.name) for t in topics if not (t.openalex_id or t.code)}
        self._fetch("topic-slug", "records_topic", "slug", bare)
        records = institutions
        self._fetch("inst-ror", "records_institution", "ror_id", {i.ror_id for i in records})
        self._fetch(
            "inst-oa", "records_institution", "openalex_id", {i.openalex_id for i in records}
        )
        bare = {i.name for i in records if not (i.ror_id or i.openalex_id)}
        self._fetch_names("inst-name", "records_institution", bare)

    def _unasked(self, kind: str, values: set) -> list[str]:
        fresh = [v for v in values if v and (kind, v) not in self._asked]
        self._asked.update((kind, v) for v in fresh)
        return fresh

    def _fetch(self, kind: str, table: str, column: str, values: set) -> None:
        if fresh := self._unasked(kind, values):
            self.cursor.execute(
                f"SELECT {column}, id FROM {table} WHERE {column} = ANY(%s)",  # noqa: S608
                [fresh],
            )
            self.found.update(((kind, value), pk) for value, pk in self.cursor.fetchall())

    def _fetch_names(self, kind: str, table: str, names: set) -> None:
        """Case-insensitive name matches, lowest id first (the importer's `name__iexact` with
        `order_by("id").first()`); keyed by the name as given."""
        if fresh := self._unasked(kind, {n.upper() for n in names}):
            self.cursor.execute(
                f"SELECT DISTINCT ON (UPPER(name)) UPPER(name), id FROM {table} "  # noqa: S608
                "WHERE UPPER(name) = ANY(%s) ORDER BY UPPER(name), id",
                [fresh],
            )
            self.found.update(((kind, value), pk) for value, pk in self.cursor.fetchall())

    def _known(self, kind: str, value: str | None) -> int | None:
        if not value:
            return None
        return self.found.get((kind, value)) or self.created.get((kind, value))

    # Venues ------------------------------------------------------------------------------------

    def venue(self, record: VenueRecord | dict | None) -> int | None:
        if not record:
            return None
        record = VenueRecord(**record) if isinstance(record, dict) else record
        return self._cached(
            ("venue", venue_key(record)), self._find_venue, self._create_venue, record
        )

    def _find_venue(self, record: VenueRecord) -> int | None:
        if record.openalex_id:
            return self._known("venue-oa", record.openalex_id)
        return self._known("venue-name", record.name.upper())

    def _create_venue(self, record: VenueRecord) -> int:
        pk = self.venue_ids.take()
        self.stager.add(
            "s_venue",
            (pk, record.name[:300], record.openalex_id, record.issn_l[:9], record.kind[:40]),
        )
        self._learn("venue-oa", record.openalex_id, pk)
        self._learn("venue-name", record.name[:300].upper(), pk)
        return pk

    def _learn(self, kind: str, value: str | None, pk: int) -> None:
        """A row this load creates: later lookups find it, unless an older row matches first."""
        if value:
            self.created.setdefault((kind, value), pk)

    # Topics ------------------------------------------------------------------------------------

    def topic(self, record: TopicRecord) -> int:
        return self._cached(
            ("topic", topic_key(record)), self._find_topic, self._create_topic, record
        )

    def _find_topic(self, record: TopicRecord) -> int | None:
        if record.openalex_id:
            return self._known("topic-oa", record.openalex_id)
        if record.code:
            return self._known("topic-code", record.code)
        return self._known("topic-slug", topic_slug(record.name))

    def _create_topic(self, record: TopicRecord) -> int:
        base = topic_slug_base(record)
        slug, n = base, 1
        while self._slug_taken(slug):
            n += 1
            slug = f"{base}-{n}"
        pk = self.topic_ids.take()
        self.stager.add("s_topic", (pk, record.name[:200], slug, record.code, record.openalex_id))
        self._slugs.add(slug)
        self._learn("topic-oa", record.openalex_id, pk)
        self._learn("topic-code", record.code, pk)
        self._learn("topic-slug", slug, pk)
        return pk

    def _slug_taken(self, slug: str) -> bool:
        """(The topic table is small: its slugs are read once per partition.)"""
        if self._db_slugs is None:
            self.cursor.execute("SELECT slug FROM records_topic")
            self._db_slugs = {row[0] for row in self.cursor.fetchall()}
        return slug in self._db_slugs or slug in self._slugs

    # Institutions ------------------------------------------------------------------------------

    def institution(self, record: InstitutionRecord) -> int:
        key = ("inst", institution_key(record))
        return self._cached(key, self._find_institution, self._create_institution, record)

    def _cached(self, key: tuple[str, str], find, create, record) -> int:
        """The row's id, from this partition's cache, else found, else created."""
        if key not in self.cache:
            self.cache[key] = find(record) or create(record)
        return self.cache[key]

    def _find_institution(self, record: InstitutionRecord) -> int | None:
        found = self._known("inst-ror", record.ror_id)
        if found is None and record.openalex_id:
            found = self._known("inst-oa", record.openalex_id)
        if found is None and not (record.ror_id or record.openalex_id):
            found = self._known("inst-name", record.name.upper())
        return found

    def _create_institution(self, record: InstitutionRecord) -> int:
        pk = self.institution_ids.take()
        country = (record.country_code or "")[:2].upper()
        self.stager.add(
            "s_institution", (pk, record.name[:300], record.ror_id, record.openalex_id, country)
        )
        self._learn("inst-ror", record.ror_id, pk)
        self._learn("inst-oa", record.openalex_id, pk)
        self._learn("inst-name", record.name[:300].upper(), pk)
        return pk


class Stage:
    """What staging a works or an authors partition shares: the partition's cursor, stager
    and counts, the lookups of the rows its records refer to, and the lines left to the
    per-record importer. load.py calls stage_chunk for each chunk of records, then apply,
    then run_deferred with the records on `deferred_lines`."""

    entity: str
    record_type: type

    def __init__(self, cursor, stager: Stager, stats: PartitionStats) -> None:
        self.cursor, self.stager, self.stats = cursor, stager, stats
        self.survivors = Survivors(cursor)
        self.authors = AuthorIndex(cursor, self.survivors)
        self.shared = SharedRows(cursor, stager)
        self.author_ids = IdPool(cursor, "records_author")
        self.deferred_lines: set[int] = set()

    def _execute_all(self, statements: tuple[str, ...], now: datetime.datetime) -> None:
        """Run each statement; the rows they write count as written."""
        for sql in statements:
            self.cursor.execute(sql, {"now": now})
            self.stats.rows_written += max(self.cursor.rowcount, 0)

    def _count(self, outcome: str) -> None:
        """An outcome of the per-record importer (created and updated rows count as written)."""
        self.stats.add(outcome)
        if outcome in ("created", "updated"):
            self.stats.rows_written += 1
