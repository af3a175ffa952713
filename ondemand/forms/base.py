"""Field helpers shared by the on-demand offer's forms."""

from django import forms

DATE_HINT = "For example, 2026-09-14"


def date_field(label: str, *, required: bool = True, what: str = "the date") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=DATE_HINT,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter {what}.",
            "invalid": "Enter a real date, like 2026-09-14.",
        },
    )


def text_field(label: str, required_message: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": required_message},
        **kwargs,
    )
