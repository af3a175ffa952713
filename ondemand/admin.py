from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Recommendation, RequestNote, Review, Reviewer


class RequestNoteInline(admin.TabularInline):
    model = RequestNote
    extra = 0
    raw_id_fields = ["author"]


class ReviewerInline(admin.TabularInline):
    model = Reviewer
    extra = 0
    raw_id_fields = ["user", "invited_by"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    raw_id_fields = ["added_by"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    raw_id_fields = ["action"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["service_area", "local_authority", "alliance", "status", "preferred_start"]
    list_filter = ["alliance", "status"]
    search_fields = ["service_area", "local_authority__name"]
    raw_id_fields = ["requested_by"]
    inlines = [RequestNoteInline, ReviewerInline, ActivityInline, RecommendationInline]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["user", "review", "role", "response", "invited_at"]
    list_filter = ["alliance", "role", "response"]
    raw_id_fields = ["user", "invited_by", "review"]
