"""The evidence score of a claim: a pure function over plain data, tested without a database.

Four components, each with its points, its maximum and a line saying why, shown to the
claimant and to moderators. The total is their sum (0-100)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from apps.records.names import name_match_score

ORCID_WORKS_MAX = 40
EMAIL_DOMAIN_MAX = 25
COAUTHORS_MAX = 15
NAME_MAX = 20


@dataclass(frozen=True)
class EvidenceInputs:
    claimant_names: tuple[str, ...]  # the account's public name
    record_search_name: str  # the record's name and variants (names.author_search_key)
    orcid_work_ids: frozenset[str] = frozenset()  # "doi:…"/"arxiv:…" from the user's ORCID works
    record_work_ids: frozenset[str] = frozenset()  # the same keys for the record's visible works
    verified_emails: tuple[str, ...] = ()
    institution_domains: frozenset[str] = frozenset()  # domains of the record's institutions
    claimant_coauthor_ids: frozenset[int] = frozenset()  # records on the user's ORCID works
    record_coauthor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Component:
    code: str
    label: str
    points: int
    max_points: int
    detail: str


@dataclass(frozen=True)
class EvidenceScore:
    total: int
    components: tuple[Component, ...] = field(default_factory=tuple)

    def as_json(self) -> list[dict]:
        return [asdict(c) for c in self.components]


def email_on_domain(email: str, domains: frozenset[str]) -> str | None:
    """The institution domain `email` is on (itself or a subdomain), or None."""
    host = email.rpartition("@")[2].lower().strip(".")
    for domain in sorted(domains):
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def _works(inputs: EvidenceInputs) -> Component:
    shared = inputs.orcid_work_ids & inputs.record_work_ids
    if not inputs.orcid_work_ids:
        return Component(
            "orcid_works",
            "ORCID works on this record",
            0,
            ORCID_WORKS_MAX,
            "No public ORCID works to compare (link ORCID to add this).",
        )
    # Three shared works is strong evidence; a share of the ORCID list counts too.
    share = len(shared) / len(inputs.orcid_work_ids)
    points = round(ORCID_WORKS_MAX * min(1.0, max(len(shared) / 3, share)))
    detail = f"{len(shared)} of your {len(inputs.orcid_work_ids)} ORCID works are on this record."
    return Component("orcid_works", "ORCID works on this record", points, ORCID_WORKS_MAX, detail)


def _email(inputs: EvidenceInputs) -> Component:
    for email in inputs.verified_emails:
        domain = email_on_domain(email, inputs.institution_domains)
        if domain:
            detail = f"Verified email on {domain}, an institution on this record."
            return Component(
                "email_domain", "Institutional email", EMAIL_DOMAIN_MAX, EMAIL_DOMAIN_MAX, detail
            )
    detail = "No verified email on a domain of this record's institutions."
    return Component("email_domain", "Institutional email", 0, EMAIL_DOMAIN_MAX, detail)


def _coauthors(inputs: EvidenceInputs) -> Component:
    shared = inputs.claimant_coauthor_ids & inputs.record_coauthor_ids
    points = min(COAUTHORS_MAX, 5 * len(shared))
    detail = f"{len(shared)} co-author{'s' if len(shared) != 1 else ''} in common."
    return Component("coauthors", "Co-authors in common", points, COAUTHORS_MAX, detail)


def _name(inputs: EvidenceInputs) -> Component:
    best = max(
        (name_match_score(n, inputs.record_search_name) for n in inputs.claimant_names if n),
        default=0.0,
    )
    points = round(NAME_MAX * max(0.0, best - 60) / 40)  # below 60% similarity counts nothing
    # Moderators read this too: it speaks of the account, not to its owner.
    detail = (
        f"The name on the account matches the record's name or one of its variants at {best:.0f}%."
    )
    return Component("name", "Name match", points, NAME_MAX, detail)


def evidence_score(inputs: EvidenceInputs) -> EvidenceScore:
    components = (_works(inputs), _email(inputs), _coauthors(inputs), _name(inputs))
    return EvidenceScore(sum(c.points for c in components), components)
