"""The claims app's part of the author page: Claimed/Unclaimed in the trust snapshot, and
the claim panel (claim button, who holds it, the holder's own links) under identity. Both
read one query, shared through the request. On the home page: your record (or the way to
find it), your claims and disputes waiting, and the claimed-records figure."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Q, Subquery

from apps.accounts.moderators import is_moderator
from apps.records.cards import card_fact
from apps.records.duplicates import likely_same_person
from apps.records.models import VerificationLevel
from apps.records.pages import COUNTS_TTL
from apps.records.panels import author_page_annotation, author_panel, page_panel

from .badges import email_badge
from .models import Claim, Dispute, PinnedWork


def _page_claims(request, author) -> tuple[Claim | None, Claim | None, Claim | None]:
    """`Claim.objects.on_page` once per request and record, however many panels (this
    app's and others', e.g. collaboration's) ask."""
    cache = request.__dict__.setdefault("_claims_on_page", {})
    if author.pk not in cache:
        cache[author.pk] = Claim.objects.on_page(author, request.user)
    return cache[author.pk]


def page_holder(request, author) -> Claim | None:
    """The claim in force on `author`, with its user."""
    return _page_claims(request, author)[0]


def page_reader_claims(request, author) -> tuple[Claim | None, Claim | None]:
    """The signed-in reader's claim in force (with its record) and their open claim on
    `author`; read with the holder, so no query of their own."""
    return _page_claims(request, author)[1:]


# Who holds the record (a user id, or None) rides on the page's author query as
# `holder_user_id`, for panels below claims that must not ask claims (the follow button).
author_page_annotation(
    "holder_user_id",
    lambda: Subquery(Claim.objects.approved().filter(author=OuterRef("pk")).values("user_id")[:1]),
)


@author_panel(slot="head", template="claims/_robots.html")
def robots(request, author) -> dict | None:
    """The holder's choice to keep the record out of search engines."""
    holder = page_holder(request, author)
    return {} if holder and holder.user.hide_from_search_engines else None


@author_panel(slot="snapshot", template="claims/_claim_status.html")
def claim_status(request, author) -> dict:
    return {"holder": page_holder(request, author)}


@author_panel(slot="identity", template="claims/_claim_panel.html")
def claim_panel(request, author) -> dict:
    holder = page_holder(request, author)
    user = request.user
    is_holder = bool(holder and user.is_authenticated and holder.user_id == user.pk)
    # Pins exist only on claimed records, so an unclaimed page pays no query for them.
    pins = PinnedWork.objects.filter(author=author).select_related("work") if holder else []
    # A challenger whose dispute is open is pointed at it, not offered a second one.
    challenging = holder and user.is_authenticated and not is_holder
    mine = page_reader_claims(request, author)[1] if challenging else None
    return {
        "holder": holder,
        "is_holder": is_holder,
        "my_open_claim": mine,
        "pins": list(pins),
        "email_domain": email_badge(holder, author, user),
        # The holder of an L2 record may ask a moderator for L3 (apps.trust).
        "can_ask_l3": is_holder and author.verification_level == VerificationLevel.L2,
    }


@author_panel(slot="identity", template="claims/_duplicates.html", order=60)
def likely_duplicates(request, author) -> dict | None:
    """Same-name records that may be this person, for the record's holder (to ask for a
    merge) and for moderators (to merge). Nothing is merged automatically; a visitor or
    another member sees nothing and costs no query."""
    user = request.user
    if not user.is_authenticated:
        return None
    holder = page_holder(request, author)
    is_holder = bool(holder and holder.user_id == user.pk)
    if not (is_holder or is_moderator(user)):
        return None
    candidates = likely_same_person(author)
    return {"candidates": candidates, "is_holder": is_holder} if candidates else None


# --- The home page ------------------------------------------------------------------------


@page_panel(page="home_you", template="claims/_home_you.html")
def home_record(request, **context) -> dict | None:
    """The signed-in person's record with its trust snapshot, or the way to find it."""
    if not request.user.is_authenticated:
        return None
    held = Claim.objects.held_by(request.user)
    trust = None
    if held is not None:
        try:
            trust = held.author.trust
        except ObjectDoesNotExist:
            trust = None
    return {"held": held, "trust": trust}


@page_panel(page="home_waiting", template="claims/_home_waiting.html")
def home_waiting(request, **context) -> dict | None:
    """Claims of theirs in review, and open disputes they are part of (two COUNTs)."""
    user = request.user
    if not user.is_authenticated:
        return None
    in_review = Claim.objects.pending().filter(user=user).count()
    disputes = (
        Dispute.objects.filter(status=Dispute.Status.OPEN)
        .filter(Q(claim__user=user) | Q(held_claim__user=user))
        .count()
    )
    return {"in_review": in_review, "disputes": disputes} if in_review or disputes else None


@page_panel(page="home_counts", template="claims/_home_count.html")
def home_claimed_count(request, **context) -> dict:
    """How many records their researchers hold (cached like the other figures)."""
    count = cache.get_or_set(
        "claims:claimed_count", lambda: Claim.objects.approved().count(), COUNTS_TTL
    )
    return {"claimed": count}


@card_fact
def claimed_cards(author_ids: list[int]) -> dict[int, dict]:
    """Claimed or not, for the recognition cards of a list of records (one query)."""
    held = set(Claim.objects.holders_of(author_ids).values_list("author_id", flat=True))
    return {pk: {"claimed": pk in held} for pk in author_ids}
