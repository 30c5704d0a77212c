"""Who reaches the moderators' workspace: moderators (apps.accounts.moderators). A visitor is
sent to sign in; any other signed-in person gets a 403."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from rest_framework.permissions import BasePermission

from apps.accounts.moderators import is_moderator, require_moderator


def moderator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_moderator(request.user, "Only moderators can open the moderators' workspace.")
        return view(request, *args, **kwargs)

    return wrapped


class IsModerator(BasePermission):
    message = "Only moderators can use the moderation API."

    def has_permission(self, request, view) -> bool:
        return is_moderator(request.user)
