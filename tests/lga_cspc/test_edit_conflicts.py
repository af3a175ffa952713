"""Lost updates on the LGA peer challenge's long forms: two people (the programme manager
and the peer challenge manager, say) edit the same text; the second to save sees both
versions and loses nothing (peerchallenge.concurrency)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import CaseFile, CaseReview, Challenge, Evaluation, FeedbackReport, Stage
from lga_cspc.services.cases import cases_add
from tests.edit_conflict import two_people_edit
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory


def url(name, lga, challenge, **kwargs):
    return reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk, **kwargs},
    )


@pytest.fixture
def challenge(lga):
    challenge = ChallengeFactory(offer=lga.offer)
    with scopes_disabled():  # fixture set-up
        TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    return challenge


def test_two_people_editing_the_feedback_report_the_second_sees_both(client, lga, challenge):
    challenge.stage = Stage.REPORT
    challenge.save(update_fields=["stage"])
    sections = {"executive_summary": "Leaders know their services.", "save": "1"}

    def saved():
        with scopes_disabled():
            return FeedbackReport.objects.get(challenge=challenge).strengths

    two_people_edit(
        client,
        url("report", lga, challenge),
        first=lga.pm,
        second=lga.pcm,
        mine={**sections, "strengths": "PM: strong political support."},
        theirs={**sections, "strengths": "PCM: social workers know their children."},
        my_text="PM: strong political support.",
        their_text="PCM: social workers know their children.",
        saved=saved,
    )


def test_two_people_editing_the_key_messages_the_second_sees_both(client, lga, challenge):
    def saved():
        with scopes_disabled():
            return CaseReview.objects.get(challenge=challenge).key_messages

    two_people_edit(
        client,
        url("case_review", lga, challenge),
        first=lga.pm,
        second=lga.pcm,
        mine={"discussion": "1", "key_messages": "PM: the child's voice is strong."},
        theirs={"discussion": "1", "key_messages": "PCM: supervision is not recorded."},
        my_text="PM: the child's voice is strong.",
        their_text="PCM: supervision is not recorded.",
        saved=saved,
    )


def test_two_people_editing_a_cases_findings_the_second_sees_both(client, lga, challenge):
    with scope(alliance=lga.alliance):
        (case,) = cases_add(
            challenge=challenge,
            references=["CP-1"],
            source=CaseFile.Source.CHILD_PROTECTION,
            user=lga.pcm,
        )
    findings = {"quality": CaseFile.Quality.MIXED, "strengths": "Timely visits."}

    def saved():
        with scopes_disabled():
            return CaseFile.objects.get(pk=case.pk).voice_of_child

    two_people_edit(
        client,
        url("case_findings", lga, challenge, case=case.pk),
        first=lga.pcm,
        second=lga.pm,
        mine={**findings, "voice_of_child": "PCM: her wishes are recorded."},
        theirs={**findings, "voice_of_child": "PM: seen alone at every visit."},
        my_text="PCM: her wishes are recorded.",
        their_text="PM: seen alone at every visit.",
        saved=saved,
    )


def test_two_planners_editing_the_scoping_the_second_sees_both(client, lga):
    challenge = ChallengeFactory(offer=lga.offer)
    scoping = {
        "onsite_start": (timezone.localdate() + datetime.timedelta(days=120)).isoformat(),
        "days": "4",
        "team_needed": "A DCS as team leader.",
        "case_lists": ["cin", "cp"],
    }

    def saved():
        with scopes_disabled():
            return Challenge.objects.get(pk=challenge.pk).focus

    two_people_edit(
        client,
        url("scoping", lga, challenge),
        first=lga.coordinator,
        second=lga.pm,
        mine={**scoping, "focus": "Coordinator: the front door."},
        theirs={**scoping, "focus": "PM: early help and exploitation."},
        my_text="Coordinator: the front door.",
        their_text="PM: early help and exploitation.",
        saved=saved,
    )


def test_two_planners_recording_the_evaluation_interview_the_second_sees_both(client, lga):
    today = timezone.localdate()
    challenge = ChallengeFactory(
        offer=lga.offer, onsite_start=today - datetime.timedelta(days=90), stage=Stage.EVALUATION
    )
    interview = {
        "record": "Record",
        "interview_date": (today - datetime.timedelta(days=30)).isoformat(),
        "interview_time": "10:30",
    }

    def saved():
        with scopes_disabled():
            return Evaluation.objects.get(challenge=challenge).notes

    two_people_edit(
        client,
        url("evaluation", lga, challenge),
        first=lga.pm,
        second=lga.coordinator,
        mine={**interview, "notes": "PM: the case review helped most."},
        theirs={**interview, "notes": "Coordinator: the team was well prepared."},
        my_text="PM: the case review helped most.",
        their_text="Coordinator: the team was well prepared.",
        saved=saved,
    )


def test_a_catalogue_offer_edited_in_two_tabs_the_second_sees_both(client, lga):
    """The programme manager alone keeps the catalogue: two tabs, or two PMs."""
    from lga_cspc.models import Offer
    from tests.lga_cspc.factories import OfferFactory

    with scopes_disabled():  # an offer with no description yet, as the edits start from
        offer = OfferFactory(alliance=lga.alliance, name="SEND Peer Challenge", description="")
    offer_url = reverse(
        "lga_cspc:offer_edit", kwargs={"alliance": lga.alliance.slug, "offer": offer.pk}
    )
    fields = {"name": "SEND Peer Challenge", "min_days": "4", "max_days": "4", "is_active": "on"}

    def saved():
        with scopes_disabled():
            return Offer.objects.get(pk=offer.pk).description

    two_people_edit(
        client,
        offer_url,
        first=lga.pm,
        second=lga.pm,
        mine={**fields, "description": "For councils after a SEND inspection."},
        theirs={**fields, "description": "Four days on site."},
        my_text="For councils after a SEND inspection.",
        their_text="Four days on site.",
        saved=saved,
    )


def test_two_people_changing_a_timetable_session_the_second_sees_both(client, lga):
    """The shared timetable form (the on-demand schedule uses it too)."""
    from lga_cspc.services.timetable import timetable_session_save
    from peerchallenge.models import Session, SessionKind

    challenge = ChallengeFactory(offer=lga.offer, stage=Stage.PREPARATION)  # Derby
    day = challenge.onsite_start

    def at(hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    with scope(alliance=lga.alliance):
        session = timetable_session_save(
            challenge=challenge,
            kind=SessionKind.INTERVIEW,
            title="Interview",
            starts_at=at(10),
            ends_at=at(11),
            user=lga.derby_organiser,
        )
    fields = {
        "day": day.isoformat(),
        "starts_at": "10:00",
        "ends_at": "11:00",
        "kind": SessionKind.INTERVIEW,
        "title": "Interview",
    }

    def saved():
        with scopes_disabled():
            return Session.objects.get(pk=session.pk).attendees

    two_people_edit(
        client,
        url("session_edit", lga, challenge, session=session.pk),
        first=lga.derby_organiser,
        second=lga.pm,
        mine={**fields, "attendees": "Organiser: the Lead Member."},
        theirs={**fields, "attendees": "PM: the Head of Service."},
        my_text="Organiser: the Lead Member.",
        their_text="PM: the Head of Service.",
        saved=saved,
    )
