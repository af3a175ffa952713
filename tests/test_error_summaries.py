"""Every error summary link reaches an input that takes focus, whichever way the form is
drawn (crispy-forms-gds, or templates/includes/govuk_field.html with
templates/includes/error_summary.html), for every kind of field; and the page title says
"Error:" whenever a form on the page, or the page itself, reports a problem
(peerchallenge/templatetags/govuk_errors.py). The browser half is
tests/e2e/test_error_summary.py."""

from html.parser import HTMLParser

import pytest
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.forms import formset_factory
from django.template import Context, Template

from peerchallenge.form_fields import GovukDateField, GovukTimeField
from peerchallenge.forms import GDSForm
from peerchallenge.templatetags.govuk_errors import page_has_errors
from tests.test_form_limits import made_and_validated, project_forms

FOCUSABLE = {"input", "select", "textarea"}


class Page(HTMLParser):
    """The ids of a page's elements (tag, type, name) and its error summaries' links."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: dict[str, tuple[str, str, str]] = {}
        self.inputs: list[tuple[str, str]] = []  # (name, id) of each input, in order
        self.links: list[str] = []
        self.depth = 0  # inside an error summary: how deep
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"two elements have the id {attrs['id']}"
            self.ids[attrs["id"]] = (tag, attrs.get("type", ""), attrs.get("name", ""))
        if tag == "input":
            self.inputs.append((attrs.get("name", ""), attrs.get("id", "")))
        if self.depth and tag == "div":
            self.depth += 1
        elif "govuk-error-summary" in attrs.get("class", "").split():
            self.depth = 1
        if self.depth and tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1

    def first_input_of(self, name: str) -> str:
        return next(id_ for input_name, id_ in self.inputs if input_name == name)


class EveryKindForm(GDSForm):
    name = forms.CharField(max_length=50, error_messages={"required": "Enter a name."})
    council = forms.ChoiceField(
        choices=[("", "Choose"), ("derby", "Derby")],
        error_messages={"required": "Choose a council."},
    )
    notes = forms.CharField(
        max_length=500, widget=forms.Textarea, error_messages={"required": "Enter notes."}
    )
    kind = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B"), ("c", "C")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a kind."},
    )
    areas = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the areas."},
    )
    agree = forms.BooleanField(error_messages={"required": "Agree to go on."})
    evidence = forms.FileField(error_messages={"required": "Choose a file."})
    starts = DateInputField(label="Starts")
    ends = DateInputField(label="Ends", require_all_fields=False)
    due = GovukDateField(label="Due")  # ours: the day box carries the field's id
    at = GovukTimeField(label="At")
    token = forms.CharField(max_length=10, widget=forms.HiddenInput)

    def clean(self):
        super().clean()
        raise forms.ValidationError("Something about the whole form.")


# A month that is no month, no year; our date without its month.
BAD = {"ends_0": "1", "ends_1": "x", "ends_2": "", "due_day": "31", "due_year": "2027"}

CRISPY = Template(
    "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}"
)
BY_HAND = Template(
    '{% if form.errors %}{% include "includes/error_summary.html" %}{% endif %}'
    '{% for field in form.visible_fields %}{% include "includes/govuk_field.html" %}{% endfor %}'
)


@pytest.mark.parametrize("template", [CRISPY, BY_HAND], ids=["crispy", "by hand"])
def test_every_summary_link_reaches_an_input_of_every_kind_of_field(template):
    form = EveryKindForm(data=BAD)
    assert not form.is_valid()
    page = Page(template.render(Context({"form": form})))

    assert page.links == [
        "#id_name",  # the form's own error: to its first field
        "#id_name",
        "#id_council",
        "#id_notes",
        "#id_kind",
        "#id_areas",
        "#id_agree",
        "#id_evidence",
        "#id_starts_0",  # a date left empty: its day
        "#id_ends_1",  # a date with a part at fault: that part
        "#id_ends_2",
        "#id_due_month",  # ours: the box at fault
        "#id_at",  # ours, left empty: its first box
    ]
    for link in page.links:
        tag, _type, _name = page.ids[link.removeprefix("#")]
        assert tag in FOCUSABLE, link
    # A radio or checkbox group's first input carries the field's id.
    assert page.first_input_of("kind") == "id_kind"
    assert page.first_input_of("areas") == "id_areas"
    assert page.ids["id_kind"][:2] == ("input", "radio")
    assert page.ids["id_areas"][:2] == ("input", "checkbox")


@pytest.mark.parametrize("template", [CRISPY, BY_HAND], ids=["crispy", "by hand"])
def test_a_hidden_fields_error_is_listed_without_a_link(template):
    html = template.render(Context({"form": EveryKindForm(data=BAD)}))
    assert "<li>This field is required.</li>" in html


def test_a_form_without_errors_has_no_summary():
    form = EveryKindForm()
    for template in (CRISPY, BY_HAND):
        assert "govuk-error-summary__list" not in template.render(Context({"form": form}))


def crispy_forms_with_errors():
    """Every form of the project that can be made without arguments, bound to nothing."""
    made = (made_and_validated(cls) for cls in project_forms())
    return [form for form in made if form is not None and form.errors]


@pytest.mark.django_db
def test_every_project_forms_summary_links_reach_its_inputs():
    checked = 0
    for form in crispy_forms_with_errors():
        page = Page(CRISPY.render(Context({"form": form})))
        for link in page.links:
            target = page.ids.get(link.removeprefix("#"))
            assert target is not None and target[0] in FOCUSABLE, (type(form).__name__, link)
        checked += 1
    assert checked > 10


class Small(forms.Form):
    note = forms.CharField(max_length=10)


def title_has_errors(**context) -> bool:
    return page_has_errors(Context(context))


def test_title_error_for_any_form_with_errors_however_it_is_named():
    bad, good, unbound = Small(data={}), Small(data={"note": "Fine"}), Small()
    assert title_has_errors(form=bad)
    assert title_has_errors(action_form=good, steps_form=bad)
    assert title_has_errors(forms={"progress": unbound, "monitoring": bad})  # two forms
    assert title_has_errors(forms=[unbound, bad])
    assert not title_has_errors(form=good, other=unbound, forms={"progress": unbound})


def test_title_error_for_a_formset_with_errors():
    formset = formset_factory(Small, min_num=1, validate_min=True)
    assert title_has_errors(
        formset=formset(data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"})
    )
    assert not title_has_errors(formset=formset())


def test_title_error_for_the_pages_own_problems():
    assert title_has_errors(errors=["The challenge cannot close yet."])
    assert title_has_errors(share_errors=["Choose who to share with."])
    assert title_has_errors(page_errors=[("Choose a step to take.", "#report-steps")])
    assert not title_has_errors(errors=[], page_errors=(), share_errors=[])
    assert not title_has_errors(form_errors="not a list")


def test_base_title_starts_with_error_once():
    template = Template('{% extends "base.html" %}{% block title %}Written feedback{% endblock %}')
    html = template.render(Context({"forms": {"progress": Small(data={})}}))
    assert "<title>Error: Written feedback \u2013 Peer Challenge</title>" in html
    html = template.render(Context({"forms": {"progress": Small()}}))
    assert "<title>Written feedback \u2013 Peer Challenge</title>" in html
