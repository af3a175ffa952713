"""Per-object grants (peerchallenge.permissions.GrantBackend): asked only of models that can
have one, read once per object a request, and a whole list's in one go."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from peerchallenge.models import Role
from peerchallenge.permissions import GrantBackend, prefetch_grants
from tests.factories import MembershipFactory, UserFactory
from tests.lga_cspc.factories import ChallengeFactory
from tests.triads.factories import CycleFactory, TriadFactory
from triads.services.cycles import triad_assign_consultant


def _consultant(world):
    person = UserFactory(full_name="Cai Consultant")
    MembershipFactory(alliance=world.em, user=person, role=Role.CONSULTANT)
    return person


def test_a_model_without_grants_is_answered_without_a_query(world):
    challenge = ChallengeFactory()
    with CaptureQueriesContext(connection) as queries:
        assert not GrantBackend().has_perm(world.dcs, "lga_cspc.view_challenges", challenge)
    assert len(queries) == 0


def test_a_grant_on_a_triad_is_read_once_per_object(world):
    consultant = _consultant(world)
    cycle = CycleFactory(alliance=world.em)
    granted, other = TriadFactory(cycle=cycle, number=1), TriadFactory(cycle=cycle, number=2)
    with scopes_disabled():
        triad_assign_consultant(triad=granted, consultant=consultant)
    backend = GrantBackend()
    with CaptureQueriesContext(connection) as first:
        assert backend.has_perm(consultant, "triads.view_triad", granted)
    with CaptureQueriesContext(connection) as again:
        assert backend.has_perm(consultant, "triads.view_triad", granted)
        assert backend.has_perm(consultant, "triads.delete_triad", granted) is False
    assert len(first) > 0 and len(again) == 0
    assert not backend.has_perm(consultant, "triads.view_triad", other)
    # Another request (a fresh user object) sees a grant removed since.
    with scopes_disabled():
        triad_assign_consultant(triad=granted, consultant=None)
    fresh = type(consultant).objects.get(pk=consultant.pk)
    assert not backend.has_perm(fresh, "triads.view_triad", granted)


def test_prefetch_reads_a_whole_list_in_two_queries(world):
    consultant = _consultant(world)
    cycle = CycleFactory(alliance=world.em)
    triads = [TriadFactory(cycle=cycle, number=n) for n in range(1, 6)]
    with scopes_disabled():
        for triad in triads[::2]:
            triad_assign_consultant(triad=triad, consultant=consultant)
    fresh = type(consultant).objects.get(pk=consultant.pk)
    with CaptureQueriesContext(connection) as prefetch:
        prefetch_grants(fresh, triads)
    with CaptureQueriesContext(connection) as asked:
        answers = [GrantBackend().has_perm(fresh, "triads.view_triad", t) for t in triads]
    assert answers == [True, False, True, False, True]
    assert len(prefetch) <= 2 and len(asked) == 0


def test_an_inactive_person_has_no_grant(world):
    consultant = _consultant(world)
    triad = TriadFactory(cycle=CycleFactory(alliance=world.em), number=1)
    with scopes_disabled():
        triad_assign_consultant(triad=triad, consultant=consultant)
    consultant.is_active = False
    assert not GrantBackend().has_perm(consultant, "triads.view_triad", triad)
