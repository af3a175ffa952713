"""Who is told in the LGA's peer challenge: the written feedback report (draft and final)
goes to the council's active DCSs and its sponsor if active, its sharing to the region's
active readers, and the sponsor is looked up once (selectors.challenge_sponsors) for the
emails and the reminders alike. Never a closed account."""

import pytest
from django_scopes import scope, scopes_disabled

from lga_cspc.obligations import obligations
from lga_cspc.selectors import (
    challenge_organisers,
    challenge_sponsors,
    document_sender_emails,
    sponsor_emails,
)
from lga_cspc.services.report import report_close_accuracy, report_issue_final
from peerchallenge.models import OutboundEmail, Role
from tests import clock
from tests.factories import MembershipFactory, UserFactory, council
from tests.lga_cspc import test_report, test_sharing
from tests.lga_cspc.factories import AdvanceDocumentFactory, ChallengeFactory
from tests.lga_cspc.test_report import AFTER, to_accuracy, to_final
from tests.lga_cspc.test_sharing import share

# Derby's challenge with its report to write, its team leader, and East Midlands (the
# region it is shared with): the report and sharing tests' fixtures.
challenge = test_report.challenge
leader = test_report.leader
em = test_sharing.em


def person(alliance, role, name, la=None, *, active=True):
    user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}.rc@example.org")
    if not active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
    return user


def told(template: str) -> list[str]:
    with scopes_disabled():
        rows = OutboundEmail.objects.filter(template=template).values_list("to", flat=True)
        return sorted(address for to in rows for address in to)


def close(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


# The written feedback report ------------------------------------------------------------------


def test_the_draft_report_is_emailed_to_the_active_dcs_only(
    lga, challenge, leader, django_capture_on_commit_callbacks
):
    closed = person(lga.alliance, Role.DCS, "Ivy Inactive", council("Derby"), active=False)
    to_accuracy(lga, challenge, leader, django_capture_on_commit_callbacks)
    assert told("cspc_report_draft") == [lga.derby_dcs.email]
    assert closed.email not in told("cspc_report_draft")


def test_the_final_report_is_not_emailed_to_a_closed_sponsor_nor_team_member(
    lga, challenge, leader, django_capture_on_commit_callbacks
):
    sponsor = person(lga.alliance, Role.DCS, "Sid Sponsor", council("Derby"))
    challenge.sponsor = sponsor
    challenge.save()
    to_accuracy(lga, challenge, leader, django_capture_on_commit_callbacks)
    assert told("cspc_report_draft") == sorted([lga.derby_dcs.email, sponsor.email])
    close(sponsor)  # the sponsor and the team leader leave before the final report
    close(leader)
    with scope(alliance=lga.alliance):
        report_close_accuracy(challenge=challenge, user=lga.pcm, today=AFTER)
        with django_capture_on_commit_callbacks(execute=True):
            report_issue_final(challenge=challenge, user=lga.pm, today=AFTER)
    assert told("cspc_report_final") == [lga.derby_dcs.email]
    # Issuing the final asks the team for their views: the ones still here.
    assert told("cspc_questionnaire") == [lga.pcm.email]


def test_sharing_the_final_report_tells_the_active_readers_only(
    lga, challenge, leader, em, django_capture_on_commit_callbacks
):
    closed = person(em.alliance, Role.COORDINATOR, "Ina Inactive", active=False)
    to_final(lga, challenge, leader)
    with django_capture_on_commit_callbacks(execute=True):
        share(lga, challenge, "planners")
    assert told("cspc_report_shared") == sorted([em.pm.email, em.coordinator.email])
    assert closed.email not in told("cspc_report_shared")


# The sponsor and the organiser, said once ------------------------------------------------------


@pytest.fixture
def booked(lga):
    return ChallengeFactory(offer=lga.offer)


def test_without_a_named_sponsor_the_active_dcs_are_the_sponsors(lga, booked):
    closed = person(lga.alliance, Role.DCS, "Ivy Inactive", council("Derby"), active=False)
    with scope(alliance=lga.alliance):
        sponsors = challenge_sponsors(challenge=booked)
        assert sponsor_emails(challenge=booked) == [lga.derby_dcs.email]
    assert sponsors == [lga.derby_dcs] and closed not in sponsors


def test_a_closed_named_sponsor_is_told_nothing(lga, booked):
    sponsor = person(lga.alliance, Role.DCS, "Sid Sponsor", council("Derby"))
    booked.sponsor = sponsor
    booked.save()
    close(sponsor)
    with scope(alliance=lga.alliance):
        # Only the named sponsor may accept the proposal: the other DCSs are not asked.
        assert challenge_sponsors(challenge=booked) == []
        assert sponsor_emails(challenge=booked) == []


def test_a_closed_named_organiser_hands_over_to_the_councils_people(lga, booked):
    organiser = person(lga.alliance, Role.LA_ORGANISER, "Ola Organiser", council("Derby"))
    booked.organiser = organiser
    booked.save()
    with scope(alliance=lga.alliance):
        assert challenge_organisers(challenge=booked) == [organiser]
    close(organiser)
    with scope(alliance=lga.alliance):
        assert challenge_organisers(challenge=booked) == [lga.derby_dcs, lga.derby_organiser]
        assert document_sender_emails(challenge=booked) == sorted(
            [lga.derby_dcs.email, lga.derby_organiser.email]
        )


def test_the_reminders_use_the_same_sponsor_and_organiser(lga, booked):
    sponsor = person(lga.alliance, Role.DCS, "Sid Sponsor", council("Derby"))
    organiser = person(lga.alliance, Role.LA_ORGANISER, "Ola Organiser", council("Derby"))
    booked.sponsor, booked.organiser = sponsor, organiser
    booked.proposal_sent_at = clock.at(-5)
    booked.save()
    with scopes_disabled():
        AdvanceDocumentFactory(challenge=booked, title="Self-assessment", due_date=clock.days(3))
    close(sponsor)
    close(organiser)
    with scope(alliance=lga.alliance):
        stated = obligations(
            alliances=[lga.alliance.pk],
            today=clock.TODAY,
            reminder_days={"cspc_proposal": 5, "cspc_documents": 7},
        )
        expected = {
            "cspc_proposal": challenge_sponsors(challenge=booked),
            "cspc_documents": challenge_organisers(challenge=booked),
        }
    told = {kind: list(o.recipients) for o in stated for kind in o.reminders}
    assert {kind: told[kind] for kind in expected} == expected
    assert expected == {"cspc_proposal": [], "cspc_documents": [lga.derby_dcs, lga.derby_organiser]}
