import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from apps.accounts.models import User
from apps.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _counts():
    return User.objects.count(), EmailAddress.objects.count()


def test_seed_demo_builds_a_moderator_and_researchers_who_can_sign_in(client, capsys):
    call_command("seed_demo")

    moderator = User.objects.get(email="moderator@demo.peerage.test")
    assert moderator.is_moderator
    researchers = User.objects.exclude(pk=moderator.pk)
    assert researchers.count() >= 3
    assert not any(user.is_moderator for user in researchers)
    assert all(user.check_password(DEMO_PASSWORD) for user in User.objects.all())
    assert client.login(email="moderator@demo.peerage.test", password=DEMO_PASSWORD)
    output = capsys.readouterr().out
    assert "moderator@demo.peerage.test" in output
    assert DEMO_PASSWORD in output


def test_seed_demo_twice_duplicates_nothing(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")

    assert _counts() == first
    assert "created: nothing new" in capsys.readouterr().out


def test_demo_emails_are_verified_so_the_logins_work_at_once():
    call_command("seed_demo")
    assert not EmailAddress.objects.filter(verified=False).exists()
    assert EmailAddress.objects.filter(primary=True).count() == User.objects.count()
