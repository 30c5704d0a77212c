"""Signing in: every sign-in URL stops a password guesser, the admin signs in through allauth
only, and a staff account with two-factor authentication opens no admin page on a password
alone. Pages carry a strict Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from config.settings import base as base_settings
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
TOO_MANY = b"Too many failed login attempts"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def staff(make_user):
    return make_user(email="operator@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_with_totp(staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return staff, secret


def _sign_in(client, url, password, email="operator@example.org"):
    return client.post(url, {"login": email, "password": password, "username": email})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def rate_limits(settings):
    """The limits the site runs with (the test settings turn them off elsewhere)."""
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS


def test_25_wrong_passwords_then_the_right_one_do_not_sign_in(client, staff, rate_limits):
    answers = [_sign_in(client, "/accounts/login/", f"wrong-{i}") for i in range(25)]
    right = _sign_in(client, "/accounts/login/", TEST_PASSWORD)

    limited = [r.status_code == 429 or TOO_MANY in r.content for r in answers]
    assert limited[:5] == [False] * 5
    assert all(limited[5:])
    assert right.status_code == 429 or TOO_MANY in right.content
    assert not _signed_in(client)


def test_the_admin_checks_no_password_so_nothing_can_be_guessed_there(client, staff, rate_limits):
    answers = [_sign_in(client, "/admin/login/", f"wrong-{i}") for i in range(25)]
    right = _sign_in(client, "/admin/login/", TEST_PASSWORD)

    for response in [*answers, right]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not _signed_in(client)


def test_the_admin_sign_in_hands_over_to_allauth(client, staff):
    response = client.get("/admin/login/?next=/admin/claims/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/admin/claims/" in response["Location"]
    assert (
        client.get("/admin/", follow=True)
        .redirect_chain[-1][0]
        .startswith(reverse("account_login"))
    )


def test_staff_without_two_factor_open_the_admin_after_allauth_sign_in(client, staff):
    response = _sign_in(client, "/accounts/login/", TEST_PASSWORD)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_does_not_open_the_admin_for_staff_with_totp(client, staff_with_totp):
    staff, _secret = staff_with_totp

    response = _sign_in(client, "/accounts/login/", TEST_PASSWORD)

    assert response["Location"] == reverse("mfa_authenticate")
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302
    # A session signed in by password outside allauth's stages still stops at the admin door.
    client.login(email=staff.email, password=TEST_PASSWORD)
    assert _signed_in(client)
    blocked = client.get("/admin/", follow=True)
    assert blocked.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))
    assert b"site administration" not in blocked.content.lower()


def test_staff_with_totp_open_the_admin_after_the_code(client, staff_with_totp):
    _staff, secret = staff_with_totp
    _sign_in(client, "/accounts/login/", TEST_PASSWORD)
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))

    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/search/?q=a", "/api/docs/"])
def test_html_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url)

    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_templates_have_no_inline_script_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []
