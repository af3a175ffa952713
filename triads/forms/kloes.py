"""The triad stage's forms: the consultant, the key lines of enquiry and comments."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm


class ConsultantForm(GDSForm):
    submit_label = "Save consultant"

    consultant = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Independent consultant",
        empty_label="No consultant yet",
    )

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants
        self.helper.layout = Layout(Field.select("consultant"))


class KloeForm(VersionedFormMixin, GDSForm):
    submit_label = "Save key line of enquiry"

    council = forms.ModelChoiceField(
        queryset=None, label="Council", error_messages={"required": "Choose your council."}
    )
    title = forms.CharField(
        label="Title", max_length=200, required=False, help_text="A few words, like Early help"
    )
    question = forms.CharField(
        label="The line of enquiry",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The question you want your peers to explore with you.",
    )
    why_it_matters = forms.CharField(
        label="Why it matters", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label="Evidence you will bring", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        fields = []
        if councils is None or councils.count() == 1:
            # One council (or editing an existing KLOE): nothing to choose.
            del self.fields["council"]
        else:
            fields.append(Field.select("council"))
        self.helper.layout = Layout(
            *fields,
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("question"),
            Field.textarea("why_it_matters"),
            Field.textarea("evidence"),
        )


class CommentForm(GDSForm):
    submit_label = "Add comment"

    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a comment."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("text", label_size=Size.SMALL))
