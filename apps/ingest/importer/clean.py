"""The importer's boundary: what an upstream body may put in our columns.

Every batch passes through `batch_clean` before anything is written. Text loses the characters
PostgreSQL refuses or a page should never show (NUL, other control characters, lone
surrogates); a name longer than its column is cut at a word with an ellipsis; a URL, ISSN or
venue kind that does not fit is dropped (half a URL is a wrong one); and an identifier that
is not the canonical form its normaliser gives, or does not fit its column, refuses the whole
body with one line (`UnusableRecord`), as a malformed body is: changing an identifier to make
it fit would point it at another record. Column lengths are read from the models, so the two
cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from apps.ingest import normalized as n
from apps.ingest.models import MergedId
from apps.ingest.parsers._coerce import one_line
from apps.records import models as m
from apps.records.identifiers import (
    InvalidIdentifier,
    normalize_arxiv_id,
    normalize_doi,
    normalize_openalex_id,
    normalize_orcid,
    normalize_ror,
)

# Tab, line feed and carriage return are kept (abstracts have paragraphs); the rest of C0, DEL,
# C1 and unpaired surrogates (which no encoder will write) go.
UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
ELLIPSIS = "…"


class UnusableRecord(n.ParseError):
    """A record in the body carries an identifier we cannot store as it is."""


def _column(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# attribute -> (what to call it in the one line, its normaliser, the column it is stored in)
_IDS: dict[type, dict[str, tuple[str, Callable[[str], str], int]]] = {
    n.WorkRecord: {
        "doi": ("DOI", normalize_doi, _column(m.Work, "doi")),
        "arxiv_id": ("arXiv id", normalize_arxiv_id, _column(m.Work, "arxiv_id")),
        "openalex_id": ("OpenAlex id", normalize_openalex_id, _column(m.Work, "openalex_id")),
        "source_key": ("source key", str, _column(m.Provenance, "source_key")),
    },
    n.AuthorRecord: {
        "orcid": ("ORCID iD", normalize_orcid, _column(m.Author, "orcid")),
        "openalex_id": ("OpenAlex id", normalize_openalex_id, _column(m.Author, "openalex_id")),
        "source_key": ("source key", str, _column(m.Provenance, "source_key")),
    },
    n.AuthorRef: {
        "orcid": ("ORCID iD", normalize_orcid, _column(m.Author, "orcid")),
        "openalex_id": ("OpenAlex id", normalize_openalex_id, _column(m.Author, "openalex_id")),
    },
    n.InstitutionRecord: {
        "ror_id": ("ROR id", normalize_ror, _column(m.Institution, "ror_id")),
        "openalex_id": (
            "OpenAlex id",
            normalize_openalex_id,
            _column(m.Institution, "openalex_id"),
        ),
    },
    n.VenueRecord: {
        "openalex_id": ("OpenAlex id", normalize_openalex_id, _column(m.Venue, "openalex_id")),
    },
    n.TopicRecord: {
        "openalex_id": ("OpenAlex id", normalize_openalex_id, _column(m.Topic, "openalex_id")),
        "code": ("topic code", str, _column(m.Topic, "code")),
    },
}
# Names and labels: cut at a word to fit.
_CUT: dict[type, dict[str, int]] = {
    n.AuthorRecord: {"display_name": _column(m.Author, "display_name")},
    n.AuthorRef: {
        "raw_name": _column(m.Authorship, "raw_name"),
        "display_name": _column(m.Author, "display_name"),
    },
    n.InstitutionRecord: {"name": _column(m.Institution, "name")},
    n.VenueRecord: {"name": _column(m.Venue, "name")},
    n.TopicRecord: {"name": _column(m.Topic, "name")},
}
# Values that are wrong when cut: dropped when they do not fit.
_DROP: dict[type, dict[str, int]] = {
    n.WorkRecord: {
        "landing_url": _column(m.Work, "landing_url"),
        "pdf_url": _column(m.Work, "pdf_url"),
        "code_url": _column(m.Work, "code_url"),
    },
    n.VenueRecord: {"issn_l": _column(m.Venue, "issn_l"), "kind": _column(m.Venue, "kind")},
}
MAX_COUNT = 2**31 - 1  # PositiveIntegerField


def text_clean(value: str) -> str:
    """`value` without control characters and unpaired surrogates."""
    return UNWANTED.sub("", value)


def cut(value: str, limit: int) -> str:
    """`value` in at most `limit` characters: cut at the last space that keeps more than half
    of it, else at the limit, and marked with an ellipsis."""
    if len(value) <= limit:
        return value
    head = value[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def _strings(value):
    """Every string in a value (str, list, dict, dataclass record) with text_clean applied."""
    if isinstance(value, str):
        return text_clean(value)
    if isinstance(value, list):
        return [_strings(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_strings(item) for item in value)
    if isinstance(value, dict):
        return {_strings(k): _strings(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _record_clean(value)
    return value


def _refuse(record, label: str, value: str, why: str) -> UnusableRecord:
    owner = getattr(record, "source_key", None) or getattr(record, "raw_name", None) or ""
    where = f"{getattr(record, 'source', '')} {owner}".strip()
    return UnusableRecord(
        one_line(f"{where + ': ' if where else ''}{label} {value[:60]!r} {why}; not imported")
    )


def _identifier(record, attribute: str, value: str) -> None:
    label, normalize, limit = _IDS[type(record)][attribute]
    if len(value) > limit:
        raise _refuse(record, label, value, f"is longer than {limit} characters")
    if UNWANTED.search(value):
        raise _refuse(record, label, value, "holds control characters")
    try:
        canonical = normalize(value)
    except InvalidIdentifier:
        canonical = None
    if canonical != value:
        raise _refuse(record, label, value, "is not a well-formed identifier")


def _record_clean(record):
    """One record, its strings cleaned and its fields fitted to their columns (a copy)."""
    kind = type(record)
    changes = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, str) and f.name in _IDS.get(kind, {}):
            _identifier(record, f.name, value)
            continue
        cleaned = _strings(value)
        if isinstance(cleaned, str) and f.name in _CUT.get(kind, {}):
            cleaned = cut(cleaned, _CUT[kind][f.name])
        elif isinstance(cleaned, str) and len(cleaned) > _DROP.get(kind, {}).get(
            f.name, len(cleaned)
        ):
            cleaned = "" if f.default == "" else None
        elif f.name == "name_variants":
            cleaned = [cut(v, _column(m.Author, "display_name")) for v in cleaned]
        if cleaned is not value:
            changes[f.name] = cleaned
    if kind is n.WorkRecord:
        changes.update(_work_scalars(record))
    return dataclasses.replace(record, **changes) if changes else record


def _work_scalars(record: n.WorkRecord) -> dict:
    """A count or a date precision the columns cannot hold is no assertion at all."""
    changes = {}
    count = record.citation_count
    if count is not None and not (0 <= count <= MAX_COUNT):
        changes["citation_count"] = None
    if record.date_precision is not None and record.date_precision not in m.DatePrecision.values:
        changes["date_precision"] = None
    return changes


def _merged_clean(pair: tuple[str, str]) -> tuple[str, str]:
    limit = _column(MergedId, "old_id")
    for value in pair:
        try:
            ok = len(value) <= limit and normalize_openalex_id(value) == value
        except InvalidIdentifier:
            ok = False
        if not ok:
            raise UnusableRecord(
                one_line(f"merged OpenAlex id {value[:60]!r} is not a well-formed id; not imported")
            )
    return pair


def batch_clean(batch: n.Batch) -> n.Batch:
    """`batch` with every record fitted to our columns, or UnusableRecord (one line) when a
    record's identifier cannot be stored as it is."""
    return dataclasses.replace(
        batch,
        works=[_record_clean(w) for w in batch.works],
        authors=[_record_clean(a) for a in batch.authors],
        merged=[_merged_clean(p) for p in batch.merged],
    )
