"""The booking form: a council asks for an offer of the catalogue."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout, Size
from django import forms

from peerchallenge.form_fields import GovukDateField
from peerchallenge.text_limits import TextLimitedForm


class BookingForm(TextLimitedForm):
    """The booking's question; its answers are checked on their own page (views.booking)."""

    offer = forms.ModelChoiceField(
        queryset=None,
        label="Peer challenge or diagnostic",
        empty_label="Choose an offer",
        error_messages={
            "required": "Choose the peer challenge you would like.",
            # Also an offer closed between "Continue" and sending the request.
            "invalid_choice": "This offer is not open for booking: choose another.",
        },
    )
    council = forms.ModelChoiceField(
        queryset=None,
        label="Council",
        empty_label="Choose a council",
        error_messages={"required": "Choose the council the challenge is for."},
    )
    onsite_start = GovukDateField(
        label="First on-site day",
        error_messages={"required": "Enter the first on-site day."},
    )
    days = forms.IntegerField(
        label="On-site days",
        min_value=1,
        max_value=10,
        error_messages={
            "required": "Enter the number of on-site days.",
            "invalid": "Enter a whole number of days, like 4.",
            "min_value": "Enter at least 1 day.",
            "max_value": "Enter at most 10 days.",
        },
    )
    request_notes = forms.CharField(
        label="What would you like the peer team to look at? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, offers, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers
        self.fields["council"].queryset = councils
        only = list(councils[:2])
        self.single_council = only[0] if len(only) == 1 else None
        if self.single_council:
            self.fields["council"].initial = self.single_council.pk
            self.fields["council"].widget = forms.HiddenInput()
            # Their own council, whatever a tampered form says (a hidden field's error
            # would have nowhere to show).
            self.fields["council"].disabled = True
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("offer"),
            "council" if self.single_council else Field.select("council"),
            "onsite_start",
            Field.text("days", field_width=Fixed.TWO),
            Field.textarea("request_notes", label_size=Size.SMALL),
        )
        self.helper.form_tag = False  # the template adds the button
