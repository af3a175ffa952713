"""Scoping forms: the meeting, advisers, focus and dates; the scope and its probes."""

import datetime

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from peerchallenge.concurrency import VersionedFormMixin, record_version
from peerchallenge.form_fields import GovukDateField, GovukTimeField
from peerchallenge.forms import GDSForm

from ..data import focus_areas
from ..models import CaseFile
from ..services.scoping import SCOPING_TEXTS


def _date(label, *, required, error_required=""):
    return GovukDateField(
        label=label,
        required=required,
        error_messages={"required": error_required or f"Enter the {label.lower()}."},
    )


def _text(label, *, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea,
    )


class AdviserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class ScopingForm(VersionedFormMixin, GDSForm):
    submit_label = "Save scoping"

    scoping_date = _date("Date of the scoping meeting", required=False)
    scoping_time = GovukTimeField(label="Time of the scoping meeting", required=False)
    scoping_location = forms.CharField(
        label="Where or how the meeting takes place",
        max_length=300,
        required=False,
        help_text="For example, Council House, Derby, or the online meeting link",
    )
    principal_adviser = AdviserChoiceField(
        queryset=None, required=False, label="LGA principal adviser", empty_label="Not named yet"
    )
    improvement_adviser = AdviserChoiceField(
        queryset=None,
        required=False,
        label="Children's improvement adviser (CIA)",
        empty_label="Not named yet",
    )
    focus = _text(
        "Agreed focus",
        help_text="What the council wants the peer challenge to look at, as agreed at the "
        "scoping meeting.",
    )
    onsite_start = _date("First on-site day", required=True)
    days = forms.IntegerField(
        label="On-site days",
        help_text="Between 1 and 10.",
        error_messages={
            "required": "Enter the number of on-site days.",
            "invalid": "Enter the number of on-site days as a whole number, like 4.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    team_needed = _text(
        "Peer team needed",
        help_text="For example, a DCS as team leader, three senior operational managers with "
        "early help experience, a lead member.",
    )
    documents_required = _text(
        "Documents required",
        help_text="What the council sends before the on-site phase, one item a line.",
    )
    confidentiality_required = forms.BooleanField(
        label="The council asks peers to sign a confidentiality agreement", required=False
    )
    case_lists = forms.MultipleChoiceField(
        label="Case lists for the case record review",
        choices=CaseFile.Source.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The council's lists the peers choose the cases from. Select all that apply.",
        error_messages={
            "required": "Choose at least one list the cases for the case record review come from.",
            "invalid_choice": "Choose the case lists from the list.",
        },
    )

    def __init__(self, *args, principal_advisers, improvement_advisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal_adviser"].queryset = principal_advisers
        self.fields["improvement_adviser"].queryset = improvement_advisers
        self.helper.layout = Layout(
            Fieldset(
                "scoping_date",
                "scoping_time",
                Field.text("scoping_location", field_width=Fluid.TWO_THIRDS),
                legend="Scoping meeting",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("principal_adviser"),
                Field.select("improvement_adviser"),
                legend="The region's LGA advisers",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("focus", rows=5),
                "onsite_start",
                Field.text("days", field_width=Fixed.TWO),
                Field.textarea("team_needed", rows=4),
                Field.textarea("documents_required", rows=5),
                Field.checkbox("confidentiality_required", small=True),
                Field.checkboxes("case_lists", legend_size=Size.SMALL, small=True),
                legend="What was agreed",
                legend_size=Size.MEDIUM,
            ),
        )

    @classmethod
    def initial_from(cls, challenge) -> dict:
        meeting = challenge.scoping_meeting_at
        local = timezone.localtime(meeting) if meeting else None
        return {
            "scoping_date": local.date() if local else None,
            "scoping_time": local.strftime("%H:%M") if local else "",
            "scoping_location": challenge.scoping_location,
            "principal_adviser": challenge.principal_adviser_id,
            "improvement_adviser": challenge.improvement_adviser_id,
            "focus": challenge.focus,
            "onsite_start": challenge.onsite_start,
            "days": challenge.days,
            "team_needed": challenge.team_needed,
            "documents_required": challenge.documents_required,
            "confidentiality_required": challenge.confidentiality_required,
            "case_lists": list(challenge.case_lists),
            "base_version": record_version(challenge, SCOPING_TEXTS),
        }

    @classmethod
    def data_from(cls, challenge) -> dict:
        """What is recorded, as if posted: to show a refused proposal's errors on the form."""
        data = {}
        for name, value in cls.initial_from(challenge).items():
            if value is None or value is False:
                continue
            if value is True:
                data[name] = "on"
            elif isinstance(value, list):  # a multiple choice: the list itself
                data[name] = value
            else:
                data[name] = str(value)
        return data

    def clean(self):
        data = super().clean()
        date, time = data.get("scoping_date"), data.get("scoping_time")
        if date and not time and "scoping_time" not in self.errors:
            self.add_error("scoping_time", "Enter the time of the scoping meeting, like 14:30.")
        if time and not date and "scoping_date" not in self.errors:
            self.add_error("scoping_date", "Enter the date of the scoping meeting.")
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        date, time = data.pop("scoping_date"), data.pop("scoping_time")
        data["scoping_meeting_at"] = (
            timezone.make_aware(datetime.datetime.combine(date, time)) if date and time else None
        )
        return data


class ScopeForm(GDSForm):
    """The thematic modules (checkboxes) and, for each element in scope, its probes in a
    textarea, one a line. A module chosen now gets its textarea (with default probes) after
    saving."""

    submit_label = "Save scope"

    modules = forms.MultipleChoiceField(
        label="Thematic modules",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Typically two, at most four. Removing a module removes its lines of enquiry.",
    )

    def __init__(self, *args, elements: list[str], extra_modules=(), **kwargs):
        """`elements`: the names of the elements in scope (core first), each getting a
        textarea; `extra_modules`: modules on the challenge no longer in the catalogue."""
        super().__init__(*args, **kwargs)
        names = [*focus_areas.MODULE_NAMES, *extra_modules]
        self.fields["modules"].choices = [(name, name) for name in names]
        self.element_fields: dict[str, str] = {}
        layout = [Field.checkboxes("modules", legend_size=Size.MEDIUM, small=True)]
        for name in elements:
            key = focus_areas.field_key(name)
            self.element_fields[name] = key
            self.fields[key] = forms.CharField(
                label=name,
                required=False,
                widget=forms.Textarea,
                help_text="One line of enquiry a line.",
            )
            layout.append(Field.textarea(key, label_size=Size.SMALL, rows=5))
        self.helper.layout = Layout(*layout)

    def probes(self) -> dict[str, list[str]]:
        """The probes of each element whose box was sent (a box not sent is left as is)."""
        return {
            name: focus_areas.probes_from_text(self.cleaned_data.get(key, ""))
            for name, key in self.element_fields.items()
            if self.add_prefix(key) in self.data
        }
