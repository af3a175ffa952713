from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Cycle, SectionText, SelfEvaluation, TemplateSection


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0
    fields = ["position", "title", "kind"]


@admin.register(Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "alliance", "self_evaluation_due", "regional_plan_due"]
    list_filter = ["alliance"]
    inlines = [TemplateSectionInline]


class SectionTextInline(admin.StackedInline):
    model = SectionText
    extra = 0
    fields = ["section", "text", "comment", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["council", "cycle", "state", "submitted_at"]
    list_filter = ["alliance", "state"]
    list_select_related = ["council", "cycle"]
    inlines = [SectionTextInline]
