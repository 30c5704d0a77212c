"""The stored trust score of each record (current value and its history)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .score import tier_for


class TrustRecord(models.Model):
    """The current trust score of one author record, with the breakdown that explains it."""

    author = models.OneToOneField(
        "records.Author", primary_key=True, on_delete=models.CASCADE, related_name="trust"
    )
    score = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()
    breakdown = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__lte=100), name="trust_score_max")]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.score}"

    @property
    def tier(self) -> str:
        return tier_for(self.score)


class TrustHistory(models.Model):
    """Every change of a record's score, newest last; kept so a score's past is explainable."""

    author = models.ForeignKey(
        "records.Author", on_delete=models.CASCADE, related_name="trust_history"
    )
    score = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()
    breakdown = models.JSONField(default=list)
    cause = models.CharField(max_length=100, blank=True)  # "claim.approve", "nightly"
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["author", "-computed_at"], name="trust_history_idx")]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.score} ({self.cause})"
