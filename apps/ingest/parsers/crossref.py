"""Crossref REST API bodies (`/works/{doi}`, `/works?...`) into normalised records. Pure.

Facts behind the choices: shared/docs/upstream-apis.md sections 8 and 9.

* The byline is the `author` list in list order (`sequence` only says first/additional).
  Editors are not authors and are never used in their place: a record without `author`
  gets no authors and `complete_byline=False`, so it cannot empty a byline another source
  filled.
* `subject` is not turned into topics: it is a journal-level classification (and mostly
  empty since 2023), not a statement about the work.
* `posted-content` is a preprint unless its `subtype` says otherwise (blog posts are
  posted-content with subtype "other").
* Crossref gives no ISSN-L; a venue listing exactly one ISSN uses it, since the ISSN-L is
  by definition one of the title's ISSNs. With several, `issn_l` stays empty.
* The date is the first real one of `issued`, `published-print`, `published-online`,
  `published`; `created` (the DOI's registration) is not a publication date and is not used.
* `next-cursor` comes back on every page; the documented end is a page shorter than
  `items-per-page`, so the batch's cursor is None there.
"""

from __future__ import annotations

import datetime
import html
import json
import re

from apps.ingest import normalized
from apps.ingest.normalized import AuthorRef, Batch, ParseError, WorkRecord
from apps.ingest.parsers._coerce import (
    TAG,
    as_dict,
    as_id,
    as_int,
    as_list,
    decode,
    one_line,
    plain,
    squash,
)
from apps.records.identifiers import (
    arxiv_id_from_doi,
    normalize_doi,
    normalize_orcid,
    normalize_ror,
)
from apps.records.markup import title_markup

SOURCE = "crossref"

_TYPES = {
    "journal-article": "article",
    "proceedings-article": "proceedings",
    "book-chapter": "book-chapter",
    "book-section": "book-chapter",
    "book-part": "book-chapter",
    "posted-content": "preprint",
    "dataset": "dataset",
}
_VENUE_KINDS = {"journal-article": "journal", "proceedings-article": "conference"}
# Not `created`: that is when the DOI was registered, sometimes a year after publication, and
# Crossref's date outranks OpenAlex's in the importer.
_DATE_FIELDS = ("issued", "published-print", "published-online", "published")
_PRECISIONS = {1: "year", 2: "month", 3: "day"}
# Block-level JATS/HTML elements end a paragraph; every other tag is inline and just goes.
_BLOCK = re.compile(
    r"</?(?:[\w-]+:)?(?:p|title|sec|abstract|list|list-item|disp-quote)\b[^<>]*>", re.I
)
_LINE_BREAK = re.compile(r"<(?:[\w-]+:)?br\s*/?>", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_ISSN = re.compile(r"[0-9]{4}-?[0-9]{3}[0-9X]")


def parse(body: bytes | str) -> Batch:
    """A `work` or `work-list` message as a Batch; anything else raises ParseError.

    A plain-text body (the 404 "Resource not found.") becomes ParseError("Crossref: <text>").
    """
    data = _load(body)
    kind, message = data.get("message-type"), data.get("message")
    if data.get("status") != "ok":
        raise ParseError(_error_line(data))
    if kind == "work":
        batch = Batch()
        batch.add_work(parse_work(message))
        return batch
    if kind == "work-list":
        return _parse_list(as_dict(message))
    raise ParseError(f"Crossref: unexpected message-type {kind!r}")


def parse_work(message: dict) -> WorkRecord | None:
    """One work message; None when it has no usable DOI (the only key Crossref has)."""
    if not isinstance(message, dict):
        raise ParseError("Crossref: a work message must be a JSON object")
    doi = as_id(normalize_doi, message.get("DOI"))
    if doi is None:
        return None
    authors = _people(message.get("author"))
    record = WorkRecord(source=SOURCE, source_key=doi, doi=doi, authors=authors)
    record.arxiv_id = as_id(arxiv_id_from_doi, doi)
    record.title = _first_text(message.get("title"))
    record.title_markup = _first_markup(message.get("title"))
    record.abstract = jats_to_text(message.get("abstract"))
    record.type = _work_type(message)
    record.publication_date, record.date_precision = _publication_date(message)
    record.venue = _venue(message)
    record.landing_url = _landing_url(message)
    record.citation_count = as_int(message.get("is-referenced-by-count"))
    record.complete_byline = bool(authors)
    record.source_updated = normalized.iso_utc((message.get("indexed") or {}).get("date-time"))
    return record


def jats_to_text(markup: object) -> str | None:
    """Plain text from a JATS/HTML abstract: tags removed, entities decoded, paragraphs
    separated by one blank line, and a leading "Abstract" heading dropped."""
    if not isinstance(markup, str):
        return None
    text = TAG.sub("", _BLOCK.sub("\n\n", _LINE_BREAK.sub(" ", markup)))
    paragraphs = [squash(html.unescape(part)) for part in _PARAGRAPH_BREAK.split(text)]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and paragraphs[0].casefold() == "abstract":
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs) or None


# Messages --------------------------------------------------------------------------------------


def _load(body: bytes | str) -> dict:
    text = decode(body, "Crossref").strip()
    if not text:
        raise ParseError("Crossref: empty body")
    if text[0] not in "{[":
        return _raise_text(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise ParseError(f"Crossref: malformed JSON ({exc.msg} at {where})") from exc
    if not isinstance(data, dict):
        raise ParseError(f"Crossref: expected a JSON object, got {type(data).__name__}")
    return data


def _raise_text(text: str) -> dict:
    """Crossref answers some errors in plain text (404 "Resource not found.")."""
    raise ParseError(f"Crossref: {one_line(text)}")


def _error_line(data: dict) -> str:
    """`{"status": "failed", "message-type": ..., "message": [{"message": ...}]}` in a line."""
    details = data.get("message")
    if isinstance(details, list):
        details = "; ".join(str(as_dict(d).get("message", d)) for d in details)
    return one_line(f"Crossref: {data.get('message-type') or data.get('status')}: {details}")


def _parse_list(message: dict) -> Batch:
    items = message.get("items")
    if not isinstance(items, list):
        raise ParseError("Crossref: work-list without an `items` list")
    batch = Batch(total=as_int(message.get("total-results")))
    per_page = as_int(message.get("items-per-page"))
    if items and (per_page is None or len(items) >= per_page):
        batch.next_cursor = squash(message.get("next-cursor")) or None
    for item in items:
        batch.add_work(parse_work(item))
    return batch


# Work fields -----------------------------------------------------------------------------------


def _work_type(message: dict) -> str | None:
    kind = message.get("type")
    if not isinstance(kind, str):
        return None
    if kind == "posted-content" and message.get("subtype") not in (None, "preprint"):
        return "other"
    return _TYPES.get(kind, "other")


def _publication_date(message: dict) -> tuple[datetime.date | None, str | None]:
    """From the first of `_DATE_FIELDS` that holds a real date; [y], [y, m], [y, m, d] give
    the precision."""
    for name in _DATE_FIELDS:
        parts = _date_parts(message.get(name))
        while parts:
            try:
                return datetime.date(*parts, *[1] * (3 - len(parts))), _PRECISIONS[len(parts)]
            except ValueError:
                parts = parts[:-1]  # e.g. day 31 of a 30-day month: keep what is certain
    return None, None


def _date_parts(value: object) -> list[int]:
    """The leading integers of `{"date-parts": [[y, m, d]]}` (Crossref writes [[null]] too)."""
    rows = as_dict(value).get("date-parts")
    first = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], list) else []
    parts: list[int] = []
    for part in first[:3]:
        if isinstance(part, str) and part.isdigit():
            part = int(part)
        if not isinstance(part, int) or isinstance(part, bool):
            break
        parts.append(part)
    return parts


def _venue(message: dict) -> normalized.VenueRecord | None:
    name = _first_text(message.get("container-title"))
    if name is None:
        return None
    kind = _VENUE_KINDS.get(message.get("type") or "", "")
    return normalized.VenueRecord(name=name, issn_l=_issn_l(message), kind=kind)


def _issn_l(message: dict) -> str:
    issns = [*as_list(message.get("ISSN"))]
    issns += [as_dict(entry).get("value") for entry in as_list(message.get("issn-type"))]
    found = {_issn(value) for value in issns} - {None}
    return found.pop() if len(found) == 1 else ""


def _issn(value: object) -> str | None:
    text = value.strip().upper() if isinstance(value, str) else ""
    if not _ISSN.fullmatch(text):
        return None
    return text if "-" in text else f"{text[:4]}-{text[4:]}"


def _landing_url(message: dict) -> str | None:
    """The publisher's landing page; the doi.org `URL` only when there is none (the DOI
    itself is stored anyway)."""
    primary = as_dict(as_dict(message.get("resource")).get("primary"))
    return squash(primary.get("URL")) or squash(message.get("URL")) or None


def _people(entries: object) -> list[AuthorRef]:
    return [
        _person(position, entry)
        for position, entry in enumerate(as_list(entries))
        if isinstance(entry, dict)
    ]


def _person(position: int, entry: dict) -> AuthorRef:
    """ "Given Family [Suffix]" for a person, `name` for an organisation."""
    parts = [entry.get(key) for key in ("given", "family", "suffix")]
    name = squash(" ".join(p for p in parts if isinstance(p, str)))
    return AuthorRef(
        raw_name=name or squash(entry.get("name")),
        position=position,
        orcid=as_id(normalize_orcid, entry.get("ORCID")),
        institutions=_affiliations(entry.get("affiliation")),
    )


def _affiliations(values: object) -> list[normalized.InstitutionRecord]:
    found = []
    for affiliation in map(as_dict, as_list(values)):
        name = squash(affiliation.get("name"))
        if name:
            found.append(
                normalized.InstitutionRecord(name=name, ror_id=_affiliation_ror(affiliation))
            )
    return found


def _affiliation_ror(affiliation: dict) -> str | None:
    """Newer deposits carry `id: [{"id": "https://ror.org/...", "id-type": "ROR"}]`."""
    for ident in map(as_dict, as_list(affiliation.get("id"))):
        is_ror = str(ident.get("id-type", "")).upper() == "ROR"
        if is_ror and (ror := as_id(normalize_ror, ident.get("id"))):
            return ror
    return None


# Small helpers ---------------------------------------------------------------------------------


def _first_markup(values: object) -> str | None:
    """The inline markup of the entry _first_text reads, as safe HTML (None without any)."""
    for value in [values] if isinstance(values, str) else as_list(values):
        if plain(value):
            return title_markup(value)
    return None


def _first_text(values: object) -> str | None:
    """The first non-blank entry of a Crossref title list, markup removed."""
    for value in [values] if isinstance(values, str) else as_list(values):
        if text := plain(value):
            return text
    return None
