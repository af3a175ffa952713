from django.contrib import admin

from .models import ReportVersion

# Read-only: versions are written by report_request and the render task only. The admin
# runs with scopes disabled (AllianceMiddleware). No file link: stored files have no URL.


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "alliance", "status", "pages", "size", "requested_at"]
    list_filter = ["status", "report", "alliance"]
    search_fields = ["title", "report"]
    fields = [
        "alliance",
        "report",
        "title",
        "subject_type",
        "subject_id",
        "number",
        "status",
        "filename",
        "size",
        "pages",
        "requested_by",
        "requested_at",
        "rendered_at",
        "queued_at",
        "unqueued_at",
        "started_at",
        "attempts",
        "error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
