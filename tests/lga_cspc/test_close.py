"""Ending a challenge: the programme manager withdraws it (a reason required, any time before
the final report; the sponsor and team told) or closes it (from evaluation, once the DCS
interview is recorded). Each is logged in the challenge's history."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import Challenge, Stage, TeamMember
from lga_cspc.overview import cspc_rows
from lga_cspc.services.close import challenge_close, challenge_withdraw
from peerchallenge.models import Session
from tests.clock import day_text
from tests.factories import UserFactory, council
from tests.lga_cspc.factories import ChallengeFactory, EvaluationFactory, TeamMemberFactory

REASON = "The council postponed it to next year after a new DCS was appointed."


def url(name, lga, **kwargs):
    return reverse(f"lga_cspc:{name}", kwargs={"alliance": lga.alliance.slug, **kwargs})


@pytest.fixture
def challenge(lga):
    """Derby's, at preparation, with a named sponsor and two peers on the team."""
    with scopes_disabled():
        challenge = ChallengeFactory(
            offer=lga.offer, stage=Stage.PREPARATION, sponsor=lga.derby_dcs
        )
        for user, role in ((lga.peer, "team_leader"), (lga.pcm, "peer_challenge_manager")):
            TeamMemberFactory(
                alliance=lga.alliance, challenge=challenge, user=user, role=role, indicative_days=6
            )
    return challenge


def withdraw(lga, challenge, reason=REASON, user=None):
    with scope(alliance=lga.alliance):
        return challenge_withdraw(challenge=challenge, reason=reason, user=user or lga.pm)


def close(lga, challenge):
    with scope(alliance=lga.alliance):
        return challenge_close(challenge=challenge, user=lga.pm)


def evaluated(lga, challenge, *, recorded=True):
    """At evaluation (the final report issued), the DCS interview recorded or only booked."""
    interview = timezone.now() - datetime.timedelta(days=2)
    with scopes_disabled():
        # Evaluation comes after the visit: the on-site days were a month ago.
        challenge.onsite_start = timezone.localdate() - datetime.timedelta(days=30)
        challenge.stage = Stage.EVALUATION
        challenge.save()
        EvaluationFactory(
            alliance=lga.alliance,
            challenge=challenge,
            interview_at=interview,
            notes="Helpful" if recorded else "",
            recorded_at=interview if recorded else None,
        )
    return challenge


def stage_of(challenge) -> str:
    with scopes_disabled():
        return Challenge.objects.get(pk=challenge.pk).stage


# Withdrawing -------------------------------------------------------------------------------


def test_withdraw_records_the_reason_and_who_in_the_history(lga, challenge):
    withdraw(lga, challenge)
    with scopes_disabled():
        challenge = Challenge.objects.get(pk=challenge.pk)
        last = challenge.history.order_by("-history_id").first()
    assert (challenge.stage, challenge.withdrawal_reason) == (Stage.WITHDRAWN, REASON)
    assert (last.stage, last.history_user, last.history_change_reason) == (
        Stage.WITHDRAWN,
        lga.pm,
        "Withdrawn",
    )


def test_withdraw_emails_the_sponsor_and_the_team(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(lga, challenge)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "dora.lga@example.org",
        "maya.lga@example.org",
        "pete.lga@example.org",
    ]
    message = next(m for m in mailoutbox if m.to == ["dora.lga@example.org"])
    assert message.subject == "Withdrawn: Children's Services Peer Challenge of Derby"
    assert message.body.startswith("Dear Dora Derby,\n")
    first = day_text(challenge.onsite_start)
    assert f"due on site from {first}, has been withdrawn by Petra Programme" in message.body
    assert f"The reason given: {REASON}\n" in message.body
    assert REASON in message.alternatives[0][0]


def test_withdraw_tells_the_councils_dcs_until_a_sponsor_is_named(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        challenge.sponsor = None
        challenge.save()
        TeamMember.objects.filter(challenge=challenge).delete()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(lga, challenge)
    assert [m.to for m in mailoutbox] == [["dora.lga@example.org"]]


def test_withdraw_needs_a_reason(lga, challenge, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(
            ValidationError, match="Enter why the challenge is withdrawn, for example"
        ) as error,
    ):
        withdraw(lga, challenge, reason="   ")
    assert error.value.message_dict == {
        "reason": [
            "Enter why the challenge is withdrawn, for example “The council postponed it to "
            "next year”."
        ]
    }
    assert (stage_of(challenge), mailoutbox) == (Stage.PREPARATION, [])


@pytest.mark.parametrize(
    ("stage", "why"),
    [
        (Stage.EVALUATION, "the final report has been issued."),
        (Stage.CLOSED, "it is already closed."),
        (Stage.WITHDRAWN, "it is already withdrawn."),
    ],
)
def test_withdraw_is_refused_once_the_final_report_is_issued(lga, challenge, stage, why):
    with scopes_disabled():
        challenge.stage = stage
        challenge.save()
    with pytest.raises(ValidationError, match=re.escape(why)) as error:
        withdraw(lga, challenge)
    assert error.value.message_dict == {
        "reason": [f"This challenge can no longer be withdrawn: {why}"]
    }
    assert stage_of(challenge) == stage


@pytest.mark.parametrize("stage", [Stage.REQUESTED, Stage.ON_SITE, Stage.REPORT])
def test_withdraw_is_allowed_at_any_stage_before_the_final_report(lga, challenge, stage):
    with scopes_disabled():
        challenge.stage = stage
        challenge.save()
    withdraw(lga, challenge)
    assert stage_of(challenge) == Stage.WITHDRAWN


def test_a_withdrawn_challenge_leaves_the_overview(lga, challenge):
    today = timezone.localdate()
    with scope(alliance=lga.alliance):
        assert [row.name for row in cspc_rows(alliance=lga.alliance, today=today)] == [
            "Derby: Children's Services Peer Challenge"
        ]
    withdraw(lga, challenge)
    with scope(alliance=lga.alliance):
        assert cspc_rows(alliance=lga.alliance, today=today) == []


def test_pm_withdraws_on_the_confirmation_page(
    client, lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(lga.pm)
    page = client.get(url("challenge_withdraw", lga, challenge=challenge.pk)).content.decode()
    assert "Withdraw the challenge?" in page
    assert "is at preparation" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("challenge_withdraw", lga, challenge=challenge.pk), {"reason": REASON}
        )
    assert response.status_code == 302
    assert response["Location"] == url("challenge_detail", lga, challenge=challenge.pk)
    assert stage_of(challenge) == Stage.WITHDRAWN
    assert len(mailoutbox) == 3
    page = client.get(response["Location"]).content.decode()
    assert "The challenge is withdrawn. The sponsor and the peer team are told." in page
    assert f"Withdrawn: {REASON}" in page
    assert "Withdraw the challenge</a>" not in page


def test_withdraw_without_a_reason_shows_the_error_summary(client, lga, challenge, mailoutbox):
    client.force_login(lga.pm)
    response = client.post(url("challenge_withdraw", lga, challenge=challenge.pk), {"reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Withdraw the challenge" in page
    assert "There is a problem" in page
    assert page.count("Enter why the challenge is withdrawn") == 2  # summary and field
    assert (stage_of(challenge), mailoutbox) == (Stage.PREPARATION, [])


def test_withdraw_too_late_keeps_what_was_typed(client, lga, challenge, mailoutbox):
    client.force_login(lga.pm)
    page_url = url("challenge_withdraw", lga, challenge=challenge.pk)
    client.get(page_url)
    evaluated(lga, challenge)  # the final report issued meanwhile
    response = client.post(page_url, {"reason": "Too late now"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "This challenge can no longer be withdrawn: the final report has been issued." in page
    assert (stage_of(challenge), mailoutbox) == (Stage.EVALUATION, [])


# Closing -----------------------------------------------------------------------------------


def test_close_from_evaluation_once_the_interview_is_recorded(lga, challenge):
    evaluated(lga, challenge)
    close(lga, challenge)
    with scopes_disabled():
        last = Challenge.objects.get(pk=challenge.pk).history.order_by("-history_id").first()
    assert (last.stage, last.history_user, last.history_change_reason) == (
        Stage.CLOSED,
        lga.pm,
        "Closed",
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            "report",
            "A challenge is closed from the evaluation stage, once the DCS interview is recorded.",
        ),
        (
            "booked",
            "A challenge is closed from the evaluation stage, once the DCS interview is recorded.",
        ),
        ("withdrawn", "This challenge is already withdrawn."),
    ],
)
def test_close_is_refused_before_the_interview_is_recorded(lga, challenge, setup, message):
    with scopes_disabled():
        if setup == "booked":
            evaluated(lga, challenge, recorded=False)
        else:
            challenge.stage = Stage.REPORT if setup == "report" else Stage.WITHDRAWN
            challenge.save()
    before = stage_of(challenge)
    with pytest.raises(ValidationError, match=re.escape(message)) as error:
        close(lga, challenge)
    assert error.value.messages == [message]
    assert stage_of(challenge) == before


def test_pm_closes_on_the_confirmation_page(client, lga, challenge):
    evaluated(lga, challenge)
    client.force_login(lga.pm)
    detail = client.get(url("challenge_detail", lga, challenge=challenge.pk)).content.decode()
    assert "Close the challenge</a>" in detail
    assert "Withdraw the challenge</a>" not in detail  # the final report is issued
    page = client.get(url("challenge_close", lga, challenge=challenge.pk)).content.decode()
    assert "Close the challenge?" in page
    response = client.post(url("challenge_close", lga, challenge=challenge.pk))
    assert response.status_code == 302
    assert stage_of(challenge) == Stage.CLOSED
    page = client.get(response["Location"]).content.decode()
    assert "The challenge is closed." in page
    assert "Close the challenge</a>" not in page


def test_close_too_early_shows_the_error_summary(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(url("challenge_close", lga, challenge=challenge.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Close the challenge" in page
    assert "There is a problem" in page
    assert page.count("once the DCS interview is recorded") == 2  # summary and the page
    assert stage_of(challenge) == Stage.PREPARATION


# Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["challenge_withdraw", "challenge_close"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("pm", 200),
        ("coordinator", 403),
        ("derby_dcs", 403),  # the sponsor
        ("derby_organiser", 403),
        ("peer", 403),  # on the team
        ("cia", 404),
        ("leicester_dcs", 404),
        ("stranger", 404),  # a peer not on this team
    ],
)
def test_only_the_programme_manager_may_end_a_challenge(
    client, lga, challenge, page, who, expected
):
    from peerchallenge.models import Role
    from tests.factories import MembershipFactory

    if page == "challenge_close":
        evaluated(lga, challenge)
    before = stage_of(challenge)  # one the page may end
    if who == "stranger":
        user = UserFactory(full_name="Sid Stranger")
        MembershipFactory(alliance=lga.alliance, user=user, role=Role.PEER_REVIEWER)
    else:
        user = getattr(lga, who)
    client.force_login(user)
    target = url(page, lga, challenge=challenge.pk)
    assert client.get(target).status_code == expected
    post = client.post(target, {"reason": REASON})
    assert post.status_code == (302 if expected == 200 else expected)
    assert (stage_of(challenge) == before) == (expected != 200)


@pytest.mark.parametrize("who", ["coordinator", "derby_dcs", "peer"])
def test_the_end_links_are_for_the_programme_manager_only(client, lga, challenge, who):
    client.force_login(lga.pm)
    page = client.get(url("challenge_detail", lga, challenge=challenge.pk)).content.decode()
    assert "Withdraw the challenge</a>" in page
    client.force_login(getattr(lga, who))
    page = client.get(url("challenge_detail", lga, challenge=challenge.pk)).content.decode()
    assert "Withdraw the challenge" not in page
    assert "Close the challenge" not in page


def test_a_challenge_of_another_council_stays_untouched(client, lga, challenge):
    other = ChallengeFactory(offer=lga.offer, local_authority=council("Leicester"))
    client.force_login(lga.pm)
    client.post(url("challenge_withdraw", lga, challenge=challenge.pk), {"reason": REASON})
    assert (stage_of(challenge), stage_of(other)) == (Stage.WITHDRAWN, Stage.SCOPING)


def test_nothing_on_a_withdrawn_challenge_can_be_changed(client, lga):
    """Its pages still read; a POST anywhere on it is turned back with a message."""
    challenge = ChallengeFactory(offer=lga.offer, stage=Stage.WITHDRAWN)
    client.force_login(lga.pm)
    base = f"/a/{lga.alliance.slug}/cspc/{challenge.pk}/"
    assert client.get(base + "timetable/").status_code == 200
    response = client.post(base + "timetable/", {"title": "A late session"}, follow=True)
    assert "This peer challenge was withdrawn" in response.content.decode()
    with scope(alliance=lga.alliance):
        assert not Session.objects.filter(challenge_id=challenge.pk).exists()
