"""How long free text may be, said once.

Every form of the project is a `TextLimitedForm` (`peerchallenge.forms.GDSForm` is one; forms
rendered by hand subclass it directly), so each text field that does not set its own limit
gets one when the form is made (`limit_text_fields`): a one-line field SHORT, a text area LONG, with
the message "<Label> must be 20,000 characters or fewer" next to the field. Unbounded text
would otherwise reach a PDF (a 5 MB action text tied a web process for minutes)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

SHORT = 200  # a name, a title, a place: one line
MEDIUM = 2_000  # a note, a comment: a paragraph or two
LONG = 20_000  # a summary, findings, an action's wording: several pages at most
EMAIL = 254  # the longest address the standards allow


def limit_message(label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


def limit_text_fields(form: forms.BaseForm) -> None:
    """Give each text field of the form without a maximum the default one for its widget,
    and every text field the plain-English message."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        if field.max_length is None:
            if isinstance(field, forms.EmailField):
                field.max_length = EMAIL
            else:
                is_area = isinstance(field.widget, forms.Textarea)
                field.max_length = LONG if is_area else SHORT
            field.validators.append(MaxLengthValidator(field.max_length))
        label = str(field.label or name.replace("_", " ").capitalize())
        field.error_messages["max_length"] = limit_message(label, field.max_length)


class TextLimitedForm(forms.Form):
    """The base of every form: its text fields get a maximum length and the plain-English
    message (tests/test_form_limits.py walks every app's forms to keep it so). Fields added
    in a subclass's __init__ after this one runs are limited by calling `limit_text_fields`
    again, which is what `full_clean` does before validating."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_fields(self)

    def full_clean(self):
        # Fields added after __init__ (one per council, one per row) are limited too.
        limit_text_fields(self)
        super().full_clean()


def text_errors(**fields: tuple[str, str | None, int]) -> dict[str, str]:
    """For services, which any caller (an import, a task, another offer) may reach without a
    form: {field: message} for each `field=(label, value, limit)` over its limit."""
    return {
        name: limit_message(label, limit)
        for name, (label, value, limit) in fields.items()
        if value is not None and len(value) > limit
    }


def refuse_long_text(**fields: tuple[str, str | None, int]) -> None:
    """For services: raise ValidationError({field: message}) when any `field=(label, value,
    limit)` is over its limit, before anything is written."""
    if errors := text_errors(**fields):
        raise ValidationError(errors)
