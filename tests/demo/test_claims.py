"""seed_demo's claims: demo accounts hold records, one claim waits, one dispute is open, and
a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEvent
from apps.claims.models import Claim, Dispute

pytestmark = pytest.mark.django_db


def test_seed_demo_claims_are_there_once():
    call_command("seed_demo", stdout=StringIO())
    holders = Claim.objects.approved().select_related("author", "user")
    assert {c.user.email for c in holders} >= {
        "ada.lindqvist@demo.peerage.test", "tomas.okafor@demo.peerage.test"}  # fmt: skip
    assert all(c.author.verification_level == 2 for c in holders)
    assert Claim.objects.pending().filter(user__email="mei.tanaka@demo.peerage.test").exists()
    assert Dispute.objects.filter(status="open").count() == 1
    counts = (Claim.objects.count(), Dispute.objects.count(), AuditEvent.objects.count())

    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (Claim.objects.count(), Dispute.objects.count(), AuditEvent.objects.count()) == counts
    assert "nothing new" in output.getvalue()
