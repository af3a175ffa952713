"""The summary stage's forms: the summary report and support offers."""

from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm
from peerchallenge.text_limits import TextLimitedForm


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
