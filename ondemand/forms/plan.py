"""The plan stage's forms: the activities, the arrangements and the schedule's sessions."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm
from peerchallenge.forms_timetable import SessionForm

from ..models import ActivityKind
from ..services.plan import ARRANGEMENTS_MAX
from .base import text_field


class ActivityForm(GDSForm):
    submit_label = "Add the activity"

    kind = forms.ChoiceField(
        label="Kind of activity",
        choices=[("", "Choose a kind"), *ActivityKind.choices],
        error_messages={"required": "Choose the kind of activity."},
    )
    description = text_field(
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
