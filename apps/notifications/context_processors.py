def unread(request):
    """The header's unread count: one COUNT over a partial index, only when signed in, and
    only evaluated if the template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .models import Notification

        return Notification.objects.for_user(user).unread().count()

    return {"unread_notifications": count}
