"""seed_demo's moderation step: every queue has something in it, every record has its trust
score, and a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.moderation.queues import queue_figures
from apps.records.models import Author
from apps.trust.models import TrustRecord

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_every_queue_once_and_scores_every_record():
    call_command("seed_demo", stdout=StringIO())
    assert {f.key: f.pending >= 1 for f in queue_figures()} == dict.fromkeys(
        ("claims", "disputes", "merges", "verifications", "reports", "attributions", "mixups"),
        True,
    )
    assert TrustRecord.objects.count() == Author.objects.active().count()
    # Li Wang's record, which nobody holds, mixes two people: it waits as a likely mix-up.
    li_wang = Author.objects.get(openalex_id="A9900000005")
    assert li_wang.mixup_flag.status == "open" and not li_wang.claims.exists()
    pending = [f.pending for f in queue_figures()]
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert [f.pending for f in queue_figures()] == pending
    assert "nothing new" in output.getvalue()
