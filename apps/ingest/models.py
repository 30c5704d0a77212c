"""Refresh bookkeeping. Public records themselves live in apps.records."""

from __future__ import annotations

from django.db import models

from apps.records.models import Author


class Outcome(models.TextChoices):
    OK = "ok", "OK"
    TRANSIENT = "transient", "Transient error (will retry)"
    PERMANENT = "permanent", "Permanent error"
    SKIPPED = "skipped", "Skipped"


class RefreshLog(models.Model):
    """One fetch from one source: what was asked, how it went, what it changed."""

    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="refresh_logs"
    )
    source = models.CharField(max_length=20)
    target = models.CharField(max_length=500)  # the id or query fetched
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["author", "-finished_at"], name="refreshlog_author_idx"),
            models.Index(fields=["source", "-finished_at"], name="refreshlog_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.target}: {self.outcome}"


class MergedId(models.Model):
    """An OpenAlex id that was merged into another (from 301s and snapshot merged_ids)."""

    old_id = models.CharField(max_length=20, unique=True)
    new_id = models.CharField(max_length=20)
    merged_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.old_id} → {self.new_id}"
