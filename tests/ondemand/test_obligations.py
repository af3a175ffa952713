"""The on-demand offer states what is due once (ondemand/obligations.py); the home page, the
reminders and the overview agree because they read that one statement.

The tests ask the core for every offer's obligations (peerchallenge.offers.obligations) and
keep the on-demand ones: what the home page and the reminder scan see."""

import datetime

import pytest
from django_scopes import scope

from ondemand.models import Status
from ondemand.obligations import obligations as ondemand_obligations
from ondemand.overview import ondemand_rows
from peerchallenge.offers.obligations import obligations
from tests import clock
from tests.factories import council
from tests.obligations import assert_same_without_people, home_item, reminded_today, send
from tests.ondemand.factories import (
    ReviewFactory,
    on_team,
    planning_review,
    recommendation,
    session,
)

DEFAULT_DAYS = {"ondemand_invitation": 2, "ondemand_findings_due": 5}
PLACE = "Children's commissioning at Derby"


def when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def stated(world, today=clock.TODAY, **narrowing):
    with scope(alliance=world.em):
        return [
            o
            for o in obligations(alliances=[world.em.pk], today=today, **narrowing)
            if o.kind.startswith("ondemand.")
        ]


def own(world, **narrowing):
    """The on-demand offer's own obligations alone (the core's list runs every offer's)."""
    with scope(alliance=world.em):
        return ondemand_obligations(alliances=[world.em.pk], today=clock.TODAY, **narrowing)


def key(o) -> tuple:
    return (o.kind, type(o.subject).__name__, o.subject.pk)


def test_the_home_page_gives_an_invitation_the_day_the_reminder_names(
    client, world, od, mailoutbox
):
    """The reminder asked for an answer within a week of the invitation; the home page said
    it was due on the review's first day, weeks later."""
    review = planning_review(world.em, preferred_start=clock.days(30))
    on_team(review, od.officer, response="invited", invited_at=clock.at(-5))
    title = f"Answer your invitation to the review of {PLACE}"
    assert home_item(client, od.officer, title) == (
        f"{title} East Midlands RIIA. Due {when(clock.days(2))}"
    )
    assert send(world) == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["pete@example.org"], f"[Action required] {title} by {when(clock.days(2))}")
    ]


def test_the_home_page_and_the_overview_agree_on_when_recommendations_are_answered(client, world):
    """The overview says the council's answers are late four weeks after the findings; the
    home page asked for them with no date."""
    review = planning_review(
        world.em, status=Status.FINDINGS_ISSUED, findings_issued_at=clock.at(-30)
    )
    recommendation(review)
    with scope(alliance=world.em):
        (row,) = ondemand_rows(alliance=world.em, today=clock.TODAY)
    (due,) = [e.day for e in row.events if e.title.endswith(": responses to recommendations due")]
    assert due == clock.days(-2) and "not answered" in row.overdue
    title = f"Respond to the recommendations of the review of {PLACE}"
    assert home_item(client, world.dcs, title) == (
        f"{title} East Midlands RIIA. Overdue Was due {when(due)}"
    )


# --- the contract: one statement, two narrowings honoured exactly ---------------------


@pytest.fixture
def busy(world, od):
    """Reviews of every stage in the East Midlands, with invitations sent on several days."""
    ReviewFactory(alliance=world.em, service_area="Front door")
    ReviewFactory(alliance=world.em, service_area="Early help", status=Status.MORE_INFORMATION)
    ReviewFactory(alliance=world.em, service_area="Fostering", status=Status.DECLINED)
    planned = planning_review(
        world.em, service_area="Commissioning", preferred_start=clock.days(20)
    )
    on_team(planned, od.officer, response="invited", invited_at=clock.at(-3))
    on_team(planned, od.stranger, response="declined", invited_at=clock.at(-3))
    on_team(planned, od.lead, role="lead", invited_at=clock.at(-8))
    scheduled = planning_review(
        world.em, service_area="Adoption", preferred_start=clock.days(6), days=1
    )
    session(scheduled)
    on_team(scheduled, od.lead, role="lead")
    on_team(scheduled, od.derby_officer, response="invited", invited_at=clock.at(-1))
    started = planning_review(
        world.em,
        service_area="Care leavers",
        preferred_start=clock.days(-5),
        local_authority=council("Leicester"),
    )
    on_team(started, od.lead, role="lead")
    on_team(started, od.officer, response="invited", invited_at=clock.at(-12))
    issued = planning_review(
        world.em,
        service_area="SEND",
        status=Status.FINDINGS_ISSUED,
        findings_issued_at=clock.at(-3),
    )
    recommendation(issued)
    answered = planning_review(
        world.em, service_area="Youth justice", status=Status.FINDINGS_ISSUED,
        findings_issued_at=clock.at(-40),
    )  # fmt: skip
    recommendation(answered, response="accepted")


BOTH = {"ondemand.answer_invitation", "ondemand.issue_findings"}


@pytest.mark.parametrize(
    ("days", "reminded"),
    [
        (DEFAULT_DAYS, BOTH),
        ({"ondemand_invitation": 0, "ondemand_findings_due": 0}, BOTH),
        ({"ondemand_findings_due": 30}, {"ondemand.issue_findings"}),
    ],
)
def test_the_reminder_scan_gets_exactly_what_may_be_reminded_that_day(world, busy, days, reminded):
    seen = set()
    for n in range(-10, 30):
        today = clock.days(n)
        everything = stated(world, today)
        narrowed = stated(world, today, reminder_days=days)
        expected = {key(o) for o in everything if reminded_today(o, today, days)}
        assert {key(o) for o in narrowed if reminded_today(o, today, days)} == expected, today
        assert {key(o) for o in narrowed} <= {key(o) for o in everything}, today
        seen |= expected
    assert {kind for kind, _, _ in seen} == reminded


def test_the_home_page_gets_exactly_what_the_person_acts_on(world, od, busy):
    everything = stated(world)
    assert {o.kind for o in everything} == {
        "ondemand.decide_request",
        "ondemand.answer_question",
        "ondemand.build_schedule",
        "ondemand.answer_invitation",
        "ondemand.issue_findings",
        "ondemand.respond_recommendations",
    }
    people = [
        world.pm,
        world.coordinator,
        world.organiser,
        world.dcs,
        world.tier2,
        *vars(od).values(),
    ]
    for person in people:
        mine = stated(world, user=person)
        assert all(o.is_for(person) for o in mine)
        assert {key(o) for o in mine} == {key(o) for o in everything if o.is_for(person)}


def test_who_acts_on_what(world, od, busy):
    acts = {}
    for o in stated(world):
        acts.setdefault(o.kind, set()).update(person.email for person in o.actors)
    assert acts == {
        "ondemand.decide_request": {"pat@example.org", "cora@example.org"},
        "ondemand.answer_question": {"oscar@example.org", "dee@example.org"},
        "ondemand.build_schedule": {"oscar@example.org", "dee@example.org", "lou@example.org"},
        "ondemand.answer_invitation": {"pete@example.org", "dan@example.org"},
        "ondemand.issue_findings": {"lena@example.org"},
        "ondemand.respond_recommendations": {"oscar@example.org", "dee@example.org"},
    }


def test_an_inactive_person_neither_acts_nor_is_told(world, od, busy):
    for person in (world.dcs, world.pm, od.lead, od.officer):
        person.is_active = False
        person.save()
    gone = {"dee@example.org", "pat@example.org", "lena@example.org", "pete@example.org"}
    everything = stated(world)
    assert {o.kind for o in everything} == {
        "ondemand.decide_request",
        "ondemand.answer_question",
        "ondemand.build_schedule",
        "ondemand.answer_invitation",
        "ondemand.issue_findings",
        "ondemand.respond_recommendations",
    }
    for o in everything:
        emails = {person.email for person in o.recipients}
        if o.kind == "ondemand.issue_findings":  # still due (the overview says so): nobody's
            assert emails == set()
            continue
        assert emails and not emails & gone, o.kind


def more_reviews(world, od, n):
    for k in range(n):
        review = planning_review(
            world.em, service_area=f"Area {k}", preferred_start=clock.days(-10 - k % 3), days=1
        )
        on_team(review, od.lead if k == 0 else od.derby_officer, role="lead")
        on_team(review, od.officer, response="invited", invited_at=clock.at(-6))


def test_the_reminder_scan_queries_do_not_grow(world, od, django_assert_max_num_queries):
    more_reviews(world, od, 1)
    with django_assert_max_num_queries(1):
        assert len(own(world, reminder_days=DEFAULT_DAYS)) == 2
    more_reviews(world, od, 8)
    with django_assert_max_num_queries(1):
        assert len(own(world, reminder_days=DEFAULT_DAYS)) == 18


def test_the_everyone_list_queries_do_not_grow(world, od, django_assert_max_num_queries):
    more_reviews(world, od, 1)
    ReviewFactory(alliance=world.em, service_area="Front door")
    with django_assert_max_num_queries(4):
        assert len(own(world)) == 1 + 1 + 2
    more_reviews(world, od, 8)
    ReviewFactory(
        alliance=world.em, service_area="Early help", local_authority=council("Leicester")
    )
    with django_assert_max_num_queries(4):
        assert len(own(world)) == 9 + 18 + 2


def test_without_people_the_same_obligations_name_nobody(world, od, busy):
    assert_same_without_people(own(world), own(world, people=False))
