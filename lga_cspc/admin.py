from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Challenge, Conflict, Offer, ScopeElement, TeamMember


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["name", "alliance", "min_days", "max_days", "fully_funded", "is_active"]
    list_filter = ["alliance", "is_active"]


class ScopeElementInline(admin.TabularInline):
    model = ScopeElement
    extra = 0


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Challenge)
class ChallengeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "alliance", "stage", "onsite_start"]
    list_filter = ["alliance", "stage"]
    raw_id_fields = [
        "sponsor",
        "organiser",
        "principal_adviser",
        "improvement_adviser",
        "requested_by",
        "proposal_accepted_by",
    ]
    inlines = [ScopeElementInline, TeamMemberInline]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["user", "local_authority", "reason", "declared_at"]
    raw_id_fields = ["user"]
