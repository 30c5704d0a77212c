"""seed_demo's collaboration: one accepted conversation with messages and one pending
invitation between demo researchers, and a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.collaboration.models import Conversation, Invitation, Message

pytestmark = pytest.mark.django_db


def test_seed_demo_collaboration_is_there_once():
    call_command("seed_demo", stdout=StringIO())
    conversation = Conversation.objects.select_related("user_low", "user_high").get()
    assert {conversation.user_low.email, conversation.user_high.email} == {
        "ada.lindqvist@demo.peerage.test", "tomas.okafor@demo.peerage.test"}  # fmt: skip
    assert Message.objects.filter(conversation=conversation).count() == 3
    pending = Invitation.objects.pending().get()
    assert pending.sender.email == "wei.zhang@demo.peerage.test"
    counts = (Invitation.objects.count(), Message.objects.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (Invitation.objects.count(), Message.objects.count()) == counts
    assert "nothing new" in output.getvalue()
