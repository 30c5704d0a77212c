"""The author page's "Direct collaboration" panel (identity slot, after the claim panel):
an invite link, or why inviting is not possible. A visitor, an unclaimed record and the
holder's own page cost no query (the holder and the viewer's own claim come from the claims
panel's per-request reads); another signed-in viewer pays the few bounded queries of
`invite_check`. Also "How you are connected" on the explorer and the invite page."""

from __future__ import annotations

from apps.claims.models import Claim
from apps.claims.panels import page_holder, page_reader_claims
from apps.records.graph import MAX_HOPS, coauthor_path, path_authors
from apps.records.panels import author_panel, page_panel

from .pages import conversations_of, received_invitations
from .services import invite_check


@author_panel(slot="identity", template="collaboration/_panel.html", order=60)
def collaboration_panel(request, author) -> dict | None:
    holder = page_holder(request, author)
    user = request.user
    if holder is None:
        return {"allowed": False, "reason": "This record is not claimed yet."}
    if not user.is_authenticated:
        return {"allowed": False, "reason": "Sign in to invite this researcher.", "login": True}
    if holder.user_id == user.pk:
        return {"own": True}
    check = invite_check(user, author, holder, held=page_reader_claims(request, author)[0])
    return {
        "allowed": check.allowed,
        "reason": check.reason,
        "conversation_id": check.conversation_id,
    }


def connection(user, author) -> dict | None:
    """How the signed-in user's record connects to `author`'s: the shortest co-author path
    (records.graph, at most MAX_HOPS queries) and its records. None when the user holds no
    record or it is this one."""
    mine = Claim.objects.held_by(user)
    if mine is None or mine.author_id == author.pk:
        return None
    path = coauthor_path(mine.author_id, author.pk)
    return {"target": author, "path": path_authors(path) if path else None, "hops": MAX_HOPS}


@page_panel(page="explorer", template="records/_path.html")
def explorer_connection(request, *, author, **context) -> dict | None:
    return connection(request.user, author)


@page_panel(page="home_waiting", template="collaboration/_home_waiting.html")
def home_waiting(request, **context) -> dict | None:
    """Invitations waiting for an answer and conversations with unread messages (two COUNTs)."""
    user = request.user
    if not user.is_authenticated:
        return None
    invitations = received_invitations(user).count()
    unread = conversations_of(user).filter(unread__gt=0).count()
    return {"invitations": invitations, "unread": unread} if invitations or unread else None
