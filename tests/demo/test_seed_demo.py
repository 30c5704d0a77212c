"""seed_demo: the demo community's accounts can sign in, and a second run adds nothing.
(tests/demo/test_records.py checks the records it builds.) One test, because each
seeding costs seconds."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from apps.accounts.models import User
from apps.demo.accounts import DEMO_USERS, W_ZHANG, WEI
from apps.demo.context import DEMO_PASSWORD
from apps.records.models import Author, Authorship, Work

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (User, EmailAddress, Author, Work, Authorship)]


def test_seed_demo_builds_accounts_that_sign_in_and_is_idempotent(client, capsys):
    call_command("seed_demo")
    first_output = capsys.readouterr().out

    moderator = User.objects.get(email="moderator@demo.peerage.test")
    assert moderator.is_moderator
    researchers = User.objects.exclude(pk=moderator.pk)
    assert researchers.count() >= 3
    assert not any(user.is_moderator for user in researchers)
    assert all(user.check_password(DEMO_PASSWORD) for user in User.objects.all())
    assert not EmailAddress.objects.filter(verified=False).exists()
    assert EmailAddress.objects.filter(primary=True).count() == User.objects.count()
    assert client.login(email="moderator@demo.peerage.test", password=DEMO_PASSWORD)
    assert "moderator@demo.peerage.test" in first_output and DEMO_PASSWORD in first_output

    before = _counts()
    call_command("seed_demo")
    assert _counts() == before
    assert "created: nothing new" in capsys.readouterr().out


def test_the_readme_lists_the_demo_logins():
    """README.md's login table names every demo account (DEMO_USERS and the two Wei Zhangs the
    claims step adds) and their password."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    listed = set(re.findall(r"`([\w.]+@demo\.peerage\.test)`", readme))
    seeded = {email for _, email, _ in DEMO_USERS} | {WEI[0], W_ZHANG[0]}
    assert listed == seeded
    assert f"password `{DEMO_PASSWORD}`" in readme
