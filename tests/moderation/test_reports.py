import pytest

from apps.audit.models import AuditEvent
from apps.core.errors import Refused
from apps.moderation.models import Report
from apps.moderation.services import report_file

pytestmark = pytest.mark.django_db


def test_filing_a_report_queues_it_and_audits(researcher, peer, records):
    target = records.author("Spam Source")
    report = report_file(
        reporter=researcher, target=target, reason="spam", note="ads", reported_user=peer
    )
    assert (report.target_type, report.target_id) == ("records.author", str(target.pk))
    assert list(Report.objects.open()) == [report]
    event = AuditEvent.objects.get(action="report.file")
    assert (event.actor, event.subject_user) == (researcher, peer)


def test_reporting_twice_is_one_open_report(researcher, records):
    target = records.author()
    first = report_file(reporter=researcher, target=target, reason="spam")
    assert report_file(reporter=researcher, target=target, reason="other") == first
    assert Report.objects.count() == 1


def test_bad_reason_long_note_and_self_report_are_refused(researcher, records):
    target = records.author()
    with pytest.raises(Refused, match="reason"):
        report_file(reporter=researcher, target=target, reason="bored")
    with pytest.raises(Refused, match="note"):
        report_file(reporter=researcher, target=target, reason="spam", note="x" * 2001)
    with pytest.raises(Refused, match="yourself"):
        report_file(reporter=researcher, target=target, reason="spam", reported_user=researcher)
    assert not Report.objects.exists()


def test_upheld_against_counts_only_upheld(researcher, peer, records):
    open_report = report_file(
        reporter=researcher, target=records.author(), reason="spam", reported_user=peer
    )
    Report.objects.filter(pk=open_report.pk).update(status="upheld")
    report_file(reporter=researcher, target=records.author(), reason="spam", reported_user=peer)
    assert Report.objects.upheld_against(peer).count() == 1
