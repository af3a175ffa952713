"""The event template stage's forms: actions and next steps."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm

from .base import DATE_ERRORS, DATE_HELP


class ActionForm(GDSForm):
    submit_label = "Add action"
    submit_name = "add_action"

    what = forms.CharField(
        label="What the council will do", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(
        label="Owner", max_length=200, required=False, help_text="A name or a role"
    )
    due_date = forms.DateField(
        label="Due by",
        required=False,
        help_text=DATE_HELP,
        error_messages=DATE_ERRORS,
    )
    tier2_group = forms.ModelChoiceField(
        queryset=None, required=False, label="Monitored by", empty_label="No Tier 2 group"
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, prefix="action", **kwargs)
        self.fields["tier2_group"].queryset = groups
        self.helper.layout = Layout(
            Field.textarea("what"),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            Field.text("due_date", field_width=Fixed.TEN),
            Field.select("tier2_group"),
        )


class NextStepsForm(VersionedFormMixin, GDSForm):
    submit_label = "Save next steps"

    next_steps = forms.CharField(
        label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    complete = forms.BooleanField(
        label="The template is complete: these actions become our improvement plan",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="steps", **kwargs)
        self.helper.layout = Layout(
            Field.textarea("next_steps", label_size=Size.MEDIUM), Field.checkbox("complete")
        )
