import pytest
from django.db import transaction

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_why_and_the_change(researcher, records):
    author = records.author("Ada Example")
    event = audit_record(
        actor=researcher,
        action="work.disown",
        target=author,
        reason="not my paper",
        before={"status": "active"},
        after={"status": "disowned"},
        author_id=author.pk,
        subject_user=researcher,
    )
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.action) == (
        researcher,
        "Rosa Researcher",  # the public name: holders read these rows, never an email
        "work.disown",
    )
    assert (event.target_type, event.target_id) == ("records.author", str(author.pk))
    assert (event.before, event.after, event.reason) == (
        {"status": "active"},
        {"status": "disowned"},
        "not my paper",
    )


def test_rows_are_append_only(researcher, records):
    event = audit_record(actor=researcher, action="x.y", target=records.author())
    event.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_system_actor_when_nobody_signed_in(records):
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action="refresh.run", target=records.author())
    assert event.actor is None and event.actor_label == "system"


def test_row_rolls_back_with_the_change_it_records(researcher, records):
    author = records.author()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=researcher, action="claim.approve", target=author)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()


def test_visibility_moderator_all_user_own_outsider_none(researcher, outsider, moderator, records):
    author = records.author()
    mine = audit_record(
        actor=moderator, action="claim.approve", target=author, subject_user=researcher
    )
    audit_record(actor=moderator, action="claim.reject", target=author, subject_user=outsider)
    assert set(AuditEvent.objects.visible_to(moderator)) == set(AuditEvent.objects.all())
    assert list(AuditEvent.objects.visible_to(researcher)) == [mine]
    from django.contrib.auth.models import AnonymousUser

    assert not AuditEvent.objects.visible_to(AnonymousUser()).exists()
