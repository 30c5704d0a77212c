"""Claim, dispute and merge workflows (STYLE.md rung 4). Each service is atomic, writes one
audit row per state change and notifies after commit; HTML views and the API call the same
functions. Refusals raise the domain errors of apps.core.errors (Refused, NotAllowed,
Conflict, RateLimited), which one handler per interface maps to a status.

claims.py opens and moves claims, disputes.py and merges.py the other two, curation.py the
holder's decisions about their record, repair.py a moderator's (detach, move, split;
imported as a module: `repair.split`), verification.py the L3 requests; reads.py holds the
evidence reads views share; _common.py the limits and
private helpers. Import from here."""

from ._common import (
    MAX_LINK_LENGTH,
    MAX_LINKS,
    MAX_NOTE_LENGTH,
)
from .claims import (
    Evidence,
    claim_decide,
    claim_evidence,
    claim_orcid,
    claim_reinstate,
    claim_release,
    claim_revoke,
    claim_withdraw,
)
from .curation import (
    names_set,
    pins_set,
    require_holder,
    work_add,
    works_disown,
    works_restore,
    works_split,
)
from .disputes import (
    OUTCOMES,
    claimed_works,
    dispute_decide,
    dispute_side,
    dispute_statement_add,
)
from .links import links_holder, work_link_add, work_link_change, work_link_remove
from .merges import merge_decide, merge_request_create, merge_withdraw
from .newrecord import record_request_open, record_request_run
from .reads import (
    evidence_inputs,
    evidence_preview,
    record_work_keys,
    works_for_keys,
)
from .repair import repair_entry, repair_reverse
from .verification import (
    confirmation_token,
    verification_confirm,
    verification_decide,
    verification_request,
    verification_revoke,
)

__all__ = [
    "MAX_LINKS",
    "MAX_LINK_LENGTH",
    "MAX_NOTE_LENGTH",
    "OUTCOMES",
    "Evidence",
    "claim_decide",
    "claim_evidence",
    "claim_orcid",
    "claim_reinstate",
    "claim_release",
    "claim_revoke",
    "claim_withdraw",
    "claimed_works",
    "confirmation_token",
    "dispute_decide",
    "dispute_side",
    "dispute_statement_add",
    "evidence_inputs",
    "evidence_preview",
    "links_holder",
    "merge_decide",
    "merge_request_create",
    "merge_withdraw",
    "names_set",
    "pins_set",
    "record_request_open",
    "record_request_run",
    "record_work_keys",
    "repair_entry",
    "repair_reverse",
    "require_holder",
    "verification_confirm",
    "verification_decide",
    "verification_request",
    "verification_revoke",
    "work_add",
    "work_link_add",
    "work_link_change",
    "work_link_remove",
    "works_disown",
    "works_for_keys",
    "works_restore",
    "works_split",
]
