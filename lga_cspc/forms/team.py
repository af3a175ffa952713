"""Forms of the team slice: the council's contacts, adding a peer, the charter, conflicts.
The rules themselves live in services.team; the forms only offer the allowed choices and
say what the rules are next to the fields."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size
from django import forms

from peerchallenge.forms import GDSForm, PersonChoiceField

from ..models import TeamRole


class ContactsForm(GDSForm):
    submit_label = "Save contacts"

    sponsor = PersonChoiceField(
        queryset=None, required=False, label="Peer challenge sponsor", empty_label="Not named yet"
    )
    organiser = PersonChoiceField(
        queryset=None,
        required=False,
        label="Peer challenge organiser",
        empty_label="Not named yet",
    )

    def __init__(self, *args, council, sponsors, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = sponsors
        self.fields["sponsor"].help_text = (
            f"The director of children's services of {council} (or equivalent): commissions "
            "the peer challenge and agrees its scope with the LGA."
        )
        self.fields["organiser"].queryset = organisers
        self.fields["organiser"].help_text = (
            f"The single point of contact at {council}: arranges the timetable, supplies the "
            "documents and is available to the team on site. An organiser or the director."
        )
        self.helper.layout = Layout(Field.select("sponsor"), Field.select("organiser"))


class TeamMemberForm(GDSForm):
    submit_label = "Add to the team and invite"

    person = PersonChoiceField(
        queryset=None,
        label="Peer",
        empty_label="Choose a peer",
        error_messages={"required": "Choose the peer to add."},
    )
    role = forms.ChoiceField(
        label="Role on the team",
        choices=[("", "Choose a role"), *TeamRole.choices],
        error_messages={"required": "Choose the role on the team."},
    )
    employer = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Council the peer works for",
        empty_label="As on their membership",
        help_text="Leave as it is to use the council named on the peer's membership.",
    )
    indicative_days = forms.IntegerField(
        label="Days (optional)",
        required=False,
        min_value=1,
        max_value=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 6.",
            "min_value": "Enter a number of days from 1 to 60.",
            "max_value": "Enter a number of days from 1 to 60.",
        },
    )

    def __init__(self, *args, council, peers, councils, days_by_role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = peers
        self.fields["person"].help_text = (
            f"A peer may not work for {council} or have declared a conflict of interest with "
            "it, and may be on the team once. The check runs before the invitation is sent."
        )
        self.fields["role"].help_text = (
            "A complete team has a team leader, a peer challenge manager and at least 3 "
            "senior operational managers (up to 4); at most one lead member and one observer."
        )
        self.fields["employer"].queryset = councils
        self.fields["indicative_days"].help_text = "Leave empty for the indicative days: " + (
            "; ".join(f"{label} {days}" for label, days in days_by_role) + "."
        )
        self.helper.layout = Layout(
            Field.select("person"),
            Field.select("role"),
            Field.select("employer"),
            Field.text("indicative_days", field_width=Fixed.FIVE),
        )


class CharterForm(GDSForm):
    submit_label = "Accept"

    charter = forms.BooleanField(required=False)
    confidentiality = forms.BooleanField(required=False)

    def __init__(self, *args, charter_version, confidentiality_version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charter"].label = f"I accept the peer charter (version {charter_version})"
        fields = [Field.checkbox("charter")]
        if confidentiality_version:
            self.fields[
                "confidentiality"
            ].label = f"I accept the confidentiality agreement (version {confidentiality_version})"
            fields.append(Field.checkbox("confidentiality"))
        else:
            del self.fields["confidentiality"]
        self.helper.layout = Layout(*fields)


class ConflictForm(GDSForm):
    submit_label = "Declare conflict"

    local_authority = forms.ModelChoiceField(
        queryset=None,
        label="Council",
        empty_label="Choose a council",
        error_messages={"required": "Choose the council."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="For example, “I worked there until 2024” or “My partner is its DCS”.",
        error_messages={"required": "Enter the reason, for example “I worked there until 2024”."},
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = councils
        self.helper.layout = Layout(
            Field.select("local_authority"),
            Field.text("reason", field_width=Fluid.TWO_THIRDS, label_size=Size.SMALL),
        )
