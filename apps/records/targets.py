"""Records and works named by their name and page in audit rows and reports (core.targets)."""

from __future__ import annotations

from django.urls import reverse

from apps.core.targets import target_describer

from .models import Author, Work


def _ids(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


@target_describer("records.author")
def authors(ids: list[str]) -> dict[str, tuple[str, str]]:
    rows = Author.objects.filter(pk__in=_ids(ids)).values_list("pk", "display_name")
    return {str(pk): (name, reverse("records:author", args=[pk])) for pk, name in rows}


@target_describer("records.work")
def works(ids: list[str]) -> dict[str, tuple[str, str]]:
    rows = Work.objects.filter(pk__in=_ids(ids))
    return {str(w.pk): (w.heading, reverse("records:work", args=[w.pk])) for w in rows}
