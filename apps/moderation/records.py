"""The moderators' page of one record (/moderation/records/<id>/): its works grouped by
"looks like two people" (apps.records.clusters), the repair form (detach, move, split) and
the record's past repairs, each with its reverse. Reads only; the repairs are
apps.claims.services.repair."""

from __future__ import annotations

from django import forms

from apps.audit.models import AuditEvent
from apps.claims.models import Claim
from apps.claims.services import repair
from apps.core.errors import Refused
from apps.core.forms import ReasonField
from apps.records.clusters import clusters_for
from apps.records.models import Author, Work

REPAIRS_SHOWN = 20

OPS = {
    "split": "Split them off to a new record",
    "move": "Move them to another record",
    "detach": "Detach them (the printed names stay on the papers)",
}


class RepairForm(forms.Form):
    op = forms.ChoiceField(choices=list(OPS.items()), label="What to do with the chosen works")
    works = forms.TypedMultipleChoiceField(coerce=int, label="Works")
    target = forms.IntegerField(required=False, min_value=1, label="Record number to move to")
    reason = ReasonField(required=False, label="Reason (kept in the audit log, sent to the holder)")

    def __init__(self, *args, author: Author, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ids = author.authorships.values_list("work_id", flat=True)
        self.fields["works"].choices = [(pk, pk) for pk in ids]

    def clean(self):
        data = super().clean()
        if data.get("op") == "move" and not data.get("target"):
            self.add_error("target", "Give the number of the record to move the works to.")
        return data


def repair_run(actor, author: Author, data: dict) -> tuple[str, Author]:
    """Run the chosen repair; returns what to tell the moderator and the record to show."""
    args = {"actor": actor, "author": author, "work_ids": data["works"], "reason": data["reason"]}
    if data["op"] == "split":
        other = repair.split(**args)
        return f"Split {len(data['works'])} works off to the new record #{other.pk}.", other
    if data["op"] == "move":
        target = Author.objects.filter(pk=data["target"]).first()
        if target is None:
            raise Refused("There is no record with that number.", field="target")
        repair.move(**args, target=target)
        return f"Moved {len(data['works'])} works to {target} (#{target.pk}).", author
    repair.detach(**args)
    return f"Detached {len(data['works'])} works.", author


def _works(author: Author) -> dict[int, Work]:
    qs = Work.objects.filter(authorships__author=author).select_related("venue")
    return {w.pk: w for w in qs.order_by("-publication_year", "id")}


def record_page(author: Author, form: RepairForm, group: int | None = None) -> dict:
    """Everything the page shows: the groups with their works, the works tied to no group,
    detached works, past repairs (newest first, each marked when reversed)."""
    works = _works(author)
    detached = set(author.authorships.filter(status="disowned").values_list("work_id", flat=True))
    found = clusters_for(author)
    for g in found.groups:
        g.works = [works[w] for w in g.work_ids if w in works]
    if group is not None and group < len(found.groups):
        picked = set(found.groups[group].work_ids)  # "pick this group"
    else:
        picked = (
            {int(p) for p in form.data.getlist("works") if p.isdigit()} if form.is_bound else set()
        )
    actions = (*repair.REVERSIBLE, repair.REVERSE)
    events = list(
        AuditEvent.objects.filter(author_id=author.pk, action__in=actions).newest_first()[
            :REPAIRS_SHOWN
        ]
    )
    undone = {e.after.get("reverses") for e in events if e.action == repair.REVERSE}
    return {
        "record": author,
        "holder": Claim.objects.holder_of(author),
        "clusters": found,
        "loose": [works[w] for w in found.loose if w in works],
        "detached": [w for pk, w in works.items() if pk in detached],
        "picked": picked,
        "form": form,
        "repairs": [(e, e.pk in undone) for e in events],
        "reversible": repair.REVERSIBLE,
    }
