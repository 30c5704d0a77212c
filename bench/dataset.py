"""The synthetic bibliography, as plain rows ready for COPY. Deterministic: one seeded
random generator, consumed in a fixed order.

Shape, chosen to look like a slice of OpenAlex/arXiv rather than uniform noise:
- authors' productivity is log-normal (median 3 works, a tail in the hundreds);
- authors live in research communities (about 6,000 author slots each) with a second,
  interdisciplinary community, and co-author mostly inside them, so co-author edges repeat
  and "close collaborators" exist;
- bylines have 1-12 authors (mean about 4.2); works are shuffled before ids are assigned, so
  an author's works are spread over the table as they would be after years of imports;
- titles and abstracts come from a vocabulary with very common words ("model", "data",
  "network", "analysis", "learning") and a Zipf tail of made-up rare words;
- publication dates span 2001-2025 with about 8% more works each year.
"""

from __future__ import annotations

import datetime
import math
import random
from bisect import bisect
from collections import deque
from dataclasses import dataclass, field
from itertools import accumulate

from apps.records.names import author_search_key

from . import vocabulary as v
from .common import TARGET_NAME, TARGET_WORKS

BYLINE_SIZES = list(range(1, 13))
BYLINE_WEIGHTS = [9, 17, 20, 17, 12, 8, 6, 4, 2.8, 1.8, 1.3, 1.1]
COMMUNITY_SLOTS = 6000
SECONDARY_SHARE = 0.15
MAX_PRODUCTIVITY = 600
FIRST_YEAR, LAST_YEAR = 2001, 2025
CREATED_AT = "2026-01-15 12:00:00+00"
WORK_TYPES = [
    ("preprint", 35),
    ("article", 40),
    ("proceedings", 17),
    ("book-chapter", 3),
    ("dataset", 1),
    ("other", 4),
]
RARE_WORDS = 50_000


class Picker:
    """Weighted choice over a fixed population, faster than random.choices one at a time."""

    def __init__(self, rng: random.Random, pairs: list[tuple]) -> None:
        self.rng = rng
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def __call__(self):
        return self.items[bisect(self.cum, self.rng.random() * self.total)]


def zipf_pairs(items: list, exponent: float = 1.0) -> list[tuple]:
    return [(item, 1.0 / (rank**exponent)) for rank, item in enumerate(items, start=1)]


@dataclass
class Dataset:
    works: int
    authors: int
    seed: int = 20260115
    venues: int = 2000
    institutions: int = 3000
    rng: random.Random = field(init=False)
    names: list[str] = field(init=False, default_factory=list)
    target_id: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - synthetic data, not security
        self.rare = v.rare_words(RARE_WORDS, seed=self.seed)
        self.chinese_family = Picker(self.rng, v.CHINESE_FAMILY)
        codes = [code for code, _ in v.TOPICS]
        ranked = v.POPULAR_TOPICS + [c for c in codes if c not in v.POPULAR_TOPICS]
        self.topic_picker = Picker(
            self.rng, zipf_pairs([codes.index(c) + 1 for c in ranked], exponent=0.9)
        )

    # --- small tables ---------------------------------------------------------------------

    def topic_rows(self):
        for i, (code, name) in enumerate(v.TOPICS, start=1):
            slug = code.lower().replace(".", "-")
            yield (i, name, slug, code, f"T{10000 + i}")

    def venue_rows(self):
        yield (1, "arXiv", f"S{4306400194}", "", "repository")
        areas = list(v.AREA_WORDS)
        for i in range(2, self.venues + 1):
            area = v.AREA_WORDS[areas[i % len(areas)]]
            word = area[self.rng.randrange(len(area))][0].capitalize()
            common = v.COMMON[self.rng.randrange(len(v.COMMON))][0].capitalize()
            if i % 5 < 3:
                yield (i, f"Journal of {word} {common} {i}", f"S{5000 + i}", _issn(i), "journal")
            else:
                acronym = "".join(self.rng.choice("ABCDEFGHIKLMNOPRSTUVW") for _ in range(4))
                yield (i, f"Proceedings of {acronym} on {word} {common}", f"S{5000 + i}", "", "")

    def institution_rows(self):
        forms = ["University of {}", "{} Institute of Technology", "{} Research Centre"]
        for i in range(1, self.institutions + 1):
            city = self.rare[-i].capitalize()
            name = forms[i % len(forms)].format(city)
            ror = "0" + _base36(i * 7919 + 60_466_176)[-6:].rjust(6, "0") + f"{i % 100:02d}"
            country = ["US", "CN", "DE", "GB", "FR", "JP", "IN", "KR", "CA", "IT"][i % 10]
            yield (i, name, ror, f"I{9000 + i}", country)

    # --- authors --------------------------------------------------------------------------

    def plan_authors(self) -> None:
        """Names and productivity for every author; planted names and the target included."""
        rng = self.rng
        people = [self.person() for _ in range(self.authors - len(v.PLANTED_AUTHORS) - 1)]
        planted = len(people)  # index of the first planted author: the "real" Yongji Wu
        productivity = [self.productivity() for _ in people]
        people += [(name, variants) for name, variants, _ in v.PLANTED_AUTHORS]
        productivity += [works for _, _, works in v.PLANTED_AUTHORS]
        people.append((TARGET_NAME, ["B. T. Author"]))
        productivity.append(0)  # placed on exactly TARGET_WORKS works later
        order = list(range(len(people)))
        rng.shuffle(order)
        self.people = [people[i] for i in order]
        self.productivity_of = [productivity[i] for i in order]
        self.names = [name for name, _ in self.people]
        self.target_id = order.index(len(people) - 1) + 1
        self.orcid_ids = {i + 1 for i in range(len(people)) if rng.random() < 0.35}
        self.orcid_ids |= {self.target_id}
        self.orcid_ids.add(order.index(planted) + 1)

    def productivity(self) -> int:
        works = math.ceil(math.exp(self.rng.gauss(math.log(3), 1.73)))
        return max(1, min(MAX_PRODUCTIVITY, works))

    def person(self) -> tuple[str, list[str]]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.32:
            family = self.chinese_family()
            given = "".join(rng.choice(v.CHINESE_SYLLABLES) for _ in range(rng.choice([1, 2, 2])))
            given = given.capitalize()
        elif roll < 0.78:
            family = rng.choice(v.WESTERN_FAMILY)
            given = rng.choice(v.WESTERN_GIVEN)
            if rng.random() < 0.15:
                given += f" {rng.choice('ABCDEFGHJKLMNPRST')}."
        elif roll < 0.88:
            family, given = rng.choice(v.INDIAN_FAMILY), rng.choice(v.INDIAN_GIVEN)
        elif roll < 0.94:
            family, given = rng.choice(v.KOREAN_FAMILY), rng.choice(v.KOREAN_GIVEN)
        else:
            family, given = rng.choice(v.JAPANESE_FAMILY), rng.choice(v.JAPANESE_GIVEN)
        display = f"{given} {family}"
        if rng.random() < 0.08:
            display = f"{given[0]}. {family}"
        variants = []
        if rng.random() < 0.2:
            variants = [f"{given[0]}. {family}", f"{family}, {given}"]
        return display, variants

    def author_rows(self):
        for i, (display, variants) in enumerate(self.people, start=1):
            variants = sorted({name.strip() for name in variants if name.strip()})
            search_name = author_search_key(display, variants)
            orcid = _orcid(i) if i in self.orcid_ids else None
            yield (
                i,
                display,
                _json_list(variants),
                search_name,
                orcid,
                f"A{5_000_000_000 + i}",
                "{}",
                None,
                0,
                0,
                0,
                0,
                0,
                0,
                None,
                CREATED_AT,
                CREATED_AT,
            )

    def author_institution_rows(self):
        row_id = 0
        for author_id in range(1, len(self.people) + 1):
            community = self.community_of[author_id]
            roll = self.rng.random()
            count = 2 if roll < 0.05 or author_id == self.target_id else 1 if roll < 0.5 else 0
            for k in range(count):
                row_id += 1
                institution = (community * 2 + k * 17) % self.institutions + 1
                yield (row_id, author_id, institution)

    # --- bylines --------------------------------------------------------------------------

    def plan_bylines(self) -> None:
        """Who wrote what: self.bylines[i] are the author ids of work i+1, in byline order."""
        communities = self._communities()
        sizes = Picker(self.rng, list(zip(BYLINE_SIZES, BYLINE_WEIGHTS, strict=True)))
        works: list[tuple[int, list[int]]] = []
        for c, pool in enumerate(communities):
            works += [(c, authors) for authors in self._fill(pool, sizes)]
        self.rng.shuffle(works)
        while len(works) < self.works:
            c = self.rng.randrange(len(self.members))
            works.append((c, self._sample_members(c, sizes())))
        works = works[: self.works]
        self.work_community = [c for c, _ in works]
        self.bylines = [authors for _, authors in works]
        self._place_target()

    def _communities(self) -> list[list[int]]:
        rng = self.rng
        order = [i + 1 for i in range(len(self.people)) if i + 1 != self.target_id]
        rng.shuffle(order)
        self.members: list[list[int]] = [[]]
        self.community_of = {}
        used = 0
        for author_id in order:
            if used >= COMMUNITY_SLOTS:
                self.members.append([])
                used = 0
            self.members[-1].append(author_id)
            self.community_of[author_id] = len(self.members) - 1
            used += self.productivity_of[author_id - 1]
        pools: list[list[int]] = [[] for _ in self.members]
        for author_id in order:
            works = self.productivity_of[author_id - 1]
            second = sum(1 for _ in range(works) if rng.random() < SECONDARY_SHARE)
            pools[self.community_of[author_id]] += [author_id] * (works - second)
            pools[rng.randrange(len(pools))] += [author_id] * second
        self.community_of[self.target_id] = 0
        self.topics_of = [self._community_topics() for _ in self.members]
        for pool in pools:
            rng.shuffle(pool)
        return pools

    @staticmethod
    def _fill(pool: list[int], sizes: Picker) -> list[list[int]]:
        """Cut a community's shuffled author slots into bylines; an author drawn twice for
        one byline waits for a later one (so every author keeps their works count)."""
        slots = deque(pool)
        works = []
        while slots:
            want, authors, waiting = sizes(), [], []
            while len(authors) < want and slots:
                author = slots.popleft()
                (waiting if author in authors else authors).append(author)
            slots.extend(waiting)
            works.append(authors)
        return works

    def _sample_members(self, community: int, size: int) -> list[int]:
        members = self.members[community]
        return self.rng.sample(members, min(size, len(members)))

    def _place_target(self) -> None:
        """The target author joins exactly TARGET_WORKS works of its community, anywhere on
        the byline."""
        home = self.community_of[self.target_id]
        candidates = [i for i, c in enumerate(self.work_community) if c == home]
        if len(candidates) < TARGET_WORKS:
            candidates = list(range(len(self.bylines)))
        for i in self.rng.sample(candidates, TARGET_WORKS):
            byline = self.bylines[i]
            byline.insert(self.rng.randrange(len(byline) + 1), self.target_id)

    def _community_topics(self) -> list[int]:
        first = self.topic_picker()
        area = v.topic_area(v.TOPICS[first - 1][0])
        same = [i for i, (c, _) in enumerate(v.TOPICS, start=1) if v.topic_area(c) == area]
        return [first, self.rng.choice(same), self.rng.choice(same)]

    # --- works ----------------------------------------------------------------------------

    def work_rows(self):
        """(work, [authorship rows], [topic ids]) for every work, in id order."""
        writer = _WorkWriter(self)
        for i, byline in enumerate(self.bylines):
            yield writer.work(i + 1, byline, self.work_community[i])


class _WorkWriter:
    """Per-work generation: text, date, identifiers, citations, byline rows."""

    def __init__(self, data: Dataset) -> None:
        self.data, self.rng = data, data.rng
        rng = self.rng
        self.common = Picker(rng, v.COMMON)
        self.adj = Picker(rng, v.ADJECTIVES)
        self.general = Picker(rng, v.GENERAL)
        self.area_words = {area: Picker(rng, words) for area, words in v.AREA_WORDS.items()}
        self.rare = Picker(rng, zipf_pairs(data.rare, exponent=1.05))
        self.types = Picker(rng, WORK_TYPES)
        years = range(FIRST_YEAR, LAST_YEAR + 1)
        self.years = Picker(rng, [(y, 1.08 ** (y - FIRST_YEAR)) for y in years])
        venues = list(range(2, data.venues + 1))
        self.venues = Picker(rng, zipf_pairs(venues, exponent=0.8))
        self.sentences = {area: self._sentences(area, 3000) for area in v.AREA_WORDS}
        self.arxiv_seq: dict[str, int] = {}
        self.authorship_id = 0

    def _fill(self, template: str, area: str) -> str:
        words = self.area_words[area]
        phrases = v.AREA_PHRASES[area]
        text = template
        while "{" in text:
            text = text.replace("{Area}", words().capitalize(), 1)
            text = text.replace("{area}", words(), 1)
            text = text.replace("{common}", self.common(), 1)
            text = text.replace("{adj}", self.adj(), 1)
            text = text.replace("{general}", self.general(), 1)
            text = text.replace("{phrase}", self.rng.choice(phrases), 1)
        return text

    def _sentences(self, area: str, count: int) -> list[str]:
        templates = v.SENTENCE_TEMPLATES
        return [self._fill(self.rng.choice(templates), area) for _ in range(count)]

    def title(self, area: str) -> str:
        title = self._fill(self.rng.choice(v.TITLE_TEMPLATES), area)
        title = title[0].upper() + title[1:]
        if self.rng.random() < 0.25:
            title = f"{self.rare().capitalize()}: {title}"
        return title

    def abstract(self, area: str) -> str:
        pool = self.sentences[area]
        count = self.rng.randint(4, 7)
        parts = [pool[self.rng.randrange(len(pool))] for _ in range(count)]
        if self.rng.random() < 0.5:
            parts.insert(1, f"We call the resulting {self.common()} {self.rare()}.")
        return " ".join(parts)

    def topics(self, community: int) -> list[int]:
        own = self.data.topics_of[community]
        count = self.rng.choices([1, 2, 3], [45, 35, 20])[0]
        chosen = [own[0] if self.rng.random() < 0.7 else self.rng.choice(own)]
        while len(chosen) < count:
            pick = self.rng.choice(own) if self.rng.random() < 0.85 else self._any_topic()
            if pick not in chosen:
                chosen.append(pick)
            elif self.rng.random() < 0.3:
                break
        return chosen

    def _any_topic(self) -> int:
        return self.rng.randrange(1, len(v.TOPICS) + 1)

    def date(self) -> datetime.date:
        year = self.years()
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    def citations(self, year: int) -> int:
        age = LAST_YEAR + 1 - year
        return max(0, int(math.exp(self.rng.gauss(0.3 + 0.15 * age, 1.5))) - 1)

    def arxiv_id(self, date: datetime.date) -> str:
        month = f"{date.year % 100:02d}{date.month:02d}"
        seq = self.arxiv_seq.get(month, 0) + 1
        self.arxiv_seq[month] = seq
        return f"{month}.{seq:05d}"

    def work(self, work_id: int, byline: list[int], community: int):
        rng = self.rng
        topics = self.topics(community)
        area = v.topic_area(v.TOPICS[topics[0] - 1][0])
        kind = self.types()
        date = self.date()
        has_arxiv = kind == "preprint" or rng.random() < 0.08
        arxiv = self.arxiv_id(date) if has_arxiv else None
        venue = 1 if kind == "preprint" else (None if rng.random() < 0.08 else self.venues())
        doi = f"10.5555/bench.{work_id}"
        row = (
            work_id,
            self.title(area),
            "",  # title_html: generated titles carry no markup
            self.abstract(area),
            kind,
            date,
            "day",
            date.year,
            venue,
            doi,
            arxiv,
            f"W{4_000_000_000 + work_id}",
            "{}",
            f"https://doi.org/{doi}",
            f"https://arxiv.org/pdf/{arxiv}" if arxiv else "",
            f"https://example.org/code/bench-{work_id}" if rng.random() < 0.05 else "",
            self.citations(date.year),
            len(byline),
            CREATED_AT,
            CREATED_AT,
        )
        return row, self.authorships(work_id, byline), topics

    def authorships(self, work_id: int, byline: list[int]) -> list[tuple]:
        rows = []
        names = self.data.names
        for position, author_id in enumerate(byline):
            self.authorship_id += 1
            name = names[author_id - 1]
            if self.rng.random() < 0.15:
                name = _initials(name)
            rows.append((self.authorship_id, work_id, author_id, position, name, "active", None))
        return rows


def _initials(name: str) -> str:
    parts = name.split()
    if len(parts) < 2:
        return name
    return " ".join([f"{p[0]}." for p in parts[:-1]] + [parts[-1]])


def _json_list(items: list[str]) -> str:
    if not items:
        return "[]"
    return "[" + ", ".join('"' + item.replace('"', '\\"') + '"' for item in items) + "]"


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def _issn(n: int) -> str:
    digits = f"{(n * 7349) % 10_000_000:07d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def _orcid(author_id: int) -> str:
    """A well-formed ORCID iD (ISO 7064 11-2 check digit), unique per author id."""
    base = f"{1_000_000_000 + author_id * 7919:015d}"
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))
