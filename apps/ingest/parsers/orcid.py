"""ORCID public API v3.0 JSON bodies parsed into a `Batch`.

Pure functions: no Django, no database, no network. `parse` recognises the body by its shape:

* `/record`: person + activities-summary -> one AuthorRecord (names, ids, employments) and one
  WorkRecord per works group;
* `/works`: one WorkRecord per group;
* `/person`: one AuthorRecord without institutions;
* `/employments`: one AuthorRecord with institutions only (no name: that section says none);
* `/work/{put-code}`: one full work; its short description is the abstract. Its contributor
  list is not read (user-entered, often partial): the owner stands as the author, as for
  summaries.

Decisions (see also shared/docs/upstream-apis.md sections 4 and 9):

* A group is one work asserted by several sources. Its summaries are ranked by ORCID's own
  preference first (the highest `display-index` is the source the owner chose as preferred;
  ORCID's WorkSummary.compareTo orders by it), then summaries the owner wrote themself, then the
  most complete one (title, date precision, journal, url, a specific type), then ORCID's order.
  Title, type, date, journal and url all come from the best summary, never mixed: a field it
  lacks stays empty rather than borrowed from another version (whose title, venue and year
  may belong to a different edition). `source_key` is the best summary's put-code. The ids
  of every summary in the group still count: they name the same work.
* Only relationship "self" names the work itself. `version-of` ids (e.g. the journal DOI of a
  preprint) are kept in `other_ids` as "version-of:doi" / "version-of:arxiv", normalised,
  because they pair arXiv and journal versions; `part-of` and `funded-by` ids are dropped.
  Ids that do not normalise are dropped, never fatal. A 10.48550/arXiv DOI also gives arxiv_id.
* The title is `title` plus ": subtitle" when a subtitle is given; translated titles are ignored.
* Summaries carry no byline, so a work's authors are the owner alone (`complete_byline=False`),
  named from the person section when the same body has one.
* The older v2.x shape (upper-case enums such as "JOURNAL_ARTICLE" / "PUBLIC") is rejected with
  ParseError rather than half-read: our client asks for v3.0, so a v2 body means a misrouted
  request. XML bodies are not read either (we request JSON).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

from apps.ingest.normalized import (
    AuthorRecord,
    AuthorRef,
    Batch,
    InstitutionRecord,
    ParseError,
    VenueRecord,
    WorkRecord,
    iso_utc,
)
from apps.ingest.parsers._coerce import dicts, first_id, int_or, squash, stripped
from apps.records.identifiers import (
    InvalidIdentifier,
    arxiv_id_from_doi,
    normalize_arxiv_id,
    normalize_doi,
    normalize_orcid,
    normalize_ror,
)

SOURCE = "orcid"

# ORCID v3.0 work types (orcid-model WorkType) that have a WorkType of ours; the rest are "other".
WORK_TYPES = {
    "journal-article": "article",
    "conference-paper": "proceedings",
    "book-chapter": "book-chapter",
    "preprint": "preprint",
    "data-set": "dataset",
}
# ORCID spells some id types differently from the other sources' other_ids keys.
_OTHER_ID_KEYS = {"pmc": "pmcid"}
_V2_VISIBILITY = {"PUBLIC", "LIMITED", "REGISTERED_ONLY", "PRIVATE"}
Json = dict[str, Any]


def parse(body: bytes | str) -> Batch:
    """The records in one ORCID v3.0 JSON response body; ParseError if it is not one."""
    data = _load(body)
    _raise_for_error(data)
    _reject_v2(data)
    kind, handler = _detect(data)
    owner = _owner(data, kind)
    return handler(data, owner)


# Loading and recognising ---------------------------------------------------------------------


def _load(body: bytes | str) -> Json:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"ORCID: body is not JSON ({squash(str(exc))})") from None
    if not isinstance(data, dict):
        raise ParseError(f"ORCID: expected a JSON object, got {type(data).__name__}")
    return data


def _raise_for_error(data: Json) -> None:
    """ORCID's error body (404 unknown iD, 409...) and the OAuth error shape."""
    if "response-code" in data and ("developer-message" in data or "user-message" in data):
        message = data.get("developer-message") or data.get("user-message")
        raise ParseError(f"ORCID error {data['response-code']}: {squash(str(message))}")
    if isinstance(data.get("error"), str):
        detail = data.get("error_description") or data["error"]
        raise ParseError(f"ORCID error: {squash(str(detail))}")


def _reject_v2(data: Any) -> None:
    if any(value in _V2_VISIBILITY for value in _visibilities(data)):
        raise ParseError("ORCID: API v2.x body (upper-case enums); only v3.0 JSON is read")


def _visibilities(data: Any) -> Iterator[Any]:
    """Every `visibility` value in the body: v3.0 writes them lower-case, v2.x upper-case."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "visibility":
                yield value
            else:
                yield from _visibilities(value)
    elif isinstance(data, list):
        for item in data:
            yield from _visibilities(item)


def _detect(data: Json) -> tuple[str, Callable[[Json, str], Batch]]:
    if "activities-summary" in data or "orcid-identifier" in data:
        return "record", _parse_record
    if "group" in data:
        return "works", _parse_works
    if "affiliation-group" in data:
        _check_employments(data)
        return "employments", _parse_employments
    if "put-code" in data and "title" in data:
        return "work", _parse_single_work
    if {"name", "other-names", "external-identifiers"} & data.keys():
        return "person", _parse_person
    raise ParseError(f"ORCID: unrecognised body (keys: {', '.join(sorted(data)[:8])})")


def _check_employments(data: Json) -> None:
    """Educations, services etc. share the affiliation-group shape; only employments are read."""
    path = str(data.get("path") or "")
    groups = dicts(data.get("affiliation-group"))
    kinds = {key for group in groups for item in dicts(group.get("summaries")) for key in item}
    if (path and not path.endswith("/employments")) or kinds - {"employment-summary"}:
        raise ParseError(f"ORCID: only the employments section is read, not {path or kinds}")


def _owner(data: Json, kind: str) -> str:
    """The record owner's iD: the record's identifier, else the first path that names one."""
    for candidate in _owner_candidates(data, kind):
        try:
            return normalize_orcid(candidate)
        except InvalidIdentifier:
            raise ParseError(f"ORCID: {candidate!r} is not an ORCID iD") from None
    raise ParseError(f"ORCID: no ORCID iD in the {kind} body")


def _owner_candidates(data: Json, kind: str) -> Iterator[str]:
    yield from _present(_get(data, "orcid-identifier", "path"))
    yield from _present(_path_orcid(data.get("path")), _get(data, "name", "path"))
    for item in _summaries(data, kind):
        yield from _present(_path_orcid(item.get("path")))
        yield from _present(_get(item, "source", "source-orcid", "path"))


def _summaries(data: Json, kind: str) -> Iterator[Json]:
    """Work or employment summaries, where the owner's iD is in each item's path."""
    if kind == "works":
        for group in dicts(data.get("group")):
            yield from dicts(_get(group, "work-summary"))
    elif kind == "employments":
        for group in dicts(data.get("affiliation-group")):
            for item in dicts(group.get("summaries")):
                yield from dicts([item.get("employment-summary")])


def _path_orcid(path: Any) -> str | None:
    """The first segment of a path: the iD in "/0000-0002-1825-0097/works" or a bare iD."""
    if not isinstance(path, str) or not path.strip("/"):
        return None
    return path.strip("/").split("/")[0]


# Body kinds ----------------------------------------------------------------------------------


def _parse_record(data: Json, owner: str) -> Batch:
    person = data.get("person") if isinstance(data.get("person"), dict) else None
    activities = data.get("activities-summary") or {}
    author = _author(owner, person, activities.get("employments"))
    batch = _works_batch(activities.get("works") or {}, _owner_ref(owner, author.display_name))
    batch.authors.append(author)
    return batch


def _parse_works(data: Json, owner: str) -> Batch:
    return _works_batch(data, _owner_ref(owner, None))


def _parse_person(data: Json, owner: str) -> Batch:
    return Batch(authors=[_author(owner, data, None)])


def _parse_employments(data: Json, owner: str) -> Batch:
    return Batch(authors=[_author(owner, None, data)])


def _parse_single_work(data: Json, owner: str) -> Batch:
    return Batch(works=[_full_work(data, owner)])


# Works ---------------------------------------------------------------------------------------


def _works_batch(section: Json, owner_ref: AuthorRef) -> Batch:
    batch = Batch()
    for group in dicts(section.get("group")):
        batch.add_work(_group_work(group, owner_ref))
    return batch


def _group_work(group: Json, owner_ref: AuthorRef) -> WorkRecord | None:
    """One WorkRecord for the group; None when nothing in it is usable."""
    ranked = _rank(dicts(group.get("work-summary")), owner_ref.orcid or "")
    if not ranked:
        return None
    external = _external_ids(group) + [e for s in ranked for e in _external_ids(s)]
    work = _work(ranked, external, [owner_ref])
    return work if work.title or work.doi or work.arxiv_id else None


def _full_work(data: Json, owner: str) -> WorkRecord:
    """A full work (`/work/{put-code}`): a summary's fields plus the abstract."""
    work = _work([data], _external_ids(data), [_owner_ref(owner, None)])
    work.abstract = squash(_text(data.get("short-description")) or "") or None
    return work


def _work(ranked: list[Json], external: list[Json], authors: list[AuthorRef]) -> WorkRecord:
    doi, arxiv_id, other_ids = _identifiers(external)
    best = ranked[0]  # one version's fields, never a mix (see the module docstring)
    date, precision = _publication(best) or (None, None)
    venue = _text(best.get("journal-title"))
    return WorkRecord(
        source=SOURCE,
        source_key=str(ranked[0].get("put-code")),
        title=_title(best),
        type=WORK_TYPES.get(str(ranked[0].get("type") or "").lower(), "other"),
        publication_date=date,
        date_precision=precision,
        venue=VenueRecord(name=venue) if venue else None,
        doi=doi,
        arxiv_id=arxiv_id,
        other_ids=other_ids,
        landing_url=_text(best.get("url")),
        authors=authors,
        complete_byline=False,
        source_updated=iso_utc(_modified(ranked[0])),
    )


def _modified(item: Json) -> object:
    stamp = item.get("last-modified-date")
    return stamp.get("value") if isinstance(stamp, dict) else None


def _rank(summaries: list[Json], owner: str) -> list[Json]:
    """Best first: ORCID's preferred (highest display-index), the owner's own, most complete."""

    def key(summary: Json) -> tuple[int, bool, int]:
        own = owner in (
            _get(summary, "source", "source-orcid", "path"),
            _get(summary, "source", "assertion-origin-orcid", "path"),
        )
        return -int_or(summary.get("display-index"), 0), not own, -_completeness(summary)

    return sorted(summaries, key=key)  # stable: ties keep ORCID's order


def _completeness(summary: Json) -> int:
    dated = _publication(summary)
    precision = dated[1] if dated else ""
    return sum(
        (
            bool(_title(summary)),
            {"day": 3, "month": 2, "year": 1}.get(precision, 0),
            bool(_text(summary.get("journal-title"))),
            bool(_text(summary.get("url"))),
            str(summary.get("type") or "other") != "other",
        )
    )


def _publication(summary: Json) -> tuple[datetime.date, str] | None:
    return _partial_date(summary.get("publication-date"))


def _title(summary: Json) -> str | None:
    title = squash(_text(_get(summary, "title", "title")) or "")
    subtitle = squash(_text(_get(summary, "title", "subtitle")) or "")
    if title and subtitle and not title.endswith(subtitle):
        return f"{title}: {subtitle}"
    return title or None


def _owner_ref(owner: str, name: str | None) -> AuthorRef:
    return AuthorRef(raw_name=name or "", position=None, orcid=owner, display_name=name)


# Work identifiers ----------------------------------------------------------------------------


def _external_ids(holder: Json) -> list[Json]:
    return dicts(_get(holder, "external-ids", "external-id"))


def _identifiers(external: list[Json]) -> tuple[str | None, str | None, dict[str, str]]:
    """(doi, arxiv_id, other_ids) from "self" ids; "version-of" ids go to prefixed other_ids."""
    found: dict[str, str] = {}
    for item in external:
        relationship = str(item.get("external-id-relationship") or "").lower()
        if relationship not in ("self", "version-of"):
            continue
        prefix = "" if relationship == "self" else "version-of:"
        for key, value in _normalised_id(item):
            found.setdefault(prefix + key, value)
    doi, arxiv_id = found.pop("doi", None), found.pop("arxiv", None)
    return doi, arxiv_id, found


def _normalised_id(item: Json) -> Iterator[tuple[str, str]]:
    """(key, value) pairs for one external id; nothing when its value is malformed."""
    kind = str(item.get("external-id-type") or "").strip().lower()
    raw = _present(item.get("external-id-value"), _text(item.get("external-id-normalized")))
    if kind == "doi":
        doi = first_id(normalize_doi, raw)
        if doi:
            yield "doi", doi
            arxiv_id = first_id(arxiv_id_from_doi, [doi])
            if arxiv_id:
                yield "arxiv", arxiv_id
    elif kind == "arxiv":
        arxiv_id = first_id(normalize_arxiv_id, raw)
        if arxiv_id:
            yield "arxiv", arxiv_id
    elif kind:
        # ORCID's own normalised form (pmid digits, "PMC123") first, else the raw value.
        values = _present(_text(item.get("external-id-normalized")), item.get("external-id-value"))
        if values:
            yield _OTHER_ID_KEYS.get(kind, kind), values[0]


# People and employments ----------------------------------------------------------------------


def _author(owner: str, person: Json | None, employments: Any) -> AuthorRecord:
    display_name, variants = _names(person or {})
    return AuthorRecord(
        source=SOURCE,
        source_key=owner,
        display_name=display_name,
        name_variants=variants,
        orcid=owner,
        other_ids=_person_ids(person or {}),
        institutions=_institutions(employments if isinstance(employments, dict) else {}),
    )


def _names(person: Json) -> tuple[str | None, list[str]]:
    """Display name (credit name, else "given family") and the other spellings worth matching."""
    name = person.get("name") if isinstance(person.get("name"), dict) else {}
    credit = squash(_text(name.get("credit-name")) or "")
    parts = (_text(name.get("given-names")), _text(name.get("family-name")))
    full = squash(" ".join(part for part in parts if part))
    display = credit or full or None
    variants = [full] + [
        squash(str(item.get("content") or ""))
        for item in dicts(_get(person, "other-names", "other-name"))
    ]
    unique = dict.fromkeys(v for v in variants if v and v != display)
    return display, list(unique)


def _person_ids(person: Json) -> dict[str, str]:
    """Researcher ids linked to the record, keyed by ORCID's type name ("Scopus Author ID")."""
    ids: dict[str, str] = {}
    for item in dicts(_get(person, "external-identifiers", "external-identifier")):
        kind, value = item.get("external-id-type"), item.get("external-id-value")
        if isinstance(kind, str) and isinstance(value, str) and value.strip():
            ids.setdefault(kind.strip(), value.strip())
    return ids


def _institutions(section: Json) -> list[InstitutionRecord]:
    """Employers, most recent first (ongoing, then by end date, then by start), one per org."""
    summaries = [_preferred_employment(group) for group in dicts(section.get("affiliation-group"))]
    ordered = sorted((s for s in summaries if s), key=_recency, reverse=True)
    institutions = (_institution(summary) for summary in ordered)
    return list(dict.fromkeys(i for i in institutions if i))


def _preferred_employment(group: Json) -> Json | None:
    items = dicts([item.get("employment-summary") for item in dicts(group.get("summaries"))])
    return min(items, key=lambda s: -int_or(s.get("display-index"), 0), default=None)


def _recency(summary: Json) -> tuple[bool, tuple[int, int, int], tuple[int, int, int]]:
    end = _date_parts(summary.get("end-date"))
    start = _date_parts(summary.get("start-date")) or (0, 0, 0)
    return end is None, end or (0, 0, 0), start


def _institution(summary: Json) -> InstitutionRecord | None:
    org = summary.get("organization") if isinstance(summary.get("organization"), dict) else {}
    name = squash(str(org.get("name") or ""))
    if not name:
        return None
    country = _get(org, "address", "country")
    return InstitutionRecord(
        name=name,
        ror_id=_ror(org.get("disambiguated-organization")),
        country_code=country.strip().upper() if isinstance(country, str) else "",
    )


def _ror(disambiguated: Any) -> str | None:
    """The ROR id when ROR disambiguated the org; Ringgold, GRID and FundRef ids have no field."""
    if not isinstance(disambiguated, dict):
        return None
    if str(disambiguated.get("disambiguation-source") or "").upper() != "ROR":
        return None
    return first_id(
        normalize_ror, _present(disambiguated.get("disambiguated-organization-identifier"))
    )


# Dates ---------------------------------------------------------------------------------------


def _date_parts(fuzzy: Any) -> tuple[int, int, int] | None:
    """(year, month, day) of an ORCID fuzzy date, 0 for missing parts; None without a year."""
    year = int_or(_text(_get(fuzzy, "year")), 0)
    if not year:
        return None
    return year, int_or(_text(_get(fuzzy, "month")), 0), int_or(_text(_get(fuzzy, "day")), 0)


def _partial_date(fuzzy: Any) -> tuple[datetime.date, str] | None:
    """(date, precision); an impossible day or month lowers the precision. None: no year."""
    parts = _date_parts(fuzzy)
    if parts is None:
        return None
    year, month, day = parts
    for precision, args in (("day", (year, month, day)), ("month", (year, month, 1))):
        if all(args):
            try:
                return datetime.date(*args), precision
            except ValueError:
                continue
    try:
        return datetime.date(year, 1, 1), "year"
    except ValueError:
        return None


# Small helpers -------------------------------------------------------------------------------


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(node: Any) -> str | None:
    """The stripped string inside ORCID's {"value": ...} wrapper (or a bare string)."""
    return stripped(node.get("value") if isinstance(node, dict) else node)


def _present(*values: Any) -> list[str]:
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]
