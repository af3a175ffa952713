"""The improvement cycle's forms. The services check what matters; these say it next to the
field."""

from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.form_fields import GovukDateField
from peerchallenge.forms import GDSForm

from .models import (
    MENU_THEMES,
    STEPS,
    CollectiveResponse,
    SupportNeed,
    SupportOffer,
    TemplateSection,
)


def _date_field(label: str) -> GovukDateField:
    return GovukDateField(
        label=label,
        error_label=f"The date for “{label}”",
        error_messages={"required": f"Enter the date for “{label}”."},
    )


class DeadlinesForm(GDSForm):
    """A date for each step of the cycle, in order."""

    submit_label = "Save the deadlines"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label, _default in STEPS:
            self.fields[field] = _date_field(label)
        self.helper.layout = Layout(*(field for field, _l, _d in STEPS))

    def deadlines(self) -> dict:
        return {field: self.cleaned_data[field] for field, _label, _default in STEPS}


class CycleOpenForm(DeadlinesForm):
    submit_label = "Open the cycle"


class SectionForm(GDSForm):
    submit_label = "Add the section"

    title = forms.CharField(
        label="Heading",
        max_length=200,
        error_messages={"required": "Enter the section's heading."},
    )
    guidance = forms.CharField(
        label="What the council should write",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The questions the section asks, one a line.",
    )
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=TemplateSection.Kind.choices,
        initial=TemplateSection.Kind.TEXT,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of answer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = self._layout()

    def _layout(self, *more):
        return Layout(
            Field.text("title"),
            Field.textarea("guidance"),
            Field.radios("kind", legend_size="s"),
            *more,
        )


class SectionChangeForm(SectionForm):
    submit_label = "Save the section"

    position = forms.IntegerField(
        label="Place in the template",
        min_value=1,
        error_messages={
            "required": "Enter the section's place, 1 for first.",
            "invalid": "Enter the section's place as a whole number, 1 for first.",
            "min_value": "Enter 1 or more: 1 is first.",
        },
    )

    def __init__(self, *args, last: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.last = last
        self.fields["position"].help_text = f"From 1 (first) to {last} (last)."
        self.helper.layout = self._layout(Field.text("position", field_width=Fluid.ONE_QUARTER))

    def clean_position(self):
        position = self.cleaned_data["position"]
        if position > self.last:
            raise forms.ValidationError(f"Enter {self.last} or less: {self.last} is last.")
        return position


class SectionTextForm(VersionedFormMixin, GDSForm):
    """One section of a self-evaluation."""

    submit_label = "Save this section"

    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, section: TemplateSection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = section.title
        self.fields["text"].help_text = section.guidance.replace("\n", " ")
        self.helper.layout = Layout(Field.textarea("text", label_size="l", label_tag="h1", rows=12))


class SubmitForm(GDSForm):
    submit_label = "Sign off and submit"

    chief_executive = forms.CharField(
        label="Chief executive (optional)", required=False, max_length=200
    )
    chief_executive_signed_on = GovukDateField(
        label="Date the chief executive signed it off (optional)",
        required=False,
        error_label="The date the chief executive signed it off",
    )
    lead_member = forms.CharField(
        label="Lead member for children's services (optional)", required=False, max_length=200
    )
    lead_member_signed_on = GovukDateField(
        label="Date the lead member signed it off (optional)",
        required=False,
        error_label="The date the lead member signed it off",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("chief_executive"),
            "chief_executive_signed_on",
            Field.text("lead_member"),
            "lead_member_signed_on",
        )


class ReturnForm(GDSForm):
    """A planner's comment to the council, and a comment for each section if wanted."""

    submit_label = "Return to the council"

    comment = forms.CharField(
        label="What the council should change",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what the council should change."},
    )

    def __init__(self, *args, sections: list[TemplateSection], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"section_{section.pk}"] = forms.CharField(
                label=f"Comment on “{section.title}” (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.helper.layout = Layout(
            Field.textarea("comment"),
            *(Field.textarea(f"section_{section.pk}") for section in sections),
        )

    def section_comments(self) -> dict[int, str]:
        return {section.pk: self.cleaned_data[f"section_{section.pk}"] for section in self.sections}


class ScrutinyAddForm(GDSForm):
    """One more council to scrutinise a council's self-evaluation."""

    submit_label = "Add the pairing"

    council = forms.ModelChoiceField(
        queryset=None,
        label="Council whose self-evaluation is scrutinised",
        empty_label="Choose a council",
        error_messages={"required": "Choose the council whose self-evaluation is scrutinised."},
    )
    scrutineer = forms.ModelChoiceField(
        queryset=None,
        label="Council that scrutinises it",
        empty_label="Choose a council",
        error_messages={"required": "Choose the council that scrutinises it."},
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["scrutineer"].queryset = councils
        self.helper.layout = Layout(Field("council"), Field("scrutineer"))

    def clean(self):
        cleaned = super().clean()
        council, scrutineer = cleaned.get("council"), cleaned.get("scrutineer")
        if council is not None and council == scrutineer:
            self.add_error("scrutineer", "A council cannot be paired with itself.")
        return cleaned


class _VersionedText(VersionedFormMixin, GDSForm):
    field_name = "text"

    def __init__(self, *args, label: str, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.field_name]
        field.label = label
        field.help_text = hint
        self.helper.layout = Layout(
            Field.textarea(self.field_name, label_size="l", label_tag="h1", rows=8)
        )


class CommentForm(_VersionedText):
    submit_label = "Save the comment"
    text = forms.CharField(required=False, widget=forms.Textarea)


class ModerationForm(_VersionedText):
    submit_label = "Save the moderation note"
    field_name = "note"
    note = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Write the moderation note."}
    )


class ReplyForm(_VersionedText):
    submit_label = "Save the reply"
    field_name = "reply"
    reply = forms.CharField(widget=forms.Textarea, error_messages={"required": "Write your reply."})


class PriorityForm(GDSForm):
    """One priority of a development plan, as the agreed action it will become."""

    submit_label = "Save the priority"

    title = forms.CharField(
        label="Priority",
        max_length=200,
        help_text="For example, “Placement sufficiency for older children”.",
        error_messages={"required": "Enter the priority."},
    )
    what = forms.CharField(
        label="What the council will do",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the council will do about it."},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="A name or a role, for example “Head of service, children in care”.",
        error_messages={"required": "Enter who owns it (a name or a role)."},
    )
    due_date = GovukDateField(
        label="Due by",
        error_label="The due date",
        error_messages={"required": "Enter the date it is due by."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("what"),
            Field.text("owner"),
            "due_date",
        )


class PlanSubmitForm(GDSForm):
    submit_label = "Submit the plan"

    tier2_group = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Tier 2 group that follows its actions (optional)",
        empty_label="No group",
        help_text="The group sees the plan's actions on its board.",
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier2_group"].queryset = groups
        self.helper.layout = Layout(Field("tier2_group"))


def _theme_choices(blank: str = "Choose a theme") -> list[tuple[str, str]]:
    return [("", blank), *((theme, theme) for theme in MENU_THEMES)]


class OfferForm(GDSForm):
    submit_label = "Add the offer"

    council = forms.ModelChoiceField(
        queryset=None,
        label="Council offering support",
        empty_label="Choose a council",
        error_messages={"required": "Choose the council offering support."},
    )
    theme = forms.ChoiceField(
        label="Theme", choices=_theme_choices(), error_messages={"required": "Choose a theme."}
    )
    title = forms.CharField(
        label="The offer",
        max_length=200,
        help_text="For example, “Our reflective supervision model, with two practice days”.",
        error_messages={"required": "Enter the offer."},
    )
    description = forms.CharField(
        label="What it involves (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(
        label="Kind of support",
        choices=SupportOffer.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of support."},
    )
    capacity = forms.IntegerField(
        label="How many councils it can support",
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Enter how many councils it can support, 1 or more.",
            "invalid": "Enter how many councils it can support as a whole number.",
            "min_value": "Enter how many councils it can support, 1 or more.",
            "max_value": "Enter 50 or fewer.",
        },
    )
    evidence = forms.ChoiceField(
        label="Evidence of the strength",
        choices=SupportOffer.Evidence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what evidences the strength."},
    )
    evidence_text = forms.CharField(
        label="The evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The indicator and its figures, the judgement and its date, or the report "
        "and what it says.",
        error_messages={
            "required": "Say what evidences the strength (the indicator, the judgement or the "
            "report)."
        },
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.helper.layout = Layout(
            Field("council"),
            Field("theme"),
            Field.text("title"),
            Field.textarea("description"),
            Field.radios("kind", legend_size="s"),
            Field.text("capacity", field_width=Fluid.ONE_QUARTER),
            Field.radios("evidence", legend_size="s"),
            Field.textarea("evidence_text"),
        )


class NeedForm(GDSForm):
    submit_label = "Add the need"

    council = forms.ModelChoiceField(
        queryset=None,
        label="Council",
        empty_label="Choose a council",
        error_messages={"required": "Choose the council."},
    )
    title = forms.CharField(
        label="The need", max_length=300, error_messages={"required": "Enter the need."}
    )
    theme = forms.ChoiceField(
        label="Theme (optional)", choices=_theme_choices("No theme yet"), required=False
    )
    source = forms.ChoiceField(
        label="Where it comes from",
        choices=[c for c in SupportNeed.Source.choices if c[0] != "self_evaluation"],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the need comes from."},
    )
    note = forms.CharField(
        label="What the alliance knows (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.helper.layout = Layout(
            Field("council"),
            Field.text("title"),
            Field("theme"),
            Field.radios("source", legend_size="s"),
            Field.textarea("note"),
        )


class NeedThemeForm(GDSForm):
    submit_label = "Save the theme"
    theme = forms.ChoiceField(
        label="Theme", choices=_theme_choices(), error_messages={"required": "Choose a theme."}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("theme"))


class DecisionForm(GDSForm):
    submit_label = "Send the answer"
    submit_name = "decide"

    accepts = forms.TypedChoiceField(
        label="Does the council take part?",
        choices=[("yes", "Yes, it takes part"), ("no", "No, it declines")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the council takes part."},
    )
    reason = forms.CharField(
        label="Why it declines (if it does)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("accepts", legend_size="s"), Field.textarea("reason")
        )


class CompleteForm(GDSForm):
    submit_label = "Mark it completed"
    submit_name = "complete"

    impact = forms.CharField(
        label="What difference did the support make?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what difference the support made."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("impact"))


class IntroductionForm(GDSForm):
    submit_label = "Save the introduction"
    introduction = forms.CharField(
        label="Introduction to the regional development plan",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("introduction", label_size="l", label_tag="h1", rows=8)
        )


class ResponseForm(GDSForm):
    submit_label = "Save the response"

    theme = forms.ChoiceField(
        label="The common priority it answers",
        choices=_theme_choices(),
        error_messages={"required": "Choose the priority it answers."},
    )
    kind = forms.ChoiceField(
        label="Kind of response",
        choices=CollectiveResponse.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of response."},
    )
    title = forms.CharField(
        label="The response", max_length=200, error_messages={"required": "Enter the response."}
    )
    description = forms.CharField(
        label="What it will do (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    owner = forms.CharField(
        label="Regional group that owns it",
        max_length=200,
        help_text="For example, “Regional principal social workers' network”.",
        error_messages={"required": "Enter the regional group that owns it."},
    )
    starts_on = _date_field("Starts")
    ends_on = _date_field("Ends")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("theme"),
            Field.radios("kind", legend_size="s"),
            Field.text("title"),
            Field.textarea("description"),
            Field.text("owner"),
            "starts_on",
            "ends_on",
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end must be on or after the start.")
        return cleaned


class EvidenceForm(GDSForm):
    submit_label = "Attach the document"

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Upload a file with the same title again to add a new version.",
        error_messages={"required": "Enter a title for the document."},
    )
    file = forms.FileField(label="File", error_messages={"required": "Choose a file to upload."})

    def __init__(self, *args, accept: str, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"PDF, Word, Excel, PowerPoint, OpenDocument or CSV, up to {max_mb} MB."
        self.fields["file"].widget.attrs["accept"] = accept
        self.helper.layout = Layout(
            Field.text("title", field_width=Fluid.TWO_THIRDS), Field("file")
        )
