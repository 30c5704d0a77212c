"""Decisions are facts the refresh respects: after the real importer re-reports a work, a
disowned work stays disowned, a split stays split, a merge stays merged."""

import datetime

import pytest

from apps.claims.models import Claim
from apps.claims.services import merge_decide, merge_request_create, works_disown, works_split
from apps.ingest.importer import import_batch
from apps.ingest.normalized import AuthorRef, Batch, WorkRecord
from apps.records.models import Author, Authorship, Work

pytestmark = pytest.mark.django_db
MEI_ORCID = "0000-0002-1825-0097"


def openalex_work(authors=None, **overrides) -> WorkRecord:
    fields = dict(
        source="openalex", source_key="W100", openalex_id="W100", doi="10.5555/shard.1",
        title="Adaptive sharding", type="article", publication_date=datetime.date(2024, 3, 5),
        date_precision="day", citation_count=7,
        authors=authors or [
            AuthorRef("Ada Lindqvist", 0, openalex_id="A1", display_name="Ada Lindqvist"),
            AuthorRef("Mei Tanaka", 1, openalex_id="A3", display_name="Mei Tanaka"),
        ],
    )  # fmt: skip
    fields.update(overrides)
    return WorkRecord(**fields)


@pytest.fixture
def mei(make_user):
    """Mei holds the OpenAlex record A3 once the first import made it."""
    import_batch(Batch(works=[openalex_work()]))
    user = make_user(display_name="Mei Tanaka")
    author = Author.objects.get(openalex_id="A3")
    Claim.objects.create(user=user, author=author, kind="evidence", status="approved")
    return user, author


def _refresh(**overrides):
    import_batch(Batch(works=[openalex_work(**{"citation_count": 99, **overrides})]))


def test_a_disowned_work_stays_disowned_after_a_refresh(mei):
    user, author = mei
    work = Work.objects.get(openalex_id="W100")
    works_disown(user=user, author=author, work_ids=[work.pk])
    _refresh()
    assert Authorship.objects.get(work=work, author=author).status == "disowned"
    assert Work.objects.get(pk=work.pk).citation_count == 99  # the refresh did land
    author.refresh_from_db()
    assert author.works_count == 0


def test_a_split_stays_split_even_when_the_source_reprints_the_name_and_order(mei):
    user, author = mei
    work = Work.objects.get(openalex_id="W100")
    works_disown(user=user, author=author, work_ids=[work.pk])
    other = works_split(user=user, author=author, work_ids=[work.pk])
    # OpenAlex still attributes the work to A3, now printed differently and in another place:
    # no printed-name match can save it, only the record of the split.
    _refresh(authors=[
        AuthorRef("Tanaka-Ito M.", 0, openalex_id="A3", display_name="Mei Tanaka"),
        AuthorRef("Ada Lindqvist", 1, openalex_id="A1", display_name="Ada Lindqvist"),
        AuthorRef("Zed Newcomer", 2, openalex_id="A9", display_name="Zed Newcomer"),
    ])  # fmt: skip
    assert not Authorship.objects.filter(work=work, author=author).exists()
    assert Authorship.objects.get(work=work, author=other).position == 0
    assert work.authorships.count() == 3


def test_a_split_stays_split_when_orcid_lists_the_work_for_the_old_record(mei):
    user, author = mei
    Author.objects.filter(pk=author.pk).update(orcid=MEI_ORCID)
    work = Work.objects.get(openalex_id="W100")
    works_disown(user=user, author=author, work_ids=[work.pk])
    other = works_split(user=user, author=author, work_ids=[work.pk])
    orcid_record = WorkRecord(
        source="orcid", source_key="put:1", doi="10.5555/shard.1", title="Adaptive sharding",
        complete_byline=False, authors=[AuthorRef("M. T.", None, orcid=MEI_ORCID)],
    )  # fmt: skip
    import_batch(Batch(works=[orcid_record]))
    assert not Authorship.objects.filter(work=work, author=author).exists()
    assert Authorship.objects.filter(work=work, author=other).exists()


def _other_work(**overrides) -> WorkRecord:
    by_m = [AuthorRef("M. Tanaka", 0, openalex_id="A7", display_name="M. Tanaka")]
    return openalex_work(
        source_key="W200", openalex_id="W200", doi="10.5555/other.1", authors=by_m, **overrides
    )


def test_a_merge_stays_merged_and_reported_works_land_on_the_survivor(mei, records, moderator):
    user, author = mei
    import_batch(Batch(works=[_other_work(citation_count=1)]))
    duplicate = Author.objects.get(openalex_id="A7")
    merge = merge_request_create(user=user, survivor=author, duplicate=duplicate, reason="Me too")
    merge_decide(merge=merge, actor=moderator, approve=True, reason="Same person")
    import_batch(Batch(works=[_other_work(citation_count=50)]))
    duplicate.refresh_from_db()
    assert duplicate.merged_into == author
    assert Work.objects.get(openalex_id="W200").authorships.get().author == author
