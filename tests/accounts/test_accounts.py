"""Email sign-up with mandatory verification, login, password reset, email change, and the
two-factor pages, through allauth's HTML views."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from apps.accounts.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Quiet-Lantern-917"


def _link_in_last_mail() -> str:
    match = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0).rstrip(".")


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _sign_up(client, email="new.person@example.org", name="Reza Newcomer"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "display_name": name, "password1": NEW_PASSWORD,
         "password2": NEW_PASSWORD},
    )  # fmt: skip


def test_sign_up_sends_a_verification_mail_and_holds_the_login(client):
    response = _sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "[Peerage] Confirm your email to finish signing up"
    assert "find and claim your record" in mail.outbox[0].body  # what comes next
    assert "_auth_user_id" not in client.session  # not signed in until verified


def test_verifying_the_email_signs_the_user_in(client):
    _sign_up(client)
    confirm_path = _path(_link_in_last_mail())

    assert client.get(confirm_path).status_code == 200  # a page with a confirm button, no GET
    response = client.post(confirm_path)

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get(reverse("home"))
    assert b"Signed in as" in home.content


def test_login_with_an_unverified_email_is_held_at_verification(client, make_user):
    make_user(email="unverified@example.org", verified_email=False)
    EmailAddress.objects.create(
        user=User.objects.get(email="unverified@example.org"),
        email="unverified@example.org",
        verified=False,
        primary=True,
    )
    response = client.post(
        reverse("account_login"), {"login": "unverified@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_with_a_verified_email_and_the_right_password(client, researcher):
    response = client.post(
        reverse("account_login"), {"login": researcher.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(researcher.pk)


def test_a_wrong_password_is_a_form_error(client, researcher):
    response = client.post(
        reverse("account_login"), {"login": researcher.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_duplicate_sign_up_does_not_create_a_second_account(client, researcher):
    _sign_up(client, email=researcher.email.upper())
    assert User.objects.filter(email__iexact=researcher.email).count() == 1


def test_password_reset_by_email(client, researcher):
    client.post(reverse("account_reset_password"), {"email": researcher.email})
    assert mail.outbox[-1].subject == "[Peerage] Set a new password"
    assert mail.outbox[-1].to == [researcher.email]
    reset_path = _path(_link_in_last_mail())

    form_page = client.get(reset_path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.check_password(NEW_PASSWORD)


def test_adding_a_second_email_sends_it_a_verification(researcher_client, researcher):
    response = researcher_client.post(
        reverse("account_email"), {"action_add": "", "email": "rosa@univ.example"}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["rosa@univ.example"]
    assert EmailAddress.objects.filter(user=researcher, email="rosa@univ.example").exists()


def test_two_factor_setup_offers_totp(researcher_client):
    response = researcher_client.get(reverse("mfa_activate_totp"))
    assert response.status_code in (200, 302)  # 302 asks to re-enter the password first
    index = researcher_client.get(reverse("mfa_index"))
    assert index.status_code == 200
    assert b"Authenticator" in index.content


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "mfa_index", "socialaccount_connections"]
)
def test_account_pages_require_sign_in(visitor, name):
    response = visitor.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_account_pages_use_the_site_shell(visitor):
    response = visitor.get(reverse("account_login"))
    assert b'class="site-header"' in response.content
    assert b"css/site.css" in response.content
    assert b'class="stacked-form"' in response.content  # allauth's form element, restyled


def test_the_login_page_offers_orcid_once_it_is_configured(visitor, settings):
    assert b"Continue with ORCID" not in visitor.get(reverse("account_login")).content
    settings.SOCIALACCOUNT_PROVIDERS = {
        "orcid": {
            **settings.SOCIALACCOUNT_PROVIDERS["orcid"],
            "APPS": [{"client_id": "APP-TESTCLIENT0001", "secret": "s3cret", "key": ""}],
        }
    }
    response = visitor.get(reverse("account_login"))
    assert b"Continue with ORCID" in response.content
    assert reverse("orcid_login").encode() in response.content
