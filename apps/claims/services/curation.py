"""The holder's curation of their record: "not mine" (reversible), splitting disowned works
off to a record of their own, adding a missing work by DOI or arXiv id, name variants and
pins. Every decision is a CurationDecision row plus an audit row, and every later refresh
respects it (the importer never re-statuses, re-points or re-creates these authorships)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.errors import Conflict, NotAllowed, Refused, UpstreamUnavailable
from apps.core.pagecache import record_changed
from apps.ingest.clients.arxiv import ArxivClient
from apps.ingest.clients.base import PermanentUpstreamError, UpstreamError
from apps.ingest.clients.crossref import CrossrefClient
from apps.ingest.importer.run import import_batch
from apps.ingest.importer.works import find_work
from apps.ingest.normalized import Batch, ParseError
from apps.ingest.parsers import parse
from apps.records.identifiers import InvalidIdentifier, normalize_arxiv_id, normalize_doi
from apps.records.models import Author, Authorship, Provenance, Source, Work
from apps.records.names import names_compatible
from apps.records.services import author_merge_into, author_metrics_refresh
from apps.trust.services import trust_recompute_many

from ..models import Claim, CurationDecision, PinnedWork
from ..orcid import INTERACTIVE_RETRY

MAX_PINS = 5
MAX_BULK = 500
MAX_VARIANTS = 20
UPSTREAM_RETRY_AFTER = 60  # seconds: a source that is down is asked again after a minute


def require_holder(user, author: Author) -> None:
    if not Claim.objects.holds(user, author):
        raise NotAllowed("Only the researcher who holds this record can curate it.")


def _work_ids(work_ids) -> list[int]:
    try:
        ids = list(dict.fromkeys(int(i) for i in work_ids))
    except (TypeError, ValueError):
        raise Refused("Works are given by their numeric ids.", field="works") from None
    if not ids:
        raise Refused("Choose at least one work.", field="works")
    if len(ids) > MAX_BULK:
        raise Refused(f"At most {MAX_BULK} works at a time.", field="works")
    return ids


def _decided(user, author, action, authorships, new_author=None) -> list[int]:
    work_ids = [a.work_id for a in authorships]
    CurationDecision.objects.bulk_create(
        CurationDecision(author=author, work_id=w, action=action, actor=user, new_author=new_author)
        for w in work_ids
    )
    new = getattr(new_author, "pk", None)
    _curation_audit(user, author, f"work.{action}", after={"works": work_ids, "new_author": new})
    return work_ids


def _curation_audit(user, author: Author, action: str, *, before=None, after=None) -> None:
    """The audit row of one of the holder's decisions about their record; cached pages of the
    record, and listings whose bylines show it, go out of date."""
    record_changed("author", author.pk)
    record_changed("works", 0)
    audit_record(actor=user, action=action, target=author, author_id=author.pk,
                 subject_user=user, before=before, after=after)  # fmt: skip


def _set_status(user, author, work_ids, *, to: str, action: str) -> int:
    require_holder(user, author)
    ids = _work_ids(work_ids)
    frm = (
        Authorship.Status.ACTIVE if to == Authorship.Status.DISOWNED else Authorship.Status.DISOWNED
    )
    rows = list(
        Authorship.objects.select_for_update().filter(author=author, work_id__in=ids, status=frm)
    )
    if not rows:
        raise Refused("None of those works can change that way on your record.", field="works")
    Authorship.objects.filter(pk__in=[a.pk for a in rows]).update(
        status=to, status_changed_at=timezone.now()
    )
    _decided(user, author, action, rows)
    if to == Authorship.Status.DISOWNED:
        PinnedWork.objects.filter(author=author, work_id__in=[a.work_id for a in rows]).delete()
    author_metrics_refresh([author.pk])
    trust_recompute_many([author.pk], cause=f"work.{action}")
    return len(rows)


@transaction.atomic
def works_disown(*, user, author: Author, work_ids) -> int:
    """Mark works "not mine": hidden from the record and its metrics, kept for audit."""
    return _set_status(user, author, work_ids, to=Authorship.Status.DISOWNED, action="disown")


@transaction.atomic
def works_restore(*, user, author: Author, work_ids) -> int:
    """Undo "not mine" on works still on the record."""
    return _set_status(user, author, work_ids, to=Authorship.Status.ACTIVE, action="restore")


@transaction.atomic
def works_split(*, user, author: Author, work_ids) -> Author:
    """Move works (shown or marked "not mine") to a new, unclaimed record for the other
    person of the same name. Each moved authorship remembers the record it left, so no
    refresh puts it back. Splitting straight from the shown works never passes through
    "not mine", so it never counts as disowning in the trust score."""
    require_holder(user, author)
    ids = _work_ids(work_ids)
    rows = list(Authorship.objects.select_for_update().filter(author=author, work_id__in=ids))
    if len(rows) != len(ids):
        raise Refused("Only works on your record can be split off.", field="works")
    other = Author()
    other.set_names(author.display_name, [])
    other.save()
    Authorship.objects.filter(pk__in=[a.pk for a in rows]).update(
        author=other,
        split_from=author,
        status=Authorship.Status.ACTIVE,
        status_changed_at=timezone.now(),
    )
    _decided(user, author, CurationDecision.Action.SPLIT, rows, new_author=other)
    author_metrics_refresh([author.pk, other.pk])
    trust_recompute_many([author.pk, other.pk], cause="work.split")
    return other


# --- Adding a missing work ---------------------------------------------------------------


def _parse_identifier(text: str) -> tuple[str, str]:
    text = (text or "").strip()
    for kind, normalize in (("doi", normalize_doi), ("arxiv", normalize_arxiv_id)):
        try:
            return kind, normalize(text)
        except InvalidIdentifier:
            continue
    raise Refused("Give a DOI (10.…) or an arXiv id (2101.01234).", field="identifier")


def _fetch(kind: str, value: str) -> Batch:
    """The work from Crossref (DOI) or arXiv; a clear error when it does not exist."""
    name = "Crossref" if kind == "doi" else "arXiv"
    try:
        if kind == "doi":
            with CrossrefClient(retry=INTERACTIVE_RETRY) as client:
                batch = parse("crossref", client.work(value).body)
        else:
            with ArxivClient(retry=INTERACTIVE_RETRY) as client:
                batch = parse("arxiv", next(iter(client.by_ids([value]))).body)
    except PermanentUpstreamError as exc:
        if exc.status in (400, 404, 410):
            raise Refused(f"{name} has no work {value}.", field="identifier") from None
        raise Refused(f"{name} refused the look-up ({exc.status}).", field="identifier") from None
    except (UpstreamError, ParseError):
        raise UpstreamUnavailable(
            f"{name} is not answering right now; try again later.",
            field="identifier",
            retry_after=UPSTREAM_RETRY_AFTER,
        ) from None
    if not any(value in (w.doi, w.arxiv_id) for w in batch.works):
        raise Refused(f"{name} has no work {value}.", field="identifier")
    return batch


def work_lookup(identifier: str) -> tuple[str, str, Work | None, Batch | None]:
    """A work named by DOI or arXiv id: (kind, normalised id, the stored work or None, and
    when it is not stored yet, its upstream record fetched through the ingest connectors).
    Network only, never inside a transaction; a bad or unknown id is Refused."""
    kind, value = _parse_identifier(identifier)
    work = Work.objects.filter(**{"doi" if kind == "doi" else "arxiv_id": value}).first()
    return kind, value, work, _fetch(kind, value) if work is None else None


def work_stored(kind: str, value: str, work: Work | None, batch: Batch | None) -> Work:
    """The work `work_lookup` found, imported first when it was not stored (in the caller's
    transaction)."""
    return work if batch is None else _import(batch, kind, value)


def work_add(*, user, author: Author, identifier: str) -> Work:
    """Add a missing work by DOI or arXiv id: fetched and imported through the ingest
    connectors (outside any transaction), then linked to the record by the printed name."""
    require_holder(user, author)
    found = work_lookup(identifier)
    # The import and the attach are one transaction: a work that cannot be attached (no
    # author printed with the holder's name) leaves neither it nor its placeholders behind.
    with transaction.atomic():
        return _work_attach(user, author, work_stored(*found))


def _import(batch: Batch, kind: str, value: str) -> Work:
    name = "Crossref" if kind == "doi" else "arXiv"
    try:
        import_batch(batch)
    except ParseError as exc:  # an identifier we cannot store: the body is refused whole
        raise Refused(
            f"{name}'s record for {value} cannot be imported ({exc}).", field="identifier"
        ) from None
    work = find_work(next(w for w in batch.works if value in (w.doi, w.arxiv_id)))
    if work is None:
        raise Refused("That work could not be imported.", field="identifier")
    return work


def _names_of(author: Author) -> list[str]:
    return [author.display_name, *author.name_variants]


@transaction.atomic
def _work_attach(user, author: Author, work: Work) -> Work:
    mine = Authorship.objects.filter(work=work, author=author).first()
    if mine is not None:
        if mine.status == Authorship.Status.DISOWNED:
            raise Refused(
                'That work is on your record, marked "not mine": restore it instead.',
                field="identifier",
            )
        raise Conflict("That work is already on your record.", field="identifier")
    candidates = [a for a in work.authorships.select_related("author")
                  if any(names_compatible(a.raw_name, n) for n in _names_of(author))]  # fmt: skip
    if not candidates:
        raise Refused(
            "No author on that work is printed with your name or a variant of it; "
            "add the variant to your names first.",
            field="identifier",
        )
    authorship = candidates[0]
    placeholder = authorship.author
    if not _is_placeholder(placeholder, author):
        raise Refused(
            f"That work is on the record {placeholder} (#{placeholder.pk}); "
            "ask for a merge of that record into yours.",
            field="identifier",
        )
    Authorship.objects.filter(pk=authorship.pk).update(author=author)
    author_merge_into(placeholder, author)  # the importer's stand-in for this person
    _decided(user, author, CurationDecision.Action.ADD, [authorship])
    author_metrics_refresh([author.pk, placeholder.pk])
    trust_recompute_many([author.pk], cause="work.add")
    return work


def work_held_elsewhere(work: Work, names: list[str], author: Author) -> Author | None:
    """The record other than `author` that already stands for the person printed on `work`
    under one of `names` (a record with identifiers, other works or a claim), or None when
    only the importer's name-only stand-in does: then `_work_attach` can take the work."""
    for authorship in work.authorships.select_related("author"):
        if any(names_compatible(authorship.raw_name, n) for n in names):
            other = authorship.author
            if other.pk == author.pk or _is_placeholder(other, author):
                return None
            return other.merged_into or other
    return None


def _is_placeholder(candidate: Author, author: Author) -> bool:
    """A record the importer made for a printed name and nothing else holds: no identifier,
    no other work, nobody's claim."""
    return (
        candidate.pk != author.pk
        and not candidate.orcid
        and not candidate.openalex_id
        and candidate.authorships.count() == 1
        and not Claim.objects.filter(author=candidate).exists()
    )


# --- Names and pins ---------------------------------------------------------------------


@transaction.atomic
def names_set(*, user, author: Author, display_name: str, variants: list[str]) -> Author:
    """The holder's names for their record; stored as the claimant's assertion, which outranks
    every source when a refresh recomputes names."""
    require_holder(user, author)
    display_name = (display_name or "").strip()
    variants = [v.strip() for v in variants if v.strip()]
    if not display_name or len(display_name) > 300:
        raise Refused("Give a display name of 1 to 300 characters.", field="display_name")
    if len(variants) > MAX_VARIANTS or any(len(v) > 300 for v in variants):
        raise Refused(f"At most {MAX_VARIANTS} variants of up to 300 characters.", field="variants")
    before = {"display_name": author.display_name, "name_variants": author.name_variants}
    author.set_names(display_name, variants)
    author.save(update_fields=["display_name", "name_variants", "search_name", "updated_at"])
    Provenance.objects.update_or_create(
        author=author, source=Source.CLAIMANT, source_key=f"user:{user.pk}",
        defaults={"fields": {"display_name": author.display_name,
                             "name_variants": author.name_variants},
                  "fetched_at": timezone.now()},
    )  # fmt: skip
    after = {"display_name": author.display_name, "name_variants": author.name_variants}
    _curation_audit(user, author, "author.names", before=before, after=after)
    return author


@transaction.atomic
def pins_set(*, user, author: Author, work_ids) -> list[int]:
    """Pin up to five of the record's visible works, in the order given (empty unpins all)."""
    require_holder(user, author)
    ids = _work_ids(work_ids) if work_ids else []
    if len(ids) > MAX_PINS:
        raise Refused(f"Pin at most {MAX_PINS} works.", field="works")
    visible = set(Work.objects.visible_on(author).filter(id__in=ids).values_list("id", flat=True))
    if set(ids) - visible:
        raise Refused("You can only pin works shown on your record.", field="works")
    before = list(PinnedWork.objects.filter(author=author).values_list("work_id", flat=True))
    PinnedWork.objects.filter(author=author).delete()
    PinnedWork.objects.bulk_create(
        PinnedWork(author=author, work_id=w, position=i) for i, w in enumerate(ids)
    )
    _curation_audit(user, author, "author.pins", before={"pins": before}, after={"pins": ids})
    return ids
