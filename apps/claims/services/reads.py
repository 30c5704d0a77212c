"""Reads the claim services and the views share: what the evidence score looks at. Who holds
a record is a ClaimQuerySet question (Claim.objects.holder_of / held_by / holds)."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from apps.records.models import Author, CoAuthorship, Work
from apps.records.names import author_search_key

from ..evidence import EvidenceInputs, EvidenceScore, evidence_score
from ..models import InstitutionDomain
from ..orcid import orcid_work_keys, proven_orcid, work_key


def record_work_keys(author: Author) -> frozenset[str]:
    rows = Work.objects.visible_on(author).values_list("doi", "arxiv_id")
    return frozenset(k for doi, arxiv in rows for k in work_key(doi, arxiv))


def works_for_keys(keys: frozenset[str]):
    dois = [k[4:] for k in keys if k.startswith("doi:")]
    arxiv = [k[6:] for k in keys if k.startswith("arxiv:")]
    return Work.objects.filter(doi__in=dois) | Work.objects.filter(arxiv_id__in=arxiv)


def evidence_inputs(user, author: Author, orcid_keys: frozenset[str]) -> EvidenceInputs:
    """Gather what the evidence score looks at, in a fixed number of queries."""
    from apps.records.models import Authorship

    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    domains = InstitutionDomain.objects.filter(institution__authors=author)
    mine = works_for_keys(orcid_keys).values("id")
    coauthors = Authorship.objects.visible().filter(work_id__in=mine).exclude(author=author)
    record_coauthors = CoAuthorship.objects.filter(author=author).values_list(
        "coauthor_id", flat=True
    )
    return EvidenceInputs(
        # The public name the person chose (never the stand-in shown until they choose),
        # against the record's name and every variant it was published under.
        claimant_names=tuple(n for n in (user.display_name.strip(),) if n),
        record_search_name=author_search_key(author.display_name, author.name_variants),
        orcid_work_ids=orcid_keys,
        record_work_ids=record_work_keys(author),
        verified_emails=tuple(emails),
        institution_domains=frozenset(domains.values_list("domain", flat=True)),
        claimant_coauthor_ids=frozenset(coauthors.values_list("author_id", flat=True)),
        record_coauthor_ids=frozenset(record_coauthors),
    )


def evidence_preview(user, author: Author) -> EvidenceScore:
    """The score a claim by `user` on `author` would get now (fetches ORCID works: call it
    outside a transaction)."""
    return evidence_score(evidence_inputs(user, author, orcid_work_keys(proven_orcid(user))))
