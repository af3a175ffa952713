"""The grid ("tartan rug"): every council the alliance covers by the framework's
indicators for one year, sortable by any of them, with its exports (made by the worker)."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.views.generic import TemplateView, View

from peerchallenge.views.mixins import AlliancePermissionMixin
from reports.views import report_requested_message

from ..dfe_files import SYMBOLS
from ..grid import BANDS, Column, GridChoice, grid_exports_of, grid_read
from ..models import ATTRIBUTION
from ..services.grid import grid_export_request

FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "pdf": "PDF"}


@dataclass(frozen=True)
class Header:
    """A sortable column heading: the link that sorts by it and, on the sorted column, its
    aria-sort."""

    href: str
    aria_sort: str  # "ascending", "descending" or empty
    next_words: str  # what following the link does, for screen readers
    column: Column | None = None  # None: the councils' names
    meta: str = ""  # the unit, period and better direction under an indicator's title
    sorted_words: str = ""  # on the sorted column, its order for everyone to see


def query_of(choice: GridChoice, **changes) -> str:
    """The query string of the grid as `choice` shows it, with `changes`."""
    values = {**choice.as_options(), **changes}
    query = QueryDict(mutable=True)
    for key in ("year", "sort", "order"):
        if values[key] and not (key == "order" and values[key] == "asc"):
            query[key] = str(values[key])
    return query.urlencode()


def headers(grid, base: str) -> list[Header]:
    """The council column's heading, then each indicator's. A column is sorted ascending
    first; the sorted column's link reverses it."""
    choice = grid.choice
    found = []
    for column in [None, *grid.columns]:
        code = column.indicator.code if column else ""
        sorted_here = choice.sort == code
        order = "desc" if sorted_here and not choice.descending else "asc"
        if column is None:
            words = "sort by name, Z to A" if order == "desc" else "sort by name, A to Z"
        else:
            words = "sort highest first" if order == "desc" else "sort lowest first"
        query = query_of(choice, sort=code, order=order)
        found.append(
            Header(
                href=f"{base}?{query}" if query else base,
                aria_sort=("descending" if choice.descending else "ascending")
                if sorted_here
                else "",
                next_words=words,
                column=column,
                meta=_meta(column) if column else "",
                sorted_words=_sorted_words(column, choice.descending) if sorted_here else "",
            )
        )
    return found


def _sorted_words(column: Column | None, descending: bool) -> str:
    if column is None:
        return "Sorted Z to A" if descending else "Sorted A to Z"
    return "Sorted highest first" if descending else "Sorted lowest first"


def _meta(column: Column) -> str:
    return capfirst(column.words)


class GridView(AlliancePermissionMixin, TemplateView):
    permission_required = "benchmarking.view_grid"
    template_name = "benchmarking/grid.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, alliance = self.request.user, self.alliance
        grid = grid_read(alliance=alliance, choice=GridChoice.from_query(self.request.GET))
        base = reverse("benchmarking:grid", kwargs={"alliance": alliance.slug})
        context.update(
            grid=grid,
            headers=headers(grid, base),
            query=query_of(grid.choice),
            bands=[(number, *BANDS[number]) for number in BANDS],
            symbols=[(symbol, SYMBOLS.get(symbol, "")) for symbol in grid.symbols],
            attribution=ATTRIBUTION,
            export_forms=[
                (reverse(f"benchmarking:grid_{key}", kwargs={"alliance": alliance.slug}), label)
                for key, label in FORMATS.items()
            ],
            exports=list(grid_exports_of(alliance=alliance, user=user)[:3]),
            can_open_packs=user.has_perm("benchmarking.view_data_pack", alliance),
            can_view_framework=user.has_perm("benchmarking.view_framework", alliance),
        )
        return context


class GridExportView(AlliancePermissionMixin, View):
    """POST: ask the worker for the grid as the page shows it (the year and sort in the
    query string) as CSV, XLSX or PDF; back to the grid, which shows the export being made
    and then its download."""

    permission_required = "benchmarking.view_grid"
    http_method_names = ["post"]
    file_format = "csv"

    def post(self, request, *args, **kwargs):
        grid = grid_read(alliance=self.alliance, choice=GridChoice.from_query(request.GET))
        back = reverse("benchmarking:grid", kwargs={"alliance": self.alliance.slug})
        query = query_of(grid.choice)
        back = f"{back}?{query}#exports" if query else f"{back}#exports"
        if not grid.rows or not any(column.period for column in grid.columns):
            messages.error(request, "There are no figures to export.")
            return redirect(back)
        version = grid_export_request(
            alliance=self.alliance,
            choice=grid.choice,
            file_format=self.file_format,
            requested_by=request.user,
        )
        report_requested_message(
            request,
            version,
            f"Your {FORMATS[self.file_format]} export of the grid is being prepared. Refresh "
            "this page in a minute to download it.",
        )
        return redirect(back)
