"""The form of a note of the on-site phase. Its rules (text needed, a kind of the log, a
session of this challenge) live in services.onsite; the form only collects the input."""

from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from peerchallenge.forms import GDSForm

from ..models import SiteNote

KIND_MESSAGE = "Choose what kind of note this is."
SESSION_MESSAGE = "Choose a session of this challenge's timetable."


def session_label(session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return f"{start:%a} {start.day} {start:%b}, {start:%H:%M} to {end:%H:%M}: {session.title}"


class SiteNoteForm(GDSForm):
    submit_label = "Add note"

    kind = forms.ChoiceField(
        label="What kind of note is this?",
        choices=SiteNote.Kind.choices,
        widget=forms.RadioSelect,
        help_text="Share an emerging issue with the sponsor once it is saved, so the feedback "
        "holds no surprises. The presentation needs at least one case study.",
        error_messages={"required": KIND_MESSAGE, "invalid_choice": KIND_MESSAGE},
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=SiteNote._meta.get_field("title").max_length,
        error_messages={"max_length": "The title must be %(limit_value)d characters or fewer."},
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea,
        error_messages={"required": "Enter the note."},
    )
    session = forms.ChoiceField(
        label="Session (optional)",
        required=False,
        help_text="The session of the timetable this note is about, if any.",
        error_messages={"invalid_choice": SESSION_MESSAGE},
    )
    for_presentation = forms.BooleanField(label="Use in the feedback presentation", required=False)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {str(session.pk): session for session in sessions}
        self.fields["session"].choices = [
            ("", "Not about one session"),
            *((pk, session_label(session)) for pk, session in self.sessions.items()),
        ]
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("text", rows=5),
            Field.select("session"),
            Fieldset(
                Field.checkbox("for_presentation", small=True),
                legend="Feedback presentation",
                legend_size=Size.SMALL,
            ),
        )

    def note_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "text": data["text"],
            "session": self.sessions.get(data["session"] or ""),
            "for_presentation": data["for_presentation"],
        }
