"""Claims link one user to one public author record; disputes, merge requests and the
claimant's curation decisions hang off them. The invariants (one approved claimant per
record, one claimed record per user, one open claim per user and record) are partial unique
constraints, so no race can break them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.accounts.moderators import is_moderator
from apps.core.models import Decision
from apps.records.models import Author, Institution, Work


class ClaimQuerySet(models.QuerySet):
    """Who holds which record is answered here and nowhere else: `holder_of`, `held_by`,
    `holds`, `on_page` and, for many records at once, `holders_of` (all on `approved`)."""

    def approved(self):
        """Claims in force: the claimant holds the record."""
        return self.filter(status=Claim.Status.APPROVED)

    def holder_of(self, author: Author | int) -> Claim | None:
        """The claim in force on a record (with its user), or None when nobody holds it."""
        return self.approved().filter(author=author).select_related("user").first()

    def held_by(self, user) -> Claim | None:
        """The claim in force of `user` (with its record: a user holds at most one), or None;
        None for a visitor."""
        if not user.is_authenticated:
            return None
        return self.approved().filter(user=user).select_related("author").first()

    def on_page(
        self, author: Author | int, reader
    ) -> tuple[Claim | None, Claim | None, Claim | None]:
        """What an author page asks of claims, in one query: the record's holder (with its
        user, as `holder_of` gives it) and, for a signed-in reader, their claim in force (with
        its record, as `held_by`) and their open claim on this record (as
        `pending().filter(user=, author=)`). The constraints allow at most one of each."""
        approved, pending = Claim.Status.APPROVED, Claim.Status.PENDING
        author_id = getattr(author, "pk", author)
        wanted = Q(status=approved, author=author_id)
        signed_in = reader.is_authenticated
        if signed_in:
            wanted |= Q(user=reader) & (Q(status=approved) | Q(status=pending, author=author_id))
        rows = list(self.filter(wanted).select_related("user", "author"))
        holder = next((c for c in rows if c.status == approved and c.author_id == author_id), None)
        mine = [c for c in rows if signed_in and c.user_id == reader.pk]
        held = next((c for c in mine if c.status == approved), None)
        open_here = next((c for c in mine if c.status == pending), None)
        return holder, held, open_here

    def holds(self, user, author: Author | int) -> bool:
        """Whether `user` holds the record (False for a visitor)."""
        return user.is_authenticated and self.approved().filter(user=user, author=author).exists()

    def holders_of(self, authors) -> ClaimQuerySet:
        """The claims in force on these records (ids or a queryset), one per held record."""
        return self.approved().filter(author__in=authors)

    def pending(self):
        """Claims waiting for a moderator, oldest first (the queue order)."""
        return self.filter(status=Claim.Status.PENDING).order_by("created_at", "id")

    def of_user(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()

    def visible_to(self, user):
        """A claim (with its evidence) is seen by its claimant and by moderators only."""
        if not user.is_authenticated:
            return self.none()
        return self if is_moderator(user) else self.filter(user=user)


class Claim(Decision):
    class Kind(models.TextChoices):
        ORCID = "orcid", "ORCID match"
        EVIDENCE = "evidence", "Evidence"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RELEASED = "released", "Released"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The ORCID iD the user had proven by OAuth when claiming (empty if none).
    orcid = models.CharField("proven ORCID iD", max_length=19, blank=True)
    # Evidence, private to the claimant and moderators.
    email = models.EmailField("institutional email", blank=True)
    links = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    score_components = models.JSONField(default=list, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author"],
                condition=Q(status="approved"),
                name="claim_one_holder_per_author",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="approved"), name="claim_one_record_per_user"
            ),
            models.UniqueConstraint(
                fields=["user", "author"],
                condition=Q(status="pending"),
                name="claim_one_open_per_user_author",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="claim_queue_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.author} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING


class Dispute(Decision):
    """A claim on a record someone already holds. Both parties may add statements; nothing
    changes until a moderator decides: the challenger takes the record (upheld), the holder
    keeps it (rejected), the record is split between them (each holds the works they showed
    are theirs; `new_author` is the challenger's part), or the dispute is dismissed."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Decided: the challenger takes the record"
        REJECTED = "rejected", "Decided: the holder keeps the record"
        SPLIT = "split", "Decided: the record is split between them"
        DISMISSED = "dismissed", "Dismissed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="disputes")
    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="dispute")
    held_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="disputes_against")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The record split off for the challenger, when the outcome was a split.
    new_author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(claim=models.F("held_claim")), name="dispute_two_claims"
            )
        ]

    def __str__(self) -> str:
        return f"dispute on {self.author} ({self.status})"


class DisputeStatement(models.Model):
    """What one party of a dispute says, with links and the works on the record they say
    are theirs. Kept as written (a later statement adds, never edits); read by both parties
    and the moderators."""

    class Side(models.TextChoices):
        HOLDER = "holder", "Holder"
        CHALLENGER = "challenger", "Challenger"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="statements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    text = models.TextField()
    links = models.JSONField(default=list, blank=True)
    work_ids = models.JSONField(default=list, blank=True)  # works on the record they say are theirs
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dispute", "created_at"], name="dispute_statement_idx")]

    def __str__(self) -> str:
        return f"{self.side} statement on dispute {self.dispute_id}"


class MergeRequest(Decision):
    """A claimant asks that a duplicate record of themselves be folded into theirs."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        APPROVED = "approved", "Merged"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merge_requests"
    )
    survivor = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="merge_requests_in")
    duplicate = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="merge_requests_out"
    )
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(survivor=models.F("duplicate")), name="merge_two_records"
            ),
            models.UniqueConstraint(
                fields=["duplicate"],
                condition=Q(status="pending"),
                name="merge_one_open_per_duplicate",
            ),
        ]

    def __str__(self) -> str:
        return f"merge {self.duplicate_id} into {self.survivor_id} ({self.status})"


class CurationDecision(models.Model):
    """One decision about one work on a record, kept for ever (who, when): the claimant's
    curation, or a moderator's repair (detach, move, split)."""

    class Action(models.TextChoices):
        DISOWN = "disown", "Marked not mine"
        RESTORE = "restore", "Restored"
        SPLIT = "split", "Split off to another record"
        ADD = "add", "Added"
        DETACH = "detach", "Detached by a moderator"
        MOVE = "move", "Moved to another record by a moderator"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="curation_decisions")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="curation_decisions")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["author", "-created_at"], name="curation_author_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.work_id} on {self.author_id}"


class PinnedWork(models.Model):
    """Up to five works a claimant puts at the top of their record."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="pins")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["author", "work"], name="pin_unique"),
            models.UniqueConstraint(fields=["author", "position"], name="pin_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.work_id} pinned on {self.author_id}"


class InstitutionDomain(models.Model):
    """An email domain an institution's people use (ROR lists them; moderators fill this
    table). An email on the domain or a subdomain counts as evidence."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(max_length=253)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "domain"], name="institution_domain_unique"
            ),
            models.CheckConstraint(
                condition=Q(domain=models.functions.Lower("domain")),
                name="institution_domain_lower",
            ),
        ]

    def __str__(self) -> str:
        return self.domain


class RecordRequest(models.Model):
    """A researcher whom no source lists yet asks for a record of their own: from their proven
    ORCID iD (held at once, L2) or from works they name by DOI or arXiv id (L1, their claim
    waiting for a moderator). The work runs on the interactive queue; the row is its progress.
    A request that finds the person already has a record ends as a duplicate, with that record
    offered for a claim instead."""

    class Kind(models.TextChoices):
        ORCID = "orcid", "From my ORCID iD"
        WORKS = "works", "From my works"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing your works"
        DONE = "done", "Your record is ready"
        DUPLICATE = "duplicate", "You already have a record"
        FAILED = "failed", "It did not work"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_requests"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    name = models.CharField(max_length=300)  # the name printed on their papers
    identifiers = models.JSONField(default=list, blank=True)  # "doi:…", "arxiv:…"
    note = models.TextField(blank=True)  # for the moderators (works only)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)  # what the person is told when it failed
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="record_request_one_unfinished",
            )
        ]

    def __str__(self) -> str:
        return f"new record for {self.user_id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status not in self.UNFINISHED
