"""Date field helpers shared by the triad offer's forms."""

from django import forms

DATE_HELP = "For example, 2028-03-27"
DATE_ERRORS = {"invalid": "Enter a real date, like 2028-03-27."}


def date_field(label, *, required=True, help_text=DATE_HELP):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}."},
    )
