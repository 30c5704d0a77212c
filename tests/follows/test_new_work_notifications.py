"""A new work by a followed author, imported through the real importer, notifies each
follower once, after the import commits; a re-import notifies nobody again."""

import datetime

import pytest

from apps.follows.services import follow_create
from apps.ingest.importer import import_batch
from apps.ingest.normalized import AuthorRef, Batch, WorkRecord
from apps.notifications.models import Notification
from apps.records.models import Author, Work

pytestmark = pytest.mark.django_db


def record(key="W900", title="Elastic sharding", authors=None) -> WorkRecord:
    return WorkRecord(
        source="openalex",
        source_key=key,
        openalex_id=key,
        title=title,
        type="article",
        publication_date=datetime.date(2025, 6, 2),
        date_precision="day",
        authors=authors
        or [
            AuthorRef("Ada Lindqvist", 0, openalex_id="A900", display_name="Ada Lindqvist"),
            AuthorRef("Bo Berg", 1, openalex_id="A901", display_name="Bo Berg"),
        ],
    )


@pytest.fixture
def ada(records):
    return records.author("Ada Lindqvist", openalex_id="A900")


def test_followers_are_notified_after_the_import_commits(
    researcher, peer, outsider, ada, records, django_capture_on_commit_callbacks
):
    bo = records.author("Bo Berg", openalex_id="A901")
    follow_create(follower=researcher, author=ada)
    follow_create(follower=researcher, author=bo)  # follows both authors: one notification
    follow_create(follower=peer, author=bo)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_batch(Batch(works=[record()]))
    assert not Notification.objects.exists()  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    work = Work.objects.get(openalex_id="W900")
    notes = Notification.objects.filter(kind="follows.new_work")
    assert sorted(notes.values_list("recipient__email", flat=True)) == [
        "peer@example.org",
        "researcher@example.org",
    ]
    assert {n.url for n in notes} == {f"/works/{work.pk}/"}
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_a_reimport_does_not_notify_again(researcher, ada, django_capture_on_commit_callbacks):
    follow_create(follower=researcher, author=ada)
    with django_capture_on_commit_callbacks(execute=True):
        import_batch(Batch(works=[record()]))
    with django_capture_on_commit_callbacks(execute=True):
        import_batch(Batch(works=[record(title="Elastic sharding, revised")]))
    from apps.follows.services import new_work_notify

    assert new_work_notify(Work.objects.values_list("id", flat=True)) == 0  # a rerun: deduped
    assert Notification.objects.filter(recipient=researcher).count() == 1


def test_a_disowned_authorship_notifies_nobody(researcher, ada, django_capture_on_commit_callbacks):
    from apps.follows.services import new_work_notify
    from apps.records.models import Authorship

    follow_create(follower=researcher, author=ada)
    work = Work.objects.create(title="Not Ada's")
    Authorship.objects.create(work=work, author=ada, position=0, raw_name="Ada", status="disowned")
    assert new_work_notify([work.pk]) == 0


def test_followers_of_a_merged_record_hear_of_the_survivors_work(
    researcher, ada, records, django_capture_on_commit_callbacks
):
    from apps.records.services import author_merge_into

    duplicate = records.author("A. Lindqvist")
    follow_create(follower=researcher, author=duplicate)
    author_merge_into(duplicate, ada)
    with django_capture_on_commit_callbacks(execute=True):
        import_batch(Batch(works=[record(authors=[AuthorRef("Ada", 0, openalex_id="A900")])]))
    assert Notification.objects.filter(recipient=researcher).count() == 1
    assert Author.objects.filter(openalex_id="A900").count() == 1
