from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AccessLog,
    Alliance,
    Invitation,
    LocalAuthority,
    Membership,
    OfstedImport,
    OfstedJudgement,
    OutboundEmail,
    Region,
    User,
)
from .services.email import outbox_retry

# The admin runs with scopes disabled (AllianceMiddleware): it is the superuser's
# cross-alliance tool, behind two-factor sign-in.


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "is_demo_account"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "gss_code", "region", "la_type"]
    list_filter = ["region", "la_type"]
    search_fields = ["name", "official_name", "gss_code"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference data that changes only through its import, which records where it came
    from (Ofsted judgements: /reference/ofsted/import/; DfE statistics: `load_dfe`): the
    admin shows it and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfstedImport)
class OfstedImportAdmin(ReadOnlyAdmin):
    list_display = ["source", "file_name", "imported_at", "imported_by"]


@admin.register(OfstedJudgement)
class OfstedJudgementAdmin(ReadOnlyAdmin):
    list_display = ["local_authority", "grade", "judgement_date", "source"]
    list_filter = ["grade"]
    search_fields = ["local_authority__name", "local_authority__gss_code"]


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "slug"]
    filter_horizontal = ["regions"]
    prepopulated_fields = {"slug": ["short_name"]}
    # Uploaded by the alliance's admins through the service, where the file is checked.
    readonly_fields = ["report_logo"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "alliance", "role", "local_authority", "created_at"]
    list_filter = ["alliance", "role"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "local_authority"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "alliance", "role", "created_at", "accepted_at", "cancelled_at"]
    list_filter = ["alliance", "role"]
    search_fields = ["email"]
    exclude = ["token_hash"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only, like the table itself (its triggers refuse UPDATE and DELETE): the log is
    written by the views that serve files, and removed only by the maintenance path in
    peerchallenge/access_log.py. Alliance admins read their own in the app."""

    list_display = ["at", "user", "action", "object_repr", "alliance", "ip_address"]
    list_filter = ["alliance", "action"]
    list_select_related = ["user", "alliance"]
    search_fields = ["object_repr", "user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent, what waits and why. Failed rows are sent again
    with the action below or `manage.py outbox_retry` (docs/operations.md)."""

    list_display = ["created_at", "subject", "recipients", "state", "attempts", "sent_at"]
    list_filter = ["state", "template"]
    search_fields = ["subject", "dedupe_key", "to"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="to")
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.action(description="Send the selected failed emails again")
    def retry(self, request, queryset):
        count = outbox_retry(email_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} failed email(s) queued again.")
