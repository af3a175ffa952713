"""Forms of the on-demand offer. The rules live in the services; the forms collect the input,
offer the allowed choices and say what the rules are next to the fields."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm
from peerchallenge.forms_timetable import SessionForm

from .models import ActivityKind, ReviewerRole
from .services_plan import ARRANGEMENTS_MAX

DATE_HINT = "For example, 2026-09-14"


def _date(label: str, *, required: bool = True, what: str = "the date") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=DATE_HINT,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter {what}.",
            "invalid": "Enter a real date, like 2026-09-14.",
        },
    )


def _text(label: str, required_message: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": required_message},
        **kwargs,
    )


class RequestForm(GDSForm):
    submit_label = "Send the request"

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
    primary_kloe = _text(
        "Primary key line of enquiry",
        "Enter the primary key line of enquiry.",
        help_text="The question that guides the deep dive, for example “How well do our "
        "commissioning arrangements secure sufficient local placements?”",
    )
    why_now = _text("Why now", "Say why the council wants this review now.")
    preferred_start = _date("Earliest preferred first day", what="the earliest preferred first day")
    preferred_latest = _date("Latest preferred first day (optional)", required=False)
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
            Field.text("preferred_start", field_width=Fixed.TEN),
            Field.text("preferred_latest", field_width=Fixed.TEN),
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
    start_date = _date("First review day (if accepting)", required=False)
    note = forms.CharField(
        label="Note to the council",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your question, the reason for declining, or why you accept a first day "
        "outside the council's preferred window (each required). The council's DCS and "
        "organisers are e-mailed.",
    )

    def __init__(self, *args, preferred_start, preferred_latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        window = (
            f"from {preferred_start:%Y-%m-%d} to {preferred_latest:%Y-%m-%d}"
            if preferred_latest
            else f"from {preferred_start:%Y-%m-%d} on"
        )
        self.fields["start_date"].help_text = (
            f"The council's preferred first days: {window}. Leave empty for the earliest, "
            f"{preferred_start:%Y-%m-%d}."
        )
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.text("start_date", field_width=Fixed.TEN),
            Field.textarea("note"),
        )


class AnswerForm(GDSForm):
    submit_label = "Send the answer"

    answer = _text("Your answer", "Enter your answer.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("answer"))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        home = getattr(obj, "home_council", None)
        return f"{obj.full_name} ({obj.email})" + (f", {home}" if home else "")


class ReviewerForm(GDSForm):
    submit_label = "Invite to the team"

    person = PersonChoiceField(
        queryset=None,
        label="Person",
        empty_label="Choose a person",
        error_messages={"required": "Choose the person to invite."},
    )
    role = forms.ChoiceField(
        label="Role on the team",
        choices=[("", "Choose a role"), *ReviewerRole.choices],
        error_messages={"required": "Choose the role on the team."},
    )

    def __init__(self, *args, people, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].help_text = (
            f"Never someone who works for {council}; each person is invited once. An "
            "independent expert who is not yet in the alliance is first invited to it as a "
            "peer reviewer by the alliance admin."
        )
        self.helper.layout = Layout(Field.select("person"), Field.select("role"))


class RespondForm(GDSForm):
    submit_label = "Send my answer"

    accept = forms.TypedChoiceField(
        label="Will you take part?",
        coerce=lambda value: value == "yes",
        choices=[("yes", "Yes, I accept"), ("no", "No, I decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you will take part."},
    )
    reason = forms.CharField(
        label="Reason (if declining, optional)", required=False, max_length=300
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("accept", legend_size=Size.MEDIUM),
            Field.text("reason", field_width=Fluid.TWO_THIRDS),
        )


class ActivityForm(GDSForm):
    submit_label = "Add the activity"

    kind = forms.ChoiceField(
        label="Kind of activity",
        choices=[("", "Choose a kind"), *ActivityKind.choices],
        error_messages={"required": "Choose the kind of activity."},
    )
    description = _text(
        "What it is", "Describe the activity and how it serves the line of enquiry."
    )
    number_of_cases = forms.IntegerField(
        label="Number of cases (case sampling)",
        required=False,
        min_value=1,
        max_value=200,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the number of cases as a whole number, like 12.",
            "min_value": "Enter a number of cases from 1 to 200.",
            "max_value": "Enter a number of cases from 1 to 200.",
        },
    )
    with_whom = forms.CharField(
        label="With whom (focused discussion)",
        required=False,
        max_length=300,
        help_text="For example, Team managers, or Foster carers",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.select("kind"),
            Field.textarea("description"),
            Field.text("number_of_cases", field_width=Fixed.FIVE),
            Field.text("with_whom", field_width=Fluid.TWO_THIRDS),
        )


class ArrangementsForm(VersionedFormMixin, GDSForm):
    submit_label = "Save the arrangements"
    submit_name = "arrangements"

    # The length is checked by the service (one message for both), not by the browser.
    case_record_access = forms.CharField(
        label="Access to case records",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How and where the reviewers read the case records: logins, a room with "
        f"terminals, who supports them. Up to {ARRANGEMENTS_MAX:,} characters.",
    )
    key_people = forms.CharField(
        label="Key people",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who the reviewers will meet or can call on, and how to reach them. Up to "
        f"{ARRANGEMENTS_MAX:,} characters.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("case_record_access"), Field.textarea("key_people")
        )


class ScheduleSessionForm(SessionForm):
    """The shared timetable's session form, in this offer's words: reviewers, rooms or
    places (a site visit's place goes in the room)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].error_messages["invalid_choice"] = "Choose one of the review days."
        self.fields["room"].label = "Room or place"
        self.fields["room"].help_text = "For a site visit, the place visited"
        self.fields["attendees"].label = "Key people attending"
        self.fields["peers"].label = "Reviewers in this session"
        self.fields["peers"].error_messages["invalid_choice"] = "Choose reviewers from the team."


class FindingsForm(VersionedFormMixin, GDSForm):
    submit_label = "Save the key findings"
    submit_name = "findings"

    key_findings = forms.CharField(
        label="Key findings",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Against the primary key line of enquiry. Leave a blank line between paragraphs.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("key_findings"))


class RecommendationForm(GDSForm):
    submit_label = "Add the recommendation"
    submit_name = "recommendation"

    text = _text("Recommendation", "Enter the recommendation.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="recommendation", **kwargs)
        self.helper.layout = Layout(Field.textarea("text"))


class RecommendationResponseForm(GDSForm):
    submit_label = "Save the council's response"

    accept = forms.TypedChoiceField(
        label="Does the council accept this recommendation?",
        coerce=lambda value: value == "yes",
        choices=[("yes", "Yes: make it an agreed action"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the council accepts it."},
    )
    what = forms.CharField(
        label="What the council will do",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.CharField(label="Owner", required=False, max_length=200)
    due_date = _date("Due by", required=False)
    tier2_group = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Monitored by (optional)",
        empty_label="No Tier 2 group",
    )
    note = forms.CharField(
        label="Why not (if not accepted)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier2_group"].queryset = groups
        self.helper.layout = Layout(
            Field.radios("accept", legend_size=Size.MEDIUM),
            Field.textarea("what"),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            Field.text("due_date", field_width=Fixed.TEN),
            Field.select("tier2_group"),
            Field.textarea("note"),
        )
