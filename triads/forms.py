from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm
from peerchallenge.text_limits import TextLimitedForm

DATE_HELP = "For example, 2028-03-27"
DATE_ERRORS = {"invalid": "Enter a real date, like 2028-03-27."}


def _date(label, *, required=True, help_text=DATE_HELP):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}."},
    )


class CycleForm(GDSForm):
    submit_label = "Save cycle"

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, Children's social care peer challenge, March 2028",
        error_messages={"required": "Enter a name for the cycle."},
    )
    event_date = _date("Date of the event")
    venue = forms.CharField(label="Venue", max_length=300, required=False)
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, like https://meet.example.org/x"},
    )
    councils = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Participating councils",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the councils taking part."},
    )
    kloes_due = _date(
        "Key lines of enquiry shared by",
        required=False,
        help_text="Leave empty for 4 weeks before the event.",
    )
    templates_due = _date(
        "Event-day templates completed by",
        required=False,
        help_text="Leave empty for 1 week after the event.",
    )
    report_due = _date(
        "Summary report issued by",
        required=False,
        help_text="Leave empty for 6 weeks after the event.",
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councils"].queryset = councils
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.FULL),
            Field.text("event_date", field_width=Fixed.TEN),
            Field.text("venue", field_width=Fluid.TWO_THIRDS),
            Field.text("online_link", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("councils", legend_size=Size.MEDIUM, small=True),
            Field.text("kloes_due", field_width=Fixed.TEN),
            Field.text("templates_due", field_width=Fixed.TEN),
            Field.text("report_due", field_width=Fixed.TEN),
        )


class ArrangeForm(TextLimitedForm):
    """One choice per council: which triad it is in. Rendered by hand as a table."""

    def __init__(self, *args, councils, triad_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = list(councils)
        choices = [(str(n), f"Triad {n}") for n in range(1, triad_count + 1)]
        for council in self.councils:
            self.fields[f"council_{council.pk}"] = forms.TypedChoiceField(
                label=f"Triad for {council.name}", choices=choices, coerce=int
            )

    def rows(self):
        return [(council, self[f"council_{council.pk}"]) for council in self.councils]

    def groups(self) -> list[list[int]]:
        count = max((int(c[0]) for c in self.fields[next(iter(self.fields))].choices), default=0)
        groups: list[list[int]] = [[] for _ in range(count)]
        for council in self.councils:
            groups[self.cleaned_data[f"council_{council.pk}"] - 1].append(council.pk)
        return groups


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


class ActionForm(GDSForm):
    submit_label = "Add action"
    submit_name = "add_action"

    what = forms.CharField(
        label="What the council will do", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(
        label="Owner", max_length=200, required=False, help_text="A name or a role"
    )
    due_date = forms.DateField(
        label="Due by",
        required=False,
        help_text=DATE_HELP,
        error_messages=DATE_ERRORS,
    )
    tier2_group = forms.ModelChoiceField(
        queryset=None, required=False, label="Monitored by", empty_label="No Tier 2 group"
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, prefix="action", **kwargs)
        self.fields["tier2_group"].queryset = groups
        self.helper.layout = Layout(
            Field.textarea("what"),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            Field.text("due_date", field_width=Fixed.TEN),
            Field.select("tier2_group"),
        )


class NextStepsForm(VersionedFormMixin, GDSForm):
    submit_label = "Save next steps"

    next_steps = forms.CharField(
        label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    complete = forms.BooleanField(
        label="The template is complete: these actions become our improvement plan",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="steps", **kwargs)
        self.helper.layout = Layout(
            Field.textarea("next_steps", label_size=Size.MEDIUM), Field.checkbox("complete")
        )


class SummaryForm(VersionedFormMixin, TextLimitedForm):
    """Rendered by hand: one text area per triad besides the overview and recommendations."""

    overview = forms.CharField(
        label="Overview", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    recommendations = forms.CharField(
        label="Recommendations for addressing identified challenges",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, triads, **kwargs):
        super().__init__(*args, **kwargs)
        self.triads = list(triads)
        for triad in self.triads:
            names = ", ".join(m.council.name for m in triad.members.all())
            self.fields[f"triad_{triad.pk}"] = forms.CharField(
                label=f"{triad}: {names}", required=False, widget=forms.Textarea(attrs={"rows": 4})
            )

    def triad_fields(self):
        return [self[f"triad_{triad.pk}"] for triad in self.triads]

    def triad_texts(self) -> dict[int, str]:
        return {triad.pk: self.cleaned_data[f"triad_{triad.pk}"] for triad in self.triads}


class SupportOfferForm(GDSForm):
    submit_label = "Add support offer"
    submit_name = "add_support"

    from_council = forms.ModelChoiceField(
        queryset=None, label="Council offering support", required=False
    )
    to_council = forms.ModelChoiceField(
        queryset=None, label="Council receiving support", required=False
    )
    topic = forms.CharField(
        label="On", max_length=300, required=False, help_text="For example, reducing agency staff"
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, prefix="support", **kwargs)
        self.fields["from_council"].queryset = councils
        self.fields["to_council"].queryset = councils
        self.helper.layout = Layout(
            Field.select("from_council"),
            Field.select("to_council"),
            Field.text("topic", field_width=Fluid.TWO_THIRDS),
        )
