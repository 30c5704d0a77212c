"""Ways to a misattributed work's report (attributions.py): "Wrong person?" on the work page,
"Report a work that is not theirs" on a record's page (the same for every visitor, so the
cached page stays one page), and, for moderators, the record's repair page."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.moderators import is_moderator
from apps.records.panels import author_panel, work_panel


@author_panel(slot="actions", template="moderation/_record_actions.html", order=80)
def record_actions(request, author) -> dict:
    return {"author": author, "moderator": is_moderator(request.user)}


@work_panel(template="moderation/_report_link.html")
def report_link(request, works) -> dict:
    """On the work page only (not on every list of works), for signed-in people."""
    match = request.resolver_match
    if not request.user.is_authenticated or match is None or match.url_name != "work":
        return {}
    return {w.pk: {"url": reverse("reports:attribution_new", args=[w.pk])} for w in works}
