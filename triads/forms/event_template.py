"""The event template stage's forms: actions and next steps."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.form_fields import GovukDateField
from peerchallenge.forms import GDSForm


class ActionForm(GDSForm):
    submit_label = "Add action"
    submit_name = "add_action"

    what = forms.CharField(
        label="What the council will do", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(
        label="Owner", max_length=200, required=False, help_text="A name or a role"
    )
    due_date = GovukDateField(label="Due by", required=False, error_label="The due date")
    tier2_group = forms.ModelChoiceField(
        queryset=None, required=False, label="Monitored by", empty_label="No Tier 2 group"
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, prefix="action", **kwargs)
        self.fields["tier2_group"].queryset = groups
        self.helper.layout = Layout(
            Field.textarea("what"),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            "due_date",
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
