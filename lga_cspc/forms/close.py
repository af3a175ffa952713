"""The form of withdrawing a challenge: the reason, which the sponsor and the team are told.
(Closing needs no form: the confirmation page's button.)"""

from crispy_forms_gds.layout import Field, Fixed, Layout, Size, Submit
from django import forms

from peerchallenge.forms import GDSForm

REASON_REQUIRED = (
    "Enter why the challenge is withdrawn, for example “The council postponed it to next year”."
)


class WithdrawForm(GDSForm):
    submit_label = "Withdraw the challenge"

    reason = forms.CharField(
        label="Why is the challenge withdrawn?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The sponsor and the peer team are emailed this reason.",
        error_messages={"required": REASON_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A warning button: withdrawing cannot be undone.
        self.helper.inputs = [
            Submit(self.submit_name, self.submit_label, css_class="govuk-button--warning")
        ]
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.MEDIUM))


class SubsidyForm(GDSForm):
    """The LGA's programme manager changes a booked challenge's subsidy, saying why."""

    submit_label = "Change the subsidy"

    percent = forms.IntegerField(
        label="New LGA subsidy (%)",
        min_value=0,
        max_value=100,
        help_text="The share of the cost the LGA pays, from 0 to 100.",
        error_messages={
            "required": "Enter the new subsidy, from 0 to 100.",
            "invalid": "Enter the subsidy as a whole number, from 0 to 100.",
            "min_value": "Enter a subsidy between 0 and 100%%.",  # %-formatted by Django
            "max_value": "Enter a subsidy between 0 and 100%%.",
        },
    )
    reason = forms.CharField(
        label="Why does the subsidy change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the challenge and shown on its page.",
        error_messages={
            "required": "Enter why the subsidy changes, for example “Ofsted re-inspected "
            "the council before the booking was confirmed”.",
            "max_length": "Enter the reason in 2,000 characters or fewer.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("percent", field_width=Fixed.THREE),
            Field.textarea("reason", label_size=Size.MEDIUM),
        )
