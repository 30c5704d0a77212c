from __future__ import annotations

from django import forms

from apps.core.forms import ReasonField
from apps.records.links import LinkKind

from .models import RecordRequest
from .services import MAX_LINKS, MAX_NOTE_LENGTH, Evidence
from .services.newrecord import MAX_WORKS


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


class VerificationForm(forms.Form):
    email = forms.EmailField(label="Your institutional email (we send a link to it)")
    note = forms.CharField(
        label="A note for the moderators (your role, a staff page that lists you…)",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FindForm(forms.Form):
    q = forms.CharField(
        label="Your name as it appears on your papers", required=False, max_length=200
    )


class WorksForm(forms.Form):
    works = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ids are checked against the record by the service; any whole number parses here.
        self.fields["works"].valid_value = lambda value: str(value).isdigit()


class PinsForm(WorksForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["works"].required = False


class AddWorkForm(forms.Form):
    identifier = forms.CharField(label="DOI or arXiv id", max_length=300)


class NamesForm(forms.Form):
    display_name = forms.CharField(max_length=300)
    variants = forms.CharField(
        label="Other names you published under (one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=6000,
    )

    def clean_variants(self) -> list[str]:
        return [v.strip() for v in self.cleaned_data["variants"].splitlines() if v.strip()]


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        queryset=None, label="Record number of your duplicate", widget=forms.NumberInput
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        from apps.records.models import Author

        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = Author.objects.active()


CURATION_DONE = {
    "disown": "Marked not mine: hidden from your record and its metrics.",
    "restore": "Restored to your record.",
    "split": "Split off to a new record for the other person.",
    "pins": "Pinned works saved.",
    "add": "Work added to your record.",
    "names": "Names saved.",
    "merge": "Merge requested: a moderator will decide.",
}


class WorkLinkForm(forms.Form):
    """Add or edit one code or data link (the service checks and normalises the address)."""

    url = forms.CharField(label="Address", max_length=1000)
    label = forms.CharField(label="Label (optional)", required=False, max_length=400)
    kind = forms.ChoiceField(
        label="What it is",
        required=False,
        choices=[("", "Work it out from the address"), *LinkKind.choices],
    )


class StatementForm(forms.Form):
    """A party's statement in a dispute (the service checks the works are on the record)."""

    text = forms.CharField(
        label="Your statement (the other person and the moderators read it)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_NOTE_LENGTH,
    )
    links = forms.CharField(
        label=f"Links that back it up (one per line, at most {MAX_LINKS})",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_LINKS * 510,
    )
    works = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["works"].valid_value = lambda value: str(value).isdigit()

    clean_links = EvidenceForm.clean_links


class DisputeDecideForm(forms.Form):
    """A moderator's decision on a dispute: the outcome, a reason (a template of that
    outcome, by its place, or their own words) and, for a split, the challenger's works."""

    outcome = forms.ChoiceField(choices=[(o, o) for o in ("challenger", "holder", "split",
                                                          "dismiss")])  # fmt: skip
    template = forms.CharField(required=False, max_length=3)
    reason = ReasonField(required=False)
    works = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["works"].valid_value = lambda value: str(value).isdigit()


class NewRecordForm(forms.Form):
    """ "No record yet?": how to make one (the service checks the ids and the proven iD)."""

    kind = forms.ChoiceField(choices=RecordRequest.Kind.choices, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Your name as it is printed on your papers", required=False, max_length=300
    )
    identifiers = forms.CharField(
        label=f"Your works: DOIs or arXiv ids, one per line (at most {MAX_WORKS})",
        required=False,
        max_length=MAX_WORKS * 200,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "10.5555/example.2024.01\n2401.01234"}
        ),
    )
    note = forms.CharField(
        label="A note for the moderators (optional)",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
