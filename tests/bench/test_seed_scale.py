"""seed_scale's LGA peer challenge (`--cspc-sessions`), the people bench.run signs in as for
its timetable page, and the CSPC feedback report the report benchmark renders."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from bench.cspc import cspc_report_challenge
from bench.reports import cspc_report_shape
from bench.run import NATIONAL_SLUG, PLANNER_ROLES, bench_timetable, manager_ids
from lga_cspc.models import CaseFile, Challenge, Stage
from peerchallenge.models import Alliance, LocalAuthority, Membership, Role, SessionKind, User
from peerchallenge.services.timetable import sessions_of


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_scale", users=150, force=True, stdout=out, **options)
    return out.getvalue()


def bench_challenge() -> Challenge:
    with scopes_disabled():
        return Challenge.objects.select_related("alliance", "offer").get(
            alliance__slug=NATIONAL_SLUG
        )


def timetable(challenge) -> list:
    with scopes_disabled():
        return list(sessions_of(challenge=challenge))


@pytest.fixture
def seeded(db):
    seed(cspc_sessions=60)
    return bench_challenge()


def test_seed_scale_cspc_seeds_sixty_sessions_over_four_days_by_the_rules(seeded):
    challenge = seeded
    sessions = timetable(challenge)
    with scopes_disabled():
        team = {member.user_id: member.role for member in challenge.team.all()}
        sponsor_councils = set(
            Membership.objects.filter(
                alliance=challenge.alliance, user=challenge.sponsor, role=Role.DCS
            ).values_list("local_authority_id", flat=True)
        )
    days = [challenge.onsite_start + datetime.timedelta(days=n) for n in range(4)]
    assert challenge.alliance.kind == Alliance.Kind.NATIONAL
    assert (challenge.offer.name, challenge.stage, challenge.days) == (
        "Children's Services Peer Challenge",
        Stage.PREPARATION,
        4,
    )
    assert challenge.onsite_start.weekday() == 0
    assert challenge.onsite_start > timezone.localdate()
    assert sponsor_councils == {challenge.local_authority_id}
    assert sorted(team.values()) == [
        "lead_member",
        "peer_challenge_manager",
        "senior_manager",
        "senior_manager",
        "senior_manager",
        "team_leader",
    ]
    assert [sum(timezone.localdate(s.starts_at) == day for s in sessions) for day in days] == [
        15,
        15,
        15,
        15,
    ]
    first, last = sessions[0], sessions[-1]
    assert (first.kind, timezone.localdate(first.starts_at)) == (SessionKind.OVERVIEW, days[0])
    assert first.ends_at - first.starts_at == datetime.timedelta(minutes=20)
    assert (last.kind, timezone.localdate(last.starts_at)) == (SessionKind.FEEDBACK, days[-1])
    assert all({peer.pk for peer in s.peers.all()} <= set(team) for s in sessions)
    assert all(s.peers.all() for s in sessions)
    # Nobody is in two places at once (the timetable service refuses it: this checks the
    # plan fits the rules rather than the service).
    for a in sessions:
        for b in sessions:
            if a.pk < b.pk and a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                assert not {p.pk for p in a.peers.all()} & {p.pk for p in b.peers.all()}
                assert a.room != b.room


def test_seed_scale_cspc_is_seeded_again_only_for_another_count(seeded):
    before = [s.pk for s in timetable(seeded)]

    assert "60 benchmark timetable sessions already present." in seed(cspc_sessions=60)
    assert [s.pk for s in timetable(bench_challenge())] == before

    seed(cspc_sessions=30)
    challenge = bench_challenge()
    sessions = timetable(challenge)
    assert challenge.pk != seeded.pk
    assert len(sessions) == 30
    assert sessions[0].kind == SessionKind.OVERVIEW
    assert sessions[-1].kind == SessionKind.FEEDBACK


def test_seed_scale_reset_deletes_the_peer_challenge_with_the_people(seeded):
    seed(reset=True)  # the team's places protect their people: they must go first
    with scopes_disabled():
        assert not Challenge.objects.exists()
        assert User.objects.filter(email__startswith="bench-user-").count() == 150


def test_seed_scale_refuses_too_many_sessions(db):
    with pytest.raises(Exception, match="--cspc-sessions must be between 0 and 80"):
        seed(cspc_sessions=81)


def test_everyone_the_bench_signs_in_as_reads_the_timetable(seeded, client):
    path = f"/a/{NATIONAL_SLUG}/cspc/{bench_timetable()}/timetable/"
    planners = manager_ids(NATIONAL_SLUG, PLANNER_ROLES)
    assert len(planners) == 8
    for person in User.objects.filter(pk__in=planners):
        client.force_login(person)
        response = client.get(path)
        assert response.status_code == 200
        assert response.context["session_count"] == 60
        assert response.context["can_organise"] is True
        # The challenge's own page, which the bench drives too.
        assert client.get(path.removesuffix("timetable/")).status_code == 200
    # An alliance admin is not one of the LGA's planners: the challenge is not theirs to see.
    with scopes_disabled():
        admin = Membership.objects.filter(
            alliance__slug=NATIONAL_SLUG, role=Role.ALLIANCE_ADMIN
        ).first()
    client.force_login(admin.user)
    assert client.get(path).status_code == 404


def test_the_benchmarked_feedback_report_has_every_section_and_25_cases(seeded):
    national = seeded.alliance
    with scopes_disabled():
        pm = Membership.objects.filter(alliance=national, role=Role.PROGRAMME_MANAGER).first()
    council = LocalAuthority.objects.order_by("gss_code").first()
    with scope(alliance=national):
        challenge = cspc_report_challenge(alliance=national, council=council, user=pm.user)
        shape = cspc_report_shape(challenge)
        cases = list(CaseFile.objects.filter(review__challenge=challenge))
    assert challenge.stage == Stage.REPORT
    # 6 sections of 5, 6, 6, 5, 3 and 2 paragraphs, and the appendix's 4 key messages.
    assert shape == (6, 31, 25, 25)
    assert sum(case.escalated for case in cases) == 2
    assert all(case.reviewer_id and case.reviewed_at for case in cases)
    assert {case.source for case in cases} == set(CaseFile.Source.values)
