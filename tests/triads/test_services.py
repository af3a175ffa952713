import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from peerchallenge.models import LocalAuthority, Role
from tests.factories import MembershipFactory, UserFactory, council
from tests.triads.factories import CycleFactory, make_triads
from triads.models import Triad, TriadMember
from triads.selectors import cycle_past_pairs
from triads.services.cycles import cycle_create, triad_assign_consultant, triads_save

EVENT = datetime.date(2028, 3, 16)


@pytest.fixture
def em(world):
    with scope(alliance=world.em):
        yield world


def em_councils():
    return list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))


def test_cycle_create_derives_the_deadlines_from_the_event(em):
    cycle = cycle_create(
        alliance=em.em,
        created_by=em.pm,
        councils=em_councils(),
        name="Children's social care peer challenge, March 2028",
        event_date=EVENT,
    )
    assert (cycle.kloes_due, cycle.templates_due, cycle.report_due) == (
        datetime.date(2028, 2, 17),
        datetime.date(2028, 3, 23),
        datetime.date(2028, 4, 27),
    )
    assert cycle.councils.count() == 10


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"templates_due": datetime.date(2028, 3, 1)}, "templates_due", "on or after the event"),
        ({"report_due": datetime.date(2028, 3, 15)}, "report_due", "on or after the event"),
        ({"kloes_due": datetime.date(2028, 3, 17)}, "kloes_due", "on or before the event"),
    ],
)
def test_cycle_deadlines_on_the_wrong_side_of_the_event_are_refused(em, fields, field, message):
    with pytest.raises(ValidationError, match=message) as error:
        cycle_create(
            alliance=em.em,
            created_by=em.pm,
            councils=em_councils(),
            name="March 2028",
            event_date=EVENT,
            **fields,
        )
    assert message in error.value.message_dict[field][0]


def test_cycle_councils_must_be_the_alliances_and_groupable(em):
    with pytest.raises(ValidationError, match="Choose only councils of this alliance") as error:
        cycle_create(
            alliance=em.em,
            created_by=em.pm,
            councils=[council("Camden")],
            name="X",
            event_date=EVENT,
        )
    assert error.value.message_dict == {"councils": ["Choose only councils of this alliance."]}
    with pytest.raises(
        ValidationError, match="5 councils cannot be split into groups of 3 and 4"
    ) as error:
        cycle_create(
            alliance=em.em, created_by=em.pm, councils=em_councils()[:5], name="X", event_date=EVENT
        )
    assert "5 councils" in error.value.message_dict["councils"][0]


def test_triads_save_numbers_triads_and_refuses_a_triad_of_two(em):
    cycle = CycleFactory(alliance=em.em)
    ids = [c.pk for c in em_councils()]
    with pytest.raises(
        ValidationError, match=re.escape("Triad 1, Triad 4: a triad needs 3 councils (or 4")
    ) as error:
        triads_save(cycle=cycle, groups=[ids[:2], ids[2:5], ids[5:8], ids[8:]])
    assert error.value.messages[0].startswith("Triad 1, Triad 4: a triad needs 3 councils")
    assert not TriadMember.objects.filter(cycle=cycle).exists()
    triads = triads_save(cycle=cycle, groups=[ids[:3], ids[3:6], ids[6:]])
    assert [t.number for t in triads] == [1, 2, 3]
    assert TriadMember.objects.filter(triad=triads[2]).count() == 4


def test_triads_save_refuses_a_council_left_out(em):
    cycle = CycleFactory(alliance=em.em)
    ids = [c.pk for c in em_councils()]
    with pytest.raises(
        ValidationError, match="Put every participating council in exactly one"
    ) as error:
        triads_save(cycle=cycle, groups=[ids[:3], ids[3:6], ids[6:9]])
    assert error.value.messages == ["Put every participating council in exactly one triad."]


def test_past_pairs_come_from_earlier_cycles_of_the_same_alliance(em):
    councils = em_councils()
    earlier = CycleFactory(alliance=em.em, event_date=datetime.date(2026, 3, 12))
    make_triads(earlier, [councils[:3], councils[3:6], councils[6:]])
    later = CycleFactory(alliance=em.em, event_date=EVENT)
    make_triads(later, [councils[:3], councils[3:6], councils[6:]])  # not earlier than itself
    pairs = cycle_past_pairs(cycle=later)
    assert len(pairs) == 3 + 3 + 6
    assert pairs[frozenset((councils[0].pk, councils[1].pk))] == 1
    assert cycle_past_pairs(cycle=earlier) == {}


def test_consultant_gets_a_guardian_grant_on_their_triad_only(em):
    cycle = CycleFactory(alliance=em.em)
    councils = em_councils()
    first, second, _ = make_triads(cycle, [councils[:3], councils[3:6], councils[6:]])
    ruth, sam = UserFactory(full_name="Ruth"), UserFactory(full_name="Sam")
    for person in (ruth, sam):
        MembershipFactory(alliance=em.em, user=person, role=Role.CONSULTANT)
    triad_assign_consultant(triad=first, consultant=ruth)
    ruth = type(ruth).objects.get(pk=ruth.pk)  # fresh permission caches
    assert ruth.has_perm("triads.change_triad", first)
    assert not ruth.has_perm("triads.change_triad", second)
    triad_assign_consultant(triad=first, consultant=sam)
    ruth, sam = (type(u).objects.get(pk=u.pk) for u in (ruth, sam))
    assert not ruth.has_perm("triads.change_triad", first)
    assert sam.has_perm("triads.change_triad", first)
    # Planning roles change every triad by their role, without a grant.
    assert em.pm.has_perm("triads.change_triad", second)
    assert not em.organiser.has_perm("triads.change_triad", second)


def test_only_the_alliances_consultants_may_be_assigned(em):
    cycle = CycleFactory(alliance=em.em)
    triad = make_triads(cycle, [em_councils()[:3]])[0]
    with pytest.raises(ValidationError, match="Choose a consultant of this alliance"):
        triad_assign_consultant(triad=triad, consultant=em.pm)
    assert Triad.objects.get(pk=triad.pk).consultant is None


def test_a_grant_left_behind_counts_for_nothing_once_the_person_leaves(em):
    from peerchallenge.models import Membership

    cycle = CycleFactory(alliance=em.em)
    triad = make_triads(cycle, [em_councils()[:3]])[0]
    ruth = UserFactory(full_name="Ruth")
    MembershipFactory(alliance=em.em, user=ruth, role=Role.CONSULTANT)
    triad_assign_consultant(triad=triad, consultant=ruth)
    Membership.objects.filter(user=ruth).delete()
    ruth = type(ruth).objects.get(pk=ruth.pk)
    assert not ruth.has_perm("triads.change_triad", triad)
