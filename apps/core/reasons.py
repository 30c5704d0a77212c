"""The one rule for a reason someone writes for others to read (a moderator's decision, a
suspension, a declined invitation, a merge request): trimmed, given where the people affected
need it, and at most its limit. A reason that is too long is refused with a message that
says so, by the service, so a page, a form and the API all answer alike; it is never cut.
(Forms and serializers therefore put no length limit of their own on a reason.)"""

from __future__ import annotations

from .errors import Refused

REASON_MAX = 2000


def reason_clean(reason: str | None, *, required: bool = True, limit: int = REASON_MAX) -> str:
    """The reason as stored, or Refused (on the field "reason") when it is missing and
    `required`, or longer than `limit` characters."""
    reason = (reason or "").strip()
    if required and not reason:
        raise Refused("Give a reason: the people affected will read it.", field="reason")
    if len(reason) > limit:
        raise Refused(
            f"Keep the reason to {limit} characters or fewer (it has {len(reason)}).",
            field="reason",
        )
    return reason


# --- Reason templates, each belonging to one outcome ----------------------------------------
#
# A moderator picks one or writes their own; the text is what the people affected read. A
# template belongs to one outcome of one kind of decision, so a page offers approval texts only
# with "approve", and a decision refuses a text written for another outcome (reason_fits).
# Nothing is chosen for the moderator: the list starts blank.

REASON_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "claim": {
        "approve": (
            "The evidence shows you are the person on this record.",
            "Your institutional email matches an institution on the record.",
        ),
        "reject": (
            "The evidence does not show that this record is yours.",
            "Please add evidence (an institutional email or a staff page) and claim again.",
        ),
    },
    "dispute": {
        "challenger": ("The challenger's evidence is stronger: the record moves to them.",),
        "holder": ("The holder's evidence is stronger: they keep the record.",),
        "split": (
            "The record mixes two people's works: each of you keeps the works you showed "
            "are yours, on a record of your own.",
        ),
        "dismiss": (
            "This is not a dispute about who the record belongs to; nothing changes.",
            "The challenge was opened by mistake.",
        ),
    },
    "merge": {
        "approve": ("Both records describe the same person.",),
        "reject": ("These records describe different people.",),
    },
    "verification": {
        "approve": ("Identity confirmed from the institutional email and the staff page given.",),
        "reject": ("We could not confirm your identity from what you sent.",),
    },
    "report": {
        "uphold": (
            "This breaks the community rules (spam or unsolicited promotion).",
            "This breaks the community rules (harassment).",
        ),
        "dismiss": ("We found nothing against the rules here.",),
    },
    "suspend": {"do": ("Repeated abuse after warnings.", "Impersonation of another researcher.")},
    "unsuspend": {"do": ("The suspension period is over.", "Suspended by mistake.")},
    "revoke": {
        "do": ("The claim was made with false evidence.", "Revoked at the holder's request.")
    },
    "reinstate": {"do": ("Revoked by mistake.", "New evidence confirms the claim.")},
    "reopen": {"do": ("The report needs a second look.", "Decided by mistake.")},
    "mixup": {"do": ("The groups are one person's work in different fields or years.",)},
}


def reason_templates(kind: str, outcome: str) -> tuple[str, ...]:
    """The templates offered with `outcome` of a `kind` of decision (none when unknown)."""
    return REASON_TEMPLATES.get(kind, {}).get(outcome, ())


def reason_pick(kind: str, outcome: str, template: str | None, text: str | None) -> str:
    """What a moderator's form sends: their own words, else the template they picked by its
    place in `outcome`'s list, else "" (reason_clean then asks for a reason)."""
    text = (text or "").strip()
    if text:
        return text
    options = reason_templates(kind, outcome)
    template = (template or "").strip()
    if template.isdigit() and int(template) < len(options):
        return options[int(template)]
    return ""


def reason_fits(kind: str, outcome: str, reason: str) -> None:
    """Refuse a template written for another outcome of this kind of decision (an approval
    text sent with a rejection), whoever sent it: a page or the API."""
    said = " ".join(reason.split()).casefold()
    for other, texts in REASON_TEMPLATES.get(kind, {}).items():
        if other != outcome and any(" ".join(t.split()).casefold() == said for t in texts):
            raise Refused(
                f"That reason is written for another decision ({other}); pick one for this "
                "decision or write your own.",
                field="reason",
            )
