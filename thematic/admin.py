from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    EmergingSummary,
    EventKloe,
    NextSteps,
    Nomination,
    ThematicEvent,
    Theme,
    ThemeSuggestion,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "alliance"]
    list_filter = ["alliance"]


@admin.register(ThemeSuggestion)
class ThemeSuggestionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "alliance", "status", "created_at"]
    list_filter = ["alliance", "status"]


class EventKloeInline(admin.TabularInline):
    model = EventKloe
    extra = 0


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0
    autocomplete_fields = ["council"]


@admin.register(ThematicEvent)
class ThematicEventAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "alliance", "date", "format"]
    list_filter = ["alliance", "format"]
    filter_horizontal = ["councils"]
    inlines = [EventKloeInline, NominationInline]


@admin.register(NextSteps)
class NextStepsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "submitted_at", "is_late"]
    list_filter = ["alliance", "is_late"]


@admin.register(EmergingSummary)
class EmergingSummaryAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "updated_at", "issued_at"]
    list_filter = ["alliance"]
