"""The cycle stage's forms: the cycle and the arrangement of its triads."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from peerchallenge.forms import GDSForm
from peerchallenge.text_limits import TextLimitedForm

from .base import date_field


class CycleForm(GDSForm):
    submit_label = "Save cycle"

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, Children's social care peer challenge, March 2028",
        error_messages={"required": "Enter a name for the cycle."},
    )
    event_date = date_field("Date of the event")
    venue = forms.CharField(label="Venue", max_length=300, required=False)
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, like https://meet.example.org/x"},
    )
    councils = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Participating councils",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the councils taking part."},
    )
    kloes_due = date_field(
        "Key lines of enquiry shared by",
        required=False,
        help_text="Leave empty for 4 weeks before the event.",
    )
    templates_due = date_field(
        "Event-day templates completed by",
        required=False,
        help_text="Leave empty for 1 week after the event.",
    )
    report_due = date_field(
        "Summary report issued by",
        required=False,
        help_text="Leave empty for 6 weeks after the event.",
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councils"].queryset = councils
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.FULL),
            "event_date",
            Field.text("venue", field_width=Fluid.TWO_THIRDS),
            Field.text("online_link", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("councils", legend_size=Size.MEDIUM, small=True),
            "kloes_due",
            "templates_due",
            "report_due",
        )


class ArrangeForm(TextLimitedForm):
    """One choice per council: which triad it is in. Rendered by hand as a table."""

    def __init__(self, *args, councils, triad_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = list(councils)
        choices = [(str(n), f"Triad {n}") for n in range(1, triad_count + 1)]
        for council in self.councils:
            self.fields[f"council_{council.pk}"] = forms.TypedChoiceField(
                label=f"Triad for {council.name}", choices=choices, coerce=int
            )

    def rows(self):
        return [(council, self[f"council_{council.pk}"]) for council in self.councils]

    def groups(self) -> list[list[int]]:
        count = max((int(c[0]) for c in self.fields[next(iter(self.fields))].choices), default=0)
        groups: list[list[int]] = [[] for _ in range(count)]
        for council in self.councils:
            groups[self.cleaned_data[f"council_{council.pk}"] - 1].append(council.pk)
        return groups
