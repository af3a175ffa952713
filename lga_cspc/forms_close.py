"""The form of withdrawing a challenge: the reason, which the sponsor and the team are told.
(Closing needs no form: the confirmation page's button.)"""

from crispy_forms_gds.layout import Field, Layout, Size, Submit
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
        help_text="The sponsor and the peer team are e-mailed this reason.",
        error_messages={"required": REASON_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A warning button: withdrawing cannot be undone.
        self.helper.inputs = [
            Submit(self.submit_name, self.submit_label, css_class="govuk-button--warning")
        ]
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.MEDIUM))
