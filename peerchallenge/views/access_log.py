"""The alliance's access log, for its admins: who downloaded, viewed or exported what."""

from django import forms
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from peerchallenge.form_fields import GovukDateField
from peerchallenge.text_limits import TextLimitedForm

from ..access_log import AccessLogFilters, access_log_lines, access_log_of, access_log_people
from .mixins import AlliancePermissionMixin

LOG_PAGE_SIZE = 50
# The query's parameters that filter: a date's three boxes, or the whole date in ISO form
# from a link built before the boxes.
FILTER_PARAMS = (
    "person",
    *(
        f"{name}{part}"
        for name in ("date_from", "date_to")
        for part in ("", "_day", "_month", "_year")
    ),
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} ({user.email})" if user.full_name else user.email


class AccessLogFilterForm(TextLimitedForm):
    """The filters, read from the query string (a GET: nothing is written)."""

    person = PersonChoiceField(
        queryset=None,
        required=False,
        label="Person",
        empty_label="Everyone",
        error_messages={"invalid_choice": "Choose a person from the list."},
    )
    date_from = GovukDateField(label="From", required=False, error_label="The date from")
    date_to = GovukDateField(label="To", required=False, error_label="The date to")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["date_from"].label = "From (date)"
        self.fields["date_to"].label = "To (date, included)"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The date to must be the same as or after the date from.")
        return data

    def filters(self) -> AccessLogFilters:
        data = self.cleaned_data
        return AccessLogFilters(
            user=data["person"].pk if data.get("person") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class AccessLogView(AlliancePermissionMixin, TemplateView):
    permission_required = "peerchallenge.view_access_log"
    template_name = "peerchallenge/access_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        filtering = any(get.get(name) for name in FILTER_PARAMS)
        form = AccessLogFilterForm(
            get if filtering else None, people=access_log_people(alliance=self.alliance)
        )
        context["form"] = form
        if filtering and not form.is_valid():
            # Bad dates: say what is wrong, and show no lines rather than lines the person
            # did not ask for.
            context["page"] = None
            return context
        filters = form.filters() if filtering else AccessLogFilters()
        page = Paginator(access_log_of(alliance=self.alliance, filters=filters), LOG_PAGE_SIZE)
        page = page.get_page(get.get("page"))
        query = get.copy()
        query.pop("page", None)
        context.update(
            page=page,
            lines=access_log_lines(
                logs=list(page.object_list), user=self.request.user, alliance=self.alliance
            ),
            filters=filters,
            query=query.urlencode(),
        )
        return context
