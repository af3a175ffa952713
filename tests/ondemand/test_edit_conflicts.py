"""Lost updates on the on-demand review's long forms: the host's arrangements and a slot of
the schedule (the council and the planners), and the key findings (the lead reviewer, in
two tabs or after a change of lead). The second to save sees both versions and loses nothing."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from ondemand.models import Review
from ondemand.services.plan import schedule_session_save
from peerchallenge.models import Session
from tests.edit_conflict import two_people_edit
from tests.ondemand.factories import on_team, planning_review


def test_two_people_editing_the_arrangements_the_second_sees_both(client, world, od):
    review = planning_review(world.em)
    url = reverse("ondemand:arrangements", kwargs={"alliance": world.em.slug, "review": review.pk})

    def saved():
        with scopes_disabled():
            return Review.objects.get(pk=review.pk).case_record_access

    two_people_edit(
        client,
        url,
        first=world.organiser,  # the host council
        second=world.pm,
        mine={"case_record_access": "Organiser: room 4.12.", "key_people": "Head of service"},
        theirs={"case_record_access": "PM: read-only logins.", "key_people": "Head of service"},
        my_text="Organiser: room 4.12.",
        their_text="PM: read-only logins.",
        saved=saved,
    )


def test_the_key_findings_saved_in_two_tabs_the_second_sees_both(client, world, od):
    review = planning_review(world.em)
    on_team(review, od.lead, role="lead")
    url = reverse("ondemand:findings", kwargs={"alliance": world.em.slug, "review": review.pk})

    def saved():
        with scopes_disabled():
            return Review.objects.get(pk=review.pk).key_findings

    two_people_edit(
        client,
        url,
        first=od.lead,
        second=od.lead,
        mine={"findings": "1", "key_findings": "Leaders know their market."},
        theirs={"findings": "1", "key_findings": "Strong partnership working."},
        my_text="Leaders know their market.",
        their_text="Strong partnership working.",
        saved=saved,
    )


def test_two_people_changing_a_schedule_slot_the_second_sees_both(client, world, od):
    review = planning_review(world.em)
    day = review.first_day

    def at(hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    with scope(alliance=world.em):
        slot = schedule_session_save(
            review=review, kind="interview", title="Interview", starts_at=at(10),
            ends_at=at(11), user=world.organiser,
        )  # fmt: skip
    fields = {
        "day": day.isoformat(),
        "starts_at": "10:00",
        "ends_at": "11:00",
        "kind": "interview",
        "title": "Interview",
    }

    def saved():
        with scopes_disabled():
            return Session.objects.get(pk=slot.pk).attendees

    kwargs = {"alliance": world.em.slug, "review": review.pk, "slot": slot.pk}
    url = reverse("ondemand:slot_edit", kwargs=kwargs)
    two_people_edit(
        client,
        url,
        first=world.organiser,  # the host council
        second=world.pm,
        mine={**fields, "attendees": "Organiser: the placements manager."},
        theirs={**fields, "attendees": "PM: the Head of Commissioning."},
        my_text="Organiser: the placements manager.",
        their_text="PM: the Head of Commissioning.",
        saved=saved,
    )
