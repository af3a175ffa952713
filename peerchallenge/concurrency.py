"""Lost updates: two people edit the same long text; the second save must not silently
overwrite the first.

One mechanism for every such form. The form carries the version of the record it was
filled from (`VersionedFormMixin`: a hidden `base_version`, a hash of the edited fields as
they were shown). The service saves only if the record still has that version
(`record_lock_unchanged`: the row is locked, its current version compared, a compare-and-
swap); otherwise it raises `EditConflict` with what the other person saved. The view then
shows the form again, the person's own text kept in the fields, "Someone else saved this
while you were editing" in the error summary and the other version read-only beside it
(`templates/includes/edit_conflict.html`); the form now carries the new version, so saving
again is a deliberate choice made having seen both.

A hash of the content rather than a timestamp: it needs no new column, and two people who
saved the same words do not conflict."""

import hashlib
import json

from django import forms

CONFLICT_MESSAGE = (
    "Someone else saved this while you were editing. Their version is shown next to yours: "
    "copy what you need into your text, then save again."
)


def values_version(values: dict) -> str:
    """The version of some texts, `{key: value}`: a hash of them (None counts as "")."""
    values = {key: str(value or "") for key, value in values.items()}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


def record_version(record, fields) -> str:
    """The version of `record`'s `fields`: a hash of their current values. No record yet
    (a text written on first save) has the version of empty fields."""
    return values_version({name: getattr(record, name, "") if record else "" for name in fields})


class EditConflict(Exception):
    """The record changed since the form was filled. `theirs` is [(label, value), ...] of
    what is saved now, `version` its version."""

    def __init__(self, *, theirs: list[tuple[str, str]], version: str):
        super().__init__(CONFLICT_MESSAGE)
        self.theirs = theirs
        self.version = version


def record_lock_unchanged(*, record, fields, base_version: str | None) -> None:
    """Inside the caller's transaction: lock `record`'s row, reload `fields`, and raise
    EditConflict if they no longer have `base_version`. No base version (a client that did
    not send one): nothing to compare, as before."""
    current = type(record)._base_manager.select_for_update().get(pk=record.pk)
    for name in fields:
        setattr(record, name, getattr(current, name))
    if not base_version:
        return
    version = record_version(current, fields)
    if version != base_version:
        meta = type(record)._meta
        raise EditConflict(
            theirs=[
                (str(meta.get_field(name).verbose_name).capitalize(), getattr(current, name))
                for name in fields
            ],
            version=version,
        )


def values_check_unchanged(*, current: dict, labels: dict, base_version: str | None) -> None:
    """For a form whose texts live in several rows (a summary and its sections): the caller
    has locked what guards them (the parent row) and read `current` ({key: value});
    raise EditConflict if they no longer have `base_version`. `labels` names each key."""
    if not base_version:
        return
    version = values_version(current)
    if version != base_version:
        raise EditConflict(
            theirs=[(labels[key], current[key] or "") for key in current], version=version
        )


class VersionedFormMixin(forms.Form):
    """Adds the hidden `base_version` a conflict check needs. The view passes
    `initial={"base_version": record_version(record, fields)}`; after a conflict,
    `conflict_show(form, conflict)` records it and moves the form to the new version."""

    base_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if hasattr(self, "helper"):  # crispy renders hidden fields outside the layout too
            self.helper.render_hidden_fields = True

    def conflict_show(self, conflict: EditConflict) -> None:
        self.add_error(None, CONFLICT_MESSAGE)
        self.conflict = conflict
        data = self.data.copy()
        data[self.add_prefix("base_version")] = conflict.version
        self.data = data
