"""Public records: authors, works and what links them. These rows exist whether or not anyone
has claimed them; claims, trust, follows and collaboration hang off Author and Work from the
apps above this one, which this app never imports."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .identifiers import work_id_links
from .links import LinkKind
from .markup import safe_title
from .names import author_search_key
from .querysets import AuthorQuerySet, AuthorshipQuerySet, WorkQuerySet


class Source(models.TextChoices):
    OPENALEX = "openalex", "OpenAlex"
    ORCID = "orcid", "ORCID"
    ARXIV = "arxiv", "arXiv"
    CROSSREF = "crossref", "Crossref"
    CLAIMANT = "claimant", "Claimant"
    DEMO = "demo", "Demo data"


class Institution(models.Model):
    name = models.CharField(max_length=300)
    ror_id = models.CharField("ROR id", max_length=9, unique=True, null=True, blank=True)
    openalex_id = models.CharField(max_length=20, unique=True, null=True, blank=True)
    country_code = models.CharField(max_length=2, blank=True)

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A research topic. `code` is the arXiv-style category where one applies (cs.DC)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    code = models.CharField(max_length=40, unique=True, null=True, blank=True)
    openalex_id = models.CharField(max_length=20, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}" if self.code else self.name


class Venue(models.Model):
    """Where a work appeared: a journal, conference, repository or book series."""

    name = models.CharField(max_length=300)
    openalex_id = models.CharField(max_length=20, unique=True, null=True, blank=True)
    issn_l = models.CharField("ISSN-L", max_length=9, blank=True)
    kind = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return self.name


class VerificationLevel(models.IntegerChoices):
    L0 = 0, "L0 · name only"
    L1 = 1, "L1 · anchored"
    L2 = 2, "L2 · self-verified"
    L3 = 3, "L3 · moderator-verified"


class Author(models.Model):
    display_name = models.CharField(max_length=300)
    name_variants = models.JSONField(default=list, blank=True)
    # Folded (lower-case, unaccented) name forms, for name search; see names.author_search_key.
    search_name = models.TextField(editable=False, default="")
    # Unique by constraints in Meta: a unique=True CharField would also get a second,
    # pattern-ops index on PostgreSQL, for LIKE queries nothing here runs. NULL, not "", for
    # "none": unique allows many NULLs.
    orcid = models.CharField("ORCID iD", max_length=19, null=True, blank=True)  # noqa: DJ001
    openalex_id = models.CharField(max_length=20, null=True, blank=True)  # noqa: DJ001
    other_ids = models.JSONField(default=dict, blank=True)  # {"arxiv": "...", "dblp": "..."}
    institutions = models.ManyToManyField(Institution, blank=True, related_name="authors")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_records"
    )
    verification_level = models.PositiveSmallIntegerField(
        choices=VerificationLevel.choices, default=VerificationLevel.L0
    )
    # Metrics over the works this record shows; written by services.author_metrics_refresh.
    works_count = models.PositiveIntegerField(default=0)
    citation_count = models.PositiveIntegerField(default=0)
    h_index = models.PositiveIntegerField(default=0)
    topics_count = models.PositiveIntegerField(default=0)
    collaborators_count = models.PositiveIntegerField(default=0)
    metrics_updated_at = models.DateTimeField(null=True, blank=True)
    # For the recognition card (records.cards), kept with the metrics so a card never reads
    # the works: the years of the first and last dated work, and the three newest works' ids,
    # newest first. NULL until the metrics are first computed.
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    recent_work_ids = models.JSONField(null=True, blank=True)
    # OpenAlex's per-year counts as last fetched, oldest first: [{"year", "works",
    # "citations"}]. Only OpenAlex knows citations by the year they came; NULL when no source
    # gave them (the author page then counts from the works it shows).
    counts_by_year = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["-works_count", "id"], name="author_works_count_idx")]
        constraints = [
            models.UniqueConstraint(fields=["orcid"], name="author_orcid_unique"),
            models.UniqueConstraint(fields=["openalex_id"], name="author_openalex_id_unique"),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="author_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def set_names(self, display_name: str, variants: list[str] | None = None) -> None:
        """The one way to change an author's names: keeps the search key in step."""
        self.display_name = display_name.strip()
        if variants is not None:
            self.name_variants = sorted({v.strip() for v in variants if v.strip()} - {""})
        self.search_name = author_search_key(self.display_name, self.name_variants)

    @property
    def identifier_level(self) -> int:
        """L1 when a persistent identifier (ORCID iD) anchors the record, else L0."""
        return VerificationLevel.L1 if self.orcid else VerificationLevel.L0


class WorkType(models.TextChoices):
    PREPRINT = "preprint", "Preprint"
    ARTICLE = "article", "Article"
    PROCEEDINGS = "proceedings", "Proceedings"
    BOOK_CHAPTER = "book-chapter", "Book chapter"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Work(models.Model):
    title = models.TextField()  # plain text: search, <title>, mail
    # The same title with its inline markup (<i>, <sup>, <sub>) as sanitised HTML, when the
    # source printed any ("b<sup>2</sup>"); empty otherwise. Pages show it via `heading`.
    title_html = models.TextField(blank=True)
    abstract = models.TextField(blank=True)
    type = models.CharField(max_length=20, choices=WorkType.choices, default=WorkType.OTHER)
    publication_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    publication_year = models.PositiveSmallIntegerField(null=True, blank=True)
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.SET_NULL)
    # Identifiers, stored normalised (identifiers.py): DOI lower-case without resolver, arXiv
    # id without version, OpenAlex key. Each is unique (constraints in Meta, which add no
    # pattern-ops index as unique=True would), so any source's report of a work lands on the
    # same row. NULL, not "", for "none": unique allows many NULLs.
    doi = models.CharField("DOI", max_length=255, null=True, blank=True)  # noqa: DJ001
    arxiv_id = models.CharField("arXiv id", max_length=40, null=True, blank=True)  # noqa: DJ001
    openalex_id = models.CharField(max_length=20, null=True, blank=True)  # noqa: DJ001
    other_ids = models.JSONField(default=dict, blank=True)  # {"pmid": "...", "pmcid": "..."}
    landing_url = models.URLField(max_length=1000, blank=True)
    pdf_url = models.URLField("PDF URL", max_length=1000, blank=True)
    code_url = models.URLField(max_length=1000, blank=True)
    citation_count = models.PositiveIntegerField(default=0)
    authors_count = models.PositiveIntegerField(default=0)
    topics = models.ManyToManyField(Topic, blank=True, related_name="works")
    # PostgreSQL keeps this up to date with a trigger (migration 0002); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        # The newest-first index (publication_date DESC NULLS LAST, id DESC) is created in
        # migration 0002 on PostgreSQL: SQLite cannot index NULLS LAST.
        indexes = [models.Index(fields=["publication_year", "type"], name="work_year_type_idx")]
        constraints = [
            models.UniqueConstraint(fields=["doi"], name="work_doi_unique"),
            models.UniqueConstraint(fields=["arxiv_id"], name="work_arxiv_id_unique"),
            models.UniqueConstraint(fields=["openalex_id"], name="work_openalex_id_unique"),
            # Identifiers are stored normalised; these guard against a raw value slipping in.
            models.CheckConstraint(
                condition=Q(doi=models.functions.Lower("doi")), name="work_doi_lower"
            ),
            models.CheckConstraint(condition=~Q(doi__startswith="http"), name="work_doi_bare"),
            models.CheckConstraint(
                condition=~Q(arxiv_id__regex=r"v[0-9]+$"), name="work_arxiv_versionless"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Untitled work ({self.identifier_label})"

    @property
    def identifier_label(self) -> str:
        """The identifier a reader can look this work up by, strongest first."""
        for label, value in (
            ("DOI", self.doi),
            ("arXiv", self.arxiv_id),
            ("OpenAlex", self.openalex_id),
        ):
            if value:
                return f"{label} {value}"
        return f"Peerage work {self.pk}"

    @property
    def id_links(self) -> list[tuple[str, str, str | None]]:
        """OpenAlex, PubMed, PMC, MAG and other ids as (label, value, url or None)."""
        return work_id_links(self.openalex_id, self.other_ids or {})

    @property
    def heading(self) -> SafeString:
        """The title as a page shows it: never empty (an untitled work names its identifier)."""
        if self.title_html:
            return mark_safe(safe_title(self.title_html))  # noqa: S308  (cleaned by nh3 here)
        if self.title:
            return conditional_escape(self.title)
        return format_html('Untitled work <span class="muted">({})</span>', self.identifier_label)


class WorkLink(models.Model):
    """Where a work's code, data or model lives. The importer adds the links a source gives
    (origin: that source); the holder of a record on the work adds, edits and removes them
    (origin: claimant). A removed link is kept with `removed_at`, so no refresh brings it
    back; rows are never deleted."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="links")
    url = models.URLField("address", max_length=1000)
    kind = models.CharField(max_length=10, choices=LinkKind.choices, default=LinkKind.OTHER)
    label = models.CharField(max_length=200, blank=True)
    origin = models.CharField(max_length=20, choices=Source.choices)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["work_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "url"], name="worklink_unique")]

    def __str__(self) -> str:
        return self.url


class Authorship(models.Model):
    """One author's place on one work, as printed. `status` is the claimant's to change:
    a disowned authorship stays (for audit) but is hidden and counts for nothing."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DISOWNED = "disowned", "Not mine"

    # No indexes of their own: authorship_position_unique and authorship_author_unique start
    # with work, authorship_author_status_idx with author (one B-tree fewer per row loaded).
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="authorships", db_index=False
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="authorships", db_index=False
    )
    position = models.PositiveIntegerField()  # 0-based order on the byline
    raw_name = models.CharField("name as printed", max_length=300)
    institutions = models.ManyToManyField(Institution, blank=True, related_name="authorships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Set when a claimant split this authorship off the record it was on: the importer then
    # treats that record as already matched here and never puts it back on the work.
    split_from = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AuthorshipQuerySet.as_manager()

    class Meta:
        ordering = ["work_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="authorship_position_unique"),
            models.UniqueConstraint(fields=["work", "author"], name="authorship_author_unique"),
        ]
        indexes = [models.Index(fields=["author", "status"], name="authorship_author_status_idx")]

    def __str__(self) -> str:
        return f"{self.raw_name} on {self.work_id}"

    @property
    def linked_author_id(self) -> int | None:
        """The record this printed name links to; None once the record's holder said "not
        mine" (the name stays on the byline: it is what the paper prints)."""
        return self.author_id if self.status == self.Status.ACTIVE else None


class AuthorTopic(models.Model):
    """How many of an author's visible works carry a topic (derived, for the research graph)."""

    # No index of its own: author_topic_unique and author_topic_rank_idx both start with it.
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="topic_counts", db_index=False
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="author_counts")
    works_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "topic"], name="author_topic_unique")
        ]
        indexes = [models.Index(fields=["author", "-works_count"], name="author_topic_rank_idx")]

    def __str__(self) -> str:
        return f"{self.author_id} · {self.topic_id}: {self.works_count}"


class CoAuthorship(models.Model):
    """A co-author edge with the number of visible works shared; stored both ways round.
    Two or more shared works make a close collaborator."""

    # No index of its own: coauthorship_unique and coauthorship_rank_idx both start with it.
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="coauthor_edges", db_index=False
    )
    coauthor = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    shared_works = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "coauthor"], name="coauthorship_unique"),
            models.CheckConstraint(
                condition=~Q(author=models.F("coauthor")), name="coauthor_not_self"
            ),
        ]
        indexes = [models.Index(fields=["author", "-shared_works"], name="coauthorship_rank_idx")]

    def __str__(self) -> str:
        return f"{self.author_id} ↔ {self.coauthor_id}: {self.shared_works}"


class Provenance(models.Model):
    """Which source asserted which fields of a record, and when it was last fetched. One row
    per (record, source, source's id): two ORCID records listing the same work are two rows.
    `fields` maps field name to the value that source gave."""

    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="provenance"
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.CASCADE, related_name="provenance"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    source_key = models.CharField(max_length=300, blank=True)  # the id the source uses
    fields = models.JSONField(default=dict)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(work__isnull=False, author__isnull=True)
                | Q(work__isnull=True, author__isnull=False),
                name="provenance_one_record",
            ),
            models.UniqueConstraint(
                fields=["work", "source", "source_key"],
                condition=Q(work__isnull=False),
                name="provenance_work_source_unique",
            ),
            models.UniqueConstraint(
                fields=["author", "source", "source_key"],
                condition=Q(author__isnull=False),
                name="provenance_author_source_unique",
            ),
        ]
        indexes = [models.Index(fields=["source", "source_key"], name="provenance_source_key_idx")]

    def __str__(self) -> str:
        target = f"work {self.work_id}" if self.work_id else f"author {self.author_id}"
        return f"{self.source} on {target}"
