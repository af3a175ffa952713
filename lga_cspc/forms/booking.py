from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm
from peerchallenge.text_limits import TextLimitedForm

DATE_HELP = "For example, 2027-05-10"


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


class BookingForm(TextLimitedForm):
    """Two steps on one page: check (subsidy and lead time shown), then request."""

    offer = forms.ModelChoiceField(
        queryset=None,
        label="Peer challenge or diagnostic",
        empty_label="Choose an offer",
        error_messages={"required": "Choose the peer challenge you would like."},
    )
    council = forms.ModelChoiceField(
        queryset=None,
        label="Council",
        empty_label="Choose a council",
        error_messages={"required": "Choose the council the challenge is for."},
    )
    onsite_start = forms.DateField(
        label="First on-site day",
        help_text=DATE_HELP,
        error_messages={
            "required": "Enter the first on-site day.",
            "invalid": "Enter a real date, like 2027-05-10.",
        },
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
        self.fields["onsite_start"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("offer"),
            "council" if self.single_council else Field.select("council"),
            Field.text("onsite_start", field_width=Fixed.TEN),
            Field.text("days", field_width=Fixed.TWO),
            Field.textarea("request_notes", label_size=Size.SMALL),
        )
        self.helper.form_tag = False  # the template adds the two buttons
