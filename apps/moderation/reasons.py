"""Reason templates offered with each decision. The moderator picks one or writes their own;
the text chosen is what the affected people read in their notification."""

REASONS: dict[str, list[str]] = {
    "claim": [
        "The evidence shows you are the person on this record.",
        "Your institutional email matches an institution on the record.",
        "The evidence does not show that this record is yours.",
        "Please add evidence (an institutional email or a staff page) and claim again.",
    ],
    "dispute": [
        "The challenger's evidence is stronger: the record moves to them.",
        "The holder's evidence is stronger: they keep the record.",
    ],
    "merge": [
        "Both records describe the same person.",
        "These records describe different people.",
    ],
    "verification": [
        "Identity confirmed from the institutional email and the staff page given.",
        "We could not confirm your identity from what you sent.",
    ],
    "report": [
        "This breaks the community rules (spam or unsolicited promotion).",
        "This breaks the community rules (harassment).",
        "We found nothing against the rules here.",
    ],
    "suspend": ["Repeated abuse after warnings.", "Impersonation of another researcher."],
    "unsuspend": ["The suspension period is over.", "Suspended by mistake."],
    "revoke": ["The claim was made with false evidence.", "Revoked at the holder's request."],
    "reinstate": ["Revoked by mistake.", "New evidence confirms the claim."],
}


def reason_from(kind: str, template: str, text: str) -> str:
    """The moderator's own text, else the template they picked (by its index)."""
    text = (text or "").strip()
    if text:
        return text
    options = REASONS.get(kind, [])
    if template.isdigit() and int(template) < len(options):
        return options[int(template)]
    return ""
