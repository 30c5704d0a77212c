"""What the curation page shows, in a fixed number of queries: the works, those marked not
mine, pins, merges, and the works grouped "looks like two people" (records.clusters)."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.accounts.identity import public_identities
from apps.core.reasons import reason_templates
from apps.records.clusters import clusters_for
from apps.records.models import Author, Work

from .models import Claim, Dispute, MergeRequest, PinnedWork
from .services import OUTCOMES

CURATION_LIST = 200  # works listed for curation, newest first


def curation_context(author: Author) -> dict:
    visible = Work.objects.visible_on(author).newest_first().select_related("venue")
    disowned = (
        Work.objects.filter(authorships__author=author, authorships__status="disowned")
        .newest_first()
        .select_related("venue")
    )
    works = list(visible[:CURATION_LIST])
    clusters, by_id = clusters_for(author), {w.pk: w for w in works}
    for group in clusters.groups:
        group.works = [by_id[w] for w in group.work_ids if w in by_id]
    return {
        "author": author,
        "works": works,
        "clusters": clusters,
        "disowned": list(disowned[:CURATION_LIST]),
        "pinned": set(PinnedWork.objects.filter(author=author).values_list("work_id", flat=True)),
        "merges": list(
            MergeRequest.objects.filter(survivor=author).select_related("duplicate")[:20]
        ),
    }


DISPUTE_WORKS = 300  # works listed for statements and a split


@dataclass
class Party:
    """One side of a dispute as its page shows it."""

    side: str  # "holder" or "challenger"
    label: str
    claim: Claim
    identity: object
    is_you: bool
    sees_evidence: bool  # their claim's evidence: for themselves and moderators
    statements: list = field(default_factory=list)
    works: set = field(default_factory=set)  # the works their statements name


def dispute_context(dispute: Dispute, user, *, moderator: bool) -> dict:
    """The dispute page: both parties told apart (role, handle, "you"), their statements and
    the works each names, the record's works grouped side by side when they fall into
    several groups (records.clusters) and, for a moderator not involved, the decision's
    outcomes with their own reason templates."""
    people = public_identities([dispute.held_claim.user, dispute.claim.user])
    statements = list(dispute.statements.all())
    parties = []
    for side, claim in (("holder", dispute.held_claim), ("challenger", dispute.claim)):
        mine = [s for s in statements if s.side == side]
        parties.append(Party(
            side=side, label=side.capitalize(), claim=claim,
            identity=people.get(claim.user_id), is_you=claim.user_id == user.pk,
            sees_evidence=moderator or claim.user_id == user.pk, statements=mine,
            works={w for s in mine for w in s.work_ids},
        ))  # fmt: skip
    works = list(
        Work.objects.visible_on(dispute.author).order_by("-citation_count", "-id")[:DISPUTE_WORKS]
    )
    clusters = clusters_for(dispute.author)
    by_id = {w.pk: w for w in works}
    for group in clusters.groups:
        group.works = [by_id[w] for w in group.work_ids if w in by_id]
    involved = user.pk in (dispute.claim.user_id, dispute.held_claim.user_id)
    return {
        "dispute": dispute,
        "parties": parties,
        "works": works,
        "clusters": clusters.groups if clusters.several else [],
        "side": next((p.side for p in parties if p.is_you), None),
        "decides": moderator and not involved and dispute.status == Dispute.Status.OPEN,
        "involved_moderator": moderator and involved,
        "outcomes": [(o, DISPUTE_OUTCOMES[o], reason_templates("dispute", o)) for o in OUTCOMES],
        "challenger_works": parties[1].works,
    }


# The words of each outcome's button; all four change who holds what, so each confirms.
DISPUTE_OUTCOMES = {
    "challenger": "The challenger takes the record",
    "holder": "The holder keeps the record",
    "split": "Split the record: the challenger takes the works ticked below",
    "dismiss": "Dismiss the dispute",
}
