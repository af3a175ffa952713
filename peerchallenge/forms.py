from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from .models import COUNCIL_ROLES, OPTIONAL_COUNCIL_ROLES, LocalAuthority, OfstedGrade, Role
from .text_limits import limit_text_fields


class GDSForm(forms.Form):
    """A form rendered with the GOV.UK template pack, error summary included."""

    submit_label = "Continue"
    submit_name = "submit"  # pages with two forms tell them apart by it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_fields(self)  # no unbounded text (peerchallenge.text_limits)
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
        label="E-mail address",
        error_messages={
            "required": "Enter the person's e-mail address.",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org.",
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
            from .models import User

            try:
                validate_password(
                    first, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class OfstedForm(GDSForm):
    submit_label = "Save judgement"

    ofsted_grade = forms.ChoiceField(
        label="Latest Ofsted ILACS grade",
        choices=[("", "Not yet recorded"), *OfstedGrade.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    ofsted_date = forms.DateField(
        label="Date of the judgement",
        help_text="For example, 2026-03-27",
        required=False,
        error_messages={"invalid": "Enter a real date, like 2026-03-27."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("ofsted_grade", legend_size=Size.MEDIUM),
            Field.text("ofsted_date", field_width=Fixed.TEN),
        )


class OfstedImportForm(GDSForm):
    submit_label = "Import grades"

    file = forms.FileField(
        label="CSV file",
        help_text="Columns: gss_code, grade, date. Grades: outstanding, good, requires "
        "improvement, inadequate. Dates like 2026-03-27.",
        error_messages={"required": "Choose a CSV file to import."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Fieldset(Field("file")))
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PEERCHALLENGE_CSV_MAX_BYTES:
            limit = settings.PEERCHALLENGE_CSV_MAX_BYTES // (1024 * 1024)
            raise ValidationError(f"The file must be smaller than {limit} MB.")
        if upload.size == 0:
            raise ValidationError("The file is empty.")
        head = upload.read(2048)
        upload.seek(0)
        if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
            raise ValidationError(
                "The file must be a CSV file. If it is a spreadsheet, save it as CSV UTF-8."
            )
        return upload


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
        from .models import ActionStatus

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
