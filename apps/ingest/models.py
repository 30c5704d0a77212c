"""Refresh bookkeeping. Public records themselves live in apps.records."""

from __future__ import annotations

from django.db import models

from apps.records.models import Author


class Outcome(models.TextChoices):
    OK = "ok", "OK"
    TRANSIENT = "transient", "Transient error (will retry)"
    PERMANENT = "permanent", "Permanent error"
    SKIPPED = "skipped", "Skipped"
    # A lost connection, a deadlock or a lost race on a unique row: the task tries again.
    DATABASE = "database", "Database error (retried)"


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
    # When the source asked us to come back (its Retry-After, when longer than we wait).
    retry_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["author", "-finished_at"], name="refreshlog_author_idx"),
            models.Index(fields=["source", "-finished_at"], name="refreshlog_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.target}: {self.outcome}"


class Priority(models.IntegerChoices):
    NORMAL = 0, "Normal"
    FOLLOWED = 1, "Followed"
    CLAIMED = 2, "Claimed"


class AuthorRefreshState(models.Model):
    """When an author record is next due for a refresh, and whether one is queued.

    Other apps raise `priority` (claims: claimed, follows: followed) through
    services.refresh_priority_set; the scheduler serves higher priorities first."""

    author = models.OneToOneField(
        Author, primary_key=True, on_delete=models.CASCADE, related_name="refresh_state"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    next_due_at = models.DateTimeField(null=True, blank=True)  # null: never refreshed, due now
    last_refreshed_at = models.DateTimeField(null=True, blank=True)  # last fully successful run
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)  # set by compare-and-set
    last_error = models.TextField(blank=True)
    # Runs that failed in a row; each doubles the wait before the next (refresh.retry_after).
    consecutive_failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["-priority", "next_due_at"], name="refreshstate_due_idx"),
        ]

    def __str__(self) -> str:
        return f"refresh state of {self.author_id}"


class MergedId(models.Model):
    """An OpenAlex id that was merged into another (from 301s and snapshot merged_ids)."""

    old_id = models.CharField(max_length=20, unique=True)
    new_id = models.CharField(max_length=20)
    merged_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.old_id} → {self.new_id}"


from .models_snapshot import LoadedPartition, SetAside, SnapshotTouchedAuthor  # noqa: E402, F401
