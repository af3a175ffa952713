"""Field helpers shared by the on-demand offer's forms."""

from django import forms

from peerchallenge.form_fields import DATE_HINT, GovukDateField

__all__ = ["DATE_HINT", "date_field", "text_field"]


def date_field(label: str, *, required: bool = True, what: str = "the date") -> GovukDateField:
    return GovukDateField(
        label=label,
        required=required,
        error_label=what[:1].upper() + what[1:] if what != "the date" else "",
        error_messages={"required": f"Enter {what}."},
    )


def text_field(label: str, required_message: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": required_message},
        **kwargs,
    )
