from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is changed by actions, never by hand."""

    list_display = ["created_at", "actor_label", "action", "target_type", "target_id", "author"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_id", "reason"]
    raw_id_fields = ["actor", "author", "subject_user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
