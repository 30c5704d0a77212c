"""Reports of misattributed works: any signed-in person, on any record, claimed or not; a
daily limit by trust tier; to the holder and the moderators; decided by a moderator (detach
or dismiss) or by the holder ("not mine"); the reporter hears the outcome."""

import pytest

from apps.audit.models import AuditEvent
from apps.core.errors import NotFound, RateLimited, Refused
from apps.moderation.attributions import (
    DAILY,
    attribution_decide,
    attribution_holder_disown,
    attribution_report,
)
from apps.moderation.models import Report
from apps.notifications.models import Notification
from apps.records.models import Authorship, Work

pytestmark = pytest.mark.django_db
WHY = "She works on soil chemistry; this is a linguistics paper."


@pytest.fixture
def unclaimed(records):
    wei = records.author("Wei Zhang")
    return wei, records.work(wei, records.author("Ada Lindqvist"))


@pytest.fixture
def held(records, claimed_researcher, researcher_record):
    return researcher_record, records.work(researcher_record)


def _told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_anyone_signed_in_reports_a_work_on_an_unclaimed_record(unclaimed, peer, moderator):
    wei, work = unclaimed
    report = attribution_report(reporter=peer, author=wei, work=work, reason=WHY,
                                evidence_url="https://example.org/cv")  # fmt: skip
    assert (report.reason, report.authorship.work_id, report.evidence_url) == (
        "misattributed", work.pk, "https://example.org/cv")  # fmt: skip
    assert AuditEvent.objects.filter(action="attribution.report").count() == 1
    assert any("may not be Wei Zhang's" in t for t in _told(moderator))
    again = attribution_report(reporter=peer, author=wei, work=work, reason=WHY)
    assert again.pk == report.pk  # the same open report, not a second one


def test_a_moderator_detaches_the_work_and_the_reporter_hears(unclaimed, peer, moderator):
    wei, work = unclaimed
    report = attribution_report(reporter=peer, author=wei, work=work, reason=WHY)
    attribution_decide(report=report, actor=moderator, detach=True, reason="Not his paper.")
    place = Authorship.objects.get(author=wei, work=work)
    assert (place.status, place.raw_name) == ("disowned", "Wei Zhang")
    assert Report.objects.get().status == "upheld"
    assert AuditEvent.objects.filter(action="repair.detach").count() == 1
    assert any("taken off the record" in t for t in _told(peer))


def test_a_dismissed_report_leaves_the_work_and_says_so(unclaimed, peer, moderator):
    wei, work = unclaimed
    report = attribution_report(reporter=peer, author=wei, work=work, reason=WHY)
    attribution_decide(report=report, actor=moderator, detach=False, reason="It is his.")
    assert set(Work.objects.visible_on(wei)) == {work}
    assert any("stays on the record" in t for t in _told(peer))


def test_the_holder_is_told_and_can_say_not_mine(held, researcher, peer):
    record, work = held
    report = attribution_report(reporter=peer, author=record, work=work, reason=WHY)
    assert any("may not be" in t for t in _told(researcher))
    attribution_holder_disown(report=report, user=researcher)
    assert Authorship.objects.get(author=record, work=work).status == "disowned"
    assert Report.objects.get().status == "upheld"
    assert any("holder marked it not theirs" in t for t in _told(peer))


def test_the_holder_cannot_report_their_own_and_others_cannot_say_not_mine(
    held, researcher, peer, outsider
):
    record, work = held
    with pytest.raises(Refused):
        attribution_report(reporter=researcher, author=record, work=work, reason=WHY)
    report = attribution_report(reporter=peer, author=record, work=work, reason=WHY)
    from apps.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        attribution_holder_disown(report=report, user=outsider)


def test_reports_are_limited_by_the_reporters_trust_tier(records, peer):
    wei = records.author("Wei Zhang")
    works = [records.work(wei) for _ in range(DAILY["New"] + 1)]
    for work in works[:-1]:
        attribution_report(reporter=peer, author=wei, work=work, reason=WHY)
    with pytest.raises(RateLimited) as refused:
        attribution_report(reporter=peer, author=wei, work=works[-1], reason=WHY)
    assert refused.value.retry_after > 0


def test_bad_input_is_refused_clearly(unclaimed, peer, records):
    wei, work = unclaimed
    with pytest.raises(Refused) as short:
        attribution_report(reporter=peer, author=wei, work=work, reason="no")
    assert short.value.field == "reason"
    with pytest.raises(Refused) as link:
        attribution_report(reporter=peer, author=wei, work=work, reason=WHY,
                           evidence_url="javascript:alert(1)")  # fmt: skip
    assert link.value.field == "evidence"
    with pytest.raises(NotFound):
        attribution_report(reporter=peer, author=records.author("Other"), work=work, reason=WHY)


def test_the_api_files_a_report_for_signed_in_people_only(unclaimed, visitor, peer_client):
    wei, work = unclaimed
    body = {"author": wei.pk, "work": work.pk, "reason": WHY, "evidence": ""}
    assert visitor.post("/api/v1/attribution-reports/", body).status_code == 401
    response = peer_client.post("/api/v1/attribution-reports/", body,
                                content_type="application/json")  # fmt: skip
    assert response.status_code == 201 and response.json()["status"] == "open"
    bad = peer_client.post("/api/v1/attribution-reports/", {**body, "reason": ""},
                           content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["field"] == "reason"


def test_the_pages_file_follow_and_decide_a_report(
    unclaimed, peer_client, moderator_client, outsider_client
):
    wei, work = unclaimed
    author_page = peer_client.get(f"/authors/{wei.pk}/").content.decode()
    link = f"/authors/{wei.pk}/report-work/"
    assert link in author_page
    work_page = peer_client.get(f"/works/{work.pk}/").content.decode()
    assert f"/works/{work.pk}/report-author/" in work_page
    form = peer_client.get(link)
    assert form.status_code == 200 and work.title in form.content.decode()
    response = peer_client.post(link, {"author": wei.pk, "work": work.pk, "reason": WHY})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/works/{report.pk}/"
    assert outsider_client.get(f"/reports/works/{report.pk}/").status_code == 404
    queue = moderator_client.get("/moderation/attributions/").content.decode()
    assert work.title in queue
    decided = moderator_client.post(f"/moderation/decide/attribution/{report.pk}/",
                                    {"decision": "yes", "reason": "Not his."})  # fmt: skip
    assert decided.status_code == 302
    page = peer_client.get(f"/reports/works/{report.pk}/").content.decode()
    assert "Upheld" in page and "Not his." in page
    assert work not in Work.objects.visible_on(wei)


def test_a_bad_form_is_shown_again_with_its_error(unclaimed, peer_client):
    wei, work = unclaimed
    response = peer_client.post(f"/works/{work.pk}/report-author/",
                                {"author": wei.pk, "work": work.pk, "reason": "short"})  # fmt: skip
    assert response.status_code == 400 and "characters" in response.content.decode()
    assert not Report.objects.exists()


def test_abuse_report_decisions_do_not_take_misattributions(unclaimed, peer, moderator_client):
    wei, work = unclaimed
    report = attribution_report(reporter=peer, author=wei, work=work, reason=WHY)
    response = moderator_client.post(f"/moderation/decide/report/{report.pk}/",
                                     {"decision": "yes", "reason": "x"})  # fmt: skip
    assert response.status_code == 302  # back with the refusal as a message
    assert Report.objects.get().status == "open"
