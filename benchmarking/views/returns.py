"""The quarterly local return: the quarters, opening one, the quarter's table, publishing it,
and a council's return (the form, the template to download and upload)."""

import csv
import datetime
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View
from openpyxl import Workbook

from peerchallenge.models import LocalAuthority
from peerchallenge.permissions import council_ids_in
from peerchallenge.selectors import council_of_alliance, councils_of_alliance
from peerchallenge.views.mixins import (
    AllianceObjectMixin,
    AlliancePermissionMixin,
    client_ip,
    refusals_on,
)

from ..forms.returns import QuarterForm, ReturnForm, TemplateUploadForm
from ..models import ReturnQuarter
from ..permissions import may_enter_return
from ..selectors_returns import local_return_of, quarter_table, quarters_of, return_indicators
from ..services.returns import (
    NOT_AVAILABLE,
    quarter_open,
    quarter_publish,
    return_save,
    return_version,
    return_view_record,
    template_read,
    template_rows,
)


def financial_year(day: datetime.date) -> int:
    """The first year of the financial year `day` is in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def shown(figure, decimals: int) -> str:
    if figure is None:
        return ""
    if figure.value is None:
        return "not available" if figure.symbol == NOT_AVAILABLE else figure.symbol
    return f"{figure.value:,.{decimals}f}"


class ReturnsView(AlliancePermissionMixin, TemplateView):
    permission_required = "benchmarking.view_returns"
    template_name = "benchmarking/returns.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = council_ids_in(self.request.user, self.alliance.pk)
        context.update(
            quarters=quarters_of(self.alliance),
            council_count=councils_of_alliance(alliance=self.alliance).count(),
            my_councils=list(LocalAuthority.objects.filter(pk__in=mine).order_by("name")),
            indicators=return_indicators(self.alliance),
            can_manage=self.request.user.has_perm("benchmarking.manage_returns", self.alliance),
        )
        return context


class QuarterOpenView(AlliancePermissionMixin, FormView):
    permission_required = "benchmarking.manage_returns"
    template_name = "benchmarking/quarter_form.html"
    form_class = QuarterForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        this_year = financial_year(timezone.localdate())
        kwargs["years"] = [this_year - 1, this_year, this_year + 1]
        return kwargs

    def get_initial(self):
        return {"year": financial_year(timezone.localdate())}

    def form_valid(self, form):
        with refusals_on(form):
            quarter = quarter_open(
                alliance=self.alliance, opened_by=self.request.user, **form.cleaned_data
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"{quarter.label} is open for councils' returns.")
        return redirect("benchmarking:quarter", alliance=self.alliance.slug, quarter=quarter.pk)


class QuarterMixin(AllianceObjectMixin):
    permission_required = "benchmarking.view_returns"
    object_model = ReturnQuarter
    object_kwarg = "quarter"
    object_name = "quarter"
    not_found = "No such quarter."


class QuarterView(QuarterMixin, TemplateView):
    """Every council's return for the quarter. Until it is published the figures are
    provisional, and each view of them by someone who is not from every council shown is
    logged (the table shows every council's)."""

    template_name = "benchmarking/quarter.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicators = return_indicators(self.alliance)
        councils = list(councils_of_alliance(alliance=self.alliance).order_by("name"))
        rows = [
            (
                council,
                local_return,
                [shown(figures.get(indicator.pk), indicator.decimals) for indicator in indicators],
            )
            for council, local_return, figures in quarter_table(
                quarter=self.quarter, councils=councils
            )
        ]
        mine = council_ids_in(self.request.user, self.alliance.pk)
        others = any(council.pk not in mine for council, _r, _f in rows)
        if not self.quarter.is_published and others and indicators:
            return_view_record(
                quarter=self.quarter, user=self.request.user, ip_address=client_ip(self.request)
            )
        context.update(
            indicators=indicators,
            rows=rows,
            submitted=sum(
                1 for _c, local_return, _f in rows if local_return and local_return.submitted_at
            ),
            can_manage=self.request.user.has_perm("benchmarking.manage_returns", self.alliance),
            may_enter={
                council.pk
                for council, _r, _f in rows
                if may_enter_return(self.request.user, alliance=self.alliance, council=council)
            },
        )
        return context


class QuarterPublishView(QuarterMixin, View):
    permission_required = "benchmarking.manage_returns"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if quarter_publish(quarter=self.quarter, published_by=request.user):
            messages.success(
                request,
                f"{self.quarter.label} is published: its figures are no longer provisional.",
            )
        return redirect(
            "benchmarking:quarter", alliance=self.alliance.slug, quarter=self.quarter.pk
        )


class CouncilReturnMixin(QuarterMixin):
    """A council's return for the quarter: a council the alliance covers (404 otherwise),
    entered by its own people or the keepers (403 for other members)."""

    def check_object(self, request, found):
        try:
            self.council = council_of_alliance(
                alliance=request.alliance, gss_code=self.kwargs["gss"]
            )
        except LocalAuthority.DoesNotExist:
            raise Http404("No such council in this alliance.") from None
        if not may_enter_return(request.user, alliance=request.alliance, council=self.council):
            raise PermissionDenied
        self.indicators = return_indicators(request.alliance)
        self.local_return = local_return_of(quarter=found, council=self.council)
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            council=self.council, indicators=self.indicators, local_return=self.local_return
        )
        return context


class ReturnView(CouncilReturnMixin, TemplateView):
    """The council's figures: a form while the quarter is open, the figures once it is
    published. Two forms: the figures, and the filled-in template."""

    template_name = "benchmarking/return.html"

    def get(self, request, *args, **kwargs):
        self._log_view()
        return super().get(request, *args, **kwargs)

    def _log_view(self) -> None:
        if not self.quarter.is_published and self.council.pk not in council_ids_in(
            self.request.user, self.alliance.pk
        ):
            return_view_record(
                quarter=self.quarter,
                user=self.request.user,
                ip_address=client_ip(self.request),
                council=self.council,
            )

    def _initial(self) -> dict:
        figures = (
            {figure.indicator_id: figure for figure in self.local_return.figures.all()}
            if self.local_return
            else {}
        )
        initial = {
            "base_version": return_version(
                local_return=self.local_return, indicators=self.indicators
            )
        }
        for indicator in self.indicators:
            figure = figures.get(indicator.pk)
            if figure is not None:
                initial[f"indicator_{indicator.pk}"] = (
                    figure.symbol if figure.value is None else f"{figure.value.normalize():f}"
                )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = (
            {figure.indicator_id: figure for figure in self.local_return.figures.all()}
            if self.local_return
            else {}
        )
        context.setdefault("form", ReturnForm(indicators=self.indicators, initial=self._initial()))
        context.setdefault("upload_form", TemplateUploadForm())
        context["figures"] = [
            (indicator, shown(figures.get(indicator.pk), indicator.decimals))
            for indicator in self.indicators
        ]
        return context

    def post(self, request, *args, **kwargs):
        if self.quarter.is_published:
            messages.info(
                request, "The quarter is published: its figures can no longer be changed."
            )
            return self._back()
        if "upload" in request.POST:
            return self._upload()
        form = ReturnForm(request.POST, indicators=self.indicators)
        if form.is_valid():
            submit = "submit_return" in request.POST
            with refusals_on(form):
                return_save(
                    quarter=self.quarter,
                    council=self.council,
                    indicators=self.indicators,
                    entries=form.entries,
                    entered_by=request.user,
                    submit=submit,
                    base_version=form.cleaned_data.get("base_version"),
                )
            if not form.errors:
                messages.success(
                    request,
                    f"{self.council.name}'s return is submitted."
                    if submit
                    else "Your figures are saved as a draft.",
                )
                return self._back()
        return self.render_to_response(self.get_context_data(form=form))

    def _upload(self):
        upload_form = TemplateUploadForm(self.request.POST, self.request.FILES)
        if upload_form.is_valid():
            with refusals_on(upload_form):
                entries = template_read(
                    upload=upload_form.cleaned_data["file"], indicators=self.indicators
                )
                return_save(
                    quarter=self.quarter,
                    council=self.council,
                    indicators=self.indicators,
                    entries=entries,
                    entered_by=self.request.user,
                )
            if not upload_form.errors:
                messages.success(
                    self.request,
                    "The figures in the file are saved as a draft: check them, then submit.",
                )
                return self._back()
        return self.render_to_response(self.get_context_data(upload_form=upload_form))

    def _back(self):
        return redirect(
            "benchmarking:return",
            alliance=self.alliance.slug,
            quarter=self.quarter.pk,
            gss=self.council.gss_code,
        )


class ReturnTemplateView(CouncilReturnMixin, View):
    """The return's template, with what is saved, as CSV or XLSX: a few rows, made here."""

    file_format = "csv"

    def get(self, request, *args, **kwargs):
        rows = template_rows(indicators=self.indicators, local_return=self.local_return)
        name = f"{self.council.name} local return {self.quarter.label}".replace(" ", "-").lower()
        if self.file_format == "csv":
            out = io.StringIO()
            csv.writer(out).writerows(rows)
            response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        book = Workbook()
        sheet = book.active
        sheet.title = "Return"
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
