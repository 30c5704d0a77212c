"""Verification levels and the stored trust score (STYLE.md rung 4).

- `verification_level_set` is the one writer of Author.verification_level above the
  identifier level (records' `author_levels_sync` keeps L0/L1). Claims call it directly (L2
  on approval; the identifier level on release or revocation; L3 through the verification
  workflow in apps.claims.services.verification). It writes no audit row of its own: the
  decision that calls it does, with the level before and after.
- `trust_recompute_many` scores records from `inputs.trust_inputs_many` with the pure
  `score.score_compute`, upserts TrustRecord and appends a TrustHistory row when the score
  (or the formula version) changed. It runs inside the caller's transaction, so a failing
  recompute rolls the caller's decision back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from apps.core.outbox import outbox_add
from apps.records.models import Author, CoAuthorship, VerificationLevel

from .inputs import trust_inputs_many
from .models import TrustHistory, TrustRecord
from .score import score_compute, tier_for

RECOMPUTE_BATCH = 500


def trust_tier_of(author_id: int) -> str:
    """The tier label of a record's stored score ("New" when it has none yet). Collaboration
    uses it for invitation quotas."""
    score = TrustRecord.objects.filter(author_id=author_id).values_list("score", flat=True)
    found = list(score[:1])
    return tier_for(found[0] if found else 0)


# --- The score ----------------------------------------------------------------------------


def trust_recompute_many(author_ids: Iterable[int], *, cause: str) -> int:
    """Score these records and store what changed; returns how many scores changed (each
    with a TrustHistory row). Idempotent: a second run with unchanged inputs writes nothing.
    A fixed number of queries per batch of RECOMPUTE_BATCH records."""
    ids = sorted(set(author_ids))
    changed = 0
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        changed += _recompute_batch(ids[start : start + RECOMPUTE_BATCH], cause)
    return changed


@transaction.atomic
def _recompute_batch(ids: list[int], cause: str) -> int:
    inputs = trust_inputs_many(ids)
    current = {r.author_id: r for r in TrustRecord.objects.filter(author_id__in=ids)}
    now, rows, history = timezone.now(), [], []
    for pk, values in inputs.items():
        result = score_compute(values)
        breakdown, old = result.breakdown(), current.get(pk)
        fields = {"score": result.score, "version": result.version, "breakdown": breakdown}
        if old and (old.score, old.version, old.breakdown) == tuple(fields.values()):
            continue
        rows.append(TrustRecord(author_id=pk, computed_at=now, **fields))
        if old is None or (old.score, old.version) != (result.score, result.version):
            history.append(TrustHistory(author_id=pk, cause=cause[:100], computed_at=now, **fields))
    TrustRecord.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["author"],
        update_fields=["score", "version", "breakdown", "computed_at"],
    )
    TrustHistory.objects.bulk_create(history)
    return len(history)


def trust_recompute(author: Author, *, cause: str) -> TrustRecord:
    """Recompute one record's score now, inside the caller's transaction."""
    trust_recompute_many([author.pk], cause=cause)
    return TrustRecord.objects.get(author_id=author.pk)


def _coauthors_recompute_later(author: Author) -> None:
    """A record whose level crosses L2 changes its co-authors' "verified collaborators"."""
    ids = list(CoAuthorship.objects.filter(author=author).values_list("coauthor_id", flat=True))
    if ids:
        outbox_add("trust.recompute_authors", ids)


# --- Verification levels ------------------------------------------------------------------


@transaction.atomic
def verification_level_set(author: Author, level: int, *, actor, reason: str, cause: str) -> int:
    """Set a record's verification level (L0-L3) and recompute its score; returns the level
    before. The caller's audit row records actor, reason and the level before and after."""
    level = VerificationLevel(level)
    before = Author.objects.filter(pk=author.pk).values_list("verification_level", flat=True)
    before = before.get()
    if before != level:
        Author.objects.filter(pk=author.pk).update(verification_level=level)
        if (before >= VerificationLevel.L2) != (level >= VerificationLevel.L2):
            _coauthors_recompute_later(author)
    author.verification_level = level
    trust_recompute(author, cause=cause)
    return before
