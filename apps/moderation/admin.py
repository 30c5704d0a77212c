from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "target_type", "target_id", "reporter", "status"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["reporter", "reported_user", "decided_by"]
