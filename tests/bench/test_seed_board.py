"""seed_scale's Tier 2 board (`--actions`): actions from triad cycles, thematic events and
on-demand reviews of a regional alliance of every region, and the board and plan pages
bench.run drives, as the people it signs in as."""

import io
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django_scopes import scopes_disabled

from bench.board import MIXED_SLUG, TIER2_GROUP_NAME
from bench.run import PLANNER_ROLES, bench_board, board_pages, manager_ids, offer_detail_pages
from ondemand.models import Recommendation, Review
from peerchallenge.models import Action, ActionStatus, Alliance, LocalAuthority, Tier2Group, User
from peerchallenge.selectors import councils_of_alliance
from thematic.models import NextSteps, ThematicEvent
from triads.models import Cycle

ACTIONS = 459  # 3 a council: cheap, and every council still has one of each kind of source


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_scale", users=150, force=True, stdout=out, **options)
    return out.getvalue()


def board_rows() -> list[tuple]:
    with scopes_disabled():
        return list(
            Action.objects.filter(alliance__slug=MIXED_SLUG)
            .order_by("pk")
            .values_list(
                "local_authority__gss_code",
                "source_type__model",
                "what",
                "due_date",
                "status",
            )
        )


@pytest.fixture
def seeded(db):
    seed(actions=ACTIONS)


def test_the_board_mixes_every_regional_offer_across_the_153_councils(seeded):
    with scopes_disabled():
        alliance = Alliance.objects.get(slug=MIXED_SLUG)
        group = Tier2Group.objects.get(alliance=alliance, name=TIER2_GROUP_NAME)
        actions = list(Action.objects.filter(alliance=alliance))
        events = list(ThematicEvent.objects.filter(alliance=alliance).select_related("theme"))
        covered = set(councils_of_alliance(alliance=alliance).values_list("pk", flat=True))
        participants = {e.pk: {c.pk for c in e.councils.all()} for e in events}
        reviews = {r.pk: r for r in Review.objects.filter(alliance=alliance)}
        cycles = {c.pk: c for c in Cycle.objects.filter(alliance=alliance)}
        next_steps = set(NextSteps.objects.values_list("event_id", "council_id"))
        accepted = dict(Recommendation.objects.values_list("action_id", "review_id"))
    assert alliance.kind == Alliance.Kind.REGIONAL  # thematic and on-demand pages need it
    assert len(covered) == 153
    assert len(actions) == ACTIONS
    assert all(a.tier2_group_id == group.pk for a in actions)
    assert Counter(Counter(a.local_authority_id for a in actions).values()) == {3: 153}
    types = {ContentType.objects.get_for_id(a.source_type_id).model for a in actions}
    assert types == {"cycle", "thematicevent", "review"}
    assert len({a.source_id for a in actions if a.source_type.model == "thematicevent"}) == 12
    assert len({e.theme.name for e in events}) == 6
    assert {a.status for a in actions} == set(ActionStatus.values)
    for action in actions:
        kind = action.source_type.model
        if kind == "thematicevent":
            # Only a participant's, from its next steps, after the event.
            assert action.local_authority_id in participants[action.source_id]
            assert (action.source_id, action.local_authority_id) in next_steps
            agreed = next(e.date for e in events if e.pk == action.source_id)
        elif kind == "review":
            review = reviews[action.source_id]
            assert review.local_authority_id == action.local_authority_id
            assert accepted[action.pk] == review.pk
            agreed = review.findings_issued_at.date()
        else:
            agreed = cycles[action.source_id].event_date
        assert action.due_date > agreed
    assert all(participants[e.pk] <= covered for e in events)


def test_the_board_is_deterministic_and_seeded_again_only_for_another_count(seeded):
    before = board_rows()
    assert f"{ACTIONS} benchmark actions already present." in seed(actions=ACTIONS)
    assert board_rows() == before

    seed(actions=306)
    assert len(board_rows()) == 306
    seed(actions=ACTIONS)
    assert board_rows() == before  # the same data again (apart from the ids)


def test_reset_deletes_the_board_and_its_alliance(seeded):
    seed(reset=True)
    with scopes_disabled():
        assert not Alliance.objects.filter(slug=MIXED_SLUG).exists()
        assert not Action.objects.exists()
        assert not ThematicEvent.objects.exists()
        assert not Review.objects.exists()
        assert User.objects.filter(email__startswith="bench-user-").count() == 150


def test_every_page_bench_run_drives_answers_the_people_it_signs_in_as(seeded, client):
    board = bench_board()
    pages = board_pages(board)
    people = manager_ids(MIXED_SLUG)
    assert len(people) == 8
    with scopes_disabled():
        plan_sources = (
            Action.objects.filter(alliance__slug=MIXED_SLUG, local_authority__gss_code=board.gss)
            .values("source_type_id")
            .distinct()
            .count()
        )
    assert plan_sources == 3
    board_path = pages[0][1]
    for person in User.objects.filter(pk__in=people):
        client.force_login(person)
        for _label, path in pages:
            response = client.get(path)
            assert response.status_code == 200, path
        # The offers' detail pages are opened by the planners among them.
        if person.pk in manager_ids(MIXED_SLUG, PLANNER_ROLES):
            for _label, path in offer_detail_pages():
                assert client.get(path).status_code == 200, path
        # The filters match: the theme and the event each narrow the board.
        everything = client.get(board_path).context["page"].paginator.count
        for _label, path in pages[3:6]:
            assert 0 < client.get(path).context["page"].paginator.count < everything, path


def test_reset_and_reseeding_work_after_bench_run_has_written_the_access_log(seeded, client):
    """bench.run downloads the plan PDF, which the access log records; the log refuses
    ordinary deletes and protects its people and alliances, so both resets purge it first
    (peerchallenge.access_log.access_log_purge), and only the benchmark's lines."""
    from peerchallenge.models import AccessLog
    from tests.factories import AccessLogFactory, AllianceFactory, UserFactory

    elsewhere = AllianceFactory(slug="not-bench")
    keeper = UserFactory(email="kept@example.org", mfa=False)
    with scopes_disabled():
        AccessLogFactory(
            alliance=elsewhere, user=keeper, action="download", object_type="x", object_id="1"
        )

    def a_bench_download():
        with scopes_disabled():
            AccessLogFactory(
                alliance=Alliance.objects.get(slug=MIXED_SLUG),
                user=User.objects.get(pk=manager_ids(MIXED_SLUG)[0]),
                action="download",
                object_type="report",
                object_id="1",
            )

    a_bench_download()
    seed(actions=306)  # the board again: its alliance goes and comes back
    a_bench_download()
    seed(reset=True)
    with scopes_disabled():
        assert list(AccessLog.objects.values_list("user__email", flat=True)) == ["kept@example.org"]


def test_bench_reports_times_the_plan_pdf_of_the_board_as_a_report(seeded, capsys, monkeypatch):
    from bench import reports as bench_reports
    from reports.models import ReportVersion

    # The bench makes the plan up to 1,000 actions; a few more than the council has is
    # enough to prove the copying and the table (the full size is the bench's job).
    with scopes_disabled():
        council = LocalAuthority.objects.get(gss_code=bench_board().gss)
        own = Action.objects.filter(local_authority=council).count()
    monkeypatch.setattr(bench_reports, "PLAN_ACTIONS", own + 3)
    monkeypatch.setattr(bench_reports, "RENDERS", 1)
    person = User.objects.get(pk=manager_ids(MIXED_SLUG)[0])
    bench_reports._print_plan_pdf(person)
    out = capsys.readouterr().out
    assert "improvement plan PDF (worker), in-process 1 times (median)" in out
    header, rule, row = out.strip().splitlines()[-3:]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == header.count("|") - 1 == rule.count("|") - 1 == 9
    assert cells[1] == str(own + 3)
    with scopes_disabled():
        assert not ReportVersion.objects.exists()  # rolled back
