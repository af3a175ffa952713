"""The findings stage's forms: the key findings, the recommendations and the council's
responses."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm

from .base import date_field, text_field


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

    text = text_field("Recommendation", "Enter the recommendation.")

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
    due_date = date_field("Due by", required=False, what="the due date")
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
            "due_date",
            Field.select("tier2_group"),
            Field.textarea("note"),
        )
