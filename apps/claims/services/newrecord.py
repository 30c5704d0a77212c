""" "No record yet?": a researcher whom no source lists yet makes their record.

`record_request_open` checks what can be checked at once (signed in, no record held, a proven
ORCID iD or well-formed work ids, no request already running) and queues
`record_request_run` on the interactive queue. The run fetches through the ingest connectors
(outside any transaction), then in one transaction imports, attaches and claims:

* from ORCID: the ORCID record (names, works) imported as any refresh would, then claimed by
  the proven iD, so held at once (L2);
* from works: a new name-only record takes each work from the importer's stand-in for the
  printed name (curation's `_work_attach`), is anchored at L1, and its claim waits for the
  usual evidence review.

A person who turns out to have a record already (their iD on a record, a work of theirs on a
real record) gets no second one: the request ends as a duplicate offering that record."""

from __future__ import annotations

import datetime
import logging

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from apps.core.errors import Conflict, DomainError, NotAllowed, Refused, UpstreamUnavailable
from apps.ingest.clients.base import UpstreamError
from apps.ingest.clients.orcid import OrcidClient
from apps.ingest.importer.authors import resolve_author
from apps.ingest.importer.run import import_batch
from apps.ingest.importer.works import find_work
from apps.ingest.normalized import Batch, ParseError
from apps.ingest.parsers import parse
from apps.records.models import Author, VerificationLevel
from apps.trust.services import verification_level_set

from ..models import Claim, RecordRequest
from ..orcid import INTERACTIVE_RETRY, orcid_work_keys, proven_orcid
from ._common import MAX_LINKS
from .claims import Evidence, _check_daily_limit, claim_evidence, claim_orcid
from .curation import _parse_identifier, _work_attach, work_held_elsewhere, work_lookup, work_stored

logger = logging.getLogger(__name__)
MAX_WORKS = 20
BROKER_ERRORS = (BrokerError, redis.RedisError, OSError)


class _Duplicate(Exception):
    """The person has a record already: roll the import back and offer that record."""

    def __init__(self, author: Author) -> None:
        super().__init__(author.pk)
        self.author = author


def record_request_open(
    *, user, kind: str, name: str = "", identifiers: str = "", note: str = ""
) -> RecordRequest:
    """Ask for a new record; the run is queued after the commit. Refused (on the form) when
    the user holds a record, has no proven ORCID iD for the ORCID way, or names no work."""
    if not user.is_authenticated:
        raise NotAllowed("Sign in to make your record.")
    if Claim.objects.held_by(user):
        raise Refused("You already hold a record; add missing works from its curation page.")
    _check_daily_limit(user)  # the run ends in a claim: the same daily limit, asked now
    if kind == RecordRequest.Kind.ORCID:
        if not proven_orcid(user):
            raise Refused("Sign in with ORCID (or link it under Account) first.", field="kind")
        keys: list[str] = []
    elif kind == RecordRequest.Kind.WORKS:
        keys = _work_keys(identifiers)
    else:
        raise Refused("Choose how to make your record.", field="kind")
    name = (name or "").strip() or user.display_name.strip()
    if not name:
        raise Refused("Give your name as it is printed on your papers.", field="name")
    return _queue(user, kind=kind, name=name[:300], identifiers=keys, note=note.strip())


def _work_keys(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").replace(",", "\n").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise Refused("Give at least one DOI or arXiv id.", field="identifiers")
    if len(lines) > MAX_WORKS:
        raise Refused(f"Give at most {MAX_WORKS} works; add more later.", field="identifiers")
    keys = []
    for line in lines:
        try:
            kind, value = _parse_identifier(line)
        except Refused:
            raise Refused(f"Not a DOI or an arXiv id: {line[:80]}", field="identifiers") from None
        keys.append(f"{kind}:{value}")
    return list(dict.fromkeys(keys))


def _stale_release(user) -> None:
    """A request whose worker died (acks_late hands the task on, but the run is not started
    twice) would block the person for ever: past twice the task time limit it has failed."""
    limit = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)
    stale = RecordRequest.objects.filter(
        user=user, status__in=RecordRequest.UNFINISHED, created_at__lt=limit
    )
    message = "This took too long and was stopped; try again."
    stale.update(status=RecordRequest.Status.FAILED, finished_at=timezone.now(), message=message)


@transaction.atomic
def _queue(user, **fields) -> RecordRequest:
    _stale_release(user)
    try:
        with transaction.atomic():
            request = RecordRequest.objects.create(user=user, **fields)
    except IntegrityError:
        raise Conflict("Your record is already being made; see its progress.") from None
    transaction.on_commit(lambda: _start(request.pk))
    return request


def _start(request_id: int) -> None:
    """Send the run to the interactive queue; a broker that is down ends the request with
    a plain message (the person can simply try again)."""
    from ..tasks import record_request_run_task

    try:
        record_request_run_task.delay(request_id)
    except BROKER_ERRORS as exc:
        logger.warning("new record %s not queued: %s", request_id, exc)
        message = "We could not start this just now; try again in a few minutes."
        _finish(request_id, RecordRequest.Status.FAILED, message=message)


def _finish(request_id: int, status: str, **fields) -> None:
    RecordRequest.objects.filter(pk=request_id, status__in=RecordRequest.UNFINISHED).update(
        status=status, finished_at=timezone.now(), **fields
    )


def record_request_run(request_id: int) -> RecordRequest | None:
    """Make the record (the task calls this). Runs once: a request already started or
    finished is left alone (compare-and-set from queued)."""
    started = RecordRequest.objects.filter(pk=request_id, status=RecordRequest.Status.QUEUED)
    if not started.update(status=RecordRequest.Status.RUNNING):
        return None
    request = RecordRequest.objects.select_related("user").get(pk=request_id)
    try:
        fields = _make(request)
    except _Duplicate as dup:
        _finish(request_id, RecordRequest.Status.DUPLICATE, duplicate=dup.author)
    except DomainError as exc:  # refused, a limit reached, a source not answering
        _finish(request_id, RecordRequest.Status.FAILED, message=exc.message)
    except Exception:  # never left "running" for ever; the log has the details
        logger.exception("new record %s failed", request_id)
        message = "Something went wrong on our side; try again in a few minutes."
        _finish(request_id, RecordRequest.Status.FAILED, message=message)
    else:
        _finish(request_id, RecordRequest.Status.DONE, **fields)
    request.refresh_from_db()
    return request


def _make(request: RecordRequest) -> dict:
    if request.kind == RecordRequest.Kind.ORCID:
        return _from_orcid(request)
    return _from_works(request)


# --- From the proven ORCID iD -------------------------------------------------------------


def _from_orcid(request: RecordRequest) -> dict:
    user = request.user
    orcid = proven_orcid(user)
    if not orcid:
        raise Refused("Your account has no proven ORCID iD any more.")
    existing = resolve_author(orcid, None)
    if existing is not None:
        raise _Duplicate(existing)
    batches = _orcid_batches(orcid)  # network, before the transaction
    people = [a for b in batches for a in b.authors]
    names = [request.name, *(n for a in people for n in (a.display_name, *a.name_variants))]
    with transaction.atomic():
        author = _import_orcid(batches, orcid, [n for n in names if n])
        claim = claim_orcid(user=user, author=author)
    return {"author": author, "claim": claim}


def _orcid_batches(orcid: str) -> list[Batch]:
    """The person (names, employments) and their works, as ORCID's public API gives them."""
    try:
        with OrcidClient(retry=INTERACTIVE_RETRY) as client:
            return [parse("orcid", client.record(orcid).body),
                    parse("orcid", client.works(orcid).body)]  # fmt: skip
    except (UpstreamError, ParseError):
        raise UpstreamUnavailable(
            "ORCID is not answering right now; try again in a few minutes."
        ) from None


def _import_orcid(batches: list[Batch], orcid: str, names: list[str]) -> Author:
    """The ORCID record imported; a work of it already on another real record means the
    person has one (the import is rolled back)."""
    records = [record for batch in batches for record in batch.works]
    stored = [w for w in (find_work(record) for record in records) if w is not None]
    for batch in batches:
        import_batch(batch)
    author = resolve_author(orcid, None)
    if author is None:  # a body without the person section: the record is made by hand
        author = Author(orcid=orcid)
        author.set_names(names[0], names[1:])
        author.save()
    for work in stored:
        if other := work_held_elsewhere(work, names, author):
            raise _Duplicate(other)
    return author


# --- From works named by DOI or arXiv id ------------------------------------------------

_KEY_URLS = {"doi": "https://doi.org/{}", "arxiv": "https://arxiv.org/abs/{}"}


def _work_links(identifiers: list[str]) -> tuple[str, ...]:
    """ "doi:…"/"arxiv:…" keys as the addresses that show each work (at most MAX_LINKS)."""
    links = []
    for key in identifiers:
        kind, _, value = key.partition(":")
        if kind in _KEY_URLS and value:
            links.append(_KEY_URLS[kind].format(value))
    return tuple(links[:MAX_LINKS])


def _from_works(request: RecordRequest) -> dict:
    user = request.user
    found = [work_lookup(key.split(":", 1)[1]) for key in request.identifiers]  # network
    keys = orcid_work_keys(proven_orcid(user))  # network too, for the evidence score
    with transaction.atomic():
        author = Author()
        author.set_names(request.name, [])
        author.save()
        works = [work_stored(*f) for f in found]
        for work in works:
            if other := work_held_elsewhere(work, [request.name], author):
                raise _Duplicate(other)
        for work in works:
            _work_attach(user, author, work)
        verification_level_set(author, VerificationLevel.L1, actor=user,
                               reason="made from works", cause="record.create")  # fmt: skip
        # The works they named are their evidence, as links a moderator can open.
        evidence = Evidence(note=request.note or "I made this record from my works.",
                            links=_work_links(request.identifiers))  # fmt: skip
        claim = claim_evidence(user=user, author=author, evidence=evidence, orcid_keys=keys)
    return {"author": author, "claim": claim}
