"""'What needs you now', reminders and the demo data."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from ondemand.models import Review, Reviewer, Status
from ondemand.obligations import obligations
from peerchallenge.models import Action, Alliance, ReminderLog
from peerchallenge.permissions import alliance_ids_of
from peerchallenge.reminders import reminders_queue
from tests.ondemand.factories import ReviewFactory, on_team, planning_review
from tests.outbox import deliver_queued


def asked_of(user) -> list:
    """What the home page asks of the person, across their alliances."""
    today = timezone.localdate()
    mine = obligations(alliances=alliance_ids_of(user), today=today, user=user)
    return [o for o in mine if not o.done]


def titles(user):
    # The home page runs inside the person's alliances' scope.
    with scopes_disabled():
        return [need.title for need in asked_of(user)]


def test_needs_of_each_party(world, od, django_assert_max_num_queries):
    ReviewFactory(alliance=world.em, service_area="Front door")
    asked = ReviewFactory(alliance=world.em, service_area="SEND", status=Status.MORE_INFORMATION)
    planned = planning_review(world.em, service_area="Commissioning")
    on_team(planned, od.officer, response="invited")
    assert titles(world.pm) == ["Decide on the request for a review of Front door at Derby"]
    assert sorted(titles(world.dcs)) == [
        "Answer the programme manager's question about the review of SEND at Derby",
        "Build the schedule of the review of Commissioning at Derby",
    ]
    assert titles(od.officer) == ["Answer your invitation to the review of Commissioning at Derby"]
    assert titles(od.leicester_organiser) == []
    with scope(alliance=world.em), django_assert_max_num_queries(3):
        asked_of(world.dcs)
    assert asked.pk


def test_lead_is_asked_for_findings_after_the_review(world, od):
    review = planning_review(world.em, preferred_start=timezone.localdate(), days=1)
    on_team(review, od.lead, role="lead")
    assert titles(od.lead) == [
        "Record and issue the findings of the review of Children's commissioning at Derby"
    ]


def test_reminders_sent_once(world, od, mailoutbox):
    today = timezone.localdate()
    review = planning_review(world.em, preferred_start=today - datetime.timedelta(days=10), days=1)
    on_team(review, od.lead, role="lead")
    place = on_team(review, od.officer, response="invited")
    with scopes_disabled():
        Reviewer.objects.filter(pk=place.pk).update(
            invited_at=timezone.now() - datetime.timedelta(days=6)
        )
    with scope(alliance=world.em):
        assert reminders_queue(alliance=world.em, today=today) == 2
        assert reminders_queue(alliance=world.em, today=today) == 0
        kinds = set(ReminderLog.objects.values_list("kind", "recipient__email"))
    assert kinds == {
        ("ondemand_invitation", "pete@example.org"),
        ("ondemand_findings_due", "lena@example.org"),
    }
    assert deliver_queued() == 2
    assert len(mailoutbox) == 2
    assert all(m.subject.startswith("[Action required]") for m in mailoutbox)


def test_seed_demo_creates_the_reviews_once(db, settings):
    settings.PEERCHALLENGE_DEMO = True
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    with scopes_disabled():
        em = Alliance.objects.get(slug="east-midlands")
        statuses = dict(
            Review.objects.filter(alliance=em).values_list("local_authority__name", "status")
        )
        assert statuses == {
            "Nottingham": "findings_issued",
            "Derbyshire": "planning",
            "Leicester": "requested",
        }
        nottingham = Review.objects.get(alliance=em, local_authority__name="Nottingham")
        actions = Action.objects.filter(source_id=nottingham.pk, source_type__model="review")
        assert sorted(actions.values_list("status", flat=True)) == [
            "amber",
            "complete",
            "green",
            "red",
        ]
        assert Review.objects.filter(alliance__slug="london").count() == 1
