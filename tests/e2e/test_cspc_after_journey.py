"""After an LGA peer challenge, each person in their own browser: with the final report
issued, the programme manager sends the team's evaluation questionnaires and schedules the
DCS interview; two peers answer theirs (one from the emailed link, one from the challenge
page; a missing rating refused first); the programme manager records the interview (refused
before it has taken place) and reads the results for the challenge and across challenges; the
CIA records the next steps (no owner, a past due date refused), shown with the follow-up
suggested about two years on; they are actions on Derby's improvement plan. axe runs on every
page."""

import datetime
import re

from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from lga_cspc.models import Evaluation, ReportState, Stage
from lga_cspc.services.evaluation import questionnaire_answer, questionnaires_send
from peerchallenge.models import Alliance, Role
from tests.e2e.conftest import assert_accessible, date_group, date_in, fill_date, fill_time, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council
from tests.lga_cspc.factories import (
    ChallengeFactory,
    FeedbackReportFactory,
    OfferFactory,
    TeamMemberFactory,
)

RATINGS = {
    "briefing and preparation": "5: Excellent",
    "organisation on site": "4: Very good",
    "working as a team": "4: Very good",
    "value to the council": "3: Good",
}


def test_after_an_lga_peer_challenge_evaluation_and_next_steps(new_page, site, mailoutbox):
    lga = AllianceFactory(
        name="Local Government Association",
        short_name="LGA",
        slug="lga",
        kind=Alliance.Kind.NATIONAL,
        regions=[],
    )
    offer = OfferFactory(alliance=lga, name="Children's Services Peer Challenge")
    derby = council("Derby")

    def person(email, name, role, la=None):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(alliance=lga, user=user, role=role, local_authority=la)
        return user

    pm = person("petra.pm@example.org", "Petra Programme", Role.PROGRAMME_MANAGER)
    coordinator = person("colin.co@example.org", "Colin Coordinator", Role.COORDINATOR)
    cia = person("cai.cia@example.org", "Cai Adviser", Role.IMPROVEMENT_ADVISER)
    pcm = person("maya.pcm@example.org", "Maya Manager", Role.CONSULTANT)
    leader = person("tara.lead@example.org", "Tara Leader", Role.PEER_REVIEWER, council("Lewisham"))
    peer = person("pete.peer@example.org", "Pete Peer", Role.PEER_REVIEWER, council("Camden"))
    dcs = person("dora.dcs@example.org", "Dora Derby", Role.DCS, derby)
    today = timezone.localdate()
    # On site five to six weeks ago; the final report issued since.
    onsite = today - datetime.timedelta(days=40)
    with scopes_disabled():
        challenge = ChallengeFactory(
            alliance=lga,
            offer=offer,
            local_authority=derby,
            stage=Stage.EVALUATION,
            onsite_start=onsite,
            days=3,
            sponsor=dcs,
            improvement_adviser=cia,
            focus="The front door.",
            case_lists=[],  # none agreed, the model default (the factory agrees every list)
        )
        FeedbackReportFactory(
            alliance=lga,
            challenge=challenge,
            state=ReportState.FINAL,
            executive_summary="A council that knows itself well.",
        )
        places = {
            user: TeamMemberFactory(challenge=challenge, user=user, role=role, indicative_days=5)
            for user, role in [
                (leader, "team_leader"),
                (pcm, "peer_challenge_manager"),
                (peer, "senior_manager"),
            ]
        }
        # An earlier challenge, closed, whose one questionnaire was answered (all 2s).
        earlier = ChallengeFactory(
            alliance=lga,
            offer=offer,
            local_authority=council("Leicester"),
            stage=Stage.CLOSED,
            onsite_start=onsite - datetime.timedelta(days=200),
            days=3,
            improvement_adviser=cia,
            case_lists=[],
        )
        TeamMemberFactory(challenge=earlier, user=peer, role="senior_manager", indicative_days=5)
    with scope(alliance=lga):
        [answered] = questionnaires_send(challenge=earlier, user=pm)
        questionnaire_answer(
            questionnaire=answered, preparation=2, organisation=2, team_working=2, value=2
        )
    mailoutbox.clear()
    base = f"/a/lga/cspc/{challenge.pk}"
    end = challenge.onsite_end
    follow_up = end + datetime.timedelta(days=730)

    # 1. The programme manager sends the questionnaires and schedules the DCS interview.
    programme = new_page()
    sign_in(programme, pm)
    programme.goto(f"{base}/")
    assert_accessible(programme)
    programme.get_by_role("link", name="Evaluation and next steps").click()  # the task
    assert_accessible(programme)
    programme.get_by_role("link", name="Evaluation interview and questionnaires").click()
    programme.get_by_role("heading", name="Evaluation", exact=True).wait_for()
    assert_accessible(programme)
    summary = programme.locator("#evaluation-summary")
    assert "Not booked yet" in summary.inner_text()
    assert "Not recorded" in summary.inner_text()
    assert f"{follow_up.day} {follow_up:%B %Y}" in summary.inner_text()  # two years on
    assert programme.get_by_text("Not sent").count() == 3
    programme.get_by_role("button", name="Send the evaluation questionnaires").click()
    programme.get_by_text(
        "The evaluation questionnaire was sent to 3 members of the team."
    ).wait_for()
    assert_accessible(programme)
    assert programme.get_by_text("Awaiting answer").count() == 3
    assert programme.get_by_role("button", name="Send the evaluation questionnaires").count() == 0
    assert sorted(m.to[0] for m in mailoutbox) == [
        "maya.pcm@example.org",
        "pete.peer@example.org",
        "tara.lead@example.org",
    ]

    # Two forms share the labels "Date/Time of the interview": each label is its own form's.
    schedule = programme.locator("form", has=programme.get_by_role("button", name="Save the"))
    record = programme.locator("form", has=programme.get_by_role("button", name="Record the"))
    booked = today + datetime.timedelta(days=7)
    fill_date(schedule, "Date of the interview", booked)
    fill_time(schedule, "Time of the interview", "10:30")
    schedule.get_by_label("Interviewer").select_option(value=str(coordinator.pk))
    assert date_in(schedule, "Follow-up suggested for") == (
        str(follow_up.day),
        str(follow_up.month),
        str(follow_up.year),
    )
    assert date_in(record, "Date of the interview") == ("", "", "")
    programme.get_by_role("button", name="Save the schedule").click()
    programme.get_by_text("The evaluation schedule was saved.").wait_for()
    assert_accessible(programme)
    assert f"{booked.day} {booked:%B %Y}, 10:30 with Colin Coordinator" in summary.inner_text()

    # 2. Pete opens his questionnaire from the email; a missing rating is refused.
    [email] = [m for m in mailoutbox if m.to == ["pete.peer@example.org"]]
    assert email.subject == "Evaluation questionnaire: Children's Services Peer Challenge of Derby"
    link = re.search(r"https?://\S+/questionnaire/\S*", email.body).group(0)
    assert link == f"{site.url}{base}/questionnaire/{places[peer].pk}/"
    pete = new_page()
    sign_in(pete, peer)
    pete.goto(link)
    pete.get_by_role("heading", name="Evaluation questionnaire").wait_for()
    assert_accessible(pete)

    def rate(page, skip=()):
        for label, rating in RATINGS.items():
            if label not in skip:
                group = page.get_by_role("group", name=f"How do you rate the {label}?")
                group.get_by_label(rating).check()

    rate(pete, skip=("working as a team",))
    pete.get_by_label("Comments").fill("The case review was the most useful part.")
    pete.get_by_role("button", name="Send my answers").click()
    pete.get_by_text("There is a problem").wait_for()
    errors = pete.locator(".govuk-error-summary").inner_text()
    assert "Choose a rating for working as a team." in errors
    assert errors.count("Choose a rating") == 1
    assert pete.get_by_label("Comments").input_value() == (
        "The case review was the most useful part."
    )
    assert pete.title().startswith("Error: ")
    assert_accessible(pete)
    group = pete.get_by_role("group", name="How do you rate the working as a team?")
    group.get_by_label("4: Very good").check()
    assert (
        pete.get_by_role("group", name="How do you rate the value to the council?")
        .get_by_label("3: Good")
        .is_checked()
    )
    pete.get_by_role("button", name="Send my answers").click()
    pete.get_by_text("Thank you: your answers were sent to the LGA.").wait_for()
    assert_accessible(pete)  # back on the challenge's evaluation and next steps
    pete.get_by_role("link", name="See your evaluation questionnaire").click()
    pete.get_by_role("heading", name="Answered").wait_for()
    assert "5 out of 5" in pete.locator(".govuk-summary-list").inner_text()
    assert_accessible(pete)

    # Tara answers hers from the link on the challenge page.
    tara = new_page()
    sign_in(tara, leader)
    tara.goto(f"{base}/")
    assert_accessible(tara)
    tara.get_by_role("link", name="Evaluation and next steps").click()
    tara.get_by_role("link", name="Answer your evaluation questionnaire").click()
    tara.get_by_role("heading", name="Evaluation questionnaire").wait_for()
    assert_accessible(tara)
    for label in RATINGS:
        tara.get_by_role("group", name=f"How do you rate the {label}?").get_by_label(
            "3: Good"
        ).check()
    tara.get_by_role("button", name="Send my answers").click()
    tara.get_by_text("Thank you: your answers were sent to the LGA.").wait_for()

    # 3. The interview cannot be recorded before it takes place; a week on, it is.
    programme.goto(f"{base}/evaluation/")
    assert_accessible(programme)
    assert programme.get_by_text("Answered").count() == 2
    assert programme.get_by_text("Awaiting answer").count() == 1
    record.get_by_label("What the DCS said").fill("The case review helped us most.")
    programme.get_by_role("button", name="Record the interview").click()
    programme.get_by_text("There is a problem").wait_for()
    programme.locator(".govuk-error-summary[data-govuk-error-summary-init]").wait_for()
    # The error summary's link leads to this form's date, not the schedule's.
    programme.locator(".govuk-error-summary").get_by_role(
        "link", name="An interview can only be recorded once it has taken place."
    ).click()
    day_box = date_group(record, "Date of the interview").get_by_label("Day", exact=True)
    expect(day_box).to_be_focused()
    assert record.get_by_label("What the DCS said").input_value() == (
        "The case review helped us most."
    )
    assert_accessible(programme)
    with scopes_disabled():
        Evaluation.objects.filter(challenge=challenge).update(
            interview_at=timezone.now() - datetime.timedelta(hours=2)
        )
    programme.goto(f"{base}/evaluation/")
    assert date_in(record, "Date of the interview") == ("", "", "")  # as booked
    record.get_by_label("What the DCS said").fill("The case review helped us most.")
    programme.get_by_role("button", name="Record the interview").click()
    programme.get_by_text("The evaluation interview was recorded.").wait_for()
    assert_accessible(programme)
    assert f"Recorded {today.day} {today:%B %Y}" in summary.inner_text()
    assert (
        programme.locator(".govuk-inset-text")
        .get_by_text("The case review helped us most.")
        .is_visible()
    )

    # The results: this challenge's two answers of three, and across both challenges.
    programme.get_by_role("link", name="See the results across all peer challenges").click()
    programme.get_by_role("heading", name="Evaluation results").wait_for()
    assert_accessible(programme)
    rows = programme.locator("tbody tr")
    derby_row = rows.filter(has_text="Derby").inner_text()
    assert "2 of 3" in derby_row
    # Preparation 5 and 3, organisation 4 and 3, team 4 and 3, value 3 and 3.
    assert re.findall(r"\d\.\d", derby_row) == ["4.0", "3.5", "3.5", "3.0"]
    assert "1 of 1" in rows.filter(has_text="Leicester").inner_text()
    overall = programme.locator("tfoot tr").inner_text()
    assert "3 of 4" in overall
    assert re.findall(r"\d\.\d", overall) == ["3.3", "3.0", "3.0", "2.7"]
    programme.get_by_role("link", name=re.compile(r"^Derby\W+evaluation of the")).click()
    programme.get_by_role("heading", name="Evaluation", exact=True).wait_for()
    assert_accessible(programme)

    # 4. The CIA records the next steps; a missing owner and a past due date are refused.
    adviser = new_page()
    sign_in(adviser, cia)
    adviser.goto(f"{base}/")
    assert_accessible(adviser)
    adviser.get_by_role("link", name="Evaluation and next steps").click()
    adviser.get_by_role("link", name="Record the next steps").click()
    adviser.get_by_role("heading", name="Next steps").wait_for()
    assert_accessible(adviser)
    assert adviser.locator("#follow-up").inner_text() == (
        f"The LGA suggests a follow-up in {follow_up:%B %Y}, about two years after the "
        "on-site days."
    )
    # The CIA follows the plan the next steps go on.
    assert adviser.get_by_role("link", name="improvement plan", exact=True).count() == 1

    def next_step(what, owner, due):
        adviser.get_by_label("What the council will do").fill(what)
        adviser.get_by_label("Owner").fill(owner)
        fill_date(adviser, "Due by", due)
        adviser.get_by_role("button", name="Add to the improvement plan").click()

    in_three_months = today + datetime.timedelta(days=90)
    next_step("Refresh the early help strategy", "", in_three_months)
    adviser.get_by_text("There is a problem").wait_for()
    assert "Enter who owns the action (a name or a role)." in (
        adviser.locator(".govuk-error-summary").inner_text()
    )
    assert adviser.get_by_label("What the council will do").input_value() == (
        "Refresh the early help strategy"
    )
    assert_accessible(adviser)
    yesterday = today - datetime.timedelta(days=1)
    next_step("Refresh the early help strategy", "AD Early Help", yesterday)
    adviser.get_by_text("There is a problem").wait_for()
    assert f"The due date must be on or after {today.day} {today:%B %Y}" in (
        adviser.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(adviser)
    next_step("Refresh the early help strategy", "AD Early Help", in_three_months)
    adviser.get_by_text(
        "Added to Derby's improvement plan: “Refresh the early help strategy”."
    ).wait_for()
    in_six_months = today + datetime.timedelta(days=182)
    next_step("Step-down panel reviewed", "Head of Safeguarding", in_six_months)
    adviser.get_by_text("Added to Derby's improvement plan: “Step-down panel reviewed”.").wait_for()
    assert_accessible(adviser)
    table = adviser.get_by_role("table", name="Agreed next steps").inner_text()
    assert "Refresh the early help strategy" in table and "Head of Safeguarding" in table

    # The programme manager's view of the challenge: the interview recorded, the follow-up
    # suggested about two years on, and the next steps on Derby's improvement plan.
    programme.goto(f"{base}/")
    assert "2 next steps agreed" in programme.locator("#task-after-hint").inner_text()
    programme.get_by_role("link", name="Evaluation and next steps").click()
    assert_accessible(programme)
    section = programme.locator("main").inner_text()
    assert f"Recorded {today.day} {today:%B %Y}" in section
    assert re.search(rf"Follow-up suggested for\s+{follow_up:%B %Y}", section)
    assert "2 next steps agreed with the council" in section
    programme.get_by_role("link", name="improvement plan", exact=True).click()
    programme.get_by_role("heading", name="Improvement plan").wait_for()
    assert_accessible(programme)
    plan = programme.locator("table").filter(has_text="Refresh the early help strategy")
    assert "Derby" in plan.locator("caption").inner_text()  # from this challenge
    plan = plan.inner_text()
    assert "Step-down panel reviewed" in plan and "AD Early Help" in plan
    assert f"{in_six_months.day} {in_six_months:%B %Y}" in plan
