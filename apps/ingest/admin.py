from django.contrib import admin, messages

from .models import AuthorRefreshState, MergedId, RefreshLog
from .services import refresh_request


@admin.register(RefreshLog)
class RefreshLogAdmin(admin.ModelAdmin):
    list_display = [
        "finished_at",
        "source",
        "target",
        "outcome",
        "created",
        "updated",
        "duration_ms",
    ]
    list_filter = ["source", "outcome"]
    search_fields = ["target", "error"]
    raw_id_fields = ["author"]
    date_hierarchy = "finished_at"


@admin.register(AuthorRefreshState)
class AuthorRefreshStateAdmin(admin.ModelAdmin):
    list_display = ["author", "priority", "next_due_at", "last_refreshed_at", "enqueued_at"]
    list_filter = ["priority"]
    raw_id_fields = ["author"]
    actions = ["refresh_now"]

    @admin.action(description="Refresh now")
    def refresh_now(self, request, queryset):
        queued = 0
        for state in queryset.select_related("author"):
            try:
                queued += refresh_request(state.author, user_id=request.user.pk)
            except Exception as exc:  # one record's cool-down must not stop the rest
                messages.warning(request, f"{state.author}: {exc}")
        messages.success(request, f"{queued} refresh(es) queued.")


admin.site.register(MergedId)
