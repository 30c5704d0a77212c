"""Two ORCID claims on one record at the same moment, each on its own database connection:
exactly one wins. PostgreSQL only (SQLite serialises every write anyway)."""

import threading

import pytest
from django.db import connection, connections

from apps.claims.models import Claim
from apps.claims.services import claim_orcid
from apps.core.errors import DomainError
from tests.conftest import link_orcid
from tests.factories import UserFactory, make_author

ORCID = "0000-0003-1415-9269"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_orcid_claims_on_one_record_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    user = UserFactory()
    link_orcid(user, ORCID)
    author = make_author("Ilse Marrowgate", orcid=ORCID)
    barrier, outcomes = threading.Barrier(2), []

    def attempt():
        try:
            barrier.wait()
            claim_orcid(user=user, author=author)
            outcomes.append("won")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["You already hold this record.", "won"]
    assert Claim.objects.filter(author=author, status="approved").count() == 1
    assert Claim.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_users_racing_for_one_record_never_both_hold_it():
    """The partial unique index is the last word even when the row lock is skipped: a
    direct insert race on PostgreSQL leaves one approved claim."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections")
    author = make_author("Ilse Marrowgate")
    users = [UserFactory(), UserFactory()]
    barrier, outcomes = threading.Barrier(2), []

    def insert(user):
        from django.db import IntegrityError

        try:
            barrier.wait()
            Claim.objects.create(user=user, author=author, kind="evidence", status="approved")
            outcomes.append("won")
        except IntegrityError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=insert, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "won"]
