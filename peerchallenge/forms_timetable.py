"""The form of a timetable session, shared by the offers with on-site days (the LGA's peer
challenge, on-demand reviews): a day of the on-site phase, start and end times, what it is,
the room, who attends and which peers. Clashes and each offer's rules live in the services
(peerchallenge.services.timetable and the offer's own); the form only collects the input
and makes the times."""

import datetime

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from peerchallenge.concurrency import VersionedFormMixin, values_version
from peerchallenge.forms import GDSForm
from peerchallenge.models import Session, SessionKind
from peerchallenge.services.timetable import session_texts

from .dates import weekday_text
from .form_fields import GovukTimeField


def _time(label: str, what: str) -> GovukTimeField:
    return GovukTimeField(
        label=label,
        error_messages={
            "required": f"Enter the time the session {what}.",
            "invalid": f"Enter a real {label.lower()}",
        },
    )


class SessionForm(VersionedFormMixin, GDSForm):
    submit_label = "Add session"

    day = forms.TypedChoiceField(
        label="Day",
        coerce=datetime.date.fromisoformat,
        error_messages={
            "required": "Choose the day of the session.",
            "invalid_choice": "Choose one of the on-site days.",
        },
    )
    starts_at = _time("Start time", "starts")
    ends_at = _time("End time", "ends")
    kind = forms.ChoiceField(
        label="Kind of session",
        choices=[("", "Choose a kind"), *SessionKind.choices],
        error_messages={"required": "Choose what kind of session it is."},
    )
    title = forms.CharField(
        label="Title",
        max_length=Session._meta.get_field("title").max_length,
        help_text="For example, Interview with the Lead Member, or Focus group: social workers",
        error_messages={
            "required": "Enter the session's title.",
            "max_length": "The title must be %(limit_value)d characters or fewer.",
        },
    )
    room = forms.CharField(
        label="Room",
        required=False,
        max_length=Session._meta.get_field("room").max_length,
        error_messages={"max_length": "The room must be %(limit_value)d characters or fewer."},
    )
    attendees = forms.CharField(
        label="Who attends from the council and partners",
        required=False,
        widget=forms.Textarea,
        help_text="Names or roles, for example the Lead Member and the Head of Service.",
    )
    peers = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Peers in this session",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose peers from the team."},
    )

    def __init__(self, *args, days: list[datetime.date], peers, session=None, **kwargs):
        if session is not None:
            start = timezone.localtime(session.starts_at)
            kwargs["initial"] = {
                "day": start.date().isoformat(),
                "starts_at": f"{start:%H:%M}",
                "ends_at": f"{timezone.localtime(session.ends_at):%H:%M}",
                "kind": session.kind,
                "title": session.title,
                "room": session.room,
                "attendees": session.attendees,
                "peers": [peer.pk for peer in session.peers.all()],
                "base_version": values_version(session_texts(session)),
            }
            self.submit_label = "Save session"
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [
            (day.isoformat(), f"Day {n}: {weekday_text(day)}")
            for n, day in enumerate(days, start=1)
        ]
        self.fields["peers"].queryset = peers
        self.fields["peers"].label_from_instance = lambda user: user.full_name or user.email
        self.helper.layout = Layout(
            Field.select("day"),
            "starts_at",
            "ends_at",
            Field.select("kind"),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.text("room", field_width=Fluid.ONE_THIRD),
            Field.textarea("attendees", rows=3),
            Field.checkboxes("peers", legend_size=Size.SMALL, small=True),
        )

    def session_fields(self) -> dict:
        """The cleaned input as the service takes it, the times made aware (local time)."""
        data = self.cleaned_data
        day = data["day"]
        return {
            "kind": data["kind"],
            "title": data["title"],
            "starts_at": timezone.make_aware(datetime.datetime.combine(day, data["starts_at"])),
            "ends_at": timezone.make_aware(datetime.datetime.combine(day, data["ends_at"])),
            "room": data["room"],
            "attendees": data["attendees"],
            "peers": list(data["peers"]),
            "base_version": data["base_version"],
        }
