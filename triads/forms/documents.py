"""The documents stage's form: uploading an evidence document."""

from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from peerchallenge.forms import GDSForm


class DocumentForm(GDSForm):
    submit_label = "Upload document"

    council = forms.ModelChoiceField(
        queryset=None, label="Council", error_messages={"required": "Choose your council."}
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Upload a file with the same title again to add a new version.",
        error_messages={"required": "Enter a title for the document."},
    )
    file = forms.FileField(
        label="File",
        error_messages={"required": "Choose a file to upload."},
    )

    def __init__(self, *args, councils, accept: str, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields[
            "file"
        ].help_text = f"PDF, Word, Excel, PowerPoint, OpenDocument or CSV, up to {max_mb} MB."
        self.fields["file"].widget.attrs["accept"] = accept
        fields = [] if councils.count() == 1 else [Field.select("council")]
        if councils.count() == 1:
            del self.fields["council"]
        self.helper.layout = Layout(
            *fields, Field.text("title", field_width=Fluid.TWO_THIRDS), Field("file")
        )
