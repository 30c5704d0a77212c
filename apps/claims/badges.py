"""The "institutional email verified" badge of a claimed record: the domain of an institution
on the record where its holder proved an email, never the address. Proved means a verified
address of the holder's account, or one confirmed by the signed link of an L3 request for
this record. Who sees it is the holder's choice (FollowSettings.badge_audience)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat

from apps.follows.visibility import audience_admits, follow_settings_for
from apps.records.models import Author
from apps.trust.models import VerificationRequest

from .models import Claim, InstitutionDomain


def _on_domain(addresses: QuerySet, field: str) -> Exists:
    """Some address of `addresses` is on the outer row's domain or one of its subdomains."""
    at = {f"{field}__iendswith": Concat(Value("@"), OuterRef("domain"))}
    below = {f"{field}__iendswith": Concat(Value("."), OuterRef("domain"))}
    return Exists(addresses.filter(Q(**at) | Q(**below)))


def institution_email_domain(user, author: Author) -> str | None:
    """The first (by name) institution domain of `author` on which `user` proved an email,
    or None; one query."""
    verified = EmailAddress.objects.filter(user=user, verified=True)
    confirmed = VerificationRequest.objects.filter(
        user=user, author=author, email_confirmed_at__isnull=False
    )
    proved = _on_domain(verified, "email") | _on_domain(confirmed, "email")
    domains = InstitutionDomain.objects.filter(institution__authors=author).filter(proved)
    return domains.order_by("domain").values_list("domain", flat=True).first()


def email_badge(holder: Claim | None, author: Author, viewer) -> str | None:
    """The domain the badge names, if the record has one and `viewer` may see it. An
    unclaimed record costs no query; a claimed one one, two or three."""
    if holder is None:
        return None
    domain = institution_email_domain(holder.user, author)
    if domain is None:
        return None
    audience = follow_settings_for(holder.user).badge_audience
    admitted = audience_admits(audience, owner=holder.user, viewer=viewer, record=author)
    return domain if admitted else None
