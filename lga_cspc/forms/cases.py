"""Forms of the case record review: adding cases by reference, assigning reviewers, the
discussion with the sponsor and the key messages, a case's findings. The rules (what a
reference may be, how many cases, who may review) live in services.cases."""

import datetime

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from peerchallenge.concurrency import VersionedFormMixin, record_version
from peerchallenge.form_fields import GovukDateField, GovukTimeField
from peerchallenge.forms import GDSForm

from ..models import CaseFile
from ..services.cases import (
    CASE_FINDINGS_FIELDS,
    DISCUSSION_FIELDS,
    MAX_CASES,
    TYPICAL_CASES,
    WHY_REFERENCES_ONLY,
    split_references,
)


class CasesAddForm(GDSForm):
    """`sources`: the lists agreed at scoping, (value, label); only they are offered."""

    submit_label = "Add cases"
    submit_name = "add"

    references = forms.CharField(
        label="Case references",
        widget=forms.Textarea,
        error_messages={"required": "Enter at least one case reference, one a line."},
    )
    source = forms.ChoiceField(
        label="From the list of",
        choices=[("", "Choose a list"), *CaseFile.Source.choices],
        error_messages={"required": "Choose the list the cases come from."},
    )

    def __init__(self, *args, sources=CaseFile.Source.choices, **kwargs):
        super().__init__(*args, **kwargs)
        sources = list(sources)
        self.fields["source"].choices = [("", "Choose a list"), *sources]
        self.fields["source"].error_messages["invalid_choice"] = (
            "Choose one of the lists agreed at scoping: "
            f"{', '.join(label for _, label in sources) or 'none yet'}."
        )
        self.fields["references"].help_text = (
            f"One a line. {WHY_REFERENCES_ONLY} A review looks at about {TYPICAL_CASES} "
            f"cases, at most {MAX_CASES}."
        )
        self.fields["references"].widget.attrs["spellcheck"] = "false"
        self.fields["source"].help_text = "One of the lists agreed at scoping."
        self.helper.layout = Layout(
            Field.textarea("references", rows=8, label_size=Size.SMALL),
            Field.select("source"),
        )

    def reference_list(self) -> list[str]:
        return split_references(self.cleaned_data["references"])


class CaseAssignForm(GDSForm):
    """One reviewer choice per case, from the team only."""

    submit_label = "Save reviewers"
    submit_name = "assign"

    def __init__(self, *args, cases, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = list(cases)
        self.reviewers = {str(user.pk): user for user in reviewers}
        choices = [("", "Not assigned")] + [
            (pk, user.full_name or user.email) for pk, user in self.reviewers.items()
        ]
        names = []
        for case in self.cases:
            name = f"reviewer_{case.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"Reviewer of case {case.reference}",
                choices=choices,
                required=False,
                initial=str(case.reviewer_id or ""),
                error_messages={
                    "invalid_choice": f"Choose a peer on the team to review case {case.reference}."
                },
            )
            names.append(Field.select(name))
        self.helper.layout = Layout(*names)

    def assignments(self) -> dict:
        return {
            case.pk: self.reviewers.get(self.cleaned_data.get(f"reviewer_{case.pk}") or "")
            for case in self.cases
        }


class DiscussionForm(VersionedFormMixin, GDSForm):
    submit_label = "Save discussion and key messages"
    submit_name = "discussion"

    discussion_date = GovukDateField(
        label="Date", required=False, error_label="The date of the discussion"
    )
    discussion_time = GovukTimeField(label="Time", required=False)
    notes = forms.CharField(
        label="What was said", required=False, widget=forms.Textarea, help_text=""
    )
    key_messages = forms.CharField(
        label="Key messages",
        required=False,
        widget=forms.Textarea,
        help_text="The summary of the findings for the report, shared with the team and the "
        "council. No names or other details that could identify a child.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(
                "discussion_date",
                "discussion_time",
                Field.textarea("notes", rows=4, label_size=Size.SMALL),
                legend="Discussion with the sponsor",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("key_messages", rows=6, label_size=Size.MEDIUM),
        )

    @classmethod
    def initial_from(cls, review) -> dict:
        if review is None:
            return {"base_version": record_version(None, DISCUSSION_FIELDS)}
        at = review.sponsor_discussion_at
        local = timezone.localtime(at) if at else None
        return {
            "discussion_date": local.date() if local else None,
            "discussion_time": local.strftime("%H:%M") if local else "",
            "notes": review.sponsor_discussion_notes,
            "key_messages": review.key_messages,
            "base_version": record_version(review, DISCUSSION_FIELDS),
        }

    def clean(self):
        data = super().clean()
        day, time = data.get("discussion_date"), data.get("discussion_time")
        if day and not time and "discussion_time" not in self.errors:
            self.add_error("discussion_time", "Enter the time of the discussion, like 14:30.")
        if time and not day and "discussion_date" not in self.errors:
            self.add_error("discussion_date", "Enter the date of the discussion.")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        day, time = data["discussion_date"], data["discussion_time"]
        return {
            "discussion_at": (
                timezone.make_aware(datetime.datetime.combine(day, time)) if day and time else None
            ),
            "notes": data["notes"],
            "key_messages": data["key_messages"],
            "base_version": data["base_version"],
        }


class CaseFindingsForm(VersionedFormMixin, GDSForm):
    submit_label = "Save findings"

    quality = forms.ChoiceField(
        label="Overall, the quality of practice in this case",
        choices=CaseFile.Quality.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the overall quality of practice in this case."},
    )
    voice_of_child = forms.CharField(
        label="The child's voice and experience", required=False, widget=forms.Textarea
    )
    strengths = forms.CharField(label="Strengths", required=False, widget=forms.Textarea)
    areas_for_development = forms.CharField(
        label="Areas for development", required=False, widget=forms.Textarea
    )
    escalated = forms.BooleanField(
        label="A concern about a child's safety was passed to the council at once",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "voice_of_child"
        ].help_text = (
            "Describe the practice, never the child: no names, dates of birth or addresses."
        )
        self.helper.layout = Layout(
            Field.radios("quality", legend_size=Size.MEDIUM),
            Field.textarea("voice_of_child", rows=4, label_size=Size.SMALL),
            Field.textarea("strengths", rows=4, label_size=Size.SMALL),
            Field.textarea("areas_for_development", rows=4, label_size=Size.SMALL),
            Fieldset(
                Field.checkbox("escalated"),
                legend="Escalation",
                legend_size=Size.SMALL,
            ),
        )

    @classmethod
    def initial_from(cls, case) -> dict:
        return {
            "quality": case.quality or None,
            "voice_of_child": case.voice_of_child,
            "strengths": case.strengths,
            "areas_for_development": case.areas_for_development,
            "escalated": case.escalated,
            "base_version": record_version(case, CASE_FINDINGS_FIELDS),
        }
