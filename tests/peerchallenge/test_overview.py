"""The alliance overview: challenges in progress by stage across offers (the triads' and the
LGA's providers), overdue stages and actions, and a month of dates."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lga_cspc.overview import cspc_rows
from peerchallenge.calendar import CalendarEvent
from peerchallenge.models import Alliance, LocalAuthority, Tier2Group
from peerchallenge.offers.obligations import Obligation
from peerchallenge.overview import (
    LateGroup,
    late_by_challenge,
    month_view,
    overdue_actions,
    parse_month,
)
from peerchallenge.services import action_create
from reports.models import ReportVersion
from tests.factories import ActionFactory, ReportVersionFactory, Tier2GroupFactory, council
from tests.lga_cspc.factories import CaseReviewFactory, ChallengeFactory, OfferFactory
from tests.triads.factories import CycleFactory, EventTemplateFactory, TriadMemberFactory
from triads.models import Cycle
from triads.overview import triad_rows

TODAY = datetime.date(2026, 5, 14)


def overview_url(world, **query):
    url = reverse("alliance_overview", kwargs={"alliance": world.em.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def cycle_on(world, name, event_date, councils=("Derby", "Leicester", "Rutland")):
    cycle = CycleFactory(
        alliance=world.em, name=name, event_date=event_date, **Cycle.default_deadlines(event_date)
    )
    cycle.councils.set([council(la) for la in councils])
    return cycle


# Months -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-07", datetime.date(2026, 7, 1)),
        ("2027-12", datetime.date(2027, 12, 1)),
        ("", datetime.date(2026, 5, 1)),
        ("2026-13", datetime.date(2026, 5, 1)),
        ("2026-7", datetime.date(2026, 5, 1)),
        ("2026-07-01", datetime.date(2026, 5, 1)),
        ("July", datetime.date(2026, 5, 1)),
        ("0000-01", datetime.date(2026, 5, 1)),
        ("9999-12", datetime.date(2026, 5, 1)),
        ("-2026-1", datetime.date(2026, 5, 1)),
    ],
)
def test_parse_month(value, expected):
    assert parse_month(value, today=TODAY) == expected


def test_month_view_puts_events_on_their_days():
    events = [
        CalendarEvent("a", "Event day", datetime.date(2026, 5, 12)),
        CalendarEvent("b", "KLOEs due", datetime.date(2026, 5, 12)),
        CalendarEvent("c", "Last month", datetime.date(2026, 4, 30)),
    ]
    month = month_view(first=datetime.date(2026, 5, 1), events=events)
    assert month.weeks[0][0].date == datetime.date(2026, 4, 27)  # a Monday
    assert len(month.weeks) == 5 and all(len(week) == 7 for week in month.weeks)
    days = {day.date: day for week in month.weeks for day in week}
    assert [e.title for e in days[datetime.date(2026, 5, 12)].events] == ["Event day", "KLOEs due"]
    assert days[datetime.date(2026, 4, 30)].events == []  # fills the first week, not May's
    assert not days[datetime.date(2026, 4, 30)].in_month
    assert month.event_count == 2
    assert (month.previous, month.next) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 1))
    december = month_view(first=datetime.date(2026, 12, 1), events=[])
    assert december.next == datetime.date(2027, 1, 1)


# The triads' provider ---------------------------------------------------------------------


def test_triad_rows_follow_the_cycle_through_its_stages(world):
    cycle = cycle_on(world, "Summer 2026", datetime.date(2026, 6, 18))  # KLOEs due 21 May
    with scope(alliance=world.em):
        [row] = triad_rows(alliance=world.em, today=TODAY)
        assert (row.stage, row.next_date, row.overdue) == (
            "Planning",
            datetime.date(2026, 5, 21),
            "",
        )
        assert (row.offer, row.name, row.url) == (
            "Triad peer challenge",
            "Summer 2026",
            f"/a/east-midlands/triads/{cycle.pk}/",
        )
        [late] = triad_rows(alliance=world.em, today=datetime.date(2026, 5, 22))
        assert late.stage == "Planning"
        assert late.overdue.startswith("The councils were to be in triads before 21 May 2026")
        from tests.triads.factories import TriadFactory

        triad = TriadFactory(cycle=cycle)
        for la in ("Derby", "Leicester", "Rutland"):
            TriadMemberFactory(alliance=world.em, cycle=cycle, triad=triad, council=council(la))
        [row] = triad_rows(alliance=world.em, today=TODAY)
        assert (row.stage, row.overdue) == ("Key lines of enquiry", "")
        [row] = triad_rows(alliance=world.em, today=datetime.date(2026, 6, 1))
        assert row.stage == "Preparing for the event"
        assert row.overdue == (
            "3 of 3 councils have not shared key lines of enquiry, due 21 May 2026"
        )
        EventTemplateFactory(
            alliance=world.em,
            cycle=cycle,
            local_authority=council("Derby"),
            completed_at=datetime.datetime(2026, 6, 20, tzinfo=datetime.UTC),
        )
        [row] = triad_rows(alliance=world.em, today=datetime.date(2026, 7, 1))
        assert (row.stage, row.next_date, row.next_label) == (
            "Summary report",
            datetime.date(2026, 7, 30),
            "summary report due",
        )
        assert row.overdue == "2 of 3 event-day templates not completed, due 25 June 2026"
        assert [event.day for event in row.events] == [
            datetime.date(2026, 5, 21),
            datetime.date(2026, 6, 18),
            datetime.date(2026, 6, 25),
            datetime.date(2026, 7, 30),
        ]


def test_an_issued_cycle_is_no_longer_in_progress(world):
    cycle = cycle_on(world, "March 2026", datetime.date(2026, 3, 12))
    with scope(alliance=world.em):
        assert [row.name for row in triad_rows(alliance=world.em, today=TODAY)] == ["March 2026"]
        ReportVersionFactory(
            alliance=world.em,
            report="triads.summary",
            title="Summary",
            subject=cycle,
            number=1,
            status=ReportVersion.Status.FAILED,
        )
        assert len(triad_rows(alliance=world.em, today=TODAY)) == 1  # failed: not issued
        ReportVersion.objects.filter(subject_id=cycle.pk).update(
            status=ReportVersion.Status.RENDERED
        )
        assert triad_rows(alliance=world.em, today=TODAY) == []


# What is late, from the obligations ------------------------------------------------------

DERBY, LEICESTER = LocalAuthority(pk=1, name="Derby"), LocalAuthority(pk=2, name="Leicester")
SENTENCES = {
    "test.report": "the report was due on {due}",
    "test.share": "{late} of {total} councils have not shared, due {due}",
}


def due(kind, subject, day, *, done=False, challenge=None):
    return Obligation(
        kind=kind,
        subject=subject,
        challenge=challenge,
        alliance=None,
        title=kind,
        url="/",
        due=day,
        done=done,
    )


def test_late_sentences_count_a_challenges_obligations_of_each_kind():
    groups = [Tier2Group(pk=7, name="Cycle"), Tier2Group(pk=8, name="Other")]
    late = late_by_challenge(
        obligations=[
            # Four councils' shares in group 7: two late, one done, one due today (not late).
            due("test.share", DERBY, datetime.date(2026, 5, 2), challenge=groups[0]),
            due("test.share", LEICESTER, datetime.date(2026, 5, 1), challenge=groups[0]),
            due("test.share", DERBY, datetime.date(2026, 4, 1), challenge=groups[0], done=True),
            due("test.share", LEICESTER, TODAY, challenge=groups[0]),
            due("test.report", groups[0], datetime.date(2026, 5, 13)),
            due("test.unsaid", groups[0], datetime.date(2026, 1, 1)),  # no sentence: unsaid
            due("test.report", groups[1], TODAY + datetime.timedelta(days=1)),  # not yet due
            due("test.share", DERBY, None, challenge=groups[1]),  # undated: never late
        ],
        sentences=SENTENCES,
        today=TODAY,
    )
    assert late == {
        ("peerchallenge.Tier2Group", 7): [
            "the report was due on 13 May 2026",  # in the order of the sentences
            "2 of 4 councils have not shared, due 1 May 2026",  # the earliest late due date
        ]
    }


def test_a_late_sentence_may_be_a_function_of_the_group():
    seen = []

    def sentence(group: LateGroup) -> str:
        seen.append(group)
        return f"{group.kind}: {len(group.late)} late, {(group.today - group.due).days} days"

    obligation = due("test.report", DERBY, datetime.date(2026, 5, 4))
    late = late_by_challenge(
        obligations=[obligation], sentences={"test.report": sentence}, today=TODAY
    )
    assert late == {("peerchallenge.LocalAuthority", 1): ["test.report: 1 late, 10 days"]}
    assert seen == [LateGroup("test.report", (obligation,), (obligation,), TODAY)]
    assert (seen[0].total, seen[0].due) == (1, datetime.date(2026, 5, 4))


def test_nothing_late_says_nothing():
    assert late_by_challenge(obligations=[], sentences=SENTENCES, today=TODAY) == {}
    done = due("test.report", DERBY, datetime.date(2026, 5, 1), done=True)
    assert late_by_challenge(obligations=[done], sentences=SENTENCES, today=TODAY) == {}


def test_an_lga_challenges_case_record_review_is_late_until_its_report_is_shared(world):
    with scopes_disabled():
        challenge = ChallengeFactory(
            onsite_start=datetime.date(2026, 5, 20), days=3, stage="preparation"
        )
    national = challenge.alliance
    with scope(alliance=national):
        [row] = cspc_rows(alliance=national, today=TODAY)
        assert row.overdue == "The case record review was due on 6 May 2026"
        CaseReviewFactory(
            alliance=national,
            challenge=challenge,
            shared_at=datetime.datetime(2026, 5, 10, tzinfo=datetime.UTC),
        )
        [row] = cspc_rows(alliance=national, today=TODAY)
        assert row.overdue == ""


# The LGA's provider -----------------------------------------------------------------------


def test_cspc_rows_only_in_a_national_alliance(world):
    with scopes_disabled():
        challenge = ChallengeFactory(
            offer=OfferFactory(name="Children's Services Peer Challenge"),
            onsite_start=datetime.date(2026, 5, 4),
            days=4,
            stage="scoping",
        )
        ChallengeFactory(offer=challenge.offer, stage="closed")
    national = challenge.alliance
    assert national.kind == Alliance.Kind.NATIONAL
    with scope(alliance=national):
        [row] = cspc_rows(alliance=national, today=TODAY)
    assert (row.offer, row.name, row.stage) == (
        "LGA peer challenge",
        "Derby: Children's Services Peer Challenge",
        "Scoping",
    )
    assert row.overdue == (
        "The on-site days ended on 7 May 2026 but the challenge is still at scoping"
    )
    with scope(alliance=world.em):
        assert cspc_rows(alliance=world.em, today=TODAY) == []


# The page ---------------------------------------------------------------------------------


@pytest.fixture
def busy(world):
    """A cycle past its templates' deadline, one in planning, and overdue actions."""
    past = cycle_on(world, "March 2026", datetime.date(2026, 3, 12))
    cycle_on(world, "Autumn 2099", datetime.date(2099, 10, 1))
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
        for la, due in [("Derby", datetime.date(2026, 4, 1)), ("Derby", datetime.date(2026, 4, 2))]:
            action_create(
                source=past,
                local_authority=council(la),
                what="Audit step-down decisions",
                owner="Head of service",
                due_date=due,
                tier2_group=group,
                created_by=world.organiser,
            )
    return past, group


@pytest.mark.parametrize("who", ["pm", "coordinator", "admin"])
def test_managers_read_the_overview(client, world, busy, who):
    _, group = busy
    client.force_login(getattr(world, who))
    response = client.get(overview_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Triad peer challenge: 2 in progress" in page
    assert "March 2026" in page and "Autumn 2099" in page
    assert [row.name for row in response.context["overdue_stages"]] == ["March 2026"]
    assert response.context["overdue"].total == 2
    assert f'/a/east-midlands/tier2/{group.pk}/?overdue=1"' in page
    assert f'/a/east-midlands/councils/{council("Derby").gss_code}/plan/"' in page


@pytest.mark.parametrize("who", ["organiser", "dcs", "tier2"])
def test_others_in_the_alliance_get_403(client, world, busy, who):
    client.force_login(getattr(world, who))
    assert client.get(overview_url(world)).status_code == 403


def test_the_alliance_page_links_the_overview_for_managers_only(client, world):
    url = reverse("alliance_detail", kwargs={"alliance": world.em.slug})
    client.force_login(world.pm)
    assert overview_url(world) in client.get(url).content.decode()
    client.force_login(world.tier2)
    assert overview_url(world) not in client.get(url).content.decode()


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026-5", "", "99999-01", "2026-05-01"])
def test_bad_month_shows_this_month(client, world, month):
    from django.utils import timezone

    client.force_login(world.pm)
    response = client.get(overview_url(world), {"month": month})
    assert response.status_code == 200
    assert response.context["month"].first == timezone.localdate().replace(day=1)


def test_month_navigation(client, world, busy):
    client.force_login(world.pm)
    response = client.get(overview_url(world), {"month": "2026-03"})
    page = response.content.decode()
    assert "Dates in March 2026" in page
    assert 'href="?month=2026-04#dates"' in page and 'href="?month=2026-02#dates"' in page
    assert "March 2026: event day" in page  # the past cycle's event, on 12 March
    assert 'scope="col"' in page and "Wednesday" in page


def test_overview_query_count_does_not_grow(client, world, busy, django_assert_max_num_queries):
    past, group = busy
    client.force_login(world.pm)
    with django_assert_max_num_queries(15):
        client.get(overview_url(world))
    for year in range(2030, 2040):
        cycle_on(world, f"Cycle {year}", datetime.date(year, 3, 1))
    with scope(alliance=world.em):
        for la in ("Leicester", "Rutland", "Nottingham", "Lincolnshire"):
            action_create(
                source=past,
                local_authority=council(la),
                what="Late",
                owner="DCS",
                due_date=datetime.date(2026, 1, 1),
                tier2_group=group,
                created_by=world.organiser,
            )
    with django_assert_max_num_queries(15):
        response = client.get(overview_url(world))
    assert response.context["overdue"].total == 6
    assert len(response.context["offers"][0].rows) == 12


def test_a_cycle_over_a_year_past_is_history_not_overdue_work(world):
    cycle_on(world, "March 2024", datetime.date(2024, 3, 14))  # recorded for the grouping
    recent = cycle_on(world, "March 2026", datetime.date(2026, 3, 12))
    with scope(alliance=world.em):
        rows = triad_rows(alliance=world.em, today=TODAY)
    assert [row.name for row in rows] == [recent.name]


def test_overdue_actions_are_counted_in_one_query_by_group_and_council(
    world, django_assert_num_queries
):
    """However many councils and Tier 2 groups have overdue actions: one aggregate query,
    the groups by name, the councils most overdue first, with what the page links to."""
    cycle = CycleFactory(alliance=world.em)
    safeguarding = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
    early_help = Tier2GroupFactory(alliance=world.em, name="Early help")
    late = datetime.date(2026, 5, 1)
    for la, group in [
        ("Derby", safeguarding),
        ("Derby", early_help),
        ("Derby", None),
        ("Rutland", safeguarding),
        ("Leicester", early_help),
    ]:
        ActionFactory(source=cycle, local_authority=council(la), tier2_group=group, due_date=late)
    ActionFactory(source=cycle, tier2_group=safeguarding, due_date=TODAY)  # due today: not late
    with scope(alliance=world.em), django_assert_num_queries(1):
        overdue = overdue_actions(alliance=world.em, today=TODAY)
    assert overdue.total == 5
    assert [(group.pk, group.name, n) for group, n in overdue.by_group] == [
        (early_help.pk, "Early help", 2),
        (safeguarding.pk, "Safeguarding", 2),
    ]
    assert [(la.name, la.gss_code, n) for la, n in overdue.by_council] == [
        ("Derby", council("Derby").gss_code, 3),
        ("Leicester", council("Leicester").gss_code, 1),
        ("Rutland", council("Rutland").gss_code, 1),
    ]
