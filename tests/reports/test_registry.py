import re

import pytest

from reports.registry import Report, get_report, register
from tests.reports.conftest import ExampleReport


def test_get_report_returns_an_instance_of_the_registered_class():
    assert type(get_report("tests.example")) is ExampleReport


def test_get_report_refuses_an_unknown_identifier():
    with pytest.raises(LookupError, match=re.escape("No report is registered as 'tests.unknown'.")):
        get_report("tests.unknown")


def test_register_refuses_a_second_class_with_the_same_identifier():
    class Impostor(Report):
        identifier = "tests.example"
        title = "Impostor"
        template = "reports/base.html"

    with pytest.raises(
        ValueError, match=re.escape("reports: 'tests.example' is already registered.")
    ):
        register(Impostor)
    assert type(get_report("tests.example")) is ExampleReport


def test_register_again_is_harmless():
    assert register(ExampleReport) is ExampleReport


def test_register_refuses_a_report_without_a_template():
    class Incomplete(Report):
        identifier = "tests.incomplete"
        title = "Incomplete"

    with pytest.raises(ValueError, match=re.escape("Incomplete must set `template`.")):
        register(Incomplete)
