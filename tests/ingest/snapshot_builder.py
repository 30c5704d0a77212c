"""A small OpenAlex snapshot folder of our own, in the real layout (shared/docs/upstream-apis.md
§2): `<entity>/manifest` in Redshift manifest JSON, `<entity>/updated_date=…/part_000.gz` gzip
JSON Lines of API-shaped objects, `merged_ids/<entity>/<date>.csv.gz`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

from apps.records.identifiers import _ror_checksum, orcid_checksum

OPENALEX = "https://openalex.org/"
# Distinct given and family names, so no two people look alike to names_compatible.
GIVEN = ("Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kwame")
FAMILY = ("Okafor", "Tanaka", "Novak", "Haddad", "Moreau", "Silva", "Kowalski", "Yilmaz", "Kim")


def person(n: int) -> str:
    return f"{GIVEN[n % len(GIVEN)]} {FAMILY[n % len(FAMILY)]}"


def orcid(n: int) -> str:
    base = f"0000000{n:08d}"
    digits = base + orcid_checksum(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def ror(n: int) -> str:
    body = f"{n:06d}"[-6:]
    return f"0{body}{_ror_checksum(body)}"


def institution(n: int, *, with_ror: bool = True) -> dict:
    return {
        "id": f"{OPENALEX}I{n}",
        "display_name": f"University {n}",
        "ror": f"https://ror.org/{ror(n)}" if with_ror else None,
        "country_code": "se",
        "type": "education",
    }


def authorship(author: int, *, name: str | None = None, with_orcid: bool = True, inst=()) -> dict:
    """One byline entry for author number `author` (A{author}); 0 is OpenAlex's null author."""
    display = name or person(author)
    return {
        "author_position": "middle",
        "author": {
            "id": f"{OPENALEX}A{author or 9999999999}",
            "display_name": display,
            "orcid": f"https://orcid.org/{orcid(author)}" if with_orcid and author else None,
        },
        "institutions": [institution(i) for i in inst],
        "raw_author_name": display,
        "is_corresponding": False,
    }


def work(
    n: int,
    authors: list[dict],
    *,
    cited: int = 3,
    topics: tuple[int, ...] = (1,),
    venue: int | None = 1,
    title: str | None = None,
    doi: bool | str = True,
    updated: str = "2024-01-01",
) -> dict:
    """Work W{n}, shaped like a snapshot line (fields the parser reads plus a few it skips)."""
    source = (
        {
            "id": f"{OPENALEX}S{venue}",
            "display_name": f"Journal {venue}",
            "issn_l": "1234-5678",
            "type": "journal",
        }
        if venue
        else None
    )
    return {
        "id": f"{OPENALEX}W{n}",
        "doi": _doi(n, doi),
        "title": title or f"Work number {n}",
        "display_name": title or f"Work number {n}",
        "publication_year": 2020 + n % 5,
        "publication_date": f"{2020 + n % 5}-0{1 + n % 9}-15",
        "ids": {"openalex": f"{OPENALEX}W{n}", "mag": str(1000 + n)},
        "language": "en",
        "primary_location": {
            "is_oa": True,
            "landing_page_url": f"https://example.org/w/{n}",
            "pdf_url": None,
            "source": source,
        },
        "type": "article",
        "type_crossref": "journal-article",
        "authorships": authors,
        "cited_by_count": cited,
        "abstract_inverted_index": {"An": [0], "abstract": [1], f"n{n}": [2]},
        "topics": [
            {"id": f"{OPENALEX}T{t}", "display_name": f"Topic {t}", "score": 0.9} for t in topics
        ],
        "concepts": [],
        "referenced_works": [],
        "updated_date": f"{updated}T00:00:00.000000",
        "created_date": "2020-01-01",
    }


def _doi(n: int, doi: bool | str) -> str | None:
    if isinstance(doi, str):
        return f"https://doi.org/{doi}"
    return f"https://doi.org/10.5555/work.{n}" if doi else None


def author(n: int, *, name: str | None = None, alternatives=(), inst=(), with_orcid=True) -> dict:
    display = name or person(n)
    return {
        "id": f"{OPENALEX}A{n}",
        "orcid": f"https://orcid.org/{orcid(n)}" if with_orcid else None,
        "display_name": display,
        "display_name_alternatives": [display, *alternatives],
        "works_count": 2,
        "cited_by_count": 5,
        "ids": {"openalex": f"{OPENALEX}A{n}", "scopus": f"http://www.scopus.com/authid/{n}"},
        "last_known_institutions": [institution(i) for i in inst],
        "updated_date": "2024-01-01T00:00:00",
    }


def write_partition(root: Path, entity: str, date: str, objects: list, part: str = "part_000"):
    """Write objects (dicts, or raw str lines) as `<entity>/updated_date=<date>/<part>.gz`."""
    path = root / entity / f"updated_date={date}" / f"{part}.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [o if isinstance(o, str) else json.dumps(o) for o in objects]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


def write_manifest(root: Path, entity: str, *, listed: list[Path] | None = None, extra=()) -> None:
    """The entity's manifest listing `listed` (default: every partition on disk) plus `extra`
    entries (paths below the entity folder) that are not on disk."""
    folder = root / entity
    listed = sorted(folder.rglob("*.gz")) if listed is None else listed
    entries = []
    for path in listed:
        count = len(gzip.decompress(path.read_bytes()).splitlines())
        below = path.relative_to(folder).as_posix()
        entries.append(_entry(entity, below, path.stat().st_size, count))
    entries += [_entry(entity, below, 100, 1) for below in extra]
    meta = {
        "content_length": sum(e["meta"]["content_length"] for e in entries),
        "record_count": sum(e["meta"]["record_count"] for e in entries),
    }
    (folder / "manifest").write_text(json.dumps({"entries": entries, "meta": meta}, indent=1))


def _entry(entity: str, below: str, size: int, count: int) -> dict:
    url = f"s3://openalex/data/{entity}/{below}"
    return {"url": url, "meta": {"content_length": size, "record_count": count}}


def write_merged_ids(root: Path, entity: str, date: str, pairs: list[tuple[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["merge_date", "id", "merge_into_id"])
    writer.writerows([date, old, new] for old, new in pairs)
    path = root / "merged_ids" / entity / f"{date}.csv.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(buffer.getvalue().encode()))
    return path


def standard_snapshot(root: Path) -> Path:
    """Two works partitions and one authors partition sharing people, institutions, topics
    and venues; a merged author, a null author, a person printed twice, and DOIs repeated
    within a partition and across partitions (OpenAlex duplicates)."""
    a = authorship
    early = [
        work(1, [a(1, inst=(1,)), a(2, inst=(1, 2)), a(3)], cited=10, topics=(1, 2)),
        work(2, [a(1), a(4, with_orcid=False), a(0, name="Anon Ymous")], cited=4),
        work(3, [a(2), a(3), a(5, inst=(3,))], cited=0, topics=(2, 3), venue=2),
        work(4, [a(6), a(6)], cited=7, venue=None),  # one person printed twice
        work(5, [], cited=1, doi=False),  # no byline at all
        work(14, [a(1), a(12)], cited=3, doi="10.5555/work.1"),  # work 1's DOI again
    ]
    late = [
        work(6, [a(1), a(7, inst=(1,)), a(8)], cited=25, topics=(3,), updated="2024-02-01"),
        work(7, [a(9), a(2)], cited=2, topics=(1,), updated="2024-02-01"),
        work(8, [a(10, with_orcid=False), a(1)], cited=1, updated="2024-02-01"),
        work(12, [a(3), a(5)], cited=9, doi="10.5555/work.3", updated="2024-02-01"),
    ]
    write_partition(root, "works", "2024-01-01", early)
    write_partition(root, "works", "2024-02-01", late)
    write_manifest(root, "works")
    people = [
        author(1, name="Ada Lindqvist", alternatives=("A. Lindqvist",), inst=(1,)),
        author(2, inst=(2,)),
        author(9, name="Nine Person", inst=(4,)),
        author(11, name="Never Printed"),
    ]
    write_partition(root, "authors", "2024-01-15", people)
    write_manifest(root, "authors")
    write_merged_ids(root, "authors", "2024-01-20", [("A10", "A4"), ("A5999", "A5998")])
    return root
