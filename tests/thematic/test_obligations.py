"""The thematic offer states what is due once (thematic/obligations.py); the home page, the
reminders and the overview agree because they read that one statement.

The tests ask the core for every offer's obligations (peerchallenge.offers.obligations) and
keep the thematic ones: what the home page and the reminder scan see."""

import datetime

import pytest
from django_scopes import scope

from peerchallenge.models import Role
from peerchallenge.offers.obligations import obligations
from tests import clock
from tests.factories import MembershipFactory, UserFactory, council
from tests.obligations import assert_same_without_people, home_item, reminded_today, send
from tests.thematic.factories import event, next_steps, nomination, suggestion, summary
from thematic.obligations import obligations as thematic_obligations
from thematic.overview import thematic_rows

DEFAULT_DAYS = {
    "thematic_nominations_due": 7,
    "thematic_next_steps_due": 3,
    "thematic_next_steps_late": 1,
}


def when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def stated(world, today=clock.TODAY, **narrowing):
    with scope(alliance=world.em):
        return [
            o
            for o in obligations(alliances=[world.em.pk], today=today, **narrowing)
            if o.kind.startswith("thematic.")
        ]


def key(o) -> tuple:
    return (o.kind, o.subject.pk, o.council.pk if o.council else None)


def test_late_next_steps_are_chased_after_the_summary_as_the_home_page_asks_for_them(
    client, world, mailoutbox
):
    """The reminders stopped telling a council its next steps were late once the summary was
    issued, while the home page kept asking for them (the service still takes them, marked
    late, and they change the summary)."""
    held = event(world.em, days_from_today=-20, councils=("Derby",), next_steps_due=clock.days(-5))
    summary(held, issued=True)
    title = "Submit Derby's next steps from the Reduction of Harm thematic challenge"
    assert home_item(client, world.organiser, title) == (
        f"{title} East Midlands RIIA. Overdue Was due {when(clock.days(-5))}"
    )
    assert send(world) == 2
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        (
            email,
            f"[Action required] Derby's next steps from the Reduction of Harm thematic "
            f"challenge on {when(clock.days(-20))} were due on {when(clock.days(-5))}",
        )
        for email in ("dee@example.org", "oscar@example.org")
    ]


def test_no_reminder_of_next_steps_the_home_page_no_longer_asks_for(client, world, mailoutbox):
    """The reminders chased late next steps with no end while the summary was not issued
    (a scan after the late kind was switched back on mailed councils about events long
    past); the home page stops asking sixty days after the deadline."""
    event(world.em, days_from_today=-100, councils=("Derby",), next_steps_due=clock.days(-86))
    assert home_item(client, world.organiser, "Submit Derby's next steps") == ""
    assert send(world) == 0
    assert mailoutbox == []


def test_the_home_page_and_the_overview_agree_on_when_the_summary_is_due(client, world):
    """The home page said the summary was due with the councils' next steps; the overview
    expects it two weeks later."""
    event(world.em, days_from_today=-10, councils=("Derby",))  # next steps due in 4 days
    with scope(alliance=world.em):
        (row,) = thematic_rows(alliance=world.em, today=clock.TODAY)
    (summary_due,) = [e.day for e in row.events if e.title.endswith(": summary due")]
    assert summary_due == clock.days(18)
    title = "Write and issue the emerging themes summary of the Reduction of Harm"
    assert home_item(client, world.pm, title).endswith(f"Due {when(summary_due)}")


# --- the contract: one statement, two narrowings honoured exactly ---------------------


def leicester_organiser(world):
    MembershipFactory(
        alliance=world.em,
        user=UserFactory(full_name="Lou Leicester", email="lou@example.org"),
        role=Role.LA_ORGANISER,
        local_authority=council("Leicester"),
    )


@pytest.fixture
def busy(world):
    """Events at every stage in the East Midlands, with a Leicester organiser too, and a
    theme suggestion waiting for a decision."""
    leicester_organiser(world)
    suggestion(world.em, suggested_by=world.dcs)
    made = {n: event(world.em, days_from_today=n) for n in (-75, -30, -16, -12, -3, 4, 12, 19, 40)}
    nomination(made[12], "Leicester")
    nomination(made[19], "Derby")
    next_steps(made[-16], "Derby")
    next_steps(made[-3], "Leicester")
    summary(made[-30], issued=True)
    summary(made[-12])
    return made


@pytest.mark.parametrize(
    ("days", "reminded"),
    [
        (DEFAULT_DAYS, {"thematic.nominate", "thematic.next_steps"}),
        (
            {"thematic_nominations_due": 0, "thematic_next_steps_late": 0},
            {"thematic.nominate", "thematic.next_steps"},
        ),
        ({"thematic_next_steps_due": 20, "thematic_next_steps_late": 12}, {"thematic.next_steps"}),
    ],
)
def test_the_reminder_scan_gets_exactly_what_may_be_reminded_that_day(world, busy, days, reminded):
    seen = set()
    for n in range(-25, 45):
        today = clock.days(n)
        everything = stated(world, today)
        narrowed = stated(world, today, reminder_days=days)
        expected = {key(o) for o in everything if reminded_today(o, today, days)}
        assert {key(o) for o in narrowed if reminded_today(o, today, days)} == expected, today
        assert {key(o) for o in narrowed} <= {key(o) for o in everything}, today
        seen |= expected
    assert {kind for kind, _, _ in seen} == reminded


def test_the_home_page_gets_exactly_what_the_person_acts_on(world, busy):
    everything = stated(world)
    assert {o.kind for o in everything} == {
        "thematic.decide_suggestion",
        "thematic.publish_kloes",
        "thematic.summary",
        "thematic.nominate",
        "thematic.next_steps",
    }
    for person in (world.pm, world.coordinator, world.organiser, world.dcs, world.tier2):
        mine = stated(world, user=person)
        assert all(o.is_for(person) for o in mine)
        assert {key(o) for o in mine} == {key(o) for o in everything if o.is_for(person)}


def test_who_acts_on_what(world, busy):
    everything = stated(world)
    by_kind = {}
    for o in everything:
        by_kind.setdefault(o.kind, set()).update(person.email for person in o.actors)
    planners = {"pat@example.org", "cora@example.org"}
    assert by_kind["thematic.decide_suggestion"] == planners
    assert by_kind["thematic.publish_kloes"] == planners
    assert by_kind["thematic.summary"] == planners
    councils = {"oscar@example.org", "dee@example.org", "lou@example.org"}
    assert by_kind["thematic.nominate"] == councils
    assert by_kind["thematic.next_steps"] == councils


def test_an_inactive_person_neither_acts_nor_is_told(world, busy):
    for person in (world.dcs, world.pm):
        person.is_active = False
        person.save()
    for o in stated(world):
        emails = {person.email for person in o.recipients}
        assert "dee@example.org" not in emails and "pat@example.org" not in emails, o.kind
        assert emails, o.kind


def more_events(world):
    """Six more events whose nominations are due within a week, and six held ones whose
    next steps are due within three days."""
    for n in range(6):
        event(world.em, days_from_today=16 + n % 3, theme_name=f"Theme {n}")
        event(world.em, days_from_today=-11 - n % 3, theme_name=f"Held {n}")


def own(world, **narrowing):
    """The thematic offer's own obligations alone (the core's list runs every offer's)."""
    with scope(alliance=world.em):
        return thematic_obligations(alliances=[world.em.pk], today=clock.TODAY, **narrowing)


def test_the_reminder_scan_queries_do_not_grow(world, django_assert_max_num_queries):
    leicester_organiser(world)
    event(world.em, days_from_today=17)  # nominations due in three days
    with django_assert_max_num_queries(5):
        assert len(own(world, reminder_days=DEFAULT_DAYS)) == 2
    more_events(world)
    with django_assert_max_num_queries(5):
        assert len(own(world, reminder_days=DEFAULT_DAYS)) == 26


def test_the_home_page_queries_do_not_grow(world, django_user_model, django_assert_max_num_queries):
    event(world.em, days_from_today=17)
    person = django_user_model.objects.get(pk=world.organiser.pk)  # as a request loads it
    with django_assert_max_num_queries(5):
        assert len(own(world, user=person)) == 1
    more_events(world)
    person = django_user_model.objects.get(pk=world.organiser.pk)
    with django_assert_max_num_queries(5):
        assert len(own(world, user=person)) == 13


def test_without_people_the_same_obligations_name_nobody(world, busy, django_assert_num_queries):
    everyone = own(world)
    with django_assert_num_queries(3):  # no one looked up
        assert_same_without_people(everyone, own(world, people=False))
