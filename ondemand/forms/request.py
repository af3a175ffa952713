"""The request stage's forms: a council's request, the programme manager's decision and
the council's answer. The rules live in the services; the forms collect the input, offer the
allowed choices and say what the rules are next to the fields."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from peerchallenge.forms import GDSForm

from .base import DATE_HINT, date_field, text_field


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


class RequestForm(GDSForm):
    submit_label = "Continue"  # to the check page, which sends the request (views.request)

    local_authority = forms.ModelChoiceField(
        queryset=None,
        label="Council",
        empty_label=None,
        error_messages={"required": "Choose your council."},
    )
    service_area = forms.CharField(
        label="Service area to review",
        max_length=200,
        help_text="One specific area of service, for example Children's commissioning",
        error_messages={"required": "Enter the service area to review."},
    )
    primary_kloe = text_field(
        "Primary key line of enquiry",
        "Enter the primary key line of enquiry.",
        help_text="The question that guides the deep dive, for example “How well do our "
        "commissioning arrangements secure sufficient local placements?”",
    )
    why_now = text_field("Why now", "Say why the council wants this review now.")
    preferred_start = date_field(
        "Earliest preferred first day", what="the earliest preferred first day"
    )
    preferred_latest = date_field("Latest preferred first day (optional)", required=False)
    days = forms.TypedChoiceField(
        label="Length",
        coerce=int,
        choices=[(1, "One day"), (2, "Two days")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one or two days."},
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = councils
        self.fields[
            "preferred_start"
        ].help_text = f"The first day the review could start. {DATE_HINT}"
        self.fields["preferred_latest"].help_text = (
            "The last day it could start, if the programme manager may choose a first day in "
            f"a window. {DATE_HINT}"
        )
        self.helper.layout = Layout(
            Field.select("local_authority"),
            Field.text("service_area", field_width=Fluid.TWO_THIRDS),
            Field.textarea("primary_kloe"),
            Field.textarea("why_now"),
            "preferred_start",
            "preferred_latest",
            Field.radios("days", legend_size=Size.SMALL, inline=True),
        )


class DecisionForm(GDSForm):
    submit_label = "Save the decision"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("accept", "Accept the request"),
            ("ask", "Ask the council for more information"),
            ("decline", "Decline the request"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept, ask or decline."},
    )
    start_date = date_field("First review day (if accepting)", required=False)
    note = forms.CharField(
        label="Note to the council",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your question, the reason for declining, or why you accept a first day "
        "outside the council's preferred window (each required). The council's DCS and "
        "organisers are emailed.",
    )

    def __init__(self, *args, preferred_start, preferred_latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        window = (
            f"from {_long(preferred_start)} to {_long(preferred_latest)}"
            if preferred_latest
            else f"from {_long(preferred_start)} on"
        )
        self.fields["start_date"].help_text = (
            f"The council's preferred first days: {window}. Leave empty for the earliest, "
            f"{_long(preferred_start)}."
        )
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            "start_date",
            Field.textarea("note"),
        )


class AnswerForm(GDSForm):
    submit_label = "Send the answer"

    answer = text_field("Your answer", "Enter your answer.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("answer"))
