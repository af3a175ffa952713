"""Forms for suggesting a theme and deciding a suggestion."""

from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from peerchallenge.forms import GDSForm


class SuggestionForm(GDSForm):
    submit_label = "Suggest theme"

    name = forms.CharField(
        label="Theme",
        max_length=120,
        help_text="For example, Exploitation outside the home",
        error_messages={"required": "Enter the theme you suggest."},
    )
    reason = forms.CharField(
        label="Why this theme",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the alliance should hold a challenge on this theme."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS), Field.textarea("reason", rows=4)
        )


class DecisionForm(GDSForm):
    submit_label = "Save decision"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept: add it to the themes"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or decline the suggestion."},
    )
    note = forms.CharField(
        label="Note to the council",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a note explaining the decision."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.SMALL), Field.textarea("note", rows=3)
        )
