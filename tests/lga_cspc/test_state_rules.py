"""A withdrawn or closed peer challenge is read-only in the services themselves, whoever
calls them (a view, the demo, a task, the shell): every service that changes a challenge's
data refuses, naming why, and writes nothing. What comes after the challenge carries on
once it is closed: the team's questionnaires and the council's sharing of its final report."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lga_cspc.models import (
    AccuracyComment,
    AdvanceDocument,
    CaseFile,
    Challenge,
    FeedbackReport,
    ReportState,
    SiteNote,
    Stage,
    TeamMember,
)
from lga_cspc.services.cases import (
    case_delete,
    case_findings_save,
    case_review_discussion_save,
    case_review_share,
    cases_add,
    cases_assign,
)
from lga_cspc.services.documents import (
    ACCEPT,
    checklist_generate,
    checklist_review,
    checklist_upload,
)
from lga_cspc.services.evaluation import (
    evaluation_record,
    evaluation_schedule,
    next_step_record,
    questionnaire_answer,
    questionnaires_send,
)
from lga_cspc.services.onsite import site_note_add, site_note_share
from lga_cspc.services.report import (
    report_agree,
    report_close_accuracy,
    report_comment,
    report_issue_draft,
    report_issue_final,
    report_resolve_comment,
    report_save,
    report_share,
    report_sign_off,
    report_submit_qa,
)
from lga_cspc.services.scoping import proposal_accept, proposal_send, scope_save, scoping_save
from lga_cspc.services.team import (
    charter_accept,
    contacts_name,
    team_member_add,
    team_member_remove,
)
from lga_cspc.services.timetable import timetable_session_save
from peerchallenge.models import Session, SessionKind
from tests.clock import at, days
from tests.lga_cspc.factories import (
    AccuracyCommentFactory,
    AdvanceDocumentFactory,
    CaseFileFactory,
    CaseReviewFactory,
    ChallengeFactory,
    FeedbackReportFactory,
    SiteNoteFactory,
    TeamMemberFactory,
)

WITHDRAWN = "This peer challenge was withdrawn: nothing on it can be changed any more."
CLOSED = "This peer challenge is closed: nothing of its work can be changed any more."
ENDED = {Stage.WITHDRAWN: WITHDRAWN, Stage.CLOSED: CLOSED}
NO_QUESTIONNAIRE = "The questionnaires go to the team once the final report is issued."


# A challenge with something of every kind on it, then ended ----------------------------------


class World:
    """A running challenge and its records; `end(stage)` withdraws or closes it (as rows:
    the services read the stage they are given, from the database)."""

    def __init__(self, lga):
        self.lga = lga
        self.challenge = ChallengeFactory(
            offer=lga.offer,
            stage=Stage.REPORT,
            onsite_start=days(-30),
            days=4,
            principal_adviser=lga.principal_adviser,
            improvement_adviser=lga.cia,
        )
        self.pcm = TeamMemberFactory(
            challenge=self.challenge, user=lga.pcm, role="peer_challenge_manager"
        )
        self.item = AdvanceDocumentFactory(
            challenge=self.challenge, state=AdvanceDocument.State.UPLOADED, due_date=days(20)
        )
        self.case = CaseFileFactory(
            review=CaseReviewFactory(challenge=self.challenge),
            source=CaseFile.Source.CHILD_IN_NEED,
        )
        self.note = SiteNoteFactory(
            challenge=self.challenge, author=lga.pcm, kind=SiteNote.Kind.EMERGING_ISSUE
        )
        self.report = FeedbackReportFactory(challenge=self.challenge, in_accuracy=True)
        self.comment = AccuracyCommentFactory(report=self.report, author=lga.derby_dcs)

    def end(self, stage):
        with scopes_disabled():
            Challenge.objects.filter(pk=self.challenge.pk).update(stage=stage)
            # What a caller holds: the rows as they now are.
            self.challenge = Challenge.objects.get(pk=self.challenge.pk)
            self.pcm = TeamMember.objects.get(pk=self.pcm.pk)
            self.item = AdvanceDocument.objects.get(pk=self.item.pk)
            self.case = CaseFile.objects.get(pk=self.case.pk)
            self.note = SiteNote.objects.get(pk=self.note.pk)
            self.comment = AccuracyComment.objects.get(pk=self.comment.pk)


def _scoping(w):
    c = w.challenge
    return scoping_save(
        challenge=c,
        user=w.lga.pm,
        scoping_meeting_at=at(-40),
        scoping_location="Derby Council House",
        principal_adviser=w.lga.principal_adviser,
        improvement_adviser=w.lga.cia,
        focus="Early help",
        onsite_start=c.onsite_start,
        days=c.days,
        team_needed="",
        documents_required="",
        confidentiality_required=False,
        case_lists=c.case_lists,
    )


# Each service that changes a challenge's data, called as it would succeed on a running one.
SERVICES = {
    # The team
    "team_member_add": lambda w: team_member_add(
        challenge=w.challenge, person=w.lga.peer, role="senior_manager", invited_by=w.lga.pm
    ),
    "team_member_remove": lambda w: team_member_remove(member=w.pcm),
    "charter_accept": lambda w: charter_accept(member=w.pcm, charter=True, confidentiality=True),
    "contacts_name": lambda w: contacts_name(
        challenge=w.challenge, sponsor=w.lga.derby_dcs, organiser=w.lga.derby_organiser
    ),
    # Scoping
    "scoping_save": _scoping,
    "scope_save": lambda w: scope_save(challenge=w.challenge, user=w.lga.pm, modules=[], probes={}),
    "proposal_send": lambda w: proposal_send(challenge=w.challenge, user=w.lga.pm),
    "proposal_accept": lambda w: proposal_accept(challenge=w.challenge, user=w.lga.derby_dcs),
    # Preparation
    "checklist_generate": lambda w: checklist_generate(challenge=w.challenge, user=w.lga.pm),
    "checklist_upload": lambda w: checklist_upload(
        item=w.item,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        uploaded_by=w.lga.derby_organiser,
    ),
    "checklist_review": lambda w: checklist_review(
        item=w.item, reviewer=w.lga.pcm, decision=ACCEPT
    ),
    "timetable_session_save": lambda w: timetable_session_save(
        challenge=w.challenge,
        kind=SessionKind.INTERVIEW,
        title="Interview with the DCS",
        starts_at=at(-29, 10),
        ends_at=at(-29, 11),
        user=w.lga.pm,
    ),
    # The case record review
    "cases_add": lambda w: cases_add(
        challenge=w.challenge,
        references=["CR-9001"],
        source=CaseFile.Source.CHILD_IN_NEED,
        user=w.lga.pcm,
    ),
    "case_delete": lambda w: case_delete(case=w.case, user=w.lga.pcm),
    "cases_assign": lambda w: cases_assign(
        challenge=w.challenge, assignments={w.case.pk: w.lga.pcm}, user=w.lga.pcm
    ),
    "case_findings_save": lambda w: case_findings_save(
        case=w.case, user=w.lga.pcm, quality=CaseFile.Quality.values[0]
    ),
    "case_review_discussion_save": lambda w: case_review_discussion_save(
        challenge=w.challenge, user=w.lga.pcm, discussion_at=None, key_messages="Strong."
    ),
    "case_review_share": lambda w: case_review_share(challenge=w.challenge, user=w.lga.pcm),
    # On site
    "site_note_add": lambda w: site_note_add(
        challenge=w.challenge, author=w.lga.pcm, kind=SiteNote.Kind.STRENGTH, text="Good."
    ),
    "site_note_share": lambda w: site_note_share(note=w.note, user=w.lga.pcm),
    # The written feedback
    "report_save": lambda w: report_save(
        challenge=w.challenge, user=w.lga.pcm, strengths="Stronger."
    ),
    "report_agree": lambda w: report_agree(challenge=w.challenge, user=w.lga.pcm),
    "report_submit_qa": lambda w: report_submit_qa(challenge=w.challenge, user=w.lga.pcm),
    "report_sign_off": lambda w: report_sign_off(challenge=w.challenge, user=w.lga.pm),
    "report_issue_draft": lambda w: report_issue_draft(challenge=w.challenge, user=w.lga.pcm),
    "report_comment": lambda w: report_comment(
        challenge=w.challenge, user=w.lga.derby_dcs, section="strengths", paragraph=1, text="No."
    ),
    "report_resolve_comment": lambda w: report_resolve_comment(
        comment=w.comment, user=w.lga.pcm, resolution="Corrected."
    ),
    "report_close_accuracy": lambda w: report_close_accuracy(challenge=w.challenge, user=w.lga.pcm),
    "report_issue_final": lambda w: report_issue_final(challenge=w.challenge, user=w.lga.pm),
    # After
    "evaluation_schedule": lambda w: evaluation_schedule(
        challenge=w.challenge,
        interview_due=days(10),
        interview_at=None,
        interviewer=None,
        follow_up_suggested=days(700),
        user=w.lga.pm,
    ),
    "evaluation_record": lambda w: evaluation_record(
        challenge=w.challenge, notes="The DCS valued it.", interview_at=at(-1), user=w.lga.pm
    ),
    "next_step_record": lambda w: next_step_record(
        challenge=w.challenge,
        what="Record supervision.",
        owner="Head of service",
        due_date=days(60),
        user=w.lga.cia,
    ),
}


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.CLOSED])
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_an_ended_challenge_refuses_every_change(
    lga, service, stage, django_capture_on_commit_callbacks
):
    w = World(lga)
    w.end(stage)
    with scopes_disabled():
        before = {
            model.__name__: sorted(model.objects.values_list("pk", flat=True))
            for model in (TeamMember, AdvanceDocument, CaseFile, SiteNote, AccuracyComment, Session)
        }
    with (
        scope(alliance=lga.alliance),
        django_capture_on_commit_callbacks(execute=True) as sent,
        pytest.raises(ValidationError, match=re.escape(ENDED[stage])),
    ):
        SERVICES[service](w)
    assert sent == []  # nobody is emailed of a change that did not happen
    with scopes_disabled():
        after = {
            model.__name__: sorted(model.objects.values_list("pk", flat=True))
            for model in (TeamMember, AdvanceDocument, CaseFile, SiteNote, AccuracyComment, Session)
        }
        assert Challenge.objects.get(pk=w.challenge.pk).stage == stage
    assert after == before


# The four the issue names, each also taken on a running challenge (the refusal is the stage's).


@pytest.mark.parametrize(
    "service", ["team_member_add", "site_note_add", "cases_add", "report_save"]
)
def test_the_same_change_is_taken_while_the_challenge_runs(lga, service):
    w = World(lga)
    with scope(alliance=lga.alliance):
        SERVICES[service](w)


# What comes after the challenge carries on once it is closed ---------------------------------


def test_a_closed_challenge_still_sends_and_takes_its_questionnaires(lga):
    w = World(lga)
    w.end(Stage.CLOSED)
    with scope(alliance=lga.alliance):
        [sent] = questionnaires_send(challenge=w.challenge, user=lga.pm)
        answered = questionnaire_answer(
            questionnaire=sent, preparation=4, organisation=4, team_working=4, value=4
        )
    assert answered.submitted_at is not None


def test_the_sponsor_still_shares_the_final_report_of_a_closed_challenge(lga):
    w = World(lga)
    with scopes_disabled():
        FeedbackReport.objects.filter(pk=w.report.pk).update(state=ReportState.FINAL)
    w.end(Stage.CLOSED)
    with scope(alliance=lga.alliance):
        report = report_share(challenge=w.challenge, user=lga.derby_dcs, audience="planners")
    assert report.shared_with_region_at is not None


def test_a_withdrawn_challenge_sends_no_questionnaires(lga):
    w = World(lga)
    w.end(Stage.WITHDRAWN)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError,
            match=re.escape(NO_QUESTIONNAIRE),
        ),
    ):
        questionnaires_send(challenge=w.challenge, user=lga.pm)


# The pages ask the same rule -------------------------------------------------------------------


def test_a_page_with_no_form_turns_a_closed_challenges_refusal_back_with_its_message(client, lga):
    """Removing a session has only a confirmation: the service's refusal comes back as a
    message on the challenge's page, and the session stays."""
    w = World(lga)
    with scope(alliance=lga.alliance):
        session = SERVICES["timetable_session_save"](w)
    w.end(Stage.CLOSED)
    client.force_login(lga.pm)
    response = client.post(
        reverse(
            "lga_cspc:session_delete",
            kwargs={"alliance": "lga", "challenge": w.challenge.pk, "session": session.pk},
        ),
        {"confirm": "yes"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "lga_cspc:challenge_detail", kwargs={"alliance": "lga", "challenge": w.challenge.pk}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [CLOSED]
    with scopes_disabled():
        assert Session.objects.filter(pk=session.pk).exists()


def test_a_form_shows_a_closed_challenges_refusal_beside_it(client, lga):
    w = World(lga)
    w.end(Stage.CLOSED)
    client.force_login(lga.pcm)
    response = client.post(
        reverse("lga_cspc:site_log", kwargs={"alliance": "lga", "challenge": w.challenge.pk}),
        {"kind": SiteNote.Kind.STRENGTH, "text": "Good.", "title": ""},
    )
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    with scopes_disabled():
        assert SiteNote.objects.filter(challenge_id=w.challenge.pk).count() == 1
