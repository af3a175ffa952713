"""Forms for scheduling and changing an event, and adding its key lines of enquiry."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms
from django.utils.text import format_lazy

from peerchallenge.form_fields import DATE_HINT, GovukDateField, GovukTimeField
from peerchallenge.forms import GDSForm

from ..models import ThematicEvent


def _date(label, *, required=True, help_text=""):
    return GovukDateField(
        label=label,
        required=required,
        help_text=format_lazy("{} {}", help_text, DATE_HINT) if help_text else DATE_HINT,
        error_messages={"required": f"Enter the {label.lower()}."},
    )


def _time(label):
    verb = label.split()[0].lower()  # "starts", "ends"
    return GovukTimeField(
        label=label,
        error_messages={
            "invalid": f"Enter a real time the event {verb}",
            "required": f"Enter the time the event {verb}.",
        },
    )


class EventForm(GDSForm):
    submit_label = "Schedule event"

    theme = forms.ModelChoiceField(
        queryset=None, label="Theme", empty_label="Choose a theme",
        error_messages={"required": "Choose the theme of the event."},
    )  # fmt: skip
    date = _date("Date of the event")
    start_time = _time("Starts at")
    end_time = _time("Ends at")
    format = forms.ChoiceField(
        label="Format",
        choices=ThematicEvent.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the event is in person or online."},
    )
    venue = forms.CharField(
        label="Venue", max_length=300, required=False, help_text="For an event in person."
    )
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        assume_scheme="https",
        help_text="For an online event.",
        error_messages={"invalid": "Enter a full web address, like https://meet.example.org/x"},
    )
    councils = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Participating councils",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the councils taking part."},
    )
    tier2_group = forms.ModelChoiceField(
        queryset=None,
        label="Tier 2 group that owns the theme",
        empty_label="Choose a group",
        error_messages={"required": "Choose the Tier 2 group that owns the theme."},
    )
    nominations_due = _date(
        "Officers nominated by", required=False, help_text="Leave empty for 2 weeks before."
    )
    next_steps_due = _date(
        "Next steps submitted by", required=False, help_text="Leave empty for 2 weeks after."
    )

    def __init__(self, *args, themes, councils, groups, **kwargs):
        super().__init__(*args, **kwargs)
        if themes is None:  # changing an event: its theme stays
            del self.fields["theme"]
        else:
            self.fields["theme"].queryset = themes
        self.fields["councils"].queryset = councils
        self.fields["tier2_group"].queryset = groups
        self.helper.layout = Layout(
            *([Field.select("theme")] if "theme" in self.fields else []),
            "date",
            "start_time",
            "end_time",
            Field.radios("format", legend_size=Size.SMALL, inline=True),
            Field.text("venue", field_width=Fluid.TWO_THIRDS),
            Field.text("online_link", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("councils", legend_size=Size.SMALL, small=True),
            Field.select("tier2_group"),
            "nominations_due",
            "next_steps_due",
        )


class EventChangeForm(EventForm):
    """The scheduling form without the theme, for an event not held yet."""

    submit_label = "Save changes"

    def __init__(self, *args, councils, groups, **kwargs):
        super().__init__(*args, themes=None, councils=councils, groups=groups, **kwargs)


class KloeForm(GDSForm):
    submit_label = "Add line of enquiry"
    submit_name = "add"

    question = forms.CharField(
        label="Line of enquiry",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the line of enquiry."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("question", rows=3))
