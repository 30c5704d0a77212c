"""Every write of the collaboration app, one module a concern: eligibility (may this person
invite that one, and why not), invitations, messages, blocks, preferences and reports. HTML
views and the API call the same functions; a refusal raises one of apps.core.errors (a form
error or a message on the page, or its status in the API). Import from here."""

from .blocks import block_create, block_delete, blockers_between
from .eligibility import COOLING_DAYS, DAILY_QUOTA, Eligibility, daily_quota, invite_check
from .invitations import (
    EXPIRY_DAYS_DEFAULT,
    EXPIRY_DAYS_MAX,
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_withdraw,
    invitations_expire,
)
from .messages import conversation_mark_read, message_post
from .preferences import preference_of, preference_set
from .reports import invitation_report, message_report

__all__ = [
    "COOLING_DAYS",
    "DAILY_QUOTA",
    "EXPIRY_DAYS_DEFAULT",
    "EXPIRY_DAYS_MAX",
    "Eligibility",
    "block_create",
    "block_delete",
    "blockers_between",
    "conversation_mark_read",
    "daily_quota",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_report",
    "invitation_withdraw",
    "invitations_expire",
    "invite_check",
    "message_post",
    "message_report",
    "preference_of",
    "preference_set",
]
