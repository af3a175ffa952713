from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Cycle, Triad, TriadMember


class TriadMemberInline(admin.TabularInline):
    model = TriadMember
    extra = 0
    autocomplete_fields = ["council"]


@admin.register(Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "alliance", "event_date"]
    list_filter = ["alliance"]
    filter_horizontal = ["councils"]


@admin.register(Triad)
class TriadAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "cycle", "consultant"]
    list_filter = ["alliance"]
    inlines = [TriadMemberInline]
