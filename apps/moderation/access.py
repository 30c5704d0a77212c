"""Who reaches the moderators' workspace: members of the "moderators" group (User.is_moderator).
A visitor is sent to sign in; any other signed-in person gets a 403."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


def require_moderator(user) -> None:
    """Raise 403 unless `user` is a moderator."""
    if not (user.is_authenticated and user.is_moderator):
        raise PermissionDenied("Only moderators can open the moderators' workspace.")


def moderator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_moderator(request.user)
        return view(request, *args, **kwargs)

    return wrapped


class IsModerator(BasePermission):
    message = "Only moderators can use the moderation API."

    def has_permission(self, request, view) -> bool:
        return bool(request.user.is_authenticated and request.user.is_moderator)
