"""The trust score: a pure function from plain inputs to 0-100 with its breakdown.

Nothing here touches the database. Each component is rounded on its own and the score is the
sum of the rounded components, so the breakdown always adds up to the score shown. Positive
components are capped so that together they reach 100 at most; negative signals have no cap
(every upheld report costs the same), and a "floor" component brings a negative sum back to 0.

Changing WEIGHTS or `score_compute` changes `formula_fingerprint()`; the tests hold the
fingerprint of every version in FORMULA_HISTORY, so a changed formula needs a new version.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
from dataclasses import asdict, dataclass, field

FORMULA_VERSION = 2
# version -> fingerprint of WEIGHTS and score_compute's source (see the module docstring).
# 2: works a moderator detached in a repair are not the holder's disowning.
FORMULA_HISTORY = {1: "889d4e83ecccbd10", 2: "dc88e5b19ea0975d"}

WEIGHTS = {
    "verification": {0: 0, 1: 10, 2: 25, 3: 35},
    "works_max": 10,  # reached at 50 works (logarithmic)
    "works_full_at": 50,
    "citations_max": 8,  # reached at 1,000 citations (logarithmic)
    "citations_full_at": 1000,
    "h_index_max": 7,  # reached at h = 20 (linear)
    "h_index_full_at": 20,
    "recency_max": 10,  # a work in the last 2 years; minus 2 a year after that
    "recency_grace_years": 2,
    "recency_decay_per_year": 2,
    "span_max": 5,  # years between first and latest work, 1 point per 2 years
    "span_years_per_point": 2,
    "account_max": 5,  # account age of the claimant, 1 point per 73 days (5 in a year)
    "account_days_per_point": 73,
    "network_max": 20,  # 5 * sqrt(verified collaborators), capped
    "network_per_sqrt": 5,
    "upheld_report": -15,  # each, no cap
    "dispute_lost": -10,  # each, no cap
    "disowning_min_works": 10,  # mass disowning starts to count from this many works
    "disowning_max": -15,  # times the disowned share of all authorships
}

TIERS = [(80, "Highly trusted"), (60, "Trusted"), (40, "Established"), (20, "Emerging"), (0, "New")]


@dataclass(frozen=True)
class TrustInputs:
    """Everything the score depends on, as plain numbers."""

    verification_level: int = 0
    works_count: int = 0
    citation_count: int = 0
    h_index: int = 0
    first_year: int | None = None
    latest_year: int | None = None
    current_year: int = 2026
    account_age_days: int | None = None  # None: nobody holds the record
    verified_collaborators: int = 0
    upheld_reports: int = 0
    disputes_lost: int = 0
    disowned_works: int = 0
    authorships_total: int = 0  # disowned included
    # Of disowned_works, those a moderator detached in a repair: not the holder's doing, so
    # not counted. (Works split off leave the record and are never counted either.)
    repaired_works: int = 0


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    points: int
    detail: str


@dataclass(frozen=True)
class TrustScore:
    score: int
    tier: str
    version: int
    components: list[Component] = field(default_factory=list)

    def breakdown(self) -> list[dict]:
        return [asdict(c) for c in self.components]


def tier_for(score: int) -> str:
    """The tier label of a score: 0-19 New, up to 80-100 Highly trusted."""
    for floor, label in TIERS:
        if score >= floor:
            return label
    return TIERS[-1][1]


def _log_share(value: int, full_at: int, maximum: float) -> float:
    if value <= 0:
        return 0.0
    return min(maximum, maximum * math.log1p(value) / math.log1p(full_at))


def _positive(i: TrustInputs) -> list[Component]:
    w = WEIGHTS
    level = max(0, min(3, i.verification_level))
    years_since = None if i.latest_year is None else max(0, i.current_year - i.latest_year)
    recency = 0.0
    if years_since is not None:
        late = max(0, years_since - w["recency_grace_years"])
        recency = max(0.0, w["recency_max"] - w["recency_decay_per_year"] * late)
    span = 0 if i.first_year is None or i.latest_year is None else i.latest_year - i.first_year
    account = 0.0
    if i.account_age_days is not None:
        account = min(w["account_max"], max(0, i.account_age_days) / w["account_days_per_point"])
    network = min(
        w["network_max"], w["network_per_sqrt"] * math.sqrt(max(0, i.verified_collaborators))
    )
    return [
        Component("verification", "Verification level", w["verification"][level], f"L{level}"),
        Component(
            "works",
            "Works",
            round(_log_share(i.works_count, w["works_full_at"], w["works_max"])),
            f"{i.works_count} works",
        ),
        Component(
            "citations",
            "Citations",
            round(_log_share(i.citation_count, w["citations_full_at"], w["citations_max"])),
            f"{i.citation_count} citations",
        ),
        Component(
            "h_index",
            "h-index",
            round(min(w["h_index_max"], w["h_index_max"] * i.h_index / w["h_index_full_at"])),
            f"h-index {i.h_index}",
        ),
        Component(
            "recency",
            "Recent work",
            round(recency),
            "no dated work" if years_since is None else f"latest work {i.latest_year}",
        ),
        Component(
            "span",
            "Publishing span",
            round(min(w["span_max"], max(0, span) / w["span_years_per_point"])),
            f"{max(0, span)} years",
        ),
        Component(
            "account",
            "Account tenure",
            round(account),
            "unclaimed" if i.account_age_days is None else f"{i.account_age_days} days",
        ),
        Component(
            "network",
            "Verified collaborators",
            round(network),
            f"{i.verified_collaborators} verified co-authors",
        ),
    ]


def _negative(i: TrustInputs) -> list[Component]:
    w = WEIGHTS
    disowning = 0.0
    counted = max(0, i.disowned_works - max(0, i.repaired_works))
    if counted >= w["disowning_min_works"] and i.authorships_total > 0:
        disowning = w["disowning_max"] * min(1.0, counted / i.authorships_total)
    detail = f"{counted} of {i.authorships_total} disowned"
    if i.repaired_works:
        detail += f"; {i.repaired_works} detached by moderators not counted"
    return [
        Component(
            "upheld_reports",
            "Upheld abuse reports",
            w["upheld_report"] * max(0, i.upheld_reports),
            f"{i.upheld_reports} upheld",
        ),
        Component(
            "disputes_lost",
            "Disputes lost",
            w["dispute_lost"] * max(0, i.disputes_lost),
            f"{i.disputes_lost} lost",
        ),
        Component(
            "disowning",
            "Works disowned at scale",
            math.floor(disowning),  # floor, so that any penalty costs at least a point
            detail + "; works split off never count",
        ),
    ]


def score_compute(inputs: TrustInputs) -> TrustScore:
    """The trust score of one record, with a breakdown whose points sum to the score."""
    components = _positive(inputs) + _negative(inputs)
    total = sum(c.points for c in components)
    if total < 0:
        components.append(Component("floor", "Floor at 0", -total, "scores never go below 0"))
        total = 0
    total = min(total, 100)  # cannot happen: positive caps sum to 100
    return TrustScore(total, tier_for(total), FORMULA_VERSION, components)


def formula_fingerprint() -> str:
    """A short hash of the weights and the scoring code; see FORMULA_HISTORY."""
    source = "".join(inspect.getsource(f) for f in (_positive, _negative, score_compute))
    raw = json.dumps(WEIGHTS, sort_keys=True, default=str) + source
    return hashlib.sha256(raw.encode()).hexdigest()[:16]
