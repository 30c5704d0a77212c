"""Who people are to others: the public name asked at sign-up, the neutral stand-in for older
accounts, and a held record's name taking its place (apps.accounts.identity)."""

import pytest
from django.urls import reverse

from apps.accounts.identity import public_identities, public_identity
from apps.accounts.models import User
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "Quiet-Lantern-917"


def test_sign_up_refuses_a_missing_public_name(client):
    response = client.post(reverse("account_signup"), {
        "email": "reza@example.org", "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip

    assert response.status_code == 200
    assert not User.objects.filter(email="reza@example.org").exists()


def test_sign_up_keeps_the_public_name(client):
    client.post(reverse("account_signup"), {"email": "reza@example.org", "display_name": " Reza N ",
                "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip

    assert User.objects.get(email="reza@example.org").display_name == "Reza N"


def test_an_account_without_a_name_gets_a_stand_in_never_from_its_email(make_user):
    user = make_user(email="reza.newcomer@example.org", display_name="")

    assert user.public_name.startswith("Researcher ")
    assert "reza" not in user.public_name.lower()
    assert str(user) == user.public_name
    assert user.needs_public_name


def test_the_stand_in_prompts_its_owner_to_choose_a_name(make_user, client):
    user = make_user(display_name="")
    client.force_login(user)

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert 'data-testid="public-name-prompt"' in page
    assert user.public_name in page


def test_settings_change_the_public_name_with_an_audit_row(researcher_client, researcher):
    response = researcher_client.post(reverse("accounts:profile"), {"display_name": "Rosa R."})

    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.display_name == "Rosa R."
    event = AuditEvent.objects.get(action="account.public_name")
    assert event.after == {"display_name": "Rosa R."}
    assert event.actor_label == "Rosa R."  # the name, never the email


def test_settings_refuse_an_empty_public_name(researcher_client, researcher):
    response = researcher_client.post(reverse("accounts:profile"), {"display_name": "  "})

    assert response.status_code == 200
    researcher.refresh_from_db()
    assert researcher.display_name == "Rosa Researcher"


def test_settings_need_sign_in(visitor):
    response = visitor.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_holder_appears_as_their_record(claimed_researcher, researcher_record, peer):
    identity = public_identity(claimed_researcher)

    assert identity.name == researcher_record.display_name
    assert identity.record_id == researcher_record.pk
    assert public_identity(peer).record_id is None
    assert public_identity(peer).name == "Pablo Peer"


def test_identities_of_many_people_take_one_query(
    make_user, claimed_researcher, django_assert_num_queries
):
    users = [make_user() for _ in range(5)] + [claimed_researcher]
    users = list(User.objects.filter(pk__in=[u.pk for u in users]))

    with django_assert_num_queries(1):  # the held records of all six
        identities = public_identities(users)
    with django_assert_num_queries(0):  # remembered on each user
        public_identity(users[0])

    assert len(identities) == 6
