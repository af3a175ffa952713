"""Forms of the written feedback: the sections, a comment on a paragraph, a resolution. The
rules (who, when, which paragraph) live in services_report; the forms collect the input."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from peerchallenge.forms import GDSForm

from .services_report import SECTIONS

PARAGRAPH_HINT = (
    "Separate paragraphs with a blank line: the council comments paragraph by paragraph."
)
HINTS = {
    "executive_summary": "The key findings. " + PARAGRAPH_HINT,
    "strengths": "Areas the team identified as key strengths.",
    "areas_for_development": "Areas the team identified for further development.",
    "recommendations": "For implementing service and practice improvement. The report makes no "
    "judgement and does not make extensive recommendations.",
    "good_practice": "Good practice to share in the region (optional).",
}


class ReportSectionsForm(GDSForm):
    submit_label = "Save the report"
    submit_name = "save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SECTIONS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea,
                help_text=HINTS[key],
            )
        self.helper.layout = Layout(
            *(Field.textarea(key, label_size=Size.MEDIUM, rows=8) for key, _ in SECTIONS)
        )

    @classmethod
    def initial_from(cls, report) -> dict:
        if report is None:
            return {}
        return {key: getattr(report, key) for key, _ in SECTIONS}


class AccuracyCommentForm(forms.Form):
    """Rendered by hand under each paragraph (one per paragraph), so not a GDSForm."""

    section = forms.CharField(
        max_length=40, error_messages={"required": "Choose a paragraph to comment on."}
    )
    paragraph = forms.IntegerField(
        min_value=1,
        max_value=10000,
        error_messages={
            "required": "Choose a paragraph to comment on.",
            "invalid": "Choose a paragraph to comment on.",
            "min_value": "Choose a paragraph to comment on.",
            "max_value": "Choose a paragraph to comment on.",
        },
    )
    text = forms.CharField(
        label="Comment",
        max_length=5000,
        error_messages={
            "required": "Enter your comment.",
            "max_length": "Keep your comment to %(limit_value)d characters or fewer.",
        },
    )


class CommentResolveForm(forms.Form):
    """Rendered by hand under each unresolved comment."""

    resolution = forms.CharField(
        label="How the comment was resolved",
        max_length=5000,
        error_messages={"required": "Say how the comment was resolved."},
    )
