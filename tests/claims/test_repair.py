"""A moderator's repairs of any record: one audit row each, undone by an audited reverse, kept
by every later import of the same records, refused to anyone else."""

import datetime

import pytest

from apps.audit.models import AuditEvent
from apps.claims.models import Claim, CurationDecision
from apps.claims.services import repair
from apps.core.errors import Conflict, NotAllowed, Refused
from apps.ingest.importer import import_batch
from apps.ingest.normalized import AuthorRef, Batch, WorkRecord
from apps.records.models import Author, Authorship, Work

pytestmark = pytest.mark.django_db
REASON = "Two people share this name; these papers are the other one's."


def _work(n: int, *, reprinted: bool = False) -> WorkRecord:
    wei = AuthorRef(
        "Zhang-Li W." if reprinted else "Wei Zhang",
        1 if reprinted else 0,
        openalex_id="A7",
        display_name="Wei Zhang",
    )
    ada = AuthorRef(
        "Ada Lindqvist", 0 if reprinted else 1, openalex_id="A1", display_name="Ada Lindqvist"
    )
    return WorkRecord(
        source="openalex", source_key=f"W{n}", openalex_id=f"W{n}", title=f"Paper {n}",
        type="article", publication_date=datetime.date(2020, 1, n), date_precision="day",
        authors=[wei, ada],
    )  # fmt: skip


def _import(*, reprinted: bool = False):
    import_batch(Batch(works=[_work(n, reprinted=reprinted) for n in range(1, 5)]))


@pytest.fixture
def mixed():
    """An unclaimed OpenAlex record of four works, imported by the real importer."""
    _import()
    author = Author.objects.get(openalex_id="A7")
    works = list(Work.objects.order_by("openalex_id").values_list("pk", flat=True))
    return author, works


def _rows(action: str):
    return AuditEvent.objects.filter(action=action)


def _shown(author) -> set[int]:
    return set(Work.objects.visible_on(author).values_list("pk", flat=True))


def test_detach_writes_one_audit_row_and_keeps_the_printed_name(mixed, moderator):
    author, works = mixed
    repair.detach(actor=moderator, author=author, work_ids=works[:2], reason=REASON)
    assert _rows(repair.DETACH).count() == 1
    assert AuditEvent.objects.count() == 1  # nothing else wrote a row
    assert _shown(author) == set(works[2:])
    authorship = Authorship.objects.get(work_id=works[0], author=author)
    assert (authorship.raw_name, authorship.linked_author_id) == ("Wei Zhang", None)
    assert Work.objects.get(pk=works[0]).authors_count == 2
    author.refresh_from_db()
    assert author.works_count == 2


def test_reversing_a_detach_restores_the_record_with_its_own_row(mixed, moderator):
    author, works = mixed
    entry = repair.detach(actor=moderator, author=author, work_ids=works[:2], reason=REASON)
    repair.repair_reverse(actor=moderator, audit_entry=entry, reason="Detached by mistake.")
    assert _shown(author) == set(works)
    assert _rows(repair.REVERSE).get().after["reverses"] == entry.pk
    assert AuditEvent.objects.count() == 2
    with pytest.raises(Conflict):
        repair.repair_reverse(actor=moderator, audit_entry=entry, reason="Again, to be sure.")


def test_split_makes_a_new_record_and_its_reverse_puts_everything_back(mixed, moderator):
    author, works = mixed
    other = repair.split(actor=moderator, author=author, work_ids=works[2:], reason=REASON)
    entry = _rows(repair.SPLIT).get()
    assert AuditEvent.objects.count() == 1
    assert (other.display_name, _shown(other), _shown(author)) == (
        "Wei Zhang", set(works[2:]), set(works[:2]))  # fmt: skip
    assert CurationDecision.objects.filter(action="split", new_author=other).count() == 2
    repair.repair_reverse(actor=moderator, audit_entry=entry, reason="They are one person.")
    assert _shown(author) == set(works)
    other.refresh_from_db()
    assert other.merged_into_id == author.pk  # the emptied record's page leads back
    assert not Authorship.objects.filter(split_from__isnull=False).exists()
    assert AuditEvent.objects.filter(action__startswith="repair.").count() == 2


def test_move_and_its_reverse_keep_each_works_earlier_state(mixed, moderator, records):
    author, works = mixed
    target = records.author("Wei Zhang")
    Authorship.objects.filter(author=author, work_id=works[0]).update(status="disowned")
    entry = repair.move(
        actor=moderator, author=author, target=target, work_ids=works[:2], reason=REASON
    )
    assert (_rows(repair.MOVE).count(), _shown(target)) == (1, set(works[:2]))
    repair.repair_reverse(actor=moderator, audit_entry=entry, reason="Moved by mistake.")
    statuses = dict(Authorship.objects.filter(author=author).values_list("work_id", "status"))
    assert statuses[works[0]] == "disowned" and statuses[works[1]] == "active"
    assert not Authorship.objects.filter(author=target).exists()


def test_repairs_survive_a_reimport_of_the_same_records(mixed, moderator, records):
    author, works = mixed
    repair.detach(actor=moderator, author=author, work_ids=[works[0]], reason=REASON)
    target = records.author("Wei Zhang")
    repair.move(actor=moderator, author=author, target=target, work_ids=[works[1]], reason=REASON)
    other = repair.split(actor=moderator, author=author, work_ids=[works[2]], reason=REASON)
    # OpenAlex still lists every work under A7, printed another way and in another place:
    # no printed-name match keeps the repair, only its marks on the authorships.
    _import(reprinted=True)
    assert _shown(author) == {works[3]}
    assert (_shown(target), _shown(other)) == ({works[1]}, {works[2]})
    assert Authorship.objects.get(author=author, work_id=works[0]).status == "disowned"
    assert Authorship.objects.filter(work_id__in=works).count() == 8  # no name added twice


def test_a_non_moderator_is_refused_and_nothing_changes(mixed, researcher):
    author, works = mixed
    with pytest.raises(NotAllowed):
        repair.detach(actor=researcher, author=author, work_ids=works[:1], reason=REASON)
    with pytest.raises(NotAllowed):
        repair.split(actor=researcher, author=author, work_ids=works[:1], reason=REASON)
    assert _shown(author) == set(works)
    assert not AuditEvent.objects.exists()


def test_a_moderator_does_not_repair_the_record_they_hold(mixed, moderator):
    author, works = mixed
    Claim.objects.create(user=moderator, author=author, kind="evidence", status="approved")
    with pytest.raises(NotAllowed):
        repair.detach(actor=moderator, author=author, work_ids=works[:1], reason=REASON)


def test_works_not_on_the_record_and_empty_reasons_are_refused(mixed, moderator, records):
    author, works = mixed
    stranger = records.work(records.author("Someone Else"))
    with pytest.raises(Refused):
        repair.detach(actor=moderator, author=author, work_ids=[stranger.pk], reason=REASON)
    with pytest.raises(Refused):
        repair.detach(actor=moderator, author=author, work_ids=works[:1], reason="")
    with pytest.raises(Refused):  # a split must leave the record something
        repair.split(actor=moderator, author=author, work_ids=works, reason=REASON)
    assert not AuditEvent.objects.exists()


def test_a_split_record_someone_now_holds_is_not_folded_back(mixed, moderator, researcher):
    author, works = mixed
    other = repair.split(actor=moderator, author=author, work_ids=works[2:], reason=REASON)
    Claim.objects.create(user=researcher, author=other, kind="evidence", status="approved")
    with pytest.raises(Conflict):
        repair.repair_reverse(
            actor=moderator, audit_entry=_rows(repair.SPLIT).get(), reason="They are one."
        )
    assert _shown(other) == set(works[2:])


def test_the_holder_is_told_why_their_record_was_repaired(
    records, moderator, researcher, researcher_record
):
    from apps.notifications.models import Notification

    works = [records.work(researcher_record).pk for _ in range(2)]
    repair.detach(actor=moderator, author=researcher_record, work_ids=works[:1], reason=REASON)
    told = Notification.objects.get(recipient=researcher, title__contains="took works off")
    assert told.body == REASON and told.url.endswith(f"/authors/{researcher_record.pk}/curate/")
