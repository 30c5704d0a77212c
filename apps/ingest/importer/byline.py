"""Reconciling a work's byline with what a source prints.

An existing authorship is never deleted and never handed to a different author: it may move
position or take the source's spelling, nothing more. So a claimant's "not mine" (status) and
a split (the authorship pointing at a new record) survive every refresh. A split authorship
remembers the record it left (`split_from`): a source that still names that record is matched
to it, so the old record is never put back on the work.
"""

from __future__ import annotations

from django.db.models import F

from apps.ingest.normalized import AuthorRef, WorkRecord
from apps.records.models import Authorship, Work
from apps.records.names import names_compatible

from .authors import author_for_ref, fill_placeholder_names, resolve_refs
from .lookups import Lookups
from .precedence import byline_owner

PARKING = 1_000_000  # positions are moved out of the way before being rewritten


def reconcile_byline(work: Work, record: WorkRecord, by_source: dict, lookups: Lookups) -> bool:
    """Bring the byline in line with `record`; True if anything changed."""
    existing = list(work.authorships.select_related("author"))
    if record.complete_byline:
        if byline_owner(by_source) != record.source:
            return False  # a higher-precedence source orders this byline
        return _rebuild(work, record.authors, existing, lookups)
    return _ensure_present(work, record.authors, existing, lookups)


def _stands_for(authorship: Authorship, author_id: int) -> bool:
    """This authorship is `author_id`'s place: theirs, or split off their record."""
    return author_id in (authorship.author_id, authorship.split_from_id)


def _match(ref: AuthorRef, resolved, unmatched: list[Authorship]) -> Authorship | None:
    if resolved is not None:
        for authorship in unmatched:
            if _stands_for(authorship, resolved.pk):
                return authorship
    for authorship in unmatched:
        if authorship.position == ref.position and names_compatible(
            authorship.raw_name, ref.raw_name
        ):
            return authorship
    compatible = [a for a in unmatched if names_compatible(a.raw_name, ref.raw_name)]
    return compatible[0] if len(compatible) == 1 else None


def _rebuild(
    work: Work, refs: list[AuthorRef], existing: list[Authorship], lookups: Lookups
) -> bool:
    refs = sorted(refs, key=lambda r: (r.position is None, r.position or 0))
    unmatched, plan = list(existing), []
    for ref, resolved in zip(refs, resolve_refs(refs), strict=True):
        found = _match(ref, resolved, unmatched)
        if found is not None:
            unmatched.remove(found)
        plan.append((found, ref))
    taken = {a.author_id for a, _ in plan if a} | {a.author_id for a in unmatched}
    taken |= {a.split_from_id for a in existing if a.split_from_id}
    ordered: list[tuple[Authorship, AuthorRef | None]] = []
    for authorship, ref in plan:
        if authorship is None:
            author = author_for_ref(ref, lookups)
            if author.pk in taken:
                continue  # the same person printed twice: keep one
            taken.add(author.pk)
            authorship = Authorship(work=work, author=author, raw_name=ref.raw_name[:300])
        ordered.append((authorship, ref))
    ordered += [(a, None) for a in sorted(unmatched, key=lambda a: a.position)]
    return _write(work, ordered, lookups)


def _write(work: Work, ordered: list, lookups: Lookups) -> bool:
    changed = False
    for position, (authorship, ref) in enumerate(ordered):
        raw = ref.raw_name[:300] if ref is not None and ref.raw_name else authorship.raw_name
        if authorship.pk is None or (authorship.position, authorship.raw_name) != (position, raw):
            changed = True
        authorship.position, authorship.raw_name = position, raw
    if changed:
        Authorship.objects.filter(work=work).update(position=F("position") + PARKING)
        Authorship.objects.bulk_update([a for a, _ in ordered if a.pk], ["position", "raw_name"])
        Authorship.objects.bulk_create([a for a, _ in ordered if a.pk is None])
    for authorship, ref in ordered:
        if ref is not None and ref.institutions:
            wanted = {lookups.institution(i).pk for i in ref.institutions if i.name}
            have = set(authorship.institutions.values_list("pk", flat=True))
            if wanted - have:
                authorship.institutions.add(*(wanted - have))
                changed = True
    if changed:
        _count_authors(work)
        lookups.touched_authors.update(a.author_id for a, _ in ordered)
    return changed


def _ensure_present(
    work: Work, refs: list[AuthorRef], existing: list[Authorship], lookups: Lookups
) -> bool:
    """A partial byline (an ORCID record names its owner): add whoever is missing at the end,
    unless an authorship with a compatible printed name is already there (linking that one
    to the person is the claimant's call, not the importer's)."""
    added = []
    next_position = max((a.position for a in existing), default=-1) + 1
    named = 0
    for ref, resolved in zip(refs, resolve_refs(refs), strict=True):
        if resolved is not None and any(_stands_for(a, resolved.pk) for a in existing + added):
            named += fill_placeholder_names(resolved, ref.raw_name)
            continue
        if ref.raw_name and any(
            names_compatible(a.raw_name, ref.raw_name) for a in existing + added
        ):
            continue
        author = author_for_ref(ref, lookups)
        if any(_stands_for(a, author.pk) for a in existing + added):
            continue
        added.append(
            Authorship(
                work=work,
                author=author,
                raw_name=(ref.raw_name or author.display_name)[:300],
                position=next_position,
            )
        )
        next_position += 1
    if added:
        Authorship.objects.bulk_create(added)
        _count_authors(work)
        lookups.touched_authors.update(a.author_id for a in added)
    return bool(added or named)


def _count_authors(work: Work) -> None:
    work.authors_count = work.authorships.count()
    Work.objects.filter(pk=work.pk).update(authors_count=work.authors_count)
