"""Every form of every app limits its free text: a form added without the limits fails here.

The walk imports every module of every app (forms may live outside forms*.py), collects every
Django form class defined in them, and checks that it is a TextLimitedForm and that each of
its text fields has a maximum length once the form is made and validated (fields added in
__init__, one per council or row, included)."""

import copy
import importlib
import pkgutil

from django import forms

from peerchallenge.text_limits import LONG, TextLimitedForm

APPS = ["peerchallenge", "triads", "thematic", "ondemand", "lga_cspc", "reports"]


def project_forms() -> list[type[forms.BaseForm]]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APPS and sub.__module__ != __name__:
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def is_mixin(cls) -> bool:
    # A mixin adds a field or two to forms that are TextLimitedForms themselves.
    return cls.__name__.endswith("Mixin")


def made_and_validated(form_cls) -> forms.BaseForm | None:
    """The form bound to empty data and validated, or None when it needs arguments (its
    councils, its challenge) the walk cannot give."""
    try:
        form = form_cls(data={})
    except TypeError:
        return None
    form.is_valid()
    return form


def test_the_walk_finds_every_apps_forms_rendered_by_hand_included():
    names = {cls.__name__ for cls in project_forms()}
    assert {"SummaryForm", "NextStepsForm", "BookingForm", "CommentResolveForm"} <= names
    modules = {cls.__module__.split(".")[0] for cls in project_forms()}
    assert {"peerchallenge", "triads", "thematic", "ondemand", "lga_cspc"} <= modules


def test_every_form_of_every_app_is_a_text_limited_form():
    unlimited = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in project_forms()
        if not is_mixin(cls) and not issubclass(cls, TextLimitedForm)
    ]
    assert unlimited == []


def test_every_text_field_of_every_form_has_a_maximum_length():
    missing, made = [], 0
    for cls in project_forms():
        if is_mixin(cls):
            continue
        form = made_and_validated(cls)
        if form is None:
            # Only its declared fields can be seen; the base class limits them when made.
            bare = TextLimitedForm()
            bare.fields = copy.deepcopy(cls.base_fields)  # the class's own stay untouched
            TextLimitedForm.full_clean(bare)
            fields = bare.fields
        else:
            made += 1
            fields = form.fields
        for name, field in fields.items():
            if isinstance(field, forms.CharField) and not field.max_length:
                missing.append(f"{cls.__qualname__}.{name}")
    assert missing == []
    assert made > 10  # most forms were really made, not only inspected


def test_fields_added_after_the_form_is_made_are_limited_too():
    from lga_cspc.forms.report import ReportSectionsForm
    from thematic.forms.next_steps import NextStepsForm

    form = ReportSectionsForm(data={"executive_summary": "x" * (LONG + 1)})
    assert form.is_valid() is False
    assert form.errors["executive_summary"] == [
        f"Executive summary must be {LONG:,} characters or fewer"
    ]
    steps = NextStepsForm(data={"what_1": "x" * 5_000_000})
    assert steps.is_valid() is False
    assert steps.errors == {
        "what_1": ["Next step 1: what the council will do must be 200 characters or fewer"]
    }
