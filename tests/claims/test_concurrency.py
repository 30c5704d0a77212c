"""Two ORCID claims on one record at the same moment, each on its own database connection:
exactly one wins. PostgreSQL only (SQLite serialises every write anyway)."""

import pytest
from django.db import IntegrityError, connection

from apps.claims.models import Claim
from apps.claims.services import claim_orcid
from apps.core.errors import Conflict
from tests.factories import UserFactory, at_once, link_orcid, make_author

ORCID = "0000-0003-1415-9269"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_orcid_claims_on_one_record_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    user = UserFactory()
    link_orcid(user, ORCID)
    author = make_author("Ilse Marrowgate", orcid=ORCID)
    errors = at_once(
        lambda: claim_orcid(user=user, author=author),
        lambda: claim_orcid(user=user, author=author),
    )

    assert [type(e) for e in errors] == [Conflict]
    assert errors[0].message == "You already hold this record."
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

    def insert(user):
        Claim.objects.create(user=user, author=author, kind="evidence", status="approved")

    errors = at_once(*(lambda u=u: insert(u) for u in users), timeout=30)
    assert [type(e) for e in errors] == [IntegrityError]
