"""The demo community as plain data, before any row is written: labs, people, the author
records they land on, and works with their bylines. people.py and works.py fill a Plan; the
package's plan_community runs them. Pure functions over a seeded Random, so the same generator
state always gives the same community."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

from apps.records.identifiers import normalize_ror, orcid_checksum

from .data import ANCHOR

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


@dataclass
class Record:
    """One Author row to be."""

    name: str
    variants: list[str]
    orcid: str | None = None
    openalex_id: str | None = None
    other_ids: dict = field(default_factory=dict)
    institutions: list[int] = field(default_factory=list)  # indices into INSTITUTIONS


@dataclass
class Person:
    """A synthetic researcher. Usually one record per person; see MixedRecord for the rest."""

    name: str
    variants: tuple[str, ...]
    group: int
    role: str
    since: int  # active from this many days before ANCHOR ...
    until: int  # ... to this many
    institutions: list[int]
    record: int
    mixed_into: int | None = None  # a record that wrongly holds some of their works
    shares_name: bool = False  # one of a MIXED_RECORDS pair: kept off the consortium papers

    def active(self, days_ago: int) -> bool:
        return self.until <= days_ago <= self.since


@dataclass
class Group:
    topic: str
    area: str
    topics: list[str]
    institution: int
    members: list[int] = field(default_factory=list)  # person indices, the PI first
    partners: list[int] = field(default_factory=list)  # labs in the same area


@dataclass
class Work:
    title: str
    abstract: str
    type: str
    days_ago: int
    precision: str
    venue: str | None
    topics: list[str]
    citations: int
    group: int
    byline: list[int]  # person indices, in byline order
    # (record, name as printed, institution indices), in byline order
    authorships: list[tuple[int, str, list[int]]] = field(default_factory=list)
    doi: str = ""
    arxiv_id: str | None = None
    openalex_id: str | None = None
    code_url: str = ""
    other_ids: dict = field(default_factory=dict)

    @property
    def date(self) -> datetime.date:
        day = ANCHOR - datetime.timedelta(days=self.days_ago)
        if self.precision == "month":
            return day.replace(day=1)
        return day.replace(month=1, day=1) if self.precision == "year" else day


@dataclass
class Plan:
    rng: Random
    rors: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
    names_used: set[str] = field(default_factory=set)
    ids_used: set[str] = field(default_factory=set)

    def unique(self, make: Callable[[], str]) -> str:
        """A value from `make` that no earlier call returned."""
        while (value := make()) in self.ids_used:
            pass
        self.ids_used.add(value)
        return value

    def orcid(self) -> str:
        """Check digit right, and in 0000-0000-…, a block ORCID does not issue."""
        base = self.unique(lambda: f"00000000{self.rng.randint(0, 9_999_999):07d}")
        digits = base + orcid_checksum(base)
        return "-".join(digits[i : i + 4] for i in range(0, 16, 4))

    def openalex(self, letter: str) -> str:
        return self.unique(lambda: f"{letter}99{self.rng.randint(10_000_000, 99_999_999)}")

    def ror(self) -> str:
        return self.unique(lambda: ror_id(self.rng))


def ror_id(rng: Random) -> str:
    """A random ROR id with the right check digits: "0", 6 Crockford base32 chars, and
    98 - (n * 100 mod 97) over their value n."""
    body = "".join(rng.choice(_CROCKFORD) for _ in range(6))
    number = 0
    for char in body:
        number = number * 32 + _CROCKFORD.index(char)
    return normalize_ror(f"0{body}{98 - (number * 100) % 97:02d}")
