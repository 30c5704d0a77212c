"""OpenAlex bodies (REST API and snapshot) into normalised records. Pure: no Django, no I/O.

Facts behind the choices: shared/docs/upstream-apis.md sections 1-3 and 9.

* Types: OpenAlex's own vocabulary (article, preprint, book-chapter, dataset, review, ...) and
  the Crossref-style one older snapshots carry (journal-article, posted-content, ...) both
  map onto WorkType. An article whose primary source is a conference, or whose
  `type_crossref` is proceedings-article, is a proceedings paper.
* Topics come from `topics` only. The deprecated `concepts` are a different taxonomy (C keys,
  six levels) and are not used as a fallback: a work without `topics` has none.
* An author is a "Deleted Author" placeholder when its display name is exactly that and it
  has no ORCID iD; such records are returned with `deleted=True`, never dropped silently.
* `complete_byline` is true only for a non-empty, untruncated authorship list: an empty list
  (e.g. `select=ids`, or grants in the snapshot) says nothing about who wrote the work.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
import re

import orjson

from apps.ingest.normalized import (
    AuthorRecord,
    AuthorRef,
    Batch,
    InstitutionRecord,
    ParseError,
    TopicRecord,
    VenueRecord,
    WorkRecord,
    iso_utc,
)
from apps.ingest.parsers._coerce import (
    CACHE_SIZE,
    as_dict,
    as_id,
    as_int,
    as_list,
    as_text,
    decode,
    dicts,
    int_or,
    one_line,
    plain,
)
from apps.records.identifiers import (
    OPENALEX_KINDS,
    InvalidIdentifier,
    arxiv_id_from_doi,
    normalize_arxiv_id,
    normalize_doi,
    normalize_openalex_id,
    normalize_orcid,
    normalize_ror,
)
from apps.records.links import links_in_text, zenodo_link_for_doi
from apps.records.markup import looks_like_url, title_markup, unescape_entities

SOURCE = "openalex"
NULL_AUTHOR = "A9999999999"  # authorships OpenAlex could not disambiguate
DELETED_AUTHOR_NAME = "deleted author"

_TYPES = {
    "article": "article",
    "journal-article": "article",
    "review": "article",
    "preprint": "preprint",
    "posted-content": "preprint",
    "proceedings-article": "proceedings",
    "book-chapter": "book-chapter",
    "book-section": "book-chapter",
    "book-part": "book-chapter",
    "dataset": "dataset",
}
_WORK_OTHER_IDS = ("mag", "pmid", "pmcid")


# Entry points ----------------------------------------------------------------------------------


def parse(body: bytes | str) -> Batch:
    """A Work, an Author, or a list page `{"meta": ..., "results": [...]}` as a Batch.

    An `{"error", "message"}` body, malformed JSON or any other shape raises ParseError.
    """
    data = _load_json(body)
    if not isinstance(data, dict):
        raise ParseError(f"OpenAlex: expected a JSON object, got {type(data).__name__}")
    if "results" in data:
        return _parse_page(data)
    if "error" in data and "id" not in data:
        raise ParseError(_error_line(data))
    if _entity_key(data) is None:
        raise ParseError("OpenAlex: not a work, an author or a list page")
    batch = Batch()
    _add_entity(batch, data)
    return batch


def parse_work(obj: dict) -> WorkRecord | None:
    """One Work object; None when it has no OpenAlex id, or neither a title nor an
    identifier (DOI, arXiv id, MAG/PubMed id) that could ever match it to anything."""
    key = _key_of_kind(obj, "work")
    return None if key is None else _work(obj, key)


def _work(obj: dict, key: str) -> WorkRecord | None:
    record = WorkRecord(source=SOURCE, source_key=key, openalex_id=key, title=_title(obj))
    record.title_markup = title_markup(obj.get("title")) or title_markup(obj.get("display_name"))
    record.abstract = rebuild_abstract(obj.get("abstract_inverted_index"))
    record.publication_date, record.date_precision = _publication_date(obj)
    _add_location_fields(record, obj)
    _add_identifiers(record, obj)
    record.citation_count = as_int(obj.get("cited_by_count"))
    record.authors = _author_refs(obj.get("authorships"))
    record.complete_byline = bool(record.authors) and not obj.get("is_authors_truncated")
    record.topics = _topics(obj.get("topics"))
    record.source_updated = iso_utc(obj.get("updated_date"))
    if record.title is None and not (record.doi or record.arxiv_id or record.other_ids):
        return None
    return record


def parse_author(obj: dict) -> AuthorRecord:
    """One Author object (API or snapshot shape)."""
    key = _key_of_kind(obj, "author")
    if key is None:
        raise ParseError("OpenAlex: author object without an id")
    return _author(obj, key)


def _author(obj: dict, key: str) -> AuthorRecord:
    ids = as_dict(obj.get("ids"))
    name = as_text(obj.get("display_name"))
    return AuthorRecord(
        source=SOURCE,
        source_key=key,
        openalex_id=key,
        display_name=name,
        name_variants=_name_variants(obj.get("display_name_alternatives"), name),
        orcid=as_id(normalize_orcid, obj.get("orcid") or ids.get("orcid")),
        other_ids=_author_other_ids(ids),
        institutions=_author_institutions(obj),
        deleted=is_deleted_author(obj),
        works_count=as_int(obj.get("works_count")),
        source_updated=iso_utc(obj.get("updated_date")),
        counts_by_year=_counts_by_year(obj.get("counts_by_year")),
    )


def _counts_by_year(rows: object) -> list[dict] | None:
    """[{year, works_count, cited_by_count}] (newest first) as [{year, works, citations}],
    oldest first; rows without a year are dropped; None when the field is absent."""
    if not isinstance(rows, list):
        return None
    counts = {}
    for row in dicts(rows):
        year = as_int(row.get("year"))
        if year is not None:
            works, citations = (
                int_or(row.get("works_count"), 0),
                int_or(row.get("cited_by_count"), 0),
            )
            counts[year] = {"year": year, "works": works, "citations": citations}
    return [counts[year] for year in sorted(counts)]


def parse_snapshot_line(line: bytes | str) -> WorkRecord | AuthorRecord | None:
    """One JSON Lines record of a snapshot works/authors partition.

    None for a blank line or an unusable work (see parse_work); ParseError for malformed JSON
    or an entity we do not import (institutions, sources, ...).
    """
    obj = _load_line(line)
    if obj is None:
        return None
    key = _entity_key(obj) if isinstance(obj, dict) else None
    if key is None:
        raise ParseError("OpenAlex snapshot: a line that is not an entity with an id")
    if _kind_of_key(key) == "work":
        return _work(obj, key)
    return _author(obj, key)


def parse_merged_ids_csv(text: str) -> list[tuple[str, str]]:
    """(old key, surviving key) pairs from a snapshot `merged_ids/<entity>/<date>.csv`."""
    reader = csv.DictReader(io.StringIO(decode(text, "OpenAlex")))
    if not {"id", "merge_into_id"} <= set(reader.fieldnames or ()):
        raise ParseError("OpenAlex merged_ids: expected the header merge_date,id,merge_into_id")
    return [_merge_pair(row, reader.line_num) for row in reader]


def rebuild_abstract(index: object) -> str | None:
    """The abstract text from OpenAlex's `abstract_inverted_index` (word -> positions)."""
    if not isinstance(index, dict):
        return None
    words: dict[int, str] = {}
    for word, positions in index.items():
        if isinstance(positions, list):
            for position in positions:
                if isinstance(position, int):
                    words[position] = word
    text = " ".join([words[position] for position in sorted(words)]).strip()
    return unescape_entities(text) if text else None


def is_deleted_author(obj: dict) -> bool:
    """True for OpenAlex's "Deleted Author" placeholders (named so, and without an ORCID iD)."""
    name = as_text(obj.get("display_name")) or ""
    return name.casefold() == DELETED_AUTHOR_NAME and not obj.get("orcid")


# Pages and entities ----------------------------------------------------------------------------


def _parse_page(data: dict) -> Batch:
    results, meta = data.get("results"), as_dict(data.get("meta"))
    if not isinstance(results, list):
        raise ParseError("OpenAlex: list page whose `results` is not a list")
    batch = Batch(next_cursor=as_text(meta.get("next_cursor")), total=as_int(meta.get("count")))
    for result in results:
        if not isinstance(result, dict):
            raise ParseError("OpenAlex: list page with a result that is not an object")
        _add_entity(batch, result)
    return batch


def _add_entity(batch: Batch, obj: dict) -> None:
    """Append a work or an author; a work that can't be used, or has no id, counts as skipped."""
    if _entity_key(obj) is None:
        batch.skipped += 1
    elif _kind(obj) == "author":
        batch.authors.append(parse_author(obj))
    else:
        batch.add_work(parse_work(obj))


def _entity_key(obj: dict) -> str | None:
    """The bare key from `id`, or from `ids.openalex` when `select=` left `id` out."""
    for value in (obj.get("id"), as_dict(obj.get("ids")).get("openalex")):
        if (key := _openalex_key(value)) is not None:
            return key
    return None


def _kind(obj: dict) -> str:
    """Work or author, by the id's type letter; other entities are not ours to import."""
    return _kind_of_key(_entity_key(obj) or "")


def _kind_of_key(key: str) -> str:
    kind = OPENALEX_KINDS.get(key[:1], "unknown")
    if kind not in ("work", "author"):
        raise ParseError(f"OpenAlex: {kind} records are not imported ({key or 'no id'})")
    return kind


def _key_of_kind(obj: dict, kind: str) -> str | None:
    if not isinstance(obj, dict):
        raise ParseError(f"OpenAlex: a {kind} must be a JSON object")
    key = _entity_key(obj)
    if key is not None and _kind_of_key(key) != kind:
        raise ParseError(f"OpenAlex: expected a {kind}, got {key}")
    return key


# Work fields -----------------------------------------------------------------------------------


def _title(obj: dict) -> str | None:
    return plain(obj.get("title")) or plain(obj.get("display_name"))


def _publication_date(obj: dict) -> tuple[datetime.date | None, str | None]:
    text = obj.get("publication_date")
    if isinstance(text, str):
        try:
            return datetime.date.fromisoformat(text), "day"
        except ValueError:
            pass  # fall back to the year
    year = obj.get("publication_year")
    if isinstance(year, int) and datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return datetime.date(year, 1, 1), "year"
    return None, None


def _add_location_fields(record: WorkRecord, obj: dict) -> None:
    primary, best = as_dict(obj.get("primary_location")), as_dict(obj.get("best_oa_location"))
    record.venue = _venue(primary, dicts(obj.get("locations")))
    record.type = _work_type(obj, record.venue.kind if record.venue else "")
    record.landing_url = as_text(primary.get("landing_page_url"))
    record.pdf_url = as_text(primary.get("pdf_url")) or as_text(best.get("pdf_url"))
    record.links = _links(dicts(obj.get("locations")))


def _links(locations: list[dict]) -> list[str]:
    """Code, data and model hosts among the locations' addresses. A Zenodo DOI counts only
    when no location links Zenodo itself (its concept DOI would repeat the record)."""
    urls = [as_text(loc.get(key)) for loc in locations for key in ("landing_page_url", "pdf_url")]
    found = links_in_text(*(u for u in urls if u and "doi.org/" not in u))
    if not any("zenodo.org" in url for url in found):
        dois = (as_id(normalize_doi, u) for u in urls if u and "doi.org/" in u)
        zenodo = next((z for d in dois if (z := zenodo_link_for_doi(d))), None)
        found += [zenodo] if zenodo else []
    return found


def _work_type(obj: dict, venue_kind: str) -> str | None:
    kind = obj.get("type")
    if not isinstance(kind, str):
        return None  # e.g. a `select=ids` result: the source did not say
    if obj.get("type_crossref") == "proceedings-article":
        return "proceedings"
    if kind in ("article", "journal-article") and venue_kind == "conference":
        return "proceedings"
    return _TYPES.get(kind, "other")


def _venue(primary: dict, locations: list[dict]) -> VenueRecord | None:
    """The primary location's source; failing that, the first other location with a named
    source; failing that, the first unresolved `raw_source_name` that is a name. A URL (a
    PDF's address, as CiteSeerX records give) is never a venue name."""
    for location in [primary, *locations]:
        source = as_dict(location.get("source"))
        if as_text(source.get("display_name")):
            return _source_venue(source)
    for location in [primary, *locations]:
        raw = as_text(location.get("raw_source_name"))
        if raw and not looks_like_url(raw):
            return VenueRecord(name=raw)
    return None


def _source_venue(source: dict) -> VenueRecord:
    name = as_text(source.get("display_name")) or ""
    return VenueRecord(
        name=name,
        openalex_id=_openalex_key(source.get("id"), "source"),
        issn_l=as_text(source.get("issn_l")) or "",
        kind=as_text(source.get("type")) or "",
    )


def _add_identifiers(record: WorkRecord, obj: dict) -> None:
    ids = as_dict(obj.get("ids"))
    record.doi = as_id(normalize_doi, obj.get("doi")) or as_id(normalize_doi, ids.get("doi"))
    record.arxiv_id = as_id(arxiv_id_from_doi, record.doi) or _arxiv_from_work(obj, ids)
    record.other_ids = _work_other_ids(ids)


def _arxiv_from_work(obj: dict, ids: dict) -> str | None:
    """From `ids` (not documented, but cheap to honour) or any location's id or URLs."""
    locations = [as_dict(obj.get("primary_location")), as_dict(obj.get("best_oa_location"))]
    locations += [as_dict(loc) for loc in as_list(obj.get("locations"))]
    candidates = [ids.get("arxiv")]
    for location in locations:
        candidates += [location.get(f) for f in ("id", "landing_page_url", "pdf_url")]
    return next(filter(None, map(_arxiv_from_text, candidates)), None)


def _arxiv_from_text(value: object) -> str | None:
    """`pmh:oai:arXiv.org:<id>`, an arxiv.org abs/pdf URL or an `arXiv:` id; None otherwise."""
    if not isinstance(value, str) or "arxiv" not in value.casefold():
        return None
    return as_id(normalize_arxiv_id, value.strip().removeprefix("pmh:").split("?")[0].split("#")[0])


def _work_other_ids(ids: dict) -> dict[str, str]:
    """mag, pmid and pmcid as bare values; a PMCID gets its conventional "PMC" prefix."""
    found = {}
    for name in _WORK_OTHER_IDS:
        value = _last_segment(ids.get(name))
        if value:
            found[name] = value
    if "pmcid" in found:
        found["pmcid"] = "PMC" + found["pmcid"].upper().removeprefix("PMC")
    return found


def _author_refs(authorships: object) -> list[AuthorRef]:
    """Byline order is list order (`author_position` only says first/middle/last)."""
    return [
        _author_ref(position, authorship)
        for position, authorship in enumerate(as_list(authorships))
        if isinstance(authorship, dict)
    ]


def _author_ref(position: int, authorship: dict) -> AuthorRef:
    author = as_dict(authorship.get("author"))
    display_name = as_text(author.get("display_name"))
    key = _openalex_key(author.get("id"), "author")
    return AuthorRef(
        raw_name=as_text(authorship.get("raw_author_name")) or display_name or "",
        position=position,
        orcid=_orcid(author.get("orcid")),
        openalex_id=None if key == NULL_AUTHOR else key,
        display_name=display_name,
        institutions=_institutions(authorship.get("institutions")),
    )


def _topics(topics: object) -> list[TopicRecord]:
    found = []
    for topic in map(as_dict, as_list(topics)):
        name = as_text(topic.get("display_name"))
        if name:
            key = _openalex_key(topic.get("id"), "topic")
            found.append(TopicRecord(name=name, openalex_id=key))
    return found


# Author fields ---------------------------------------------------------------------------------


def _name_variants(alternatives: object, display_name: str | None) -> list[str]:
    variants: list[str] = []
    for value in as_list(alternatives):
        name = as_text(value)
        if name and name != display_name and name not in variants:
            variants.append(name)
    return variants


def _author_other_ids(ids: dict) -> dict[str, str]:
    """Every id but the two we keep in their own fields; Scopus and Twitter URLs made bare."""
    found = {}
    for name, value in ids.items():
        text = as_text(str(value)) if isinstance(value, str | int) else None
        if name in ("openalex", "orcid") or not text:
            continue
        if name == "scopus" and (match := re.search(r"authorID=(\d+)", text)):
            text = match[1]
        elif name == "twitter":
            text = text.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
        found[name] = text
    return found


def _author_institutions(obj: dict) -> list[InstitutionRecord]:
    """`last_known_institutions` (older records: the singular field); failing those, every
    `affiliations[].institution`, the most recently held first."""
    current = as_list(obj.get("last_known_institutions")) or [obj.get("last_known_institution")]
    if found := _institutions(current):
        return found
    affiliations = map(as_dict, as_list(obj.get("affiliations")))
    latest_first = sorted(affiliations, key=_latest_year, reverse=True)
    return _institutions([a.get("institution") for a in latest_first])


def _latest_year(affiliation: dict) -> int:
    years = [y for y in as_list(affiliation.get("years")) if isinstance(y, int)]
    return max(years, default=0)


def _institutions(values: object) -> list[InstitutionRecord]:
    found = []
    for value in as_list(values):
        institution = as_dict(value)
        name = as_text(institution.get("display_name"))
        if name:
            found.append(
                InstitutionRecord(
                    name=name,
                    ror_id=as_id(normalize_ror, institution.get("ror")),
                    openalex_id=_openalex_key(institution.get("id"), "institution"),
                    country_code=as_text(institution.get("country_code")) or "",
                )
            )
    return found


# Snapshot merges -------------------------------------------------------------------------------


def _merge_pair(row: dict, line: int) -> tuple[str, str]:
    try:
        old = normalize_openalex_id(row["id"])
        survivor = normalize_openalex_id(row["merge_into_id"])
    except InvalidIdentifier as exc:
        raise ParseError(f"OpenAlex merged_ids line {line}: {exc}") from exc
    if old[0] != survivor[0]:
        raise ParseError(f"OpenAlex merged_ids line {line}: {old} merged into {survivor}")
    return old, survivor


# Small helpers ---------------------------------------------------------------------------------


def _load_json(body: bytes | str) -> object:
    try:
        return json.loads(decode(body, "OpenAlex"))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise ParseError(f"OpenAlex: malformed JSON ({exc.msg} at {where})") from exc


def _load_line(line: bytes | str) -> object:
    """A snapshot line's JSON value, or None for a blank line. orjson reads strict JSON (all
    of a snapshot, in practice) faster; whatever it refuses (a BOM, bytes that are not UTF-8,
    NaN or an infinite number, a lone surrogate, Unicode whitespace around the object) goes
    the standard library's way, which accepts what it always accepted and words its errors
    as it always did. One difference is left: orjson gives an integer past 64 bits as a
    float (no OpenAlex field holds one)."""
    if isinstance(line, bytes | str) and not line.isspace():
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError:
            pass
    text = decode(line, "OpenAlex").strip()
    return _load_json(text) if text else None


def _error_line(data: dict) -> str:
    """`{"error": ..., "message": ...}` as one line, cut short: some list every valid field."""
    error = (as_text(str(data.get("error") or "")) or "").rstrip(".")
    message = as_text(str(data.get("message") or ""))
    return one_line("OpenAlex error: " + ": ".join(filter(None, [error, message])))


def _last_segment(value: object) -> str | None:
    """A bare id from a URL (`https://pubmed.ncbi.nlm.nih.gov/29456894` gives 29456894)."""
    text = as_text(str(value)) if isinstance(value, str | int) else None
    if text is None:
        return None
    return text.rstrip("/").rsplit("/", 1)[-1] or None


def _openalex_key(value: object, kind: str | None = None) -> str | None:
    if isinstance(value, str):
        return _cached_openalex_key(value, kind)
    return as_id(normalize_openalex_id, value, *([kind] if kind else []))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _cached_openalex_key(value: str, kind: str | None) -> str | None:
    return as_id(normalize_openalex_id, value, *([kind] if kind else []))


def _orcid(value: object) -> str | None:
    if isinstance(value, str):
        return _cached_orcid(value)
    return as_id(normalize_orcid, value)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _cached_orcid(value: str) -> str | None:
    return as_id(normalize_orcid, value)
