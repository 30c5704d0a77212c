from __future__ import annotations

from django import forms

from .models import Topic, WorkType


class WorkFilterForm(forms.Form):
    """The filters every works listing takes from its query string."""

    year = forms.IntegerField(required=False, min_value=1000, max_value=2100)
    type = forms.ChoiceField(required=False, choices=[("", "Any type"), *WorkType.choices])
    topic = forms.ModelChoiceField(
        required=False, queryset=Topic.objects.all(), to_field_name="slug", empty_label="Any topic"
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {key: data.get(key) or None for key in ("year", "type", "topic")}


class ExportForm(WorkFilterForm):
    """An export's format, with the filters of the list it exports."""

    FORMATS = [("bibtex", "BibTeX"), ("ris", "RIS"), ("csl", "CSL-JSON")]

    format = forms.ChoiceField(choices=FORMATS)


class GraphFilterForm(forms.Form):
    """The explorer's filters: a span of years and a topic."""

    year_from = forms.IntegerField(label="From", required=False, min_value=1000, max_value=2100)
    year_to = forms.IntegerField(label="To", required=False, min_value=1000, max_value=2100)
    topic = forms.ModelChoiceField(
        required=False, queryset=Topic.objects.all(), to_field_name="slug", empty_label="Any topic"
    )

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise forms.ValidationError("The first year comes after the last.")
        return data

    def filters(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in ("year_from", "year_to", "topic")}


class SearchForm(forms.Form):
    KINDS = [("authors", "Authors"), ("works", "Works")]

    q = forms.CharField(label="Search", max_length=200, required=False, strip=True)
    kind = forms.ChoiceField(choices=KINDS, required=False)
