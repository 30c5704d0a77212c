from django.contrib import admin, messages

from .models import AuthorRefreshState, LoadedPartition, MergedId, RefreshLog, SetAside
from .services import RefreshAnswer, refresh_request


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
    list_display = [
        "author",
        "priority",
        "next_due_at",
        "last_refreshed_at",
        "enqueued_at",
        "last_error_line",
    ]
    list_filter = ["priority"]
    search_fields = ["last_error"]
    raw_id_fields = ["author"]
    actions = ["refresh_now"]

    @admin.display(description="last error")
    def last_error_line(self, state: AuthorRefreshState) -> str:
        return state.last_error[:120]

    @admin.action(description="Refresh now")
    def refresh_now(self, request, queryset):
        queued = 0
        for state in queryset.select_related("author"):
            try:
                answer = refresh_request(state.author, user_id=request.user.pk)
            except Exception as exc:  # one record's cool-down must not stop the rest
                messages.warning(request, f"{state.author}: {exc}")
                continue
            if answer is RefreshAnswer.QUEUED:
                queued += 1
            else:
                messages.warning(request, f"{state.author}: {answer.value}")
        messages.success(request, f"{queued} refresh(es) queued.")


admin.site.register(MergedId)


@admin.register(LoadedPartition)
class LoadedPartitionAdmin(admin.ModelAdmin):
    """What load_openalex_snapshot has loaded. Read-only; deleting a row makes the next run
    load that file again (it then writes only what changed)."""

    list_display = [
        "path",
        "entity",
        "record_count",
        "rows_created",
        "rows_updated",
        "seconds",
        "loaded_at",
    ]
    list_filter = ["entity"]
    search_fields = ["path"]
    date_hierarchy = "loaded_at"
    ordering = ["-loaded_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SetAside)
class SetAsideAdmin(admin.ModelAdmin):
    """Indexes and foreign keys a snapshot load dropped and has not put back yet (a killed
    run leaves them here; the next load_openalex_snapshot run puts them back at its end).
    Read-only: a row deleted here would lose the statement that puts its index back."""

    list_display = ["name", "table", "set_aside_at"]
    list_filter = ["table"]
    readonly_fields = ["name", "table", "definition", "set_aside_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
