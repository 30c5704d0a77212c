"""Two researchers inviting each other at the same instant, each on its own database
connection: one invitation opens, the other is told one is already open, and nothing
deadlocks. PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from apps.collaboration.models import Invitation
from apps.collaboration.services import invitations
from apps.core.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_people_inviting_each_other_at_once_do_not_deadlock(
    researcher, researcher_record, peer, peer_record, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    both_locked = threading.Barrier(2, timeout=10)
    fit = invitations.fit_between

    def fit_once_both_hold_their_locks(*args):
        both_locked.wait()  # each transaction has locked its sender's row by now
        return fit(*args)

    monkeypatch.setattr(invitations, "fit_between", fit_once_both_hold_their_locks)
    outcomes = []

    def invite(sender, author):
        try:
            invitations.invitation_create(sender=sender, author=author, purpose="text",
                                          note="Shall we write together?")  # fmt: skip
            outcomes.append("sent")
        except DomainError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # a deadlock is an OperationalError: the bug under test
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=invite, args=(researcher, peer_record)),
        threading.Thread(target=invite, args=(peer, researcher_record)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "sent"]
    assert Invitation.objects.count() == 1
