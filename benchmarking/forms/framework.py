"""The common framework's forms: a data lead's file, the framework's entries and the
alliance's own indicators. The services check what matters; these say it next to the field."""

from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from peerchallenge.forms import GDSForm

from ..models import Polarity
from ..services.imports import NEIGHBOUR_MODELS


class ImportForm(GDSForm):
    submit_label = "Upload and check"

    file = forms.FileField(
        label="File",
        help_text=(
            "A CSV file as DfE publishes it: a tidy statistics file from Explore Education "
            "Statistics, LAIT's file, or the statistical neighbours. Smaller than 20 MB. "
            "Nothing is loaded until you have read the check and confirmed."
        ),
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file is empty."},
    )
    meta = forms.FileField(
        label="Its metadata file (optional)",
        required=False,
        help_text="For a tidy statistics file, the .meta.csv file DfE publishes beside it: "
        "the check then confirms that each column read holds the indicator expected.",
    )
    model = forms.ChoiceField(
        label="Statistical neighbour model",
        help_text="Only for a statistical neighbours file: the year of DfE's model.",
        choices=[(model, f"The {model} model") for model in NEIGHBOUR_MODELS],
        initial=NEIGHBOUR_MODELS[0],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.fields["meta"].widget.attrs["accept"] = ".csv,text/csv"
        self.helper.layout = Layout(
            Field("file"),
            Field("meta"),
            Field.radios("model", legend_size="s", inline=True),
        )


class EntryForm(GDSForm):
    """Add an indicator to the framework, under a theme."""

    submit_label = "Add to the framework"

    indicator = forms.ChoiceField(
        label="Indicator", error_messages={"required": "Choose an indicator to add."}
    )
    theme = forms.CharField(
        label="Theme",
        max_length=100,
        help_text="Indicators are grouped under their theme, e.g. Help and protection.",
        error_messages={"required": "Enter the theme the indicator belongs to."},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "Choose an indicator"), *choices]
        self.helper.layout = Layout(
            Field("indicator"), Field.text("theme", field_width=Fluid.TWO_THIRDS)
        )


class EntryChangeForm(GDSForm):
    submit_label = "Save"

    theme = forms.CharField(
        label="Theme",
        max_length=100,
        error_messages={"required": "Enter the theme the indicator belongs to."},
    )
    position = forms.IntegerField(
        label="Position in the framework",
        min_value=1,
        error_messages={
            "required": "Enter the indicator's position, counting from 1.",
            "invalid": "Enter the position as a whole number, like 3.",
            "min_value": "The position counts from 1.",
        },
    )

    def __init__(self, *args, last: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.last = last
        self.fields["position"].help_text = f"From 1 (first) to {last} (last)."
        self.helper.layout = Layout(
            Field.text("theme", field_width=Fluid.TWO_THIRDS),
            Field.text("position", field_width=2),
        )

    def clean_position(self):
        position = self.cleaned_data["position"]
        if position > self.last:
            raise forms.ValidationError(
                f"The framework has {self.last} indicators: enter a position from 1 to {self.last}."
            )
        return position


class LocalIndicatorForm(GDSForm):
    submit_label = "Add the indicator"

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the indicator's title."},
    )
    unit = forms.CharField(
        label="Unit",
        max_length=60,
        help_text="What the figure counts, e.g. percent, rate per 10,000 children, days.",
        error_messages={"required": "Enter the indicator's unit."},
    )
    polarity = forms.ChoiceField(
        label="Which way is better?",
        choices=Polarity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether higher or lower is better, or neither."},
    )
    decimals = forms.IntegerField(
        label="Decimal places shown",
        min_value=0,
        max_value=4,
        initial=1,
        error_messages={
            "required": "Enter how many decimal places to show, from 0 to 4.",
            "invalid": "Enter the decimal places as a whole number from 0 to 4.",
            "min_value": "Enter how many decimal places to show, from 0 to 4.",
            "max_value": "Enter how many decimal places to show, from 0 to 4.",
        },
    )
    description = forms.CharField(
        label="How it is counted",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    theme = forms.CharField(
        label="Theme in this year's framework",
        max_length=100,
        error_messages={"required": "Enter the theme the indicator belongs to."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("title"),
            Field.text("unit", field_width=Fluid.TWO_THIRDS),
            Field.radios("polarity", legend_size="s"),
            Field.text("decimals", field_width=2),
            Field.textarea("description"),
            Field.text("theme", field_width=Fluid.TWO_THIRDS),
        )
