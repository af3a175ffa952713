from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Submit
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from .form_fields import GovukDateField
from .models import COUNCIL_ROLES, OPTIONAL_COUNCIL_ROLES, ActionStatus, LocalAuthority, Role, User
from .text_limits import TextLimitedForm


class PersonChoiceField(forms.ModelChoiceField):
    """A person by name, with their email (and home council, when the queryset has it) so
    that two people of the same name can be told apart."""

    def label_from_instance(self, obj):
        home = getattr(obj, "home_council", None)
        return f"{obj.full_name} ({obj.email})" + (f", {home}" if home else "")


class GDSForm(TextLimitedForm):
    """A form rendered with the GOV.UK template pack, error summary included; its text
    fields are limited (peerchallenge.text_limits)."""

    submit_label = "Continue"
    submit_name = "submit"  # pages with two forms tell them apart by it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit(self.submit_name, self.submit_label))


class RoleCouncilForm(GDSForm):
    """Role plus the council it is held for (required for council roles)."""

    role = forms.ChoiceField(
        choices=[("", "Choose a role"), *Role.choices],
        error_messages={"required": "Choose a role."},
    )
    local_authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.none(),
        required=False,
        label="Council",
        help_text="For a council organiser or director of children's services (and optionally "
        "a peer reviewer's home council). Leave empty for alliance-wide roles.",
        empty_label="No council",
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = councils

    def clean(self):
        data = super().clean()
        role, council = data.get("role"), data.get("local_authority")
        if role in COUNCIL_ROLES and council is None:
            self.add_error("local_authority", "Choose the council this person works for.")
        if role and role not in COUNCIL_ROLES | OPTIONAL_COUNCIL_ROLES and council is not None:
            self.add_error(
                "local_authority", "This role covers the whole alliance: choose “No council”."
            )
        return data


class InvitationForm(RoleCouncilForm):
    submit_label = "Send invitation"

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the person's full name."},
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the person's email address.",
            "invalid": "Enter an email address in the correct format, like name@example.org.",
        },
    )
    field_order = ["full_name", "email", "role", "local_authority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.select("role"),
            Field.select("local_authority"),
        )
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["spellcheck"] = "false"


class MembershipForm(RoleCouncilForm):
    submit_label = "Save role"


class AcceptInvitationForm(GDSForm):
    submit_label = "Create account"

    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter your full name."}
    )
    password1 = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. Avoid common words and passwords you use elsewhere.",
        error_messages={"required": "Create a password."},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again."},
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match.")
        elif first:
            try:
                validate_password(
                    first, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class OfstedImportForm(GDSForm):
    """Staff load Ofsted's published outcomes; the file's checks are csvimport's."""

    submit_label = "Import judgements"

    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="The publication the outcomes come from, for example “Ofsted: children's "
        "social care data in England, outcomes to 31 March 2026”.",
        error_messages={
            "required": "Enter the publication the outcomes come from.",
            "max_length": "Enter the source in 300 characters or fewer.",
        },
    )
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: gss_code, grade, date. Grades: outstanding, good, requires "
        "improvement, inadequate (or 1 to 4). Dates like 2026-03-27.",
        error_messages={
            "required": "Choose a CSV file to import.",
            "empty": "The file is empty.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("source", field_width=Fluid.FULL), Fieldset(Field("file"))
        )
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"


class Tier2GroupForm(GDSForm):
    submit_label = "Save group"

    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the group's name."}
    )
    members = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Members", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("members", small=True),
        )


class ActionUpdateForm(GDSForm):
    submit_label = "Add update"

    status = forms.ChoiceField(label="Status", choices=[], required=False)
    note = forms.CharField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter an update."},
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        if kind == "monitoring":
            del self.fields["status"]
            self.fields["note"].label = "Monitoring note"
            self.helper.inputs[0].value = "Add monitoring note"
            self.helper.layout = Layout(Field.textarea("note"))
        else:
            self.fields["status"].choices = [("", "Keep the current status"), *ActionStatus.choices]
            self.helper.layout = Layout(Field.select("status"), Field.textarea("note"))
        self.helper.inputs[0].name = f"{kind}_submit"


class ActionChangeForm(GDSForm):
    """An agreed action's wording, owner and due date, with the fingerprint of the action as
    it was loaded (see `action_change`)."""

    submit_label = "Save changes"

    what = forms.CharField(
        label="What the council will do",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what the council will do.",
            "max_length": "What the council will do must be 5,000 characters or fewer.",
        },
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="A name or a role",
        error_messages={
            "required": "Enter who owns the action (a name or a role).",
            "max_length": "The owner must be 200 characters or fewer.",
        },
    )
    due_date = GovukDateField(
        label="Due by",
        error_label="The due date",
        error_messages={"required": "Enter the date the action is due by."},
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("what"),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            "due_date",
            "fingerprint",
        )


class ActionRemoveForm(GDSForm):
    submit_label = "Remove action"

    reason = forms.CharField(
        label="Why is this action being removed?",
        help_text="For example, it was agreed twice, or another action replaces it. "
        "The reason is kept with the action's history.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the action is being removed.",
            "max_length": "The reason must be 2,000 characters or fewer.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason"))
        self.helper.inputs = [
            Submit(self.submit_name, self.submit_label, css_class="govuk-button--warning")
        ]


class AllianceLogoForm(GDSForm):
    """An alliance admin uploads the logo for the alliance's reports; the file's checks are
    the service's (peerchallenge.services.alliance_logo)."""

    submit_label = "Upload logo"

    file = forms.FileField(
        label="Logo",
        help_text="A PNG or JPEG image, smaller than 1 MB and at most 2,000 pixels wide and "
        "high. It is shown on the cover of the reports made from now on.",
        error_messages={
            "required": "Select a PNG or JPEG image",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("file"))
        self.fields["file"].widget.attrs["accept"] = ".png,.jpg,.jpeg,image/png,image/jpeg"
