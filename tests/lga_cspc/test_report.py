"""The written feedback report: its state machine (no step skipped), the council's
factual-accuracy comments, the draft and final PDFs, the pages and who may use them, and
sharing the final report with the council's regional alliance."""

import datetime
import io
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from lga_cspc.models import (
    AccuracyComment,
    Challenge,
    FeedbackReport,
    QASignOff,
    Questionnaire,
    ReportEvent,
    ReportState,
    SiteNote,
    Stage,
)
from lga_cspc.services.onsite import site_note_add
from lga_cspc.services.report import (
    NO_CASE_STUDY,
    add_working_days,
    paragraphs,
    report_agree,
    report_agree_warnings,
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
from lga_cspc.views.report import report_detail_context
from peerchallenge.models import AccessLog, Role
from reports.models import ReportVersion
from reports.permissions import DOWNLOAD_REPORT
from tests import clock
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, region
from tests.lga_cspc.factories import (
    CaseFileFactory,
    CaseReviewFactory,
    ChallengeFactory,
    TeamMemberFactory,
)

TODAY_TEXT = clock.day_text(clock.TODAY)  # as the reports write the day they are made

# This module's story runs through the working-day rules across the 2027 spring bank holiday
# (31 May), so it fixes its own on-site days rather than take the factory's: 10 to 13 May.
ONSITE = datetime.date(2027, 5, 10)
ISSUED = datetime.date(2027, 6, 7)  # a Monday
CLOSES = datetime.date(2027, 6, 21)  # ten working days later
AFTER = CLOSES + datetime.timedelta(days=1)

TEXT = {
    "executive_summary": "Leaders know their services well.\n\nThe front door is timely.",
    "strengths": "Strong political support for children's services.\n\n"
    "Social workers know their children well.\n\nEarly help is well used.",
    "areas_for_development": "Supervision is not always recorded.",
    "recommendations": "Strengthen the recording of management oversight.",
    "good_practice": "The family hubs model is worth sharing in the region.",
}
CASE_STUDY = "A young carer's story: the edge-of-care team kept her family together."


@pytest.fixture
def leader(lga):
    user = UserFactory(full_name="Tara Leader", email="tara.lga@example.org")
    MembershipFactory(alliance=lga.alliance, user=user, role=Role.PEER_REVIEWER)
    return user


@pytest.fixture
def challenge(lga, leader):
    challenge = ChallengeFactory(
        offer=lga.offer,
        stage=Stage.REPORT,
        onsite_start=ONSITE,
        principal_adviser=lga.principal_adviser,
        improvement_adviser=lga.cia,
    )
    with scopes_disabled():
        TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
        TeamMemberFactory(challenge=challenge, user=leader, role="team_leader", indicative_days=7)
    return challenge


def url(name, lga, challenge, **kwargs):
    return reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk, **kwargs},
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def report_row(challenge) -> FeedbackReport:
    with scopes_disabled():
        return FeedbackReport.objects.get(challenge=challenge)


def fresh(challenge) -> Challenge:
    with scopes_disabled():
        return Challenge.objects.get(pk=challenge.pk)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# Moving the report along (as the services, in the LGA's scope) ------------------------------


def write(lga, challenge, **overrides):
    with scope(alliance=lga.alliance):
        return report_save(challenge=challenge, user=lga.pcm, **(TEXT | overrides))


def to_agreed(lga, challenge, leader):
    write(lga, challenge)
    with scope(alliance=lga.alliance):
        report_agree(challenge=challenge, user=leader)


def to_qa(lga, challenge, leader):
    to_agreed(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        report_submit_qa(challenge=challenge, user=lga.pcm)


def sign_all(lga, challenge):
    with scope(alliance=lga.alliance):
        for user in (lga.pm, lga.principal_adviser, lga.cia):
            report_sign_off(challenge=challenge, user=user)


def to_accuracy(lga, challenge, leader, capture=None):
    to_qa(lga, challenge, leader)
    sign_all(lga, challenge)
    with scope(alliance=lga.alliance):
        if capture is not None:
            with capture(execute=True):
                return report_issue_draft(challenge=challenge, user=lga.pcm, today=ISSUED)
        return report_issue_draft(challenge=challenge, user=lga.pcm, today=ISSUED)


def to_resolved(lga, challenge, leader, capture=None):
    to_accuracy(lga, challenge, leader, capture)
    with scope(alliance=lga.alliance):
        report_close_accuracy(challenge=challenge, user=lga.pcm, today=AFTER)


def to_final(lga, challenge, leader, capture=None):
    to_resolved(lga, challenge, leader, capture)
    with scope(alliance=lga.alliance):
        if capture is not None:
            with capture(execute=True):
                return report_issue_final(challenge=challenge, user=lga.pm, today=AFTER)
        return report_issue_final(challenge=challenge, user=lga.pm, today=AFTER)


def pdf_text(version) -> str:
    with scopes_disabled():
        version = ReportVersion.objects.get(pk=version.pk)
        assert version.status == "rendered", version.error
        with version.file.open("rb") as file:
            reader = PdfReader(io.BytesIO(file.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# Pure helpers -----------------------------------------------------------------------------


def test_paragraphs_are_split_on_blank_lines():
    assert paragraphs("One\nstill one.\n\n  \nTwo\r\n\r\nThree  ") == [
        "One\nstill one.",
        "Two",
        "Three",
    ]
    assert paragraphs("") == []


def test_ten_working_days_skip_weekends():
    assert add_working_days(ISSUED, 10) == CLOSES
    assert add_working_days(datetime.date(2027, 6, 11), 1) == datetime.date(2027, 6, 14)  # Fri


def test_working_days_skip_bank_holidays():
    # Thursday before Easter 2026: Good Friday, the weekend and Easter Monday are not counted.
    assert add_working_days(datetime.date(2026, 4, 2), 1) == datetime.date(2026, 4, 7)
    # Over Christmas 2026: 25 and 28 December and 1 January 2027 are not counted.
    assert add_working_days(datetime.date(2026, 12, 22), 10) == datetime.date(2027, 1, 8)
    # The spring bank holiday 2027 (31 May) is not counted.
    assert add_working_days(datetime.date(2027, 5, 24), 10) == datetime.date(2027, 6, 8)


# The state machine ----------------------------------------------------------------------


def test_the_whole_way_logs_every_state_change(lga, challenge, leader):
    to_final(lga, challenge, leader)
    with scopes_disabled():
        report = FeedbackReport.objects.get(challenge=challenge)
        steps = list(
            ReportEvent.objects.filter(report=report).values_list("from_state", "to_state")
        )
        signed = set(report.sign_offs.values_list("by", "user"))
    assert report.state == ReportState.FINAL
    assert steps == [
        ("", "draft"),
        ("draft", "agreed"),
        ("agreed", "qa"),
        ("qa", "qa"),
        ("qa", "qa"),
        ("qa", "qa"),
        ("qa", "accuracy"),
        ("accuracy", "resolved"),
        ("resolved", "final"),
    ]
    assert signed == {
        ("programme_manager", lga.pm.pk),
        ("principal_adviser", lga.principal_adviser.pk),
        ("improvement_adviser", lga.cia.pk),
    }
    assert (report.accuracy_closes_on, fresh(challenge).stage) == (CLOSES, Stage.EVALUATION)


def test_no_step_before_the_report_exists(lga, challenge, leader):
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match=re.escape("You cannot agree the report yet. Missing: a")
        ) as excinfo,
    ):
        report_agree(challenge=challenge, user=leader)
    assert errors_of(excinfo)["state"] == [
        "You cannot agree the report yet. Missing: a drafted report."
    ]


def test_agreement_needs_the_sections_and_the_team_leader(lga, challenge, leader):
    write(lga, challenge, strengths="  ", recommendations="")
    with scope(alliance=lga.alliance):
        with pytest.raises(
            ValidationError, match="Only the challenge's team leader agrees the report"
        ) as excinfo:
            report_agree(challenge=challenge, user=lga.pcm)
        assert errors_of(excinfo)["state"] == [
            "Only the challenge's team leader agrees the report."
        ]
        with pytest.raises(
            ValidationError, match="Write the key strengths before the team leader"
        ) as excinfo:
            report_agree(challenge=challenge, user=leader)
    assert errors_of(excinfo) == {
        "strengths": ["Write the key strengths before the team leader agrees the report."],
        "recommendations": ["Write the recommendations before the team leader agrees the report."],
    }
    assert report_row(challenge).state == ReportState.DRAFT


def test_qa_cannot_be_skipped(lga, challenge, leader):
    write(lga, challenge)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match=re.escape("You cannot submit the report for QA yet. Missing")
        ) as excinfo,
    ):
        report_submit_qa(challenge=challenge, user=lga.pcm)
    assert errors_of(excinfo)["state"] == [
        "You cannot submit the report for QA yet. Missing: the team leader's agreement of the "
        "drafted report."
    ]
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match=re.escape("You cannot sign off the report yet. Missing: the")
        ) as excinfo,
    ):
        report_sign_off(challenge=challenge, user=lga.pm)
    assert "the report submitted for quality assurance" in errors_of(excinfo)["state"][0]


def test_the_draft_needs_all_three_sign_offs(lga, challenge, leader):
    to_qa(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        report_sign_off(challenge=challenge, user=lga.pm)
        with pytest.raises(
            ValidationError, match="Quality assurance is not complete: still to sign"
        ) as excinfo:
            report_issue_draft(challenge=challenge, user=lga.pcm, today=ISSUED)
    assert errors_of(excinfo) == {
        "sign_offs": [
            "Quality assurance is not complete: still to sign off: the principal adviser, the "
            "children's improvement adviser."
        ]
    }
    assert report_row(challenge).state == ReportState.QA


def test_each_signs_only_their_own_slot_once(lga, challenge, leader):
    to_qa(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        assert report_sign_off(challenge=challenge, user=lga.cia).by == "improvement_adviser"
        with pytest.raises(
            ValidationError, match="You have already signed off as the children's"
        ) as excinfo:
            report_sign_off(challenge=challenge, user=lga.cia)
        assert errors_of(excinfo)["state"] == [
            "You have already signed off as the children's improvement adviser: the three "
            "sign-offs are given by three different people."
        ]
        for someone in (lga.coordinator, lga.pcm, leader, lga.derby_dcs):
            with pytest.raises(
                ValidationError, match="Only the LGA programme manager and the"
            ) as excinfo:
                report_sign_off(challenge=challenge, user=someone)
            assert "named principal adviser" in errors_of(excinfo)["state"][0]
    # A second programme manager finds the programme manager's slot taken.
    other_pm = UserFactory(full_name="Paul Second")
    MembershipFactory(alliance=lga.alliance, user=other_pm, role=Role.PROGRAMME_MANAGER)
    with scope(alliance=lga.alliance):
        report_sign_off(challenge=challenge, user=lga.pm)
        with pytest.raises(
            ValidationError, match="The sign-off of the LGA programme manager was"
        ) as excinfo:
            report_sign_off(challenge=challenge, user=other_pm)
    assert errors_of(excinfo)["state"][0].startswith(
        "The sign-off of the LGA programme manager was already given by Petra Programme on "
    )
    with scopes_disabled():
        assert QASignOff.objects.count() == 2


def test_an_adviser_not_named_on_the_challenge_cannot_sign(lga, challenge, leader):
    other_cia = UserFactory(full_name="Ola Other")
    MembershipFactory(alliance=lga.alliance, user=other_cia, role=Role.IMPROVEMENT_ADVISER)
    to_qa(lga, challenge, leader)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(ValidationError, match="Only the LGA programme manager and the"),
    ):
        report_sign_off(challenge=challenge, user=other_cia)


def test_no_final_without_qa_sign_offs_and_a_closed_window(lga, challenge, leader):
    write(lga, challenge)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match=re.escape("The final version cannot be issued yet. Missing")
        ) as excinfo,
    ):
        report_issue_final(challenge=challenge, user=lga.pm, today=AFTER)
    assert errors_of(excinfo)["state"] == [
        "The final version cannot be issued yet. Missing: the team leader's agreement of the "
        "drafted report; the report submitted for quality assurance; the quality-assurance "
        "sign-off of the LGA programme manager, the principal adviser, the children's "
        "improvement adviser; the draft issued to the council for factual accuracy."
    ]
    to_accuracy_rest(lga, challenge, leader)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match=re.escape("The final version cannot be issued yet. Missing")
        ) as excinfo,
    ):
        report_issue_final(challenge=challenge, user=lga.pm, today=CLOSES)
    assert errors_of(excinfo)["state"] == [
        "The final version cannot be issued yet. Missing: a closed factual-accuracy window (it "
        "is open until 21 June 2027)."
    ]
    # Even after the last day, the window must be closed (with every comment resolved).
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match=re.escape("The final version cannot be issued yet. Missing")
        ) as excinfo,
    ):
        report_issue_final(challenge=challenge, user=lga.pm, today=AFTER)
    assert errors_of(excinfo)["state"] == [
        "The final version cannot be issued yet. Missing: the factual-accuracy window closed by "
        "the peer challenge manager."
    ]
    assert report_row(challenge).state == ReportState.ACCURACY
    with scopes_disabled():
        assert not ReportVersion.objects.filter(title__contains="final").exists()


def to_accuracy_rest(lga, challenge, leader):
    """From draft (already written) to the factual-accuracy window."""
    with scope(alliance=lga.alliance):
        report_agree(challenge=challenge, user=leader)
        report_submit_qa(challenge=challenge, user=lga.pcm)
    sign_all(lga, challenge)
    with scope(alliance=lga.alliance):
        report_issue_draft(challenge=challenge, user=lga.pcm, today=ISSUED)


def test_only_the_programme_manager_issues_the_final(lga, challenge, leader):
    to_resolved(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        for someone in (lga.pcm, lga.coordinator, lga.principal_adviser):
            with pytest.raises(
                ValidationError, match="Only the LGA programme manager issues the final"
            ):
                report_issue_final(challenge=challenge, user=someone, today=AFTER)
    assert report_row(challenge).state == ReportState.RESOLVED


def test_the_window_closes_only_after_its_last_day_and_with_every_comment_resolved(
    lga, challenge, leader
):
    to_accuracy(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        comment = report_comment(
            challenge=challenge,
            user=lga.derby_dcs,
            section="strengths",
            paragraph=2,
            text="It is children's social workers, not all social workers.",
            today=CLOSES,
        )
        with pytest.raises(
            ValidationError, match="The factual-accuracy window is open until 21 June"
        ) as excinfo:
            report_close_accuracy(challenge=challenge, user=lga.pcm, today=CLOSES)
    assert errors_of(excinfo) == {
        "state": [
            "The factual-accuracy window is open until 21 June 2027: the council may still comment."
        ],
        "comments": ["1 factual-accuracy comment is not resolved yet."],
    }
    with scope(alliance=lga.alliance):
        with pytest.raises(
            ValidationError, match="1 factual-accuracy comment is not resolved yet"
        ) as excinfo:
            report_close_accuracy(challenge=challenge, user=lga.pcm, today=AFTER)
        assert list(errors_of(excinfo)) == ["comments"]
        with pytest.raises(
            ValidationError, match="Only the peer challenge manager or the LGA"
        ) as excinfo:
            report_close_accuracy(challenge=challenge, user=lga.derby_dcs, today=AFTER)
        report_resolve_comment(
            comment=comment, user=lga.pcm, resolution="Changed to “children's social workers”."
        )
        report_close_accuracy(challenge=challenge, user=lga.pm, today=AFTER)
    assert report_row(challenge).state == ReportState.RESOLVED


def test_council_comments_only_in_the_window_and_on_a_paragraph_that_exists(lga, challenge, leader):
    write(lga, challenge)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="The draft has not been issued to the council yet"
        ) as excinfo,
    ):
        report_comment(
            challenge=challenge, user=lga.derby_dcs, section="strengths", paragraph=1, text="x"
        )
    assert errors_of(excinfo)["text"] == [
        "The draft has not been issued to the council yet: there is nothing to comment on."
    ]
    to_accuracy_rest(lga, challenge, leader)

    def comment(match: str, **kwargs):
        arguments = {
            "challenge": challenge,
            "user": lga.derby_dcs,
            "section": "strengths",
            "paragraph": 3,
            "text": "Early help is used by 40% of families, not most.",
            "today": ISSUED,
        } | kwargs
        with scope(alliance=lga.alliance), pytest.raises(ValidationError, match=match) as excinfo:
            report_comment(**arguments)
        return errors_of(excinfo)

    assert comment(paragraph=4, match="There is no paragraph 4 in the key strengths") == {
        "paragraph": ["There is no paragraph 4 in the key strengths."]
    }
    assert comment(paragraph=0, match="There is no paragraph 0 in the key strengths")["paragraph"]
    assert comment(section="judgement", match="Choose a section of the report to comment on") == {
        "section": ["Choose a section of the report to comment on."]
    }
    assert comment(text="   ", match="Enter your comment") == {"text": ["Enter your comment."]}
    assert comment(today=AFTER, match="The factual-accuracy window closed on 21 June 2027") == {
        "text": ["The factual-accuracy window closed on 21 June 2027."]
    }
    assert comment(
        user=lga.leicester_dcs, match="Only the council's people comment on the draft"
    ) == {"text": ["Only the council's people comment on the draft."]}
    assert comment(user=lga.pcm, match="Only the council's people comment on the draft")["text"]
    with scope(alliance=lga.alliance):
        made = report_comment(
            challenge=challenge,
            user=lga.derby_organiser,
            section="strengths",
            paragraph=3,
            text="Early help is used by 40% of families.",
            today=CLOSES,  # the last day is included
        )
    assert (made.section, made.paragraph, made.author) == ("strengths", 3, lga.derby_organiser)


def test_resolving_a_comment_is_for_the_pcm_once_with_a_resolution(lga, challenge, leader):
    to_accuracy(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        comment = report_comment(
            challenge=challenge,
            user=lga.derby_dcs,
            section="executive_summary",
            paragraph=1,
            text="Please name the DCS's team.",
            today=ISSUED,
        )
        with pytest.raises(
            ValidationError, match="Only the peer challenge manager resolves the"
        ) as excinfo:
            report_resolve_comment(comment=comment, user=lga.pm, resolution="Done")
        assert errors_of(excinfo) == {
            "resolution": ["Only the peer challenge manager resolves the council's comments."]
        }
        with pytest.raises(ValidationError, match="Say how the comment was resolved") as excinfo:
            report_resolve_comment(comment=comment, user=lga.pcm, resolution=" ")
        assert errors_of(excinfo) == {"resolution": ["Say how the comment was resolved."]}
        report_resolve_comment(comment=comment, user=lga.pcm, resolution="Not a factual point.")
        with pytest.raises(
            ValidationError, match="This comment was already resolved on 30 November"
        ) as excinfo:
            report_resolve_comment(comment=comment, user=lga.pcm, resolution="Again")
    assert errors_of(excinfo)["resolution"][0].startswith("This comment was already resolved on ")


def test_the_text_is_frozen_from_agreement_until_the_council_comments(lga, challenge, leader):
    to_agreed(lga, challenge, leader)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="The team leader has agreed the text and it is in"
        ) as excinfo,
    ):
        report_save(challenge=challenge, user=lga.pcm, strengths="Changed")
    assert "it cannot be changed until" in errors_of(excinfo)["state"][0]
    with scope(alliance=lga.alliance):
        report_submit_qa(challenge=challenge, user=lga.pcm)
    sign_all(lga, challenge)
    with scope(alliance=lga.alliance):
        report_issue_draft(challenge=challenge, user=lga.pcm, today=ISSUED)
        # The PCM changes the text while resolving comments; nobody else does.
        report_save(challenge=challenge, user=lga.pcm, strengths="Changed after a comment.")
        for someone in (lga.pm, lga.derby_dcs, leader):
            with pytest.raises(
                ValidationError, match="Only the peer challenge manager changes the text"
            ):
                report_save(challenge=challenge, user=someone, strengths="Mine")
    assert report_row(challenge).strengths == "Changed after a comment."


def test_the_council_never_edits_even_a_draft(lga, challenge):
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="The council comments on the draft's paragraphs"
        ) as excinfo,
    ):
        report_save(challenge=challenge, user=lga.derby_dcs, strengths="Our version")
    assert errors_of(excinfo)["state"] == [
        "The council comments on the draft's paragraphs; it does not edit the text."
    ]


def test_after_final_nothing_moves_but_sharing(lga, challenge, leader):
    to_final(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        for call, user, refusal in (
            (report_agree, leader, "The team leader has already agreed the report."),
            (report_submit_qa, lga.pcm, "already been submitted for quality assurance."),
            (report_sign_off, lga.pm, "The draft has already been issued to the council."),
            (report_issue_draft, lga.pcm, "The draft has already been issued to the council."),
            (report_close_accuracy, lga.pcm, "The factual-accuracy window has already been"),
            (report_issue_final, lga.pm, "The final version has already been issued."),
        ):
            with pytest.raises(ValidationError, match=re.escape(refusal)):
                call(challenge=challenge, user=user)
        with pytest.raises(
            ValidationError, match="The final version has been issued: the text"
        ) as excinfo:
            report_save(challenge=challenge, user=lga.pcm, strengths="Late")
        assert errors_of(excinfo)["state"] == [
            "The final version has been issued: the text cannot be changed."
        ]
        with pytest.raises(
            ValidationError, match="Only the council's sponsor shares the report with"
        ):
            report_share(challenge=challenge, user=lga.pm, audience="planners")
        report_share(challenge=challenge, user=lga.derby_dcs, audience="planners")
        with pytest.raises(
            ValidationError, match="The report was already shared with the region on"
        ) as excinfo:
            report_share(challenge=challenge, user=lga.derby_dcs, audience="members")
    assert errors_of(excinfo)["state"][0].startswith("The report was already shared")


def test_sharing_needs_the_final(lga, challenge, leader):
    to_accuracy(lga, challenge, leader)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Only the final report can be shared with the"
        ) as excinfo,
    ):
        report_share(challenge=challenge, user=lga.derby_dcs, audience="members")
    assert errors_of(excinfo) == {"state": ["Only the final report can be shared with the region."]}


# The PDFs and the emails ----------------------------------------------------------------


def test_draft_and_final_pdfs_are_rendered_and_emailed_to_the_dcs(
    lga, challenge, leader, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        review = CaseReviewFactory(
            alliance=lga.alliance,
            challenge=challenge,
            key_messages="Practice is improving.\n\nManagement oversight is inconsistent.",
        )
        CaseFileFactory(
            alliance=lga.alliance,
            review=review,
            reference="CR-1042",
            source="cp",
            quality="mixed",
            strengths="The child's wishes are recorded.",
        )
    draft = to_accuracy(lga, challenge, leader, django_capture_on_commit_callbacks)
    text = pdf_text(draft)
    assert "DRAFT written feedback" in text
    assert "Social workers know their children well." in text
    assert "This report makes no judgement." in text
    assert "Management oversight is inconsistent." in text
    assert "CR-1042" in text and "The child's wishes are recorded." in text
    assert "21 June 2027" in text
    assert [m.to for m in mailoutbox] == [[lga.derby_dcs.email]]
    assert mailoutbox[0].subject == (
        "[Action required] Check the facts of the draft peer challenge report for Derby"
    )
    assert "21 June 2027" in mailoutbox[0].body

    with scope(alliance=lga.alliance):
        report_close_accuracy(challenge=challenge, user=lga.pcm, today=AFTER)
        with django_capture_on_commit_callbacks(execute=True):
            final = report_issue_final(challenge=challenge, user=lga.pm, today=AFTER)
    text = pdf_text(final)
    assert "FINAL written feedback" in text and "DRAFT" not in text
    assert "Strengthen the recording of management oversight." in text
    assert [m.subject for m in mailoutbox][-1] == (
        "The final peer challenge report for Derby is ready"
    )
    with scopes_disabled():
        titles = list(ReportVersion.objects.order_by("number").values_list("number", "filename"))
    assert titles == [
        (1, "Derby - written feedback (draft) v1.pdf"),
        (2, "Derby - written feedback (final) v2.pdf"),
    ]
    # Issuing the final sends each peer on the team the evaluation questionnaire.
    with scopes_disabled():
        team = sorted(challenge.team.values_list("user__email", flat=True))
        assert Questionnaire.objects.filter(member__challenge=challenge).count() == len(team)
    asked = sorted(m.to[0] for m in mailoutbox if "questionnaire" in m.subject.lower())
    assert team and asked == team


def pdf_pages(version) -> list[str]:
    with scopes_disabled():
        version = ReportVersion.objects.get(pk=version.pk)
        assert version.status == "rendered", version.error
        with version.file.open("rb") as file:
            reader = PdfReader(io.BytesIO(file.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_draft_is_watermarked_and_the_final_states_the_team_and_the_scope(
    lga, challenge, leader, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        review = CaseReviewFactory(alliance=lga.alliance, challenge=challenge)
        CaseFileFactory(
            alliance=lga.alliance,
            review=review,
            reference="CR-1042",
            source="cp",
            quality="mixed",
            strengths="The child's wishes are recorded in every plan and review.",
        )
        team = [(m.user.full_name, m.get_role_display()) for m in challenge.team.all()]
    draft = pdf_pages(to_accuracy(lga, challenge, leader, django_capture_on_commit_callbacks))
    assert all("DRAFT" in page and page.count("OFFICIAL-SENSITIVE") == 2 for page in draft)
    assert "Local Government Association" in draft[0] and "Derby" in draft[0]
    assert f"Draft for factual accuracy, version 1, {TODAY_TEXT}" in draft[0]
    with scope(alliance=lga.alliance):
        report_close_accuracy(challenge=challenge, user=lga.pcm, today=AFTER)
        with django_capture_on_commit_callbacks(execute=True):
            final = report_issue_final(challenge=challenge, user=lga.pm, today=AFTER)
    final = pdf_pages(final)
    assert not any("DRAFT" in page for page in final)
    assert all(page.count("OFFICIAL-SENSITIVE") == 2 for page in final)
    assert f"Final report, issued {TODAY_TEXT}" in final[0]
    text = " ".join(final)
    assert "The peer team" in text and "Scope and lines of enquiry" in text
    assert team and all(f"{name} {role}" in text for name, role in team)
    # The appendix's cases at a glance, the rating as a symbol and words.
    assert "CR-1042 \N{BLACK UP-POINTING TRIANGLE} Practice is mixed Strengths: The child's" in text


def test_a_report_without_case_review_says_so(
    lga, challenge, leader, django_capture_on_commit_callbacks
):
    draft = to_accuracy(lga, challenge, leader, django_capture_on_commit_callbacks)
    assert "No case record review was recorded for this peer challenge." in pdf_text(draft)


def test_who_may_download_the_versions(lga, challenge, leader, django_capture_on_commit_callbacks):
    draft = to_accuracy(lga, challenge, leader, django_capture_on_commit_callbacks)
    outsider_cia = UserFactory()
    MembershipFactory(alliance=lga.alliance, user=outsider_cia, role=Role.IMPROVEMENT_ADVISER)
    people = {
        "pm": lga.pm,
        "coordinator": lga.coordinator,
        "principal_adviser": lga.principal_adviser,
        "cia": lga.cia,
        "pcm": lga.pcm,
        "leader": leader,
        "derby_dcs": lga.derby_dcs,
        "derby_organiser": lga.derby_organiser,
        "peer": lga.peer,
        "leicester_dcs": lga.leicester_dcs,
        "other_cia": outsider_cia,
    }
    with scopes_disabled():
        draft = ReportVersion.objects.get(pk=draft.pk)
    with scope(alliance=lga.alliance):
        allowed = {name: user.has_perm(DOWNLOAD_REPORT, draft) for name, user in people.items()}
    assert allowed == {
        "pm": True,
        "coordinator": True,
        "principal_adviser": True,
        "cia": True,
        "pcm": True,
        "leader": True,
        "derby_dcs": True,
        "derby_organiser": True,
        "peer": False,
        "leicester_dcs": False,
        "other_cia": False,
    }


# The pages -------------------------------------------------------------------------------


def post_step(client, lga, challenge, step, **data):
    if step == "issue_draft":
        data.setdefault("working_days", "10")
    return client.post(url("report_step", lga, challenge), {"step": step, **data})


def test_the_journey_through_the_pages(
    client, lga, challenge, leader, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime.datetime(2027, 6, 1, 10, 0), tick=False) as traveller:
        journey(
            client,
            lga,
            challenge,
            leader,
            mailoutbox,
            django_capture_on_commit_callbacks,
            traveller,
        )


def journey(client, lga, challenge, leader, mailoutbox, capture, traveller):
    def at(when, user):
        traveller.move_to(when)
        client.force_login(user)

    client.force_login(lga.pcm)
    response = client.get(url("report", lga, challenge))
    assert response.status_code == 200
    assert "Write the report" in response.content.decode()
    response = client.post(url("report", lga, challenge), TEXT)
    assert response.status_code == 302
    assert messages_of(response) == ["The report was saved."]

    client.force_login(leader)
    response = post_step(client, lga, challenge, "agree")
    assert response.status_code == 302
    client.force_login(lga.pcm)
    assert post_step(client, lga, challenge, "submit_qa").status_code == 302

    # Issuing before the sign-offs: an error banner naming what is missing.
    response = post_step(client, lga, challenge, "issue_draft")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        "Quality assurance is not complete: still to sign off: the LGA programme manager, the "
        "principal adviser, the children&#x27;s improvement adviser." in html
    )

    for user in (lga.pm, lga.principal_adviser, lga.cia):
        client.force_login(user)
        assert "Sign off as" in client.get(url("report", lga, challenge)).content.decode()
        response = post_step(client, lga, challenge, "sign_off")
        assert response.status_code == 302
        assert messages_of(response)[-1].startswith("You signed off the report as ")

    at(datetime.datetime(2027, 6, 7, 10, 0), lga.pcm)
    with capture(execute=True):
        response = post_step(client, lga, challenge, "issue_draft")
    assert response.status_code == 302
    assert (
        "The draft (version 1) is being produced and will be emailed to the council's DCS. "
        "The council may comment on its paragraphs until 21 June 2027."
    ) in messages_of(response)
    assert [m.to for m in mailoutbox] == [[lga.derby_dcs.email]]

    # The council reads the draft paragraph by paragraph and comments; it cannot edit.
    at(datetime.datetime(2027, 6, 10, 10, 0), lga.derby_dcs)
    html = client.get(url("report", lga, challenge)).content.decode()
    assert "Social workers know their children well." in html
    assert "Comment on this paragraph" in html
    assert 'name="strengths"' not in html  # no editing form
    assert client.post(url("report", lga, challenge), TEXT).status_code == 403
    response = client.post(
        url("report_comment", lga, challenge),
        {"section": "strengths", "paragraph": "2", "text": "Not all teams, only two."},
    )
    assert response.status_code == 302
    assert (
        "Your comment on paragraph 2 of the key strengths was sent. The peer challenge manager "
        "will resolve it."
    ) in messages_of(response)
    with scopes_disabled():
        comment = AccuracyComment.objects.get()

    # After the window: the comment is refused with the date, and what was typed is kept.
    at(datetime.datetime(2027, 6, 22, 10, 0), lga.derby_dcs)
    response = client.post(
        url("report_comment", lga, challenge),
        {"section": "strengths", "paragraph": "1", "text": "One more thing"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The factual-accuracy window closed on 21 June 2027." in html
    assert "There is a problem" in html

    # The PCM resolves the comment; an empty resolution is refused on the page.
    client.force_login(lga.pcm)
    resolve = url("report_comment_resolve", lga, challenge, comment=comment.pk)
    response = client.post(resolve, {"resolution": "  "})
    assert response.status_code == 200
    assert "Say how the comment was resolved." in response.content.decode()
    assert client.post(resolve, {"resolution": "Changed to “two teams”."}).status_code == 302

    assert post_step(client, lga, challenge, "close_accuracy").status_code == 302
    client.force_login(lga.pm)
    with capture(execute=True):
        assert post_step(client, lga, challenge, "issue_final").status_code == 302
    assert report_row(challenge).state == ReportState.FINAL
    assert fresh(challenge).stage == Stage.EVALUATION

    # The DCS downloads the final PDF from the challenge page's link.
    with scopes_disabled():
        final = ReportVersion.objects.get(title__contains="final")
    with scope(alliance=lga.alliance):
        context = report_detail_context(challenge=challenge, user=lga.derby_dcs)
    assert context["report_final_version"] == final
    download = reverse("reports:report_download", args=[lga.alliance.slug, final.pk])
    client.force_login(lga.derby_dcs)
    html = client.get(url("challenge_detail", lga, challenge)).content.decode()
    assert download in html
    response = client.get(download)
    assert response.status_code == 200
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )
    assert "Social workers know their children well." in text
    assert "Strengthen the recording of management oversight." in text


def test_the_council_does_not_read_the_text_before_the_draft_is_issued(client, lga, challenge):
    write(lga, challenge)
    client.force_login(lga.derby_dcs)
    html = client.get(url("report", lga, challenge)).content.decode()
    assert "Leaders know their services well." not in html
    assert "The council reads the report when the LGA issues the draft" in html


def test_a_comment_on_a_missing_paragraph_is_refused_on_the_page(client, lga, challenge, leader):
    to_accuracy(lga, challenge, leader)
    with time_machine.travel(datetime.datetime(2027, 6, 8, 10, 0), tick=False):
        client.force_login(lga.derby_dcs)
        response = client.post(
            url("report_comment", lga, challenge),
            {"section": "strengths", "paragraph": "9", "text": "Keep me"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "There is no paragraph 9 in the key strengths." in html
        response = client.post(
            url("report_comment", lga, challenge),
            {"section": "strengths", "paragraph": "2", "text": ""},
        )
        html = response.content.decode()
        assert 'href="#text-comment-strengths-2"' in html
        assert "Enter your comment." in html
        response = client.post(
            url("report_comment", lga, challenge),
            {"section": "strengths", "paragraph": "two", "text": "x"},
        )
        assert response.status_code == 200
        assert "Choose a paragraph to comment on." in response.content.decode()


def test_an_unknown_step_is_an_error_not_a_crash(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(url("report_step", lga, challenge), {"step": "publish"})
    assert response.status_code == 200
    assert "Choose a step to take." in response.content.decode()
    assert client.get(url("report_step", lga, challenge)).status_code == 405


def test_a_step_out_of_order_shows_what_is_missing(client, lga, challenge, leader):
    write(lga, challenge)
    client.force_login(lga.pm)
    response = post_step(client, lga, challenge, "issue_final")
    assert response.status_code == 200
    assert "The final version cannot be issued yet. Missing: the team leader" in (
        response.content.decode()
    )


def test_resolving_a_comment_of_another_challenge_is_not_found(client, lga, challenge, leader):
    to_accuracy(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        comment = report_comment(
            challenge=challenge,
            user=lga.derby_dcs,
            section="strengths",
            paragraph=1,
            text="A point",
            today=ISSUED,
        )
    other = ChallengeFactory(offer=lga.offer, onsite_start=datetime.date(2027, 9, 6))
    with scopes_disabled():
        TeamMemberFactory(
            challenge=other, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    client.force_login(lga.pcm)
    response = client.post(
        url("report_comment_resolve", lga, other, comment=comment.pk), {"resolution": "x"}
    )
    assert response.status_code == 404
    # The programme manager sees the comment but does not resolve it.
    client.force_login(lga.pm)
    response = client.post(
        url("report_comment_resolve", lga, challenge, comment=comment.pk), {"resolution": "x"}
    )
    assert response.status_code == 403


# Who may open what --------------------------------------------------------------------------

REPORT_PAGES = [
    ("get", "report", {}),
    ("post", "report", {}),
    ("post", "report_step", {"step": "agree"}),
    ("post", "report_comment", {}),
    ("get", "report_share", {}),
    ("post", "report_share", {"audience": "members"}),
    ("get", "report_unshare", {}),
    ("post", "report_unshare", {"confirm": "yes"}),
]


@pytest.mark.parametrize(("method", "page", "data"), REPORT_PAGES)
@pytest.mark.parametrize("person", ["peer", "leicester_dcs", "cia"])
def test_people_who_may_not_see_the_challenge_get_404(client, lga, method, page, data, person):
    challenge = ChallengeFactory(offer=lga.offer)  # no advisers named, nobody on the team
    client.force_login(getattr(lga, person))
    response = getattr(client, method)(url(page, lga, challenge), data)
    assert response.status_code == 404
    response = client.post(url("report_comment_resolve", lga, challenge, comment=1))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("person", "step"),
    [
        ("pcm", "agree"),
        ("pm", "agree"),
        ("derby_dcs", "submit_qa"),
        ("leader", "submit_qa"),
        ("pcm", "sign_off"),
        ("coordinator", "sign_off"),
        ("derby_dcs", "sign_off"),
        ("leader", "issue_draft"),
        ("principal_adviser", "issue_draft"),
        ("coordinator", "close_accuracy"),
        ("cia", "close_accuracy"),
        ("pcm", "issue_final"),
        ("coordinator", "issue_final"),
        ("derby_dcs", "issue_final"),
    ],
)
def test_roles_without_the_right_get_403_on_each_step(client, lga, challenge, leader, person, step):
    client.force_login(leader if person == "leader" else getattr(lga, person))
    assert post_step(client, lga, challenge, step).status_code == 403


@pytest.mark.parametrize("person", ["pcm", "pm", "leader", "cia"])
def test_only_the_council_comments(client, lga, challenge, leader, person):
    client.force_login(leader if person == "leader" else getattr(lga, person))
    response = client.post(
        url("report_comment", lga, challenge), {"section": "strengths", "paragraph": "1"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("person", ["pm", "pcm", "derby_organiser"])
def test_only_the_sponsor_shares(client, lga, challenge, person):
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(sponsor=lga.derby_dcs)
    client.force_login(getattr(lga, person))
    assert client.get(url("report_share", lga, challenge)).status_code == 403
    assert (
        client.post(url("report_share", lga, challenge), {"audience": "members"}).status_code == 403
    )
    assert client.get(url("report_unshare", lga, challenge)).status_code == 403
    assert client.post(url("report_unshare", lga, challenge), {"confirm": "yes"}).status_code == 403


@pytest.mark.parametrize("person", ["derby_dcs", "leader", "cia"])
def test_only_drafters_save_the_text(client, lga, challenge, leader, person):
    client.force_login(leader if person == "leader" else getattr(lga, person))
    assert client.post(url("report", lga, challenge), TEXT).status_code == 403
    assert client.get(url("report", lga, challenge)).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_the_report_page_query_count_is_constant(
    client, lga, challenge, leader, count, django_assert_max_num_queries
):
    to_accuracy(lga, challenge, leader)
    with scope(alliance=lga.alliance):
        for number in range(count):
            note(lga, challenge, SiteNote.Kind.CASE_STUDY, f"Case study {number}")
            report_comment(
                challenge=challenge,
                user=lga.derby_dcs,
                section="strengths",
                paragraph=1 + number % 3,
                text=f"Comment {number}",
                today=ISSUED,
            )
    for user in (lga.pcm, lga.derby_dcs):
        with time_machine.travel(datetime.datetime(2027, 6, 8, 10, 0), tick=False):
            client.force_login(user)
            with django_assert_max_num_queries(15):
                response = client.get(url("report", lga, challenge))
        assert response.status_code == 200
        assert response.content.decode().count("Comment by ") == count
        # The peer challenge manager, who may still change the text, sees the material.
        assert response.content.decode().count("Case study ") == (count if user == lga.pcm else 0)


# Sharing with the regional alliance ---------------------------------------------------------


def test_the_region_sees_the_report_only_once_the_sponsor_shares_it(
    client, lga, challenge, leader, django_capture_on_commit_callbacks
):
    east_midlands = AllianceFactory(
        name="East Midlands", slug="east-midlands", regions=[region("East Midlands")]
    )
    london = AllianceFactory(name="London", slug="london", regions=[region("London")])
    em_member = UserFactory(full_name="Emma Midlands")
    MembershipFactory(alliance=east_midlands, user=em_member, role=Role.PEER_REVIEWER)
    london_member = UserFactory(full_name="Lou London")
    MembershipFactory(alliance=london, user=london_member, role=Role.PROGRAMME_MANAGER)
    to_final(lga, challenge, leader, django_capture_on_commit_callbacks)

    def shared(alliance):
        return reverse("lga_cspc:shared_reports", kwargs={"alliance": alliance.slug})

    def download(alliance):
        return reverse(
            "lga_cspc:shared_report_download",
            kwargs={"alliance": alliance.slug, "challenge": challenge.pk},
        )

    client.force_login(em_member)
    response = client.get(shared(east_midlands))
    assert response.status_code == 200
    assert "No council in the region has shared" in response.content.decode()
    assert client.get(download(east_midlands)).status_code == 404

    client.force_login(lga.derby_dcs)
    response = client.post(url("report_share", lga, challenge), {"audience": "members"})
    assert response.status_code == 302
    report = report_row(challenge)
    assert (report.shared_by, report.shared_with_region_at is not None) == (lga.derby_dcs, True)

    client.force_login(em_member)
    html = client.get(shared(east_midlands)).content.decode()
    assert "Derby" in html and download(east_midlands) in html
    response = client.get(download(east_midlands))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert "Social workers know their children well." in " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(body)).pages
    ).replace("\n", " ")
    with scopes_disabled():
        assert AccessLog.objects.filter(
            user=em_member, action=AccessLog.Action.DOWNLOAD, object_type="reports.ReportVersion"
        ).exists()

    client.force_login(london_member)
    assert "Derby" not in client.get(shared(london)).content.decode()
    assert client.get(download(london)).status_code == 404

    # The pages live only in regional alliances; others are not members.
    client.force_login(lga.pm)
    assert client.get(shared(lga.alliance)).status_code == 404
    assert client.get(download(east_midlands)).status_code == 404


# Case studies and what the team marked on site ---------------------------------------------


def note(lga, challenge, kind, text, *, marked=True, title=""):
    with scope(alliance=lga.alliance):
        return site_note_add(
            challenge=challenge,
            author=lga.pcm,
            kind=kind,
            text=text,
            title=title,
            for_presentation=marked,
        )


def test_agreeing_without_a_case_study_is_warned_not_refused(lga, challenge, leader):
    write(lga, challenge)
    with scope(alliance=lga.alliance):
        assert report_agree_warnings(report_row(challenge)) == [NO_CASE_STUDY]
        report = report_agree(challenge=challenge, user=leader)
    assert report.state == ReportState.AGREED
    with scopes_disabled():
        notes = list(ReportEvent.objects.filter(report=report).values_list("note", flat=True))
    assert notes == ["Drafting started", "Agreed by the team leader (with no case study)"]


def test_agreeing_with_a_case_study_has_no_warning(lga, challenge, leader):
    write(lga, challenge, case_studies=f"  {CASE_STUDY}  ")
    with scope(alliance=lga.alliance):
        assert report_agree_warnings(report_row(challenge)) == []
        report = report_agree(challenge=challenge, user=leader)
    assert report.case_studies == CASE_STUDY
    with scopes_disabled():
        notes = list(ReportEvent.objects.filter(report=report).values_list("note", flat=True))
    assert notes == ["Drafting started", "Agreed by the team leader"]


def test_the_case_studies_are_printed_after_the_good_practice(
    lga, challenge, leader, django_capture_on_commit_callbacks
):
    write(lga, challenge, case_studies=CASE_STUDY)
    with scope(alliance=lga.alliance):
        report_agree(challenge=challenge, user=leader)
        report_submit_qa(challenge=challenge, user=lga.pcm)
    sign_all(lga, challenge)
    with scope(alliance=lga.alliance), django_capture_on_commit_callbacks(execute=True):
        draft = report_issue_draft(challenge=challenge, user=lga.pcm, today=ISSUED)
    text = pdf_text(draft)
    good_practice = text.index("The family hubs model is worth sharing in the region.")
    case_studies = text.index("Case studies " + CASE_STUDY)
    appendix = text.index("Appendix: case record review")
    assert good_practice < case_studies < appendix


def test_the_council_may_comment_on_a_case_study(lga, challenge, leader):
    write(lga, challenge, case_studies=CASE_STUDY)
    with scope(alliance=lga.alliance):
        report_agree(challenge=challenge, user=leader)
        report_submit_qa(challenge=challenge, user=lga.pcm)
    sign_all(lga, challenge)
    with scope(alliance=lga.alliance):
        report_issue_draft(challenge=challenge, user=lga.pcm, today=ISSUED)
        comment = report_comment(
            challenge=challenge,
            user=lga.derby_dcs,
            section="case_studies",
            paragraph=1,
            text="She was a young carer for two years, not three.",
            today=ISSUED,
        )
    assert (comment.section, comment.paragraph) == ("case_studies", 1)


def test_the_page_lists_the_notes_marked_for_the_presentation_beside_the_sections(
    client, lga, challenge, leader
):
    Kind = SiteNote.Kind
    note(lga, challenge, Kind.STRENGTH, "Leaders are visible on the front line.")
    note(lga, challenge, Kind.AREA, "Supervision records are thin.")
    note(lga, challenge, Kind.GOOD_PRACTICE, "The family hubs model.")
    note(lga, challenge, Kind.GOOD_PRACTICE, "Unmarked good practice.", marked=False)
    note(lga, challenge, Kind.CASE_STUDY, "She stayed at home.", title="A young carer")
    note(lga, challenge, Kind.EMERGING_ISSUE, "An emerging issue, not material.")
    other = ChallengeFactory(offer=lga.offer, stage=Stage.REPORT)
    note(lga, other, Kind.CASE_STUDY, "Another council's case study.")

    client.force_login(lga.pcm)
    html = client.get(url("report", lga, challenge)).content.decode()
    material = html[html.index('id="report-material"') :]
    groups = {
        key: material[material.index(f'id="material-{key}"') :]
        for key in ("strengths", "areas_for_development", "good_practice", "case_studies")
    }
    assert "For the key strengths" in groups["strengths"]
    assert groups["strengths"].index("Leaders are visible on the front line.") < groups[
        "strengths"
    ].index('id="material-areas_for_development"')
    assert "Supervision records are thin." in groups["areas_for_development"]
    assert "The family hubs model." in groups["good_practice"]
    assert "A young carer" in groups["case_studies"]
    assert "She stayed at home." in groups["case_studies"]
    assert "Unmarked good practice." not in html
    assert "An emerging issue, not material." not in html
    assert "Another council&#x27;s case study." not in html
    assert 'name="case_studies"' in html  # the section to write them into

    # The team leader agreeing sees them too, with the warning while there is no case study.
    write(lga, challenge)
    client.force_login(leader)
    html = client.get(url("report", lga, challenge)).content.decode()
    assert "She stayed at home." in html
    assert NO_CASE_STUDY in html
    response = post_step(client, lga, challenge, "agree")
    assert response.status_code == 302
    assert messages_of(response) == [
        "You agreed the report. The peer challenge manager now submits it for quality assurance.",
        NO_CASE_STUDY,
    ]

    # The council never sees the team's notes.
    client.force_login(lga.derby_dcs)
    html = client.get(url("report", lga, challenge)).content.decode()
    assert "She stayed at home." not in html
    assert 'id="report-material"' not in html


def test_strengths_fall_back_to_every_one_recorded_when_none_is_marked(client, lga, challenge):
    note(lga, challenge, SiteNote.Kind.STRENGTH, "An unmarked strength.", marked=False)
    client.force_login(lga.pcm)
    html = client.get(url("report", lga, challenge)).content.decode()
    assert "No strengths marked for the presentation: every one recorded." in html
    assert "An unmarked strength." in html
    assert html.count("None marked.") == 3  # areas, good practice, case studies


def test_no_case_study_warning_once_the_report_has_one(client, lga, challenge, leader):
    write(lga, challenge, case_studies=CASE_STUDY)
    client.force_login(leader)
    assert NO_CASE_STUDY not in client.get(url("report", lga, challenge)).content.decode()
    response = post_step(client, lga, challenge, "agree")
    assert messages_of(response) == [
        "You agreed the report. The peer challenge manager now submits it for quality assurance."
    ]


# The factual-accuracy window's length ---------------------------------------------------------


def test_the_window_is_as_long_as_chosen_when_the_draft_is_issued(lga, challenge, leader):
    to_qa(lga, challenge, leader)
    sign_all(lga, challenge)
    with scope(alliance=lga.alliance):
        report_issue_draft(challenge=challenge, user=lga.pcm, working_days=5, today=ISSUED)
    report = report_row(challenge)
    assert report.accuracy_closes_on == datetime.date(2027, 6, 14)
    with scopes_disabled():
        note_ = ReportEvent.objects.filter(report=report).order_by("-pk").first().note
    assert note_ == (
        "Draft (version 1) issued to the council; factual-accuracy comments close on "
        "14 June 2027 (5 working days)"
    )


def test_the_window_skips_a_bank_holiday(lga, challenge, leader):
    to_qa(lga, challenge, leader)
    sign_all(lga, challenge)
    with scope(alliance=lga.alliance):
        # Monday 24 May 2027: the spring bank holiday (31 May) is not a working day.
        report_issue_draft(challenge=challenge, user=lga.pcm, today=datetime.date(2027, 5, 24))
    assert report_row(challenge).accuracy_closes_on == datetime.date(2027, 6, 8)


@pytest.mark.parametrize("working_days", [4, 21, 0, -10, "10", None, True])
def test_a_window_outside_5_to_20_working_days_is_refused(lga, challenge, leader, working_days):
    to_qa(lga, challenge, leader)
    sign_all(lga, challenge)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="The factual-accuracy window must be between 5 and"
        ) as excinfo,
    ):
        report_issue_draft(
            challenge=challenge, user=lga.pcm, working_days=working_days, today=ISSUED
        )
    assert errors_of(excinfo) == {
        "working_days": ["The factual-accuracy window must be between 5 and 20 working days."]
    }
    report = report_row(challenge)
    assert (report.state, report.accuracy_closes_on) == (ReportState.QA, None)
    with scopes_disabled():
        assert not ReportVersion.objects.exists()


@pytest.mark.parametrize("working_days", ["5", "20"])
def test_the_window_may_be_5_or_20_working_days(lga, challenge, leader, working_days):
    to_qa(lga, challenge, leader)
    sign_all(lga, challenge)
    with scope(alliance=lga.alliance):
        report_issue_draft(
            challenge=challenge, user=lga.pcm, working_days=int(working_days), today=ISSUED
        )
    assert report_row(challenge).accuracy_closes_on == add_working_days(ISSUED, int(working_days))


def test_the_issue_form_offers_ten_days_and_keeps_a_refused_value(client, lga, challenge, leader):
    to_qa(lga, challenge, leader)
    sign_all(lga, challenge)
    client.force_login(lga.pcm)
    html = client.get(url("report", lga, challenge)).content.decode()
    assert 'name="working_days"' in html and 'value="10"' in html
    assert "Between 5 and 20; usually 10. Weekends and bank holidays are not counted." in html

    for typed in ("25", "ten", ""):
        response = post_step(client, lga, challenge, "issue_draft", working_days=typed)
        html = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in html
        assert (
            '<a href="#working-days">Enter a whole number of working days between 5 and 20.</a>'
            in html
        )
        assert 'id="working-days-error"' in html
        assert 'id="working-days" name="working_days" type="text" inputmode="numeric" ' in html
        assert f'value="{typed}"' in html
    assert report_row(challenge).state == ReportState.QA

    with time_machine.travel(datetime.datetime(2027, 5, 24, 10, 0), tick=False):
        client.force_login(lga.pcm)
        response = post_step(client, lga, challenge, "issue_draft", working_days="15")
    assert response.status_code == 302
    assert messages_of(response) == [
        "The draft (version 1) is being produced and will be emailed to the council's DCS. "
        "The council may comment on its paragraphs until 15 June 2027."
    ]
    assert report_row(challenge).accuracy_closes_on == datetime.date(2027, 6, 15)


# Dates that must make sense ------------------------------------------------------------------


def test_no_draft_before_the_last_on_site_day(lga, challenge, leader):
    """On site 10 to 13 May 2027: the draft cannot go to the council on the 12th."""
    to_qa(lga, challenge, leader)
    sign_all(lga, challenge)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="You cannot issue the draft to the council before"
        ) as excinfo,
    ):
        report_issue_draft(challenge=challenge, user=lga.pcm, today=datetime.date(2027, 5, 12))
    assert errors_of(excinfo) == {
        "state": [
            "You cannot issue the draft to the council before the last on-site day (13 May 2027)."
        ]
    }
    assert report_row(challenge).state == ReportState.QA


def test_no_final_report_nor_evaluation_before_the_last_on_site_day(lga, challenge, leader):
    to_resolved(lga, challenge, leader)
    with scopes_disabled():  # test set-up: the on-site days were moved later
        Challenge.objects.filter(pk=challenge.pk).update(onsite_start=datetime.date(2027, 7, 5))
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="You cannot issue the final report and move the"
        ) as excinfo,
    ):
        report_issue_final(challenge=fresh(challenge), user=lga.pm, today=AFTER)
    assert errors_of(excinfo) == {
        "state": [
            "You cannot issue the final report and move the challenge to evaluation before "
            "the last on-site day (8 July 2027)."
        ]
    }
    assert (report_row(challenge).state, fresh(challenge).stage) == (
        ReportState.RESOLVED,
        Stage.REPORT,
    )


def test_the_shared_reports_page_is_in_a_regional_alliances_navigation(client, lga):
    east_midlands = AllianceFactory(
        name="East Midlands", slug="east-midlands", regions=[region("East Midlands")]
    )
    em_member = UserFactory(full_name="Emma Midlands")
    MembershipFactory(alliance=east_midlands, user=em_member, role=Role.PEER_REVIEWER)
    shared = reverse("lga_cspc:shared_reports", kwargs={"alliance": east_midlands.slug})
    client.force_login(em_member)
    page = client.get(reverse("alliance_detail", kwargs={"alliance": east_midlands.slug}))
    assert f'href="{shared}">Shared LGA reports</a>' in page.content.decode()
    # Not in the LGA's own navigation (the page is 404 there).
    client.force_login(lga.pm)
    page = client.get(reverse("alliance_detail", kwargs={"alliance": lga.alliance.slug}))
    assert "Shared LGA reports" not in page.content.decode()
