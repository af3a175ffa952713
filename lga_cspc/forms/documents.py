"""Forms of the advance documentation checklist: uploading an item's file and reviewing it.
The rules (file types, what can be reviewed, the note) live in services.documents and
peerchallenge.uploads; the forms only collect the input."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from peerchallenge.forms import GDSForm

from ..services.documents import ACCEPT, MORE


class ChecklistUploadForm(GDSForm):
    submit_label = "Upload document"

    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The selected file is empty.",
        },
    )

    def __init__(self, *args, accept: str, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"PDF, Word, Excel, PowerPoint, OpenDocument or CSV, up to {max_mb} MB."
        self.fields["file"].widget.attrs["accept"] = accept
        self.helper.layout = Layout(Field("file"))


class ChecklistReviewForm(GDSForm):
    submit_label = "Save review"

    decision = forms.ChoiceField(
        label="Is this document enough?",
        choices=[(ACCEPT, "Yes, accept it"), (MORE, "No, ask the council for more")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept it or ask for more."},
    )
    note = forms.CharField(
        label="What more is needed",
        required=False,
        widget=forms.Textarea,
        help_text="Needed when you ask for more. The council's organiser sees this note.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("note", label_size=Size.SMALL, rows=4),
        )
