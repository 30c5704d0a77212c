from __future__ import annotations

from django import forms

from .models import PUBLIC_NAME_MAX, ApiToken
from .tokens import EXPIRY_DAYS

PUBLIC_NAME_HELP = (
    "How other researchers see you until you hold a record (then they see its name). "
    "Your email address is never shown to them."
)


def public_name_field() -> forms.CharField:
    return forms.CharField(
        label="Public name", max_length=PUBLIC_NAME_MAX, help_text=PUBLIC_NAME_HELP, strip=True
    )


class SignupNameForm(forms.Form):
    """allauth adds these fields to its sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = public_name_field()

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.Form):
    display_name = public_name_field()
    hide_from_search_engines = forms.BooleanField(
        label="Ask search engines not to index the record I hold",
        required=False,
        help_text="Its page tells search engines “noindex”. People can still find it here.",
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, help_text="What the token is for.")
    scope = forms.ChoiceField(label="May", choices=ApiToken.Scope.choices, initial="read")
    expires_in_days = forms.TypedChoiceField(
        label="Expires",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "Never"), *((d, f"In {d} days") for d in EXPIRY_DAYS)],
    )
    moderation = forms.BooleanField(label="May call moderation endpoints", required=False)

    def __init__(self, *args, moderator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not moderator:
            del self.fields["moderation"]
