"""Which source wins each field (pure)."""

from __future__ import annotations

import datetime

from apps.ingest.normalized import TopicRecord, VenueRecord, WorkRecord
from apps.records.markup import looks_like_url

# First source in each list that asserts a non-empty value wins.
PRECEDENCE: dict[str, tuple[str, ...]] = {
    "title": ("crossref", "openalex", "arxiv", "orcid"),
    "abstract": ("arxiv", "openalex", "crossref", "orcid"),
    "type": ("crossref", "openalex", "arxiv", "orcid"),
    "publication_date": ("crossref", "openalex", "arxiv", "orcid"),
    "venue": ("crossref", "openalex", "orcid", "arxiv"),
    "citation_count": ("openalex", "crossref"),
    "landing_url": ("crossref", "openalex", "arxiv", "orcid"),
    "pdf_url": ("arxiv", "openalex", "crossref"),
    "code_url": ("arxiv", "openalex", "crossref", "orcid"),
    "byline": ("openalex", "crossref", "arxiv", "orcid"),
    # Each of other_ids' keys (pmid, pmcid, mag, ...) separately, by this order.
    "other_ids": ("openalex", "crossref", "arxiv", "orcid"),
}


def asserted_fields(record: WorkRecord) -> dict:
    """What a source says about a work, as JSON-safe data for records.Provenance."""
    date = record.publication_date
    return {
        "title": record.title,
        "title_markup": record.title_markup,
        "abstract": record.abstract,
        "type": record.type,
        "publication_date": date.isoformat() if date else None,
        "date_precision": record.date_precision,
        "venue": _as_dict(record.venue) if record.venue else None,
        "citation_count": record.citation_count,
        "landing_url": record.landing_url,
        "pdf_url": record.pdf_url,
        "code_url": record.code_url,
        "doi": record.doi,
        "arxiv_id": record.arxiv_id,
        "openalex_id": record.openalex_id,
        "other_ids": dict(sorted(record.other_ids.items())),
        "topics": [_as_dict(t) for t in record.topics],
        "links": list(record.links),
        # A partial byline (an ORCID owner) is asserted by identifier only: how a /works or
        # a /record body happens to spell the owner's name is not a fact about the work.
        "byline": [
            [a.raw_name, a.position, a.orcid, a.openalex_id]
            if record.complete_byline
            else [None, None, a.orcid, a.openalex_id]
            for a in record.authors
        ],
        "complete_byline": record.complete_byline,
        UPDATED: record.source_updated,
    }


UPDATED = "_updated"  # the source's own last-changed time, kept with its assertion


def _as_dict(value: VenueRecord | TopicRecord) -> dict:
    """dataclasses.asdict for these flat records (plain str fields), without its recursive
    deep copy, which they do not need."""
    return dict(value.__dict__)


def _present(value) -> bool:
    return value not in (None, "", [], {})


def merge_assertion(stored: dict | None, incoming: dict) -> dict:
    """What a source's assertion becomes when it speaks again.

    By the source's own timestamps: a newer response replaces the values it states; an older
    one is ignored, so replaying an old response changes nothing; one of the same age (or an
    undated one, when ours is dated) only fills fields we lack. Two undated responses: the
    later one wins. In no case does a missing value blank one we have: a partial response
    (OpenAlex `select=`, a truncated list object) never deletes anything."""
    if stored is None:
        return incoming
    new, old = incoming.get(UPDATED), stored.get(UPDATED)
    present = {k: v for k, v in incoming.items() if _present(v) or isinstance(v, bool)}
    if (new and old and new < old) or (not new and old and not present.keys() - stored.keys()):
        return stored
    if (new and (not old or new > old)) or (not new and not old):
        return {**stored, **present}
    kept = {k: v for k, v in stored.items() if _present(v) or isinstance(v, bool)}
    return {**stored, **present, **kept}


def winner(field: str, by_source: dict[str, list[dict]]) -> tuple[dict | None, object]:
    """The assertion whose value for `field` counts, and that value. `by_source` maps each
    source to its assertions (several when, say, two ORCID records list the same work), in a
    stable order."""
    for source in PRECEDENCE[field]:
        for fields in by_source.get(source, []):
            if field == "byline" and not fields.get("complete_byline"):
                continue
            if field == "venue" and not venue_named(fields.get("venue")):
                continue
            if _present(fields.get(field)):
                return fields, fields[field]
    return None, None


def merged_other_ids(by_source: dict[str, list[dict]]) -> dict[str, str]:
    """PMID, PMCID, MAG and the other ids: for each key, the first source in precedence that
    gives it (and, within a source, its first assertion)."""
    merged: dict[str, str] = {}
    for source in PRECEDENCE["other_ids"]:
        for fields in by_source.get(source, []):
            for key, value in (fields.get("other_ids") or {}).items():
                if value:
                    merged.setdefault(key, str(value))
    return dict(sorted(merged.items()))


def venue_named(value: dict | None) -> bool:
    """A venue assertion with a name, not an address standing in for one."""
    return bool(value and value.get("name") and not looks_like_url(value["name"]))


def effective_date(by_source: dict[str, list[dict]]) -> tuple[datetime.date | None, str | None]:
    fields, value = winner("publication_date", by_source)
    if fields is None:
        return None, None
    return datetime.date.fromisoformat(value), fields.get("date_precision") or "day"


def byline_owner(by_source: dict[str, list[dict]]) -> str | None:
    """The source whose complete byline orders the work's authors."""
    for source in PRECEDENCE["byline"]:
        if any(f.get("complete_byline") and f.get("byline") for f in by_source.get(source, [])):
            return source
    return None
