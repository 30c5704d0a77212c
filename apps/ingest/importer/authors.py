"""Finding and upserting author records."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from apps.ingest.models import MergedId
from apps.ingest.normalized import AuthorRecord, AuthorRef
from apps.records.models import Author, Authorship, Provenance
from apps.records.names import preferred_name

from .lookups import Lookups
from .precedence import UPDATED, merge_assertion

# Whose name for a person counts: the person's own (a claimant's edit), then ORCID (written by
# the person), then OpenAlex (inferred).
NAME_PRECEDENCE = ("claimant", "orcid", "openalex", "crossref", "arxiv")
MAX_MERGE_HOPS = 10
UNKNOWN_AUTHOR = "Unknown author"  # a record made from a byline entry that names nobody


def survivor_openalex_id(openalex_id: str | None) -> str | None:
    if not openalex_id:
        return None
    merged = MergedId.objects.filter(old_id=openalex_id).values_list("new_id", flat=True).first()
    return merged or openalex_id


def follow_merges(author: Author | None) -> Author | None:
    """The record a (possibly merged) record now stands for."""
    hops = 0
    while author is not None and author.merged_into_id and hops < MAX_MERGE_HOPS:
        author = Author.objects.get(pk=author.merged_into_id)
        hops += 1
    return author


def resolve_author(orcid: str | None, openalex_id: str | None) -> Author | None:
    """An existing record for these identifiers (ORCID first), following merges."""
    if orcid:
        found = Author.objects.filter(orcid=orcid).first()
        if found:
            return follow_merges(found)
    openalex_id = survivor_openalex_id(openalex_id)
    if openalex_id:
        return follow_merges(Author.objects.filter(openalex_id=openalex_id).first())
    return None


def resolve_refs(refs: list[AuthorRef]) -> list[Author | None]:
    """resolve_author for a whole byline in a few queries instead of two per author."""
    orcids = {r.orcid for r in refs if r.orcid}
    merged = dict(
        MergedId.objects.filter(
            old_id__in={r.openalex_id for r in refs if r.openalex_id}
        ).values_list("old_id", "new_id")
    )
    openalex = {merged.get(r.openalex_id, r.openalex_id) for r in refs if r.openalex_id}
    by_orcid = {a.orcid: a for a in Author.objects.filter(orcid__in=orcids)} if orcids else {}
    by_openalex = (
        {a.openalex_id: a for a in Author.objects.filter(openalex_id__in=openalex)}
        if openalex
        else {}
    )
    found = []
    for ref in refs:
        author = by_orcid.get(ref.orcid) or by_openalex.get(
            merged.get(ref.openalex_id, ref.openalex_id)
        )
        found.append(follow_merges(author))
    return found


def _free(field: str, value: str | None) -> str | None:
    """`value` if no record holds it yet (unique identifiers are never moved)."""
    if value and not Author.objects.filter(**{field: value}).exists():
        return value
    return None


def author_for_ref(ref: AuthorRef, lookups: Lookups) -> Author:
    """The record for an author printed on a work: found by identifier, else a new one."""
    found = resolve_author(ref.orcid, ref.openalex_id)
    if found is not None:
        return found
    author = Author(
        orcid=_free("orcid", ref.orcid),
        openalex_id=_free("openalex_id", survivor_openalex_id(ref.openalex_id)),
    )
    author.set_names(preferred_name(ref.raw_name, ref.display_name) or UNKNOWN_AUTHOR, [])
    try:
        with transaction.atomic():
            author.save()
    except IntegrityError:  # another worker created it between our lookup and insert
        return resolve_author(ref.orcid, ref.openalex_id) or author_for_ref(ref, lookups)
    lookups.created_authors.add(author.pk)
    return author


def fill_placeholder_names(author: Author, name: str | None) -> int:
    """Name the authorships a body without a name left as UNKNOWN_AUTHOR (an ORCID /works
    read before the /record): the order sources arrive in must not matter."""
    if not name or name == UNKNOWN_AUTHOR:
        return 0
    placeholders = Authorship.objects.filter(author=author, raw_name=UNKNOWN_AUTHOR)
    return placeholders.update(raw_name=name[:300])


def _names(assertions: list[tuple[str, dict]]) -> tuple[str | None, list[str]]:
    """The display name by source precedence; every other name any source used is a variant."""
    ranked = sorted(assertions, key=lambda pair: NAME_PRECEDENCE.index(pair[0]))
    display = next((f["display_name"] for _, f in ranked if f.get("display_name")), None)
    variants = {v for _, f in assertions for v in f.get("name_variants", [])}
    variants |= {f["display_name"] for _, f in assertions if f.get("display_name")}
    return display, sorted(variants - {display})


def author_upsert(record: AuthorRecord, lookups: Lookups, now: datetime.datetime) -> str:
    """Create or update one author record from a source; returns created/updated/unchanged/
    skipped. Placeholders ("Deleted Author") are skipped: nothing is ever deleted."""
    if record.deleted or not (record.display_name or record.orcid or record.openalex_id):
        return "skipped"
    author = resolve_author(record.orcid, record.openalex_id)
    created = author is None
    if created:
        ref = AuthorRef(
            raw_name=record.display_name or "",
            position=None,
            orcid=record.orcid,
            openalex_id=record.openalex_id,
            display_name=record.display_name,
        )
        author = author_for_ref(ref, lookups)
    incoming = {
        "display_name": record.display_name,
        "name_variants": sorted(record.name_variants),
        "other_ids": dict(sorted(record.other_ids.items())),
        "works_count": record.works_count,
        UPDATED: record.source_updated,
    }
    _store_counts(author, record)
    key = {"author": author, "source": record.source, "source_key": record.source_key}
    stored = Provenance.objects.filter(**key).first()
    fields = merge_assertion(stored.fields if stored else None, incoming)
    if stored is not None and stored.fields == fields:
        Provenance.objects.filter(pk=stored.pk).update(fetched_at=now)
        return "unchanged"
    Provenance.objects.update_or_create(**key, defaults={"fields": fields, "fetched_at": now})
    changed = _apply(author, record, lookups)
    lookups.touched_authors.add(author.pk)
    return "created" if created else ("updated" if changed else "unchanged")


def _store_counts(author: Author, record: AuthorRecord) -> None:
    """Keep the source's per-year counts when it gives them (a response without them leaves
    the stored ones); an UPDATE only when they differ."""
    if record.counts_by_year is None or author.counts_by_year == record.counts_by_year:
        return
    Author.objects.filter(pk=author.pk).update(counts_by_year=record.counts_by_year)
    author.counts_by_year = record.counts_by_year


def _apply(author: Author, record: AuthorRecord, lookups: Lookups) -> bool:
    assertions = [(p.source, p.fields) for p in author.provenance.order_by("source_key")]
    display, variants = _names(assertions)
    before = (
        author.display_name,
        list(author.name_variants),
        dict(author.other_ids),
        author.orcid,
        author.openalex_id,
    )
    author.set_names(display or author.display_name, variants)
    other_ids = {}
    for _, fields in sorted(assertions, key=lambda pair: -NAME_PRECEDENCE.index(pair[0])):
        other_ids.update(fields.get("other_ids", {}))
    author.other_ids = dict(sorted({**author.other_ids, **other_ids}.items()))
    author.orcid = author.orcid or _free("orcid", record.orcid)
    author.openalex_id = author.openalex_id or _free(
        "openalex_id", survivor_openalex_id(record.openalex_id)
    )
    after = (
        author.display_name,
        list(author.name_variants),
        dict(author.other_ids),
        author.orcid,
        author.openalex_id,
    )
    added = lookups.add_institutions(author, record.institutions)
    added |= bool(fill_placeholder_names(author, display))
    if before != after:
        author.save(
            update_fields=[
                "display_name",
                "name_variants",
                "search_name",
                "other_ids",
                "orcid",
                "openalex_id",
                "updated_at",
            ]
        )
    return before != after or added
