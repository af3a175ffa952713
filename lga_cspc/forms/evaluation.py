"""Forms of the after-challenge pages: the evaluation interview (scheduling it, recording
it), a peer's questionnaire, a next step. The rules live in services.evaluation."""

import datetime

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from peerchallenge.concurrency import VersionedFormMixin, record_version
from peerchallenge.form_fields import DATE_HINT, GovukTimeField
from peerchallenge.forms import GDSForm

from ..services.evaluation import EVALUATION_TEXTS, RATING_CHOICES, RATINGS
from .scoping import AdviserChoiceField, _date


def _time(label):
    return GovukTimeField(label=label, required=False)


class InterviewMomentMixin:
    """A date and a time, both or neither, as one aware `interview_at`."""

    def clean(self):
        data = super().clean()
        date, time = data.get("interview_date"), data.get("interview_time")
        if date and not time and "interview_time" not in self.errors:
            self.add_error("interview_time", "Enter the time of the interview, like 14:30.")
        if time and not date and "interview_date" not in self.errors:
            self.add_error("interview_date", "Enter the date of the interview.")
        return data

    def interview_at(self):
        date = self.cleaned_data.get("interview_date")
        time = self.cleaned_data.get("interview_time")
        if date and time:
            return timezone.make_aware(datetime.datetime.combine(date, time))
        return None


class EvaluationScheduleForm(InterviewMomentMixin, GDSForm):
    submit_label = "Save the schedule"
    submit_name = "schedule"

    interview_due = _date("Interview due by", required=True)
    interview_date = _date("Date of the interview", required=False)
    interview_time = _time("Time of the interview")
    interviewer = AdviserChoiceField(
        queryset=None, required=False, label="Interviewer", empty_label="Not chosen yet"
    )
    follow_up_suggested = _date(
        "Follow-up suggested for", required=True, error_required="Enter the date suggested."
    )

    def __init__(self, *args, interviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = interviewers
        self.fields[
            "interview_due"
        ].help_text = f"About a month after the last on-site day. {DATE_HINT}"
        self.fields[
            "follow_up_suggested"
        ].help_text = f"About two years after the on-site days. {DATE_HINT}"
        self.helper.layout = Layout(
            Fieldset(
                "interview_due",
                "interview_date",
                "interview_time",
                Field.select("interviewer"),
                legend="The DCS evaluation interview",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "follow_up_suggested",
                legend="Follow-up",
                legend_size=Size.MEDIUM,
            ),
        )

    @classmethod
    def initial_from(cls, evaluation) -> dict:
        local = timezone.localtime(evaluation.interview_at) if evaluation.interview_at else None
        return {
            "interview_due": evaluation.interview_due,
            "interview_date": local.date() if local else None,
            "interview_time": local.strftime("%H:%M") if local else "",
            "interviewer": evaluation.interviewer_id,
            "follow_up_suggested": evaluation.follow_up_suggested,
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "interview_due": data["interview_due"],
            "interview_at": self.interview_at(),
            "interviewer": data["interviewer"],
            "follow_up_suggested": data["follow_up_suggested"],
        }


class EvaluationRecordForm(VersionedFormMixin, InterviewMomentMixin, GDSForm):
    submit_label = "Record the interview"
    submit_name = "record"

    interview_date = _date("Date of the interview", required=False)
    interview_time = _time("Time of the interview")
    notes = forms.CharField(
        label="What the DCS said",
        required=False,
        widget=forms.Textarea,
        help_text="The council's view of the peer challenge: what helped, what could be better.",
    )

    def __init__(self, *args, **kwargs):
        # Beside the schedule form on one page: its own ids, so that each label, hint and
        # error summary link points at this form's fields (the names stay as they are).
        kwargs.setdefault("auto_id", "id_record_%s")
        super().__init__(*args, **kwargs)
        self.fields[
            "interview_date"
        ].help_text = "Leave empty if it took place when scheduled. For example, 2027-06-10"
        self.helper.layout = Layout(
            "interview_date",
            "interview_time",
            Field.textarea("notes", rows=8, label_size=Size.SMALL),
        )

    def service_arguments(self) -> dict:
        return {
            "interview_at": self.interview_at(),
            "notes": self.cleaned_data["notes"],
            "base_version": self.cleaned_data["base_version"],
        }

    @classmethod
    def initial_from(cls, evaluation) -> dict:
        """Filled from what is recorded, so that recording again corrects it."""
        return {
            "notes": evaluation.notes,
            "base_version": record_version(evaluation, EVALUATION_TEXTS),
        }


class QuestionnaireForm(GDSForm):
    submit_label = "Send my answers"

    comments = forms.CharField(
        label="Comments",
        required=False,
        widget=forms.Textarea,
        help_text="Anything the LGA should know: what worked well, what could be better.",
    )

    def __init__(self, *args, labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        ratings = {
            name: forms.TypedChoiceField(
                label=f"How do you rate the {labels[name]}?",
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose a rating for {labels[name]}.",
                    "invalid_choice": f"Choose a rating from 1 to 5 for {labels[name]}.",
                },
            )
            for name in RATINGS
        }
        self.fields = {**ratings, **self.fields}
        self.helper.layout = Layout(
            *(Field.radios(name, legend_size=Size.SMALL, inline=True) for name in RATINGS),
            Field.textarea("comments", rows=6, label_size=Size.SMALL),
        )


class NextStepForm(GDSForm):
    submit_label = "Add to the improvement plan"

    what = forms.CharField(
        label="What the council will do",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the council will do."},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="A name or a role, for example Assistant Director, Early Help",
        error_messages={"required": "Enter who owns the action (a name or a role)."},
    )
    due_date = _date("Due by", required=True, error_required="Enter the date the action is due by.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("what", rows=4, label_size=Size.SMALL),
            Field.text("owner", label_size=Size.SMALL),
            "due_date",
        )
