"""The catalogue's form: an offer the LGA's programme manager adds or changes."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm


class OfferForm(VersionedFormMixin, GDSForm):
    submit_label = "Save offer"

    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the offer's name."}
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    min_days = forms.IntegerField(
        label="Shortest on-site length (days)",
        min_value=1,
        max_value=10,
        error_messages={"required": "Enter the shortest length in days."},
    )
    max_days = forms.IntegerField(
        label="Longest on-site length (days)",
        min_value=1,
        max_value=10,
        error_messages={"required": "Enter the longest length in days."},
    )
    funding_note = forms.CharField(
        label="Funding note",
        max_length=200,
        required=False,
        help_text="For example, Fully funded by the DfE",
    )
    fully_funded = forms.BooleanField(
        label="Fully funded whatever the council's Ofsted judgement", required=False
    )
    is_bespoke = forms.BooleanField(label="A bespoke package", required=False)
    is_active = forms.BooleanField(label="Open for booking", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("description"),
            Field.text("min_days", field_width=Fixed.TWO),
            Field.text("max_days", field_width=Fixed.TWO),
            Field.text("funding_note", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("fully_funded", small=True),
            Field.checkbox("is_bespoke", small=True),
            Field.checkbox("is_active", small=True),
        )
