"""Date field helpers shared by the triad offer's forms."""

from django.utils.text import format_lazy

from peerchallenge.form_fields import DATE_HINT, GovukDateField


def date_field(label, *, required=True, help_text=""):
    """A GOV.UK date input; `help_text` goes before the example date."""
    return GovukDateField(
        label=label,
        required=required,
        help_text=format_lazy("{} {}", help_text, DATE_HINT) if help_text else DATE_HINT,
        error_messages={"required": f"Enter the {label.lower()}."},
    )
