from __future__ import annotations

from django import forms

from .models import PUBLIC_NAME_MAX

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


class PublicNameForm(forms.Form):
    display_name = public_name_field()
