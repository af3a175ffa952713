"""The form of the emerging themes summary's two texts."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from peerchallenge.concurrency import VersionedFormMixin
from peerchallenge.forms import GDSForm


class SummaryForm(VersionedFormMixin, GDSForm):
    submit_label = "Save summary"
    submit_name = "save"

    emerging_themes = forms.CharField(
        label="Emerging themes", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    proposed_next_steps = forms.CharField(
        label="Proposed next steps", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("emerging_themes", rows=6),
            Field.textarea("proposed_next_steps", rows=6),
        )
