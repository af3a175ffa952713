"""The on-demand offer on the alliance overview: each review in progress (not declined, and
not finished: findings issued with every recommendation answered), at its stage, with its
next date, what is late and its dates; a fixed number of queries; shown on the page."""

import datetime

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from ondemand.models import Recommendation, Review, Status
from ondemand.overview import ondemand_rows
from peerchallenge.models import Alliance, Session
from tests.factories import AllianceFactory, SessionFactory, council

from .factories import RecommendationFactory, ReviewFactory, on_team, planning_review

FIRST = datetime.date(2026, 6, 1)  # two review days: 1 and 2 June; findings due 16 June
ISSUED = datetime.datetime(2026, 6, 10, 12, tzinfo=datetime.UTC)


def rows_on(world, today, alliance=None):
    alliance = alliance or world.em
    with scope(alliance=alliance):
        return ondemand_rows(alliance=alliance, today=today)


def session_in(review: Review) -> Session:
    with scopes_disabled():  # a test entry point
        return SessionFactory(
            alliance=review.alliance,
            challenge=review,
            kind="interview",
            title="Interview with the head of commissioning",
            starts_at=datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 6, 1, 11, tzinfo=datetime.UTC),
        )


def issued_review(world, *, pending=2, answered=1, **fields) -> Review:
    review = planning_review(world.em, preferred_start=FIRST, **fields)
    with scopes_disabled():
        Review.objects.filter(pk=review.pk).update(
            status=Status.FINDINGS_ISSUED, findings_issued_at=ISSUED, key_findings="Found"
        )
        for n in range(pending):
            RecommendationFactory(alliance=world.em, review=review, text=f"Pending {n}")
        for n in range(answered):
            RecommendationFactory(
                alliance=world.em, review=review, text=f"Done {n}", response="not_accepted"
            )
    review.refresh_from_db()
    return review


def test_a_request_waits_for_the_programme_manager(world):
    review = ReviewFactory(alliance=world.em, preferred_start=FIRST)
    [row] = rows_on(world, datetime.date(2026, 5, 20))
    assert (row.offer, row.name, row.url) == (
        "On-demand peer challenge",
        "Derby: Children's commissioning",
        f"/a/east-midlands/ondemand/{review.pk}/",
    )
    assert (row.stage, row.position, row.overdue) == ("Requested", 1, "")
    assert (row.next_date, row.next_label) == (FIRST, "preferred first day")
    assert [(e.day, e.title, e.path) for e in row.events] == [
        (FIRST, "Derby: Children's commissioning: preferred first day", row.url)
    ]
    [row] = rows_on(world, FIRST)
    assert row.overdue == (
        "The preferred first day, 1 June 2026, has come and the request is not decided"
    )


def test_more_information_asked_for_and_late(world):
    ReviewFactory(alliance=world.em, preferred_start=FIRST, status=Status.MORE_INFORMATION)
    [row] = rows_on(world, datetime.date(2026, 5, 20))
    assert (row.stage, row.position, row.overdue) == ("More information asked for", 2, "")
    [row] = rows_on(world, datetime.date(2026, 6, 3))
    assert row.overdue == (
        "The preferred first day, 1 June 2026, has come and the council has not answered the "
        "programme manager's question"
    )
    assert (row.next_date, row.next_label) == (None, "")


def test_an_accepted_review_through_planning_review_days_and_findings(world, od):
    review = planning_review(world.em, preferred_start=FIRST)
    [row] = rows_on(world, datetime.date(2026, 5, 20))
    assert (row.stage, row.position, row.overdue) == ("Planning", 3, "")
    assert (row.next_date, row.next_label) == (FIRST, "first review day")
    assert [(e.day, e.title) for e in row.events] == [
        (FIRST, "Derby: Children's commissioning: first review day"),
        (datetime.date(2026, 6, 2), "Derby: Children's commissioning: last review day"),
        (datetime.date(2026, 6, 16), "Derby: Children's commissioning: findings due"),
    ]
    [row] = rows_on(world, FIRST)
    assert (row.stage, row.position) == ("Review days", 4)
    # The schedule is due by the first day (obligations: ondemand.build_schedule): late after.
    assert row.overdue == "No lead reviewer has accepted"
    [row] = rows_on(world, FIRST + datetime.timedelta(days=1))
    assert row.overdue == "No lead reviewer has accepted; the schedule has no sessions"
    on_team(review, od.lead, role="lead", response="invited")
    session_in(review)
    [row] = rows_on(world, FIRST)
    assert row.overdue == "No lead reviewer has accepted"  # invited is not enough
    with scopes_disabled():
        review.team.update(response="accepted")
    [row] = rows_on(world, datetime.date(2026, 6, 2))
    assert (row.overdue, row.next_date, row.next_label) == (
        "",
        datetime.date(2026, 6, 2),
        "last review day",
    )
    [row] = rows_on(world, datetime.date(2026, 6, 16))
    assert (row.stage, row.position, row.overdue) == ("Findings to issue", 5, "")
    assert (row.next_date, row.next_label) == (datetime.date(2026, 6, 16), "findings due")
    [row] = rows_on(world, datetime.date(2026, 6, 17))
    assert row.overdue == "The findings were due on 16 June 2026"


def test_issued_findings_until_every_recommendation_is_answered(world):
    review = issued_review(world, pending=2, answered=1)
    [row] = rows_on(world, datetime.date(2026, 6, 11))
    assert (row.stage, row.position, row.overdue) == ("Responding to recommendations", 6, "")
    assert (row.next_date, row.next_label) == (
        datetime.date(2026, 7, 8),
        "responses to recommendations due",
    )
    [row] = rows_on(world, datetime.date(2026, 7, 9))
    assert row.overdue == "2 recommendations not answered, due 8 July 2026"
    with scopes_disabled():
        Recommendation.objects.filter(review=review, response="pending").first().delete()
    [row] = rows_on(world, datetime.date(2026, 7, 9))
    assert row.overdue == "1 recommendation not answered, due 8 July 2026"
    with scopes_disabled():
        Recommendation.objects.filter(review=review).update(response="accepted")
    assert rows_on(world, datetime.date(2026, 7, 9)) == []  # finished


def test_declined_reviews_and_other_alliances_are_left_out(world):
    ReviewFactory(alliance=world.em, preferred_start=FIRST, status=Status.DECLINED)
    ReviewFactory(alliance=world.london, local_authority=council("Camden"), preferred_start=FIRST)
    assert rows_on(world, datetime.date(2026, 5, 20)) == []
    assert [row.name for row in rows_on(world, datetime.date(2026, 5, 20), world.london)] == [
        "Camden: Children's commissioning"
    ]


def test_none_in_a_national_alliance_and_no_query(world, django_assert_num_queries):
    national = AllianceFactory(name="LGA", kind=Alliance.Kind.NATIONAL)
    with django_assert_num_queries(0):
        assert rows_on(world, datetime.date(2026, 5, 20), national) == []


def test_provider_queries_do_not_grow(world, od, django_assert_num_queries):
    ContentType.objects.get_for_model(Review)  # cached from then on, as in a running site
    on_team(planning_review(world.em, preferred_start=FIRST), od.lead, role="lead")
    # The offer's obligations: the reviews, and the team of those being planned.
    with django_assert_num_queries(2):
        assert len(rows_on(world, datetime.date(2026, 6, 20))) == 1
    for n in range(3):
        ReviewFactory(alliance=world.em, preferred_start=FIRST, service_area=f"Area {n}")
        session_in(planning_review(world.em, preferred_start=FIRST, service_area=f"Plan {n}"))
        issued_review(world, service_area=f"Issued {n}")
    with django_assert_num_queries(2):
        rows = rows_on(world, datetime.date(2026, 6, 20))
    assert len(rows) == 10
    assert sorted({row.stage for row in rows}) == [
        "Findings to issue",
        "Requested",
        "Responding to recommendations",
    ]


# The page ---------------------------------------------------------------------------------

NOW = datetime.datetime(2026, 6, 20, 12, tzinfo=datetime.UTC)


def overview(client, world):
    return client.get(reverse("alliance_overview", kwargs={"alliance": world.em.slug}))


@time_machine.travel(NOW, tick=False)
def test_the_overview_page_shows_the_reviews(client, world):
    late = planning_review(world.em, preferred_start=FIRST)
    ReviewFactory(
        alliance=world.em,
        preferred_start=datetime.date(2026, 6, 29),
        service_area="Fostering",
        local_authority=council("Leicester"),
    )
    client.force_login(world.pm)
    response = overview(client, world)
    page = response.content.decode()
    assert response.status_code == 200
    assert "On-demand peer challenge: 2 in progress (1 at requested, 1 at findings to issue)" in (
        page
    )
    link = f'href="/a/east-midlands/ondemand/{late.pk}/">Derby: Children&#x27;s commissioning</a>'
    assert link in page
    assert [(row.offer, row.name, row.overdue) for row in response.context["overdue_stages"]] == [
        (
            "On-demand peer challenge",
            "Derby: Children's commissioning",
            "No lead reviewer has accepted; the schedule has no sessions; the findings were due "
            "on 16 June 2026",
        )
    ]
    assert "Leicester: Fostering: preferred first day" in page  # 29 June, in the month view


@time_machine.travel(NOW, tick=False)
def test_the_overview_page_queries_do_not_grow_with_reviews(
    client, world, od, django_assert_max_num_queries
):
    planning_review(world.em, preferred_start=FIRST)
    client.force_login(world.pm)
    # 13 with the caches cold: each offer's rows, and the improvement cycle's (none open).
    with django_assert_max_num_queries(13):
        response = overview(client, world)
    assert len(response.context["offers"][0].rows) == 1
    for n in range(3):
        ReviewFactory(alliance=world.em, preferred_start=FIRST, service_area=f"Area {n}")
        on_team(planning_review(world.em, preferred_start=FIRST, service_area=f"P{n}"), od.lead)
        issued_review(world, service_area=f"Issued {n}")
    with django_assert_max_num_queries(13):
        response = overview(client, world)
    assert len(response.context["offers"][0].rows) == 10
