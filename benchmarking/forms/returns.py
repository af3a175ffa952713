"""The quarterly local return's forms: opening a quarter, a council's figures, the
uploaded template."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.form_fields import GovukDateField
from peerchallenge.forms import GDSForm

from ..services.returns import Entry, entry_parse


class QuarterForm(GDSForm):
    submit_label = "Open the quarter"

    year = forms.TypedChoiceField(
        label="Financial year", coerce=int, error_messages={"required": "Choose the year."}
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[
            (1, "Q1: April to June"),
            (2, "Q2: July to September"),
            (3, "Q3: October to December"),
            (4, "Q4: January to March"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the quarter."},
    )
    deadline = GovukDateField(
        label="Deadline for councils' returns",
        error_label="The deadline",
        error_messages={"required": "Enter the deadline for councils' returns."},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}-{(year + 1) % 100:02}") for year in years]
        self.helper.layout = Layout(
            Field("year"),
            Field.radios("quarter", legend_size="s"),
            "deadline",
        )


class ReturnForm(VersionedFormMixin, GDSForm):
    """A text field per local indicator: a number, x for not available, or empty for not
    yet known. Two buttons: save, or save and submit."""

    submit_label = "Save and submit the return"
    submit_name = "submit_return"

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        names = []
        for indicator in indicators:
            name = f"indicator_{indicator.pk}"
            self.fields[name] = forms.CharField(
                label=indicator.title,
                required=False,
                max_length=30,
                help_text=f"{indicator.unit.capitalize()}. Write x if it is not available.",
            )
            names.append(Field.text(name, field_width=Fluid.ONE_QUARTER))
        self.helper.layout = Layout(*names)
        self.helper.add_input(
            Submit("save", "Save as a draft", css_class="govuk-button--secondary")
        )

    def clean(self):
        cleaned = super().clean()
        self.entries: dict[int, Entry] = {}
        for indicator in self.indicators:
            name = f"indicator_{indicator.pk}"
            try:
                self.entries[indicator.pk] = entry_parse(cleaned.get(name, ""))
            except ValueError as error:
                self.add_error(name, str(error))
        return cleaned


class TemplateUploadForm(GDSForm):
    submit_label = "Upload the figures"
    submit_name = "upload"

    file = forms.FileField(
        label="The filled-in template",
        help_text="The CSV or Excel file downloaded from this page, with the value column "
        "filled in. The figures are saved as a draft for you to check and submit.",
        error_messages={"required": "Choose the filled-in template to upload."},
    )
