"""Where a page's problems are told: the error summary's links and the "Error:" before the
page title (GOV.UK's error summary and error message patterns).

Every error summary links to an input that can take focus. The id a summary links to is the
field's own (`id_<name>`): a radio or checkbox group gives it to its first input, as GOV.UK
Frontend's own components do (templates/includes/govuk_field.html, and templates/gds/ for
the crispy-forms-gds pack); a date or other field of several parts links to its first part,
or to the part at fault."""

from django import forms, template
from django.forms.formsets import BaseFormSet

register = template.Library()


def _part_id(bound_field, index: int) -> str:
    widget = bound_field.field.widget
    base = widget.attrs.get("id") or bound_field.auto_id
    if hasattr(widget, "part_id"):  # our date and time inputs (peerchallenge.form_fields)
        return widget.part_id(base, index)
    return f"{base}_{index}"  # how Django's MultiWidget numbers its parts' ids


def error_target(bound_field) -> str:
    """The id of the input an error of this field takes the person to."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        # Our date input knows the box at fault; Django gives a MultiWidget no id_for_label.
        first = widget.first_part_at_fault() if hasattr(widget, "first_part_at_fault") else 0
        return _part_id(bound_field, first)
    # Radios and checkboxes have no id_for_label: their first input carries the field's id.
    return bound_field.id_for_label or bound_field.auto_id


def _field_entries(bound_field) -> list[tuple[str, str]]:
    entries, seen = [], []
    # crispy-forms-gds's date field files each part's error on that part's widget.
    for index, part in enumerate(getattr(bound_field.field, "fields", ())):
        for error in getattr(part.widget, "errors", ()):
            entries.append((_part_id(bound_field, index), error))
            seen.append(error)
    target = error_target(bound_field)
    entries += [(target, error) for error in bound_field.errors if error not in seen]
    return entries


@register.filter
def error_summary_entries(form) -> list[tuple[str, str]]:
    """(id of the input to go to, or "" for none; message) for each of the form's errors,
    in the form's order: the form's own errors first (to its first field), then each
    field's. A hidden field's error is listed without a link."""
    if not form or not form.errors:
        return []
    visible = form.visible_fields()
    first = error_target(visible[0]) if visible else ""
    entries = [(first, error) for error in form.non_field_errors()]
    for field in form.hidden_fields():
        entries += [("", error) for error in field.errors]
    for field in visible:
        entries += _field_entries(field)
    return entries


def _reports_errors(value) -> bool:
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


def page_has_errors(context) -> bool:
    """Does the page tell of a problem? A bound form or formset in the context has errors
    (however it is named, also inside a dict or list: a page with two forms), or the view
    passed a list of the page's own problems as `errors` or `<something>_errors`."""
    for name, value in context.flatten().items():
        if isinstance(value, dict):
            candidates = value.values()
        elif isinstance(value, list | tuple):
            candidates = value
        else:
            candidates = (value,)
        if any(_reports_errors(candidate) for candidate in candidates):
            return True
        listed = name == "errors" or name.endswith("_errors")
        if listed and isinstance(value, list | tuple | dict) and value:
            return True
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Error: " before the title of a page that tells of a problem, else nothing."""
    return "Error: " if page_has_errors(context) else ""


@register.filter
def choice_input_id(bound_field, position) -> str:
    """The id of the radio or checkbox at `position` (from 1) of a crispy-forms-gds group:
    the first carries the field's id, the others keep the pack's (`id_<name>_<position>`)."""
    if int(position) == 1:
        return bound_field.auto_id
    return f"id_{bound_field.html_name}_{position}"
