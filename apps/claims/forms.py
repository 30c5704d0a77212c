from __future__ import annotations

from django import forms

from .services import MAX_LINKS, MAX_NOTE_LENGTH, MAX_REASON_LENGTH, Evidence


class EvidenceForm(forms.Form):
    email = forms.EmailField(
        label="Institutional email (one of your verified addresses)", required=False
    )
    links = forms.CharField(
        label=f"Links that show this is you (one per line, at most {MAX_LINKS})",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_LINKS * 510,
    )
    note = forms.CharField(
        label="A note for the moderators",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_NOTE_LENGTH,
    )

    def clean_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(links) > MAX_LINKS:
            raise forms.ValidationError(f"Give at most {MAX_LINKS} links.")
        validator = forms.URLField(max_length=500)
        return [validator.clean(link) for link in links]

    def evidence(self) -> Evidence:
        data = self.cleaned_data
        return Evidence(email=data["email"], links=tuple(data["links"]), note=data["note"])


class ReasonForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=MAX_REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class FindForm(forms.Form):
    q = forms.CharField(
        label="Your name as it appears on your papers", required=False, max_length=200
    )
