"""Forms of the written feedback: the sections, the length of the factual-accuracy window
when the draft is issued, a comment on a paragraph, a resolution. The rules (who, when,
which paragraph, how long) live in services.report; the forms collect the input."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from peerchallenge.concurrency import VersionedFormMixin, values_version
from peerchallenge.forms import GDSForm
from peerchallenge.text_limits import TextLimitedForm

from ..services.report import (
    ACCURACY_MAX_DAYS,
    ACCURACY_MIN_DAYS,
    ACCURACY_WORKING_DAYS,
    AUDIENCE_MISSING,
    SECTIONS,
    report_sections_text,
)

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
    "case_studies": "The case studies the team marked on site for the presentation and the "
    "report. The team leader is warned when there is none.",
}


class ReportSectionsForm(VersionedFormMixin, GDSForm):
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
        texts = report_sections_text(report)
        return {**texts, "base_version": values_version(texts)}


DAYS_RANGE = (
    f"Enter a whole number of working days between {ACCURACY_MIN_DAYS} and {ACCURACY_MAX_DAYS}."
)


class IssueDraftForm(TextLimitedForm):
    """Rendered by hand above the "Issue the draft to the council" button."""

    working_days = forms.IntegerField(
        label="Working days the council has to comment",
        initial=ACCURACY_WORKING_DAYS,
        min_value=ACCURACY_MIN_DAYS,
        max_value=ACCURACY_MAX_DAYS,
        help_text=(
            f"Between {ACCURACY_MIN_DAYS} and {ACCURACY_MAX_DAYS}; usually "
            f"{ACCURACY_WORKING_DAYS}. Weekends and bank holidays are not counted."
        ),
        error_messages={
            "required": DAYS_RANGE,
            "invalid": DAYS_RANGE,
            "min_value": DAYS_RANGE,
            "max_value": DAYS_RANGE,
        },
    )


class AccuracyCommentForm(TextLimitedForm):
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


class CommentResolveForm(TextLimitedForm):
    """Rendered by hand under each unresolved comment."""

    resolution = forms.CharField(
        label="How the comment was resolved",
        max_length=5000,
        error_messages={"required": "Say how the comment was resolved."},
    )


class ReportShareForm(GDSForm):
    """The sponsor chooses whom in the regional alliance the final report is shared with.
    The choices name the alliance (selectors.share_audience_label); the rule of who each
    audience is lives in permissions.SHARE_AUDIENCE_ROLES."""

    submit_label = "Share the final report"

    audience = forms.ChoiceField(
        label="Who in the region may read the report?",
        widget=forms.RadioSelect,
        error_messages={
            "required": AUDIENCE_MISSING,
            "invalid_choice": AUDIENCE_MISSING,
        },
    )

    def __init__(self, *args, choices: list[tuple[str, str]], question: str, **kwargs):
        """`choices`: (audience, label naming the alliance); `question`: the page's heading."""
        super().__init__(*args, **kwargs)
        field = self.fields["audience"]
        field.choices = choices
        field.label = question
        field.help_text = (
            "Each of them is emailed a link to the reports shared with the region. You can "
            "stop sharing at any time."
        )
        self.helper.layout = Layout(
            Field.radios("audience", legend_size=Size.LARGE, legend_tag="h1")
        )
