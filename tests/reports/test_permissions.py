"""`reports.download_report` is asked on the version and answered by the rules an offer
registers for the version's subject, whichever app the subject belongs to."""

import pytest
from django_scopes import scope

from peerchallenge import permissions
from reports.permissions import DOWNLOAD_REPORT
from tests.factories import ReportVersionFactory
from tests.triads.factories import CycleFactory
from triads.models import Cycle


def planners_only(user, cycle) -> bool:
    return user.full_name == "Pat Manager"


@pytest.fixture
def cycle_version(world, monkeypatch):
    # Exactly this rule for cycles during the test, whatever the triad offer registers.
    monkeypatch.setitem(permissions._OBJECT_RULES, (DOWNLOAD_REPORT, Cycle), [planners_only])
    cycle = CycleFactory(alliance=world.em)
    with scope(alliance=world.em):
        return ReportVersionFactory(
            alliance=world.em,
            report="tests.example",
            title="Cycle summary",
            subject=cycle,
            number=1,
        )


def test_subjects_rule_entitles_on_the_version(world, cycle_version):
    assert world.pm.has_perm(DOWNLOAD_REPORT, cycle_version) is True


def test_member_the_subjects_rule_refuses_gets_false_not_an_error(world, cycle_version):
    # Asked on the cycle itself, django-guardian would raise WrongAppError here.
    assert world.coordinator.has_perm(DOWNLOAD_REPORT, cycle_version) is False
    assert world.organiser.has_perm(DOWNLOAD_REPORT, cycle_version) is False


def test_member_of_another_alliance_gets_false(world, cycle_version):
    assert world.outsider.has_perm(DOWNLOAD_REPORT, cycle_version) is False


def test_version_whose_subject_is_gone_entitles_nobody(world, cycle_version):
    cycle_version.subject_id = 987654
    assert world.pm.has_perm(DOWNLOAD_REPORT, cycle_version) is False
