"""After the challenge: the DCS evaluation interview and the follow-up, the team's
questionnaires (sent once the final report is issued, each answered once by its peer), the
results across the LGA's challenges, and the next steps on the council's improvement plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import Evaluation, Questionnaire, Stage
from lga_cspc.services.evaluation import (
    evaluation_of,
    evaluation_record,
    evaluation_schedule,
    evaluation_summary,
    next_step_record,
    questionnaire_answer,
    questionnaires_send,
)
from lga_cspc.views.evaluation import evaluation_detail_context
from peerchallenge.models import Action
from tests.factories import council
from tests.forms import shows_date
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory

# On site from Monday 3 March 2025 for four days: the last is Thursday 6 March.
PAST = datetime.date(2025, 3, 3)
ANSWERS = {"preparation": "4", "organisation": "5", "team_working": "3", "value": "4"}


def url(name, lga, challenge, **kwargs):
    return reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk, **kwargs},
    )


def summary_url(lga):
    return reverse("lga_cspc:evaluation_summary", kwargs={"alliance": lga.alliance.slug})


@pytest.fixture
def challenge(lga):
    """Derby's challenge, over, its final report issued; the CIA named; a team of two."""
    challenge = ChallengeFactory(
        offer=lga.offer, onsite_start=PAST, stage=Stage.EVALUATION, improvement_adviser=lga.cia
    )
    with scopes_disabled():  # fixture set-up
        challenge.pcm_place = TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
        challenge.peer_place = TeamMemberFactory(
            challenge=challenge, user=lga.peer, role="senior_manager", indicative_days=6
        )
    return challenge


def send_questionnaires(lga, challenge):
    with scope(alliance=lga.alliance):
        return questionnaires_send(challenge=challenge, user=lga.coordinator)


def questionnaire_of(member) -> Questionnaire:
    with scopes_disabled():
        return Questionnaire.objects.get(member=member)


def evaluation_row(challenge) -> Evaluation:
    with scopes_disabled():
        return Evaluation.objects.select_related("interviewer").get(challenge=challenge)


# The evaluation interview ------------------------------------------------------------------


def test_defaults_are_a_month_and_two_years_after_the_last_on_site_day(lga, challenge):
    with scope(alliance=lga.alliance):
        evaluation = evaluation_of(challenge=challenge)
    assert evaluation.pk is None
    assert evaluation.interview_due == datetime.date(2025, 4, 5)
    assert evaluation.follow_up_suggested == datetime.date(2027, 3, 6)


def test_schedule_rules(lga, challenge):
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="The interview is due after the last on-site day"
        ) as error,
    ):
        evaluation_schedule(
            challenge=challenge,
            interview_due=datetime.date(2025, 3, 6),
            interview_at=timezone.make_aware(datetime.datetime(2025, 3, 5, 10)),
            interviewer=lga.peer,
            follow_up_suggested=None,
            user=lga.pm,
        )
    assert error.value.message_dict == {
        "interview_due": ["The interview is due after the last on-site day, 6 March 2025."],
        "interview_date": ["The interview takes place after the last on-site day, 6 March 2025."],
        "follow_up_suggested": ["Enter the date suggested for the follow-up."],
        "interviewer": ["Choose the LGA's programme manager or a coordinator."],
    }
    with scopes_disabled():
        assert not Evaluation.objects.exists()


def test_record_rules(lga, challenge):
    with scope(alliance=lga.alliance):
        with pytest.raises(ValidationError, match="Enter what the DCS said") as error:
            evaluation_record(challenge=challenge, notes="  ", interview_at=None, user=lga.pm)
        assert error.value.message_dict == {
            "notes": ["Enter what the DCS said."],
            "interview_date": ["Enter the date of the interview."],
        }
        future = timezone.now() + datetime.timedelta(days=3)
        with pytest.raises(
            ValidationError, match="An interview can only be recorded once it has"
        ) as error:
            evaluation_record(challenge=challenge, notes="Good", interview_at=future, user=lga.pm)
        assert error.value.message_dict == {
            "interview_date": ["An interview can only be recorded once it has taken place."]
        }


def test_the_programme_manager_schedules_then_records_the_interview(client, lga, challenge):
    client.force_login(lga.pm)
    page = client.get(url("evaluation", lga, challenge)).content.decode()
    assert shows_date(page, "interview_due", datetime.date(2025, 4, 5))
    assert shows_date(page, "follow_up_suggested", datetime.date(2027, 3, 6))
    response = client.post(
        url("evaluation", lga, challenge),
        {
            "schedule": "Save",
            "interview_due": "2025-04-05",
            "interview_date": "2025-04-02",
            "interview_time": "10:30",
            "interviewer": lga.coordinator.pk,
            "follow_up_suggested": "2027-05-01",
        },
        follow=True,
    )
    assert "The evaluation schedule was saved." in response.content.decode()
    evaluation = evaluation_row(challenge)
    assert evaluation.interviewer == lga.coordinator
    assert timezone.localtime(evaluation.interview_at).strftime("%Y-%m-%d %H:%M") == (
        "2025-04-02 10:30"
    )
    assert evaluation.follow_up_suggested == datetime.date(2027, 5, 1)
    assert evaluation.recorded_at is None

    response = client.post(
        url("evaluation", lga, challenge),
        {"record": "Record", "notes": "The DCS found the case review most useful."},
        follow=True,
    )
    page = response.content.decode()
    assert "The evaluation interview was recorded." in page
    assert "The DCS found the case review most useful." in page
    evaluation = evaluation_row(challenge)
    assert evaluation.recorded_at is not None
    assert evaluation.notes == "The DCS found the case review most useful."
    assert evaluation.interviewer == lga.coordinator  # kept


def test_bad_schedule_input_shows_errors_and_keeps_what_was_typed(client, lga, challenge):
    client.force_login(lga.coordinator)
    response = client.post(
        url("evaluation", lga, challenge),
        {
            "schedule": "Save",
            "interview_due_day": "30",
            "interview_due_month": "2",
            "interview_due_year": "2025",
            "interview_date": "2025-04-02",
            "interview_time": "",
            "follow_up_suggested": "2025-03-01",
        },
    )
    assert response.status_code == 200
    form = response.context["schedule_form"]
    assert form.errors == {
        "interview_due": ["Interview due by must be a real date"],
        "interview_time": ["Enter the time of the interview, like 14:30."],
    }
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'name="interview_due_day" value="30"' in page
    response = client.post(
        url("evaluation", lga, challenge),
        {"schedule": "Save", "interview_due": "2025-04-05", "follow_up_suggested": "2025-03-01"},
    )
    assert response.context["schedule_form"].errors == {
        "follow_up_suggested": ["The follow-up comes after the last on-site day, 6 March 2025."]
    }
    assert shows_date(response.content.decode(), "follow_up_suggested", datetime.date(2025, 3, 1))
    with scopes_disabled():
        assert not Evaluation.objects.exists()
    response = client.post(url("evaluation", lga, challenge), {"record": "Record", "notes": ""})
    assert response.context["record_form"].errors == {
        "notes": ["Enter what the DCS said."],
        "interview_date": ["Enter the date of the interview."],
    }


# Questionnaires ----------------------------------------------------------------------------


def test_questionnaires_wait_for_the_final_report(lga, challenge, client):
    challenge.stage = Stage.REPORT
    challenge.save()
    with pytest.raises(
        ValidationError, match="The questionnaires go to the team once the final"
    ) as error:
        send_questionnaires(lga, challenge)
    assert error.value.message_dict == {
        "stage": ["The questionnaires go to the team once the final report is issued."]
    }
    client.force_login(lga.pm)
    page = client.get(url("evaluation", lga, challenge)).content.decode()
    assert "Send the evaluation questionnaires" not in page
    response = client.post(url("evaluation", lga, challenge), {"send_questionnaires": "1"})
    assert response.status_code == 302
    with scopes_disabled():
        assert not Questionnaire.objects.exists()


def test_sending_emails_each_peer_once(
    client, lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(lga.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("evaluation", lga, challenge), {"send_questionnaires": "1"}, follow=True
        )
    assert "sent to 2 members of the team" in response.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == ["maya.lga@example.org", "pete.lga@example.org"]
    message = next(m for m in mailoutbox if m.to == ["pete.lga@example.org"])
    assert message.subject == (
        "Evaluation questionnaire: Children's Services Peer Challenge of Derby"
    )
    link = "http://127.0.0.1:8000" + url(
        "questionnaire", lga, challenge, member=challenge.peer_place.pk
    )
    assert link in message.body and "Dear Pete Peer," in message.body
    assert link in message.alternatives[0][0]
    # A peer added later gets theirs; the others are not sent another.
    with scopes_disabled():
        TeamMemberFactory(
            challenge=challenge, user=lga.principal_adviser, role="observer", indicative_days=4
        )
    with django_capture_on_commit_callbacks(execute=True):
        created = send_questionnaires(lga, challenge)
    assert [q.member.user for q in created] == [lga.principal_adviser]
    assert len(mailoutbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert send_questionnaires(lga, challenge) == []
    assert len(mailoutbox) == 3


def test_the_peer_answers_once(client, lga, challenge):
    send_questionnaires(lga, challenge)
    page_url = url("questionnaire", lga, challenge, member=challenge.peer_place.pk)
    client.force_login(lga.peer)
    page = client.get(page_url).content.decode()
    assert "<legend" in page and "How do you rate the briefing and preparation?" in page
    assert "5: Excellent" in page
    response = client.post(page_url, {**ANSWERS, "comments": " Well organised. "}, follow=True)
    assert "Thank you: your answers were sent to the LGA." in response.content.decode()
    questionnaire = questionnaire_of(challenge.peer_place)
    assert (
        questionnaire.preparation,
        questionnaire.organisation,
        questionnaire.team_working,
        questionnaire.value,
        questionnaire.comments,
    ) == (4, 5, 3, 4, "Well organised.")
    assert questionnaire.submitted_at is not None
    page = client.get(page_url).content.decode()
    assert "Answered" in page and "5 out of 5" in page
    response = client.post(page_url, {**ANSWERS, "value": "1"})
    assert response.context["form"].non_field_errors() == [
        "You have already answered this questionnaire: thank you."
    ]
    assert questionnaire_of(challenge.peer_place).value == 4


def test_every_rating_is_required_and_nothing_typed_is_lost(client, lga, challenge):
    send_questionnaires(lga, challenge)
    page_url = url("questionnaire", lga, challenge, member=challenge.peer_place.pk)
    client.force_login(lga.peer)
    response = client.post(
        page_url, {"preparation": "4", "value": "9", "comments": "Keep the case review."}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organisation": ["Choose a rating for organisation on site."],
        "team_working": ["Choose a rating for working as a team."],
        "value": ["Choose a rating from 1 to 5 for value to the council."],
    }
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Keep the case review." in page
    assert questionnaire_of(challenge.peer_place).submitted_at is None
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Choose a rating from 1 to 5 for briefing and"
        ) as error,
    ):
        questionnaire_answer(
            questionnaire=questionnaire_of(challenge.peer_place),
            preparation=0,
            organisation=None,
            team_working=3,
            value=6,
        )
    assert set(error.value.message_dict) == {"preparation", "organisation", "value"}


def test_before_it_is_sent_the_page_says_so(client, lga, challenge):
    client.force_login(lga.peer)
    page_url = url("questionnaire", lga, challenge, member=challenge.peer_place.pk)
    assert "No questionnaire has been sent to you" in client.get(page_url).content.decode()
    response = client.post(page_url, ANSWERS)
    assert response.context["form"].non_field_errors() == [
        "No questionnaire has been sent to you for this challenge yet."
    ]


def test_only_the_peer_themself_and_only_on_this_challenge(client, lga, challenge):
    send_questionnaires(lga, challenge)
    other = ChallengeFactory(offer=lga.offer, onsite_start=datetime.date(2025, 9, 1))
    with scopes_disabled():
        elsewhere = TeamMemberFactory(
            challenge=other, user=lga.peer, role="senior_manager", indicative_days=6
        )
    client.force_login(lga.pcm)  # on the team, but not this place
    mine = url("questionnaire", lga, challenge, member=challenge.peer_place.pk)
    assert client.get(mine).status_code == 403
    assert client.post(mine, ANSWERS).status_code == 403
    client.force_login(lga.peer)
    assert client.get(url("questionnaire", lga, challenge, member=elsewhere.pk)).status_code == 404
    assert client.get(url("questionnaire", lga, challenge, member=999999)).status_code == 404
    assert questionnaire_of(challenge.peer_place).submitted_at is None


# Results -----------------------------------------------------------------------------------


def answer(lga, member, **ratings):
    with scope(alliance=lga.alliance):
        questionnaire_answer(
            questionnaire=Questionnaire.objects.get(member=member),
            **{"preparation": 3, "organisation": 3, "team_working": 3, "value": 3, **ratings},
        )


def test_results_per_challenge_and_across_all(client, lga, challenge):
    send_questionnaires(lga, challenge)
    answer(lga, challenge.peer_place, preparation=5, value=4)
    answer(lga, challenge.pcm_place, preparation=4, value=1)
    other = ChallengeFactory(
        offer=lga.offer,
        onsite_start=datetime.date(2025, 1, 13),
        local_authority=council("Leicester"),
        stage=Stage.CLOSED,
    )
    with scopes_disabled():
        place = TeamMemberFactory(
            challenge=other, user=lga.peer, role="senior_manager", indicative_days=6
        )
        TeamMemberFactory(
            challenge=other, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    send_questionnaires(lga, other)
    answer(lga, place, preparation=1, value=1)
    ChallengeFactory(offer=lga.offer)  # nothing sent: not listed
    with scope(alliance=lga.alliance):
        rows, overall = evaluation_summary(alliance=lga.alliance)
    assert [(row.local_authority.name, row.sent, row.responses) for row in rows] == [
        ("Derby", 2, 2),
        ("Leicester", 2, 1),
    ]
    assert (rows[0].avg_preparation, rows[0].avg_value) == (4.5, 2.5)
    assert (rows[1].avg_preparation, rows[1].avg_organisation) == (1.0, 3.0)
    assert overall["sent"] == 4 and overall["responses"] == 3
    assert overall["avg_preparation"] == pytest.approx(10 / 3)
    client.force_login(lga.pm)
    page = client.get(summary_url(lga)).content.decode()
    assert "2 of 2" in page and "1 of 2" in page and "3 of 4" in page
    assert "4.5" in page and "3.3" in page


@pytest.mark.parametrize("who", ["derby_dcs", "peer", "cia", "pcm", "principal_adviser"])
def test_results_are_for_the_planners_only(client, lga, who):
    client.force_login(getattr(lga, who))
    assert client.get(summary_url(lga)).status_code == 403


@pytest.mark.parametrize("count", [2, 10])
def test_results_page_queries_do_not_grow(client, lga, count, django_assert_max_num_queries):
    for n in range(count):
        challenge = ChallengeFactory(
            offer=lga.offer, onsite_start=PAST - datetime.timedelta(weeks=n), stage=Stage.CLOSED
        )
        with scopes_disabled():
            member = TeamMemberFactory(
                challenge=challenge, user=lga.peer, role="senior_manager", indicative_days=6
            )
        send_questionnaires(lga, challenge)
        answer(lga, member, value=n % 5 + 1)
    client.force_login(lga.pm)
    with django_assert_max_num_queries(9):
        response = client.get(summary_url(lga))
    assert len(response.context["rows"]) == count


def test_evaluation_page_queries_do_not_grow(
    client, lga, challenge, django_assert_max_num_queries, make_peers
):
    make_peers(challenge, 8)
    send_questionnaires(lga, challenge)
    client.force_login(lga.pm)
    with django_assert_max_num_queries(14):
        response = client.get(url("evaluation", lga, challenge))
    assert len(response.context["members"]) == 10


@pytest.fixture
def make_peers(lga):
    from tests.factories import MembershipFactory, UserFactory

    def make(challenge, count):
        with scopes_disabled():
            for n in range(count):
                user = UserFactory(full_name=f"Peer {n}", email=f"peer{n}@example.org")
                MembershipFactory(alliance=lga.alliance, user=user, role="peer_reviewer")
                TeamMemberFactory(
                    challenge=challenge, user=user, role="observer", indicative_days=3
                )

    return make


# Next steps --------------------------------------------------------------------------------


def test_the_cia_records_next_steps_on_the_improvement_plan(client, lga, challenge):
    client.force_login(lga.cia)
    due = timezone.localdate() + datetime.timedelta(days=90)
    response = client.post(
        url("next_steps", lga, challenge),
        {"what": "Refresh the early help strategy", "owner": "AD Early Help", "due_date": due},
        follow=True,
    )
    page = response.content.decode()
    assert "Added to Derby&#x27;s improvement plan: “Refresh the early help strategy”." in page
    assert "AD Early Help" in page
    with scopes_disabled():
        action = Action.objects.get()
    assert (action.source, action.local_authority, action.created_by, action.tier2_group) == (
        challenge,
        challenge.local_authority,
        lga.cia,
        None,
    )
    client.force_login(lga.derby_dcs)
    plan = reverse(
        "improvement_plan", kwargs={"alliance": lga.alliance.slug, "gss": council("Derby").gss_code}
    )
    response = client.get(plan)
    assert response.status_code == 200
    [group] = response.context["groups"]
    assert group.label == "Challenge: Children's Services Peer Challenge: Derby"
    assert group.actions == [action]
    assert not group.continued
    assert "Refresh the early help strategy" in response.content.decode()


def test_next_step_bad_input(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(
        url("next_steps", lga, challenge),
        {"what": "Review the front door", "owner": " ", "due_date": "2020-01-01"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["owner"] == ["Enter who owns the action (a name or a role)."]
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Review the front door" in page
    response = client.post(
        url("next_steps", lga, challenge),
        {"what": "Review the front door", "owner": "DCS", "due_date": "2020-01-01"},
    )
    assert (
        response.context["form"]
        .errors["due_date"][0]
        .startswith("The due date must be on or after")
    )
    with scopes_disabled():
        assert not Action.objects.exists()
    with (
        scope(alliance=lga.alliance),
        pytest.raises(ValidationError, match="Enter what the council will do"),
    ):
        next_step_record(challenge=challenge, what="", owner="", due_date=None, user=lga.pm)


# Who may do what ---------------------------------------------------------------------------


def statuses(client, lga, challenge):
    pages = {
        "evaluation": url("evaluation", lga, challenge),
        "questionnaire": url("questionnaire", lga, challenge, member=challenge.peer_place.pk),
        "next_steps": url("next_steps", lga, challenge),
    }
    return {name: client.get(page).status_code for name, page in pages.items()}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("pm", {"evaluation": 200, "questionnaire": 403, "next_steps": 200}),
        ("coordinator", {"evaluation": 200, "questionnaire": 403, "next_steps": 200}),
        ("cia", {"evaluation": 403, "questionnaire": 403, "next_steps": 200}),
        ("pcm", {"evaluation": 403, "questionnaire": 403, "next_steps": 403}),
        ("peer", {"evaluation": 403, "questionnaire": 200, "next_steps": 403}),
        ("derby_dcs", {"evaluation": 403, "questionnaire": 403, "next_steps": 403}),
        ("derby_organiser", {"evaluation": 403, "questionnaire": 403, "next_steps": 403}),
        ("principal_adviser", {"evaluation": 404, "questionnaire": 404, "next_steps": 404}),
        ("leicester_dcs", {"evaluation": 404, "questionnaire": 404, "next_steps": 404}),
    ],
)
def test_role_matrix(client, lga, challenge, who, expected):
    client.force_login(getattr(lga, who))
    assert statuses(client, lga, challenge) == expected


def test_a_peer_not_on_the_team_and_an_unnamed_cia_get_404(client, lga, challenge):
    with scopes_disabled():
        challenge.peer_place.delete()
        challenge.peer_place = challenge.pcm_place
    challenge.improvement_adviser = None
    challenge.save()
    for who in ("peer", "cia"):
        client.force_login(getattr(lga, who))
        assert set(statuses(client, lga, challenge).values()) == {404}
        assert client.post(url("next_steps", lga, challenge), {"what": "x"}).status_code == 404


def test_outsiders_cannot_post(client, lga, challenge):
    client.force_login(lga.derby_dcs)
    assert (
        client.post(url("evaluation", lga, challenge), {"send_questionnaires": "1"}).status_code
        == 403
    )
    client.force_login(lga.leicester_dcs)
    assert (
        client.post(url("evaluation", lga, challenge), {"send_questionnaires": "1"}).status_code
        == 404
    )
    with scopes_disabled():
        assert not Questionnaire.objects.exists()


# The challenge page's section --------------------------------------------------------------


def test_detail_section(lga, challenge):
    send_questionnaires(lga, challenge)
    with scope(alliance=lga.alliance):
        next_step_record(
            challenge=challenge,
            what="Peer follow-up visit",
            owner="DCS",
            due_date=timezone.localdate() + datetime.timedelta(days=30),
            user=lga.cia,
        )
        for who in ("peer", "pm", "cia", "derby_dcs"):
            user = getattr(lga, who)
            context = evaluation_detail_context(challenge=challenge, user=user)
            html = render_to_string(
                "lga_cspc/_detail_evaluation.html",
                {"alliance": lga.alliance, "challenge": challenge, **context},
            )
            assert "1 next step agreed with the council" in html
            assert ("Answer your evaluation questionnaire" in html) == (who == "peer")
            assert ("Evaluation interview and questionnaires" in html) == (who == "pm")
            assert ("Due by 5 April 2025" in html) == (who == "pm")
            assert ("Record the next steps" in html) == (who in ("pm", "cia"))
            assert ("improvement plan" in html) == (who in ("derby_dcs", "pm", "cia"))
