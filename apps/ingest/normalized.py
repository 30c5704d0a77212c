"""The one shape every source is parsed into, and the importer reads.

Parsers (apps/ingest/parsers/<source>.py) turn a response body, exactly as the API returned
it, into a `Batch`. Values are already normalised: DOIs lower-case without resolver, arXiv ids
without version, OpenAlex keys bare (W123, A123), ORCID iDs hyphenated, ROR ids bare; see
apps/records/identifiers.py. A field a source does not speak about is None (or empty), never
a guess: the importer only lets a source set what it asserted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

SOURCES = ("openalex", "orcid", "arxiv", "crossref")


def iso_utc(value: object) -> str | None:
    """A source's timestamp as comparable ISO 8601 UTC text: dates, date-times with an offset
    or a Z, and epoch milliseconds (ORCID) all come out as "YYYY-MM-DDTHH:MM:SS"."""
    try:
        if isinstance(value, int | float):
            moment = datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
        elif isinstance(value, str) and value.strip():
            text = value.strip().replace("Z", "+00:00")
            moment = datetime.datetime.fromisoformat(text if "T" in text else text + "T00:00:00")
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")


class ParseError(ValueError):
    """A body that is not what the source returns: malformed JSON/XML, wrong shape. The
    message is one readable line (it is shown by import_records and stored in refresh logs)."""


@dataclass(frozen=True)
class InstitutionRecord:
    name: str
    ror_id: str | None = None
    openalex_id: str | None = None  # I123
    country_code: str = ""


@dataclass(frozen=True)
class TopicRecord:
    name: str
    code: str | None = None  # arXiv category such as cs.DC, where one applies
    openalex_id: str | None = None  # T123


@dataclass(frozen=True)
class VenueRecord:
    name: str
    openalex_id: str | None = None  # S123
    issn_l: str = ""
    kind: str = ""  # journal, conference, repository, book series...


@dataclass
class AuthorRef:
    """An author as printed on one work."""

    raw_name: str
    position: int | None  # 0-based byline order; None when the source does not know it
    orcid: str | None = None
    openalex_id: str | None = None  # A123
    display_name: str | None = None  # the source's name for the person, if it has one
    institutions: list[InstitutionRecord] = field(default_factory=list)


@dataclass
class WorkRecord:
    source: str
    source_key: str  # the id this source uses for the work (W123, a DOI, an arXiv id, put-code)
    title: str | None = None
    # The title's inline markup as safe HTML (apps.records.markup.title_markup), when it has
    # any; `title` is always the plain text.
    title_markup: str | None = None
    abstract: str | None = None
    type: str | None = None  # one of apps.records.models.WorkType values
    publication_date: datetime.date | None = None
    date_precision: str | None = None  # day, month, year
    venue: VenueRecord | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    openalex_id: str | None = None
    other_ids: dict[str, str] = field(default_factory=dict)  # pmid, pmcid, mag, ...
    landing_url: str | None = None
    pdf_url: str | None = None
    code_url: str | None = None
    # Code, data and model links (apps.records.links.normalize_link form) the source gives.
    links: list[str] = field(default_factory=list)
    citation_count: int | None = None
    authors: list[AuthorRef] = field(default_factory=list)
    # True when `authors` is the whole byline in order (OpenAlex, Crossref, arXiv); False
    # when it only names some authors (an ORCID record names its owner).
    complete_byline: bool = True
    topics: list[TopicRecord] = field(default_factory=list)
    # When the source last changed this record, as ISO 8601 UTC ("2025-06-11T00:00:00"), so
    # an older response never overwrites a newer one. None when the response does not say.
    source_updated: str | None = None


@dataclass
class AuthorRecord:
    source: str
    source_key: str
    display_name: str | None = None
    name_variants: list[str] = field(default_factory=list)
    orcid: str | None = None
    openalex_id: str | None = None
    other_ids: dict[str, str] = field(default_factory=dict)
    institutions: list[InstitutionRecord] = field(default_factory=list)
    deleted: bool = False  # OpenAlex "Deleted Author" placeholders
    works_count: int | None = None  # how many works the source lists for the person
    source_updated: str | None = None  # as on WorkRecord
    # OpenAlex's per-year counts, oldest first: [{"year", "works", "citations"}]; None when
    # the source gives none (the record keeps what it had).
    counts_by_year: list[dict] | None = None


@dataclass
class Batch:
    """What one response body holds."""

    works: list[WorkRecord] = field(default_factory=list)
    authors: list[AuthorRecord] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (old OpenAlex id, survivor)
    next_cursor: str | None = None  # paging: OpenAlex meta.next_cursor, Crossref next-cursor
    total: int | None = None  # the source's count of matching records, if it says
    skipped: int = 0  # entries present but unusable (e.g. no title and no identifier)

    def add_work(self, work: WorkRecord | None) -> None:
        """Keep a parsed work; None (an entry the parser found unusable) counts as skipped."""
        if work is None:
            self.skipped += 1
        else:
            self.works.append(work)
