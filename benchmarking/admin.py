from django.contrib import admin

from peerchallenge.admin import ReadOnlyAdmin

from .models import Figure, Indicator, Neighbour


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "unit", "polarity"]


@admin.register(Figure)
class FigureAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "period", "area_code", "council", "value", "symbol", "source"]
    list_filter = ["level", "period", "indicator"]
    list_select_related = ["indicator", "council"]
    search_fields = ["area_code", "council__name"]
    show_full_result_count = False  # tens of thousands of rows


@admin.register(Neighbour)
class NeighbourAdmin(ReadOnlyAdmin):
    list_display = ["council", "rank", "neighbour", "band", "model"]
    list_filter = ["model", "band"]
    list_select_related = ["council", "neighbour"]
    search_fields = ["council__name"]
