"""Code and data links on a work, kept by the researchers on it: the holder of a record with
an active authorship on the work adds, edits and removes them. Each change is one audit row;
a removed link stays removed through every refresh (records.WorkLink.removed_at)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.errors import NotAllowed, Refused
from apps.records.links import LinkKind, link_kind, normalize_link
from apps.records.models import Author, Authorship, Source, Work, WorkLink

from ..models import Claim

MAX_LABEL = 200


def links_holder(user, work: Work) -> Author:
    """The record through which `user` may change this work's links: the one they hold,
    when it has an active authorship on the work."""
    claim = Claim.objects.held_by(user)
    if (
        claim is None
        or not Authorship.objects.visible().filter(work=work, author=claim.author_id).exists()
    ):
        raise NotAllowed("Only a researcher who holds a record on this work can change its links.")
    return claim.author


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 1000:
        raise Refused("Give a web address starting with https://.", field="url")
    return normalize_link(url) or url


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if len(label) > MAX_LABEL:
        raise Refused(f"A label is at most {MAX_LABEL} characters.", field="label")
    return label


def _kind(kind: str | None, url: str) -> str:
    if kind and kind not in dict(LinkKind.choices):
        raise Refused("Choose code, data, model, deposit or other.", field="kind")
    return kind or link_kind(url)


def _audit(user, author: Author, link: WorkLink, action: str, before: dict | None) -> None:
    audit_record(actor=user, action=action, target=link, author_id=author.pk,
                 subject_user=user, before=before, after=_state(link))  # fmt: skip


def _state(link: WorkLink) -> dict:
    return {
        "url": link.url,
        "kind": link.kind,
        "label": link.label,
        "removed": bool(link.removed_at),
    }


@transaction.atomic
def work_link_add(*, user, work: Work, url: str, label: str = "", kind: str = "") -> WorkLink:
    """Add a link (or bring back one that was removed, with the new label)."""
    author = links_holder(user, work)
    url, label = _clean_url(url), _clean_label(label)
    link = WorkLink.objects.select_for_update().filter(work=work, url=url).first()
    if link is not None and link.removed_at is None:
        raise Refused("That link is already on this work.", field="url")
    before = _state(link) if link else None
    if link is None:
        link = WorkLink(work=work, url=url, origin=Source.CLAIMANT)
    link.kind, link.label, link.removed_at = _kind(kind, url), label, None
    link.save()
    _audit(user, author, link, "work.link_add", before)
    return link


@transaction.atomic
def work_link_change(
    *, user, link: WorkLink, url: str, label: str = "", kind: str = ""
) -> WorkLink:
    author = links_holder(user, link.work)
    link = WorkLink.objects.select_for_update().get(pk=link.pk)
    before = _state(link)
    url = _clean_url(url)
    if url != link.url and WorkLink.objects.filter(work=link.work_id, url=url).exists():
        raise Refused("That link is already on this work.", field="url")
    link.url, link.label, link.kind = url, _clean_label(label), _kind(kind, url)
    link.save()
    _audit(user, author, link, "work.link_change", before)
    return link


@transaction.atomic
def work_link_remove(*, user, link: WorkLink) -> WorkLink:
    """Hide a link; no refresh brings it back (adding it again does)."""
    author = links_holder(user, link.work)
    link = WorkLink.objects.select_for_update().get(pk=link.pk)
    if link.removed_at is not None:
        raise Refused("That link is already removed.")
    before = _state(link)
    link.removed_at = timezone.now()
    link.save(update_fields=["removed_at", "updated_at"])
    _audit(user, author, link, "work.link_remove", before)
    return link
