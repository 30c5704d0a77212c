"""The moderators' record page and API: repairs (detach, move, split) and their reverses,
for moderators only; the groups side by side; likely mix-ups in the queue."""

import datetime

import pytest

from apps.audit.models import AuditEvent
from apps.claims.services import repair
from apps.moderation.mixups import mixups_scan
from apps.moderation.models import MixupFlag
from apps.records.models import Author, Work

pytestmark = pytest.mark.django_db
REASON = "Two people share this name."


@pytest.fixture
def mixed(records):
    """An unclaimed "Wei Zhang" record: four linguistics papers and three chemistry ones."""
    wei = records.author("Wei Zhang")
    ada, piotr = records.author("Ada Lindqvist"), records.author("Piotr Nowak")
    nlp, chem = records.topic("cs.CL"), records.topic("chem")
    first = [records.work(wei, ada, topics=[nlp], date=datetime.date(2011 + i, 1, 1)).pk
             for i in range(4)]  # fmt: skip
    second = [records.work(wei, piotr, topics=[chem], date=datetime.date(2021 + i, 1, 1)).pk
              for i in range(3)]  # fmt: skip
    from apps.records.services import author_metrics_refresh

    author_metrics_refresh([wei.pk])
    wei.refresh_from_db()
    return wei, first, second


def _shown(author) -> set[int]:
    return set(Work.objects.visible_on(author).values_list("pk", flat=True))


def test_the_page_shows_the_groups_side_by_side_and_picks_one(mixed, moderator_client):
    wei, first, second = mixed
    page = moderator_client.get(f"/moderation/records/{wei.pk}/?group=1").content.decode()
    assert page.count('data-testid="cluster"') == 2
    assert "Co-authors: Ada Lindqvist" in page and "Co-authors: Piotr Nowak" in page
    for pk in second:
        assert f'value="{pk}" checked' in page
    assert f'value="{first[0]}" checked' not in page


def test_a_split_from_the_page_writes_one_row_and_can_be_reversed(mixed, moderator_client):
    wei, first, second = mixed
    url = f"/moderation/records/{wei.pk}/repair/"
    response = moderator_client.post(url, {"op": "split", "works": second, "reason": REASON})
    other = Author.objects.exclude(pk=wei.pk).get(display_name="Wei Zhang")
    assert response.status_code == 302 and response["Location"].endswith(f"/{other.pk}/")
    assert (_shown(wei), _shown(other)) == (set(first), set(second))
    entry = AuditEvent.objects.get(action=repair.SPLIT)
    response = moderator_client.post(f"/moderation/records/{wei.pk}/reverse/{entry.pk}/",
                                     {"reason": "One person after all."})  # fmt: skip
    assert response.status_code == 302
    assert _shown(wei) == set(first + second)
    assert AuditEvent.objects.filter(action__startswith="repair.").count() == 2


def test_a_refused_repair_shows_the_form_again(mixed, moderator_client):
    wei, first, _ = mixed
    url = f"/moderation/records/{wei.pk}/repair/"
    response = moderator_client.post(url, {"op": "move", "works": first[:1], "reason": REASON})
    assert response.status_code == 400
    assert "Give the number of the record" in response.content.decode()
    response = moderator_client.post(url, {"op": "detach", "works": first[:1], "reason": ""})
    assert response.status_code == 400 and not AuditEvent.objects.exists()


@pytest.mark.parametrize("op", ["detach", "move", "split"])
def test_the_api_repairs_for_moderators_and_refuses_everyone_else(
    op, mixed, records, visitor, researcher_client, outsider_client, moderator_client
):
    wei, first, _ = mixed
    target = records.author("Wei Zhang")
    url = f"/api/v1/moderation/records/{wei.pk}/{op}/"
    body = {"works": first[:2], "reason": REASON, "target": target.pk}
    for client, status in ((visitor, 401), (researcher_client, 403), (outsider_client, 403)):
        assert client.post(url, body, content_type="application/json").status_code == status
    assert not AuditEvent.objects.exists()
    response = moderator_client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["works"] == sorted(first[:2])
    assert AuditEvent.objects.filter(action=f"repair.{op}").count() == 1
    assert not _shown(wei) & set(first[:2])
    reverse = f"/api/v1/moderation/repairs/{response.json()['repair']}/reverse/"
    assert researcher_client.post(reverse, {"reason": "x"}).status_code == 403
    again = moderator_client.post(
        reverse, {"reason": "By mistake."}, content_type="application/json"
    )
    assert again.status_code == 200 and _shown(wei) >= set(first[:2])


def test_api_refusals_are_clear_400s(mixed, moderator_client, records):
    wei, first, _ = mixed
    url = f"/api/v1/moderation/records/{wei.pk}/detach/"
    response = moderator_client.post(url, {"works": [first[0]]}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "reason"
    stranger = records.work(records.author("Someone Else"))
    response = moderator_client.post(url, {"works": [stranger.pk], "reason": REASON},
                                     content_type="application/json")  # fmt: skip
    assert (response.status_code, response.json()["field"]) == (400, "works")
    reverse = "/api/v1/moderation/repairs/999999/reverse/"
    assert moderator_client.post(reverse, {"reason": REASON}).status_code == 404


def test_only_moderators_reach_the_record_page(mixed, visitor, researcher_client, moderator_client):
    url = f"/moderation/records/{mixed[0].pk}/"
    assert visitor.get(url).status_code == 302
    assert researcher_client.get(url).status_code == 403
    assert moderator_client.get(url).status_code == 200
    response = researcher_client.post(f"{url}repair/", {"op": "detach", "works": mixed[1][:1],
                                                        "reason": REASON})  # fmt: skip
    assert response.status_code == 403 and not AuditEvent.objects.exists()


def test_a_clean_split_waits_in_the_mixups_queue_until_repaired(mixed, moderator, moderator_client):
    wei, _, second = mixed
    assert mixups_scan([wei.pk]) == 1
    page = moderator_client.get("/moderation/mixups/").content.decode()
    assert f"/moderation/records/{wei.pk}/" in page
    repair.split(actor=moderator, author=wei, work_ids=second, reason=REASON)
    mixups_scan([wei.pk])
    assert MixupFlag.objects.get(author=wei).status == "resolved"
    assert "No likely mix-ups" in moderator_client.get("/moderation/mixups/").content.decode()


def test_a_dismissed_mixup_is_not_raised_again(mixed, moderator_client):
    wei, _, _ = mixed
    mixups_scan([wei.pk])
    flag = MixupFlag.objects.get()
    response = moderator_client.post(f"/moderation/act/onlyone/{flag.pk}/",
                                     {"reason": "One person who changed fields."})  # fmt: skip
    assert response.status_code == 302
    assert mixups_scan([wei.pk]) == 0
    assert MixupFlag.objects.get().status == "dismissed"
    assert AuditEvent.objects.filter(action="mixup.dismiss").count() == 1


def test_an_import_rescans_the_records_it_touches(mixed, django_capture_on_commit_callbacks):
    wei, first, _ = mixed
    from apps.moderation.mixups import works_created

    with django_capture_on_commit_callbacks(execute=True):
        works_created(first)  # the import hook: a task after the import commits
    assert MixupFlag.objects.get(author=wei).groups == [4, 3]


def test_a_moderator_who_holds_the_flagged_record_sees_it_involves_them(
    mixed, moderator, moderator_client
):
    from apps.claims.services import claim_orcid
    from tests.factories import link_orcid

    wei, _, _ = mixed
    mixups_scan([wei.pk])
    assert "This involves you" not in moderator_client.get("/moderation/mixups/").content.decode()
    Author.objects.filter(pk=wei.pk).update(orcid="0000-0002-1825-0097")
    link_orcid(moderator, "0000-0002-1825-0097")
    claim_orcid(user=moderator, author=Author.objects.get(pk=wei.pk))
    assert "This involves you" in moderator_client.get("/moderation/mixups/").content.decode()
