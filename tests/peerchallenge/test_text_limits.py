"""Every free-text field has a maximum length, and going over it is a clear message next to
the field, never a 500 or a 5 MB text in a PDF."""

import importlib

from django import forms

from peerchallenge.forms import GDSForm
from peerchallenge.text_limits import LONG, SHORT, limit_text_fields

FORM_MODULES = [
    "peerchallenge.forms",
    "peerchallenge.forms_timetable",
    "triads.forms.cycles",
    "triads.forms.kloes",
    "triads.forms.documents",
    "triads.forms.event_template",
    "triads.forms.summary",
    "thematic.forms.themes",
    "thematic.forms.events",
    "thematic.forms.nominations",
    "thematic.forms.next_steps",
    "thematic.forms.summary",
    "ondemand.forms.request",
    "ondemand.forms.team",
    "ondemand.forms.plan",
    "ondemand.forms.findings",
    "lga_cspc.forms.booking",
    "lga_cspc.forms.catalogue",
    "lga_cspc.forms.cases",
    "lga_cspc.forms.documents",
    "lga_cspc.forms.onsite",
    "lga_cspc.forms.evaluation",
    "lga_cspc.forms.close",
    "lga_cspc.forms.scoping",
    "lga_cspc.forms.team",
]


def all_gds_forms() -> list[type[GDSForm]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found, todo = [], [GDSForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_the_walk_finds_the_forms_of_every_app():
    modules = {form.__module__.split(".")[0] for form in all_gds_forms()}
    assert {"peerchallenge", "triads", "thematic", "ondemand", "lga_cspc"} <= modules


def test_every_text_field_of_every_form_gets_a_limit_and_a_clear_message():
    for form_cls in all_gds_forms():
        form = GDSForm()
        form.fields = dict(form_cls.base_fields)
        limit_text_fields(form)
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField):
                assert field.max_length, f"{form_cls.__name__}.{name} has no maximum length"
                assert "characters or fewer" in field.error_messages["max_length"]


class NoteForm(GDSForm):
    title = forms.CharField(label="Title")
    summary = forms.CharField(label="Summary", widget=forms.Textarea)


def test_a_huge_text_is_refused_next_to_its_field():
    form = NoteForm(data={"title": "Early help", "summary": "x" * 5_000_000})
    assert form.is_valid() is False
    assert form.errors == {"summary": [f"Summary must be {LONG:,} characters or fewer"]}
    form = NoteForm(data={"title": "t" * (SHORT + 1), "summary": "Fine."})
    assert form.errors == {"title": ["Title must be 200 characters or fewer"]}
    assert NoteForm(data={"title": "Early help", "summary": "x" * LONG}).is_valid()


def test_action_services_refuse_a_huge_text_whoever_calls_them(world):
    import pytest
    from django.core.exceptions import ValidationError
    from django_scopes import scope

    from peerchallenge.models import LocalAuthority
    from peerchallenge.services.actions import action_create
    from tests.clock import TODAY

    with (
        scope(alliance=world.em),
        pytest.raises(ValidationError, match="What must be 20,000 characters or fewer") as refused,
    ):
        action_create(
            source=world.em,
            local_authority=LocalAuthority.objects.get(name="Derby"),
            what="x" * 5_000_000,
            owner="Head of early help",
            due_date=TODAY,
            tier2_group=None,
            created_by=world.pm,
        )
    assert refused.value.message_dict == {"what": [f"What must be {LONG:,} characters or fewer"]}
