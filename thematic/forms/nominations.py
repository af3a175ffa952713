"""The form nominating a council's officer to an event."""

from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from peerchallenge.forms import GDSForm


class NominationForm(GDSForm):
    submit_label = "Nominate officer"

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the officer's full name."},
    )
    job_role = forms.CharField(
        label="Role", max_length=200, help_text="For example, Head of service, exploitation",
        error_messages={"required": "Enter the officer's role."},
    )  # fmt: skip
    # Checked by the service (one message for every way an address can be wrong).
    email = forms.CharField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter the officer's email address."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.helper.layout = Layout(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("job_role", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
        )
