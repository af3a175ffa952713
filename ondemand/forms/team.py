"""The team stage's forms: inviting a reviewer and the reviewer's answer."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from peerchallenge.forms import GDSForm, PersonChoiceField

from ..models import ReviewerRole


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
