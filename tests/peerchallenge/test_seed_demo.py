import datetime
import io

from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from benchmarking.models import Figure
from peerchallenge.models import Action, Alliance, Invitation, Membership, Session, User
from reports.models import ReportVersion


def counts():
    from lga_cspc.models import (
        AccuracyComment,
        AdvanceDocument,
        CaseFile,
        Challenge,
        QASignOff,
        Questionnaire,
        ReportEvent,
        SiteNote,
        TeamMember,
    )

    models = [
        User,
        Membership,
        Invitation,
        Alliance,
        Challenge,
        TeamMember,
        AdvanceDocument,
        Session,
        CaseFile,
        SiteNote,
        ReportEvent,
        QASignOff,
        AccuracyComment,
        ReportVersion,
        Questionnaire,
        Action,
    ]
    with scopes_disabled():
        found = {model.__name__: model.objects.count() for model in models}
    # The real DfE statistics the benchmarking app loads (its own module's demo).
    found["Figure"] = Figure.objects.count()
    return found


def pdf_text(version) -> str:
    assert version.status == ReportVersion.Status.RENDERED, version.error
    with version.file.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_seed_demo_is_idempotent_and_covers_every_role_and_stage(db):
    # One test, so the demo (and its PDFs) is seeded only twice.
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    assert first["Challenge"] == 7 and first["CaseFile"] == 100 and first["Action"] >= 3
    assert first["Figure"] > 20_000
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    with scopes_disabled():  # the demo shows a changed action and a removed one, once
        removed = list(Action.all_objects.filter(removed_at__isnull=False))
        changed = Action.objects.get(what__startswith="Audit step-down decisions")
    assert [action.removal_reason[:18] for action in removed] == ["Agreed twice at th"]
    assert changed.owner == "Service manager, early help"
    assert changed.history.count() == 3  # recorded, status set, changed
    assert set(Alliance.objects.values_list("slug", flat=True)) == {
        "east-midlands",
        "london",
        "lga",
    }
    with scopes_disabled():
        em_roles = set(
            Membership.objects.filter(alliance__slug="east-midlands").values_list("role", flat=True)
        )
        em_councils = set(
            Membership.objects.filter(alliance__slug="east-midlands", role="dcs").values_list(
                "local_authority__name", flat=True
            )
        )
    assert len(em_roles) == 9
    assert len(em_councils) == 10
    assert not User.objects.exclude(email__endswith="@example.org").exists()
    with scopes_disabled():
        from lga_cspc.models import Challenge

        stages = dict(Challenge.objects.values_list("local_authority__name", "stage"))
        nottingham = Challenge.objects.get(local_authority__name="Nottingham")
        assert nottingham.proposal_accepted_at and nottingham.team.count() == 4
    assert stages == {
        "Croydon": "requested",
        "West Northamptonshire": "scoping",
        "Nottingham": "preparation",
        "Lincolnshire": "case_review",
        "Derbyshire": "on_site",
        "Nottinghamshire": "report",
        "North Northamptonshire": "evaluation",
    }
    later_stages_have_their_work()


def challenge_of(council: str):
    from lga_cspc.models import Challenge

    return Challenge.objects.select_related("sponsor").get(local_authority__name=council)


def later_stages_have_their_work():
    from lga_cspc.models import AdvanceDocument, FeedbackReport, ReportState, SiteNote
    from lga_cspc.services.cases import case_review_versions
    from lga_cspc.services.report import final_version, report_versions
    from peerchallenge.services.timetable import sessions_of

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    with scopes_disabled():
        # Case record review: on site in two weeks; 25 cases, all assigned, 12 with findings.
        lincolnshire = challenge_of("Lincolnshire")
        assert lincolnshire.onsite_start == monday + datetime.timedelta(weeks=2)
        assert lincolnshire.sponsor.email == "martin.crossley@example.org"
        review = lincolnshire.case_review
        assert review.cases.count() == 25
        assert review.cases.filter(reviewer__isnull=True).count() == 0
        assert review.cases.filter(reviewed_at__isnull=False).count() == 12
        assert review.sponsor_discussion_at is None and review.shared_at is None
        states = list(
            lincolnshire.advance_documents.order_by("position").values_list("state", flat=True)
        )
        assert states == [AdvanceDocument.State.ACCEPTED] * 10 + [
            AdvanceDocument.State.MORE_NEEDED,
            AdvanceDocument.State.UPLOADED,
        ]
        assert lincolnshire.advance_documents.filter(document__isnull=True).count() == 0
        assert sessions_of(challenge=lincolnshire).count() == 11

        # On site this week: the case review shared, issues shared with the sponsor.
        derbyshire = challenge_of("Derbyshire")
        assert derbyshire.onsite_start == monday
        assert derbyshire.case_review.shared_at is not None
        assert derbyshire.case_review.cases.filter(reviewed_at__isnull=True).count() == 0
        notes = derbyshire.site_notes
        shared = notes.filter(shared_with_sponsor_at__isnull=False)
        assert set(shared.values_list("title", flat=True)) == {
            "Thresholds at the front door",
            "Supervision is not always recorded",
        }
        unshared = notes.filter(kind=SiteNote.Kind.EMERGING_ISSUE, shared_with_sponsor_at=None)
        assert list(unshared.values_list("title", flat=True)) == ["Return home interviews"]
        kinds = set(notes.filter(for_presentation=True).values_list("kind", flat=True))
        assert kinds == {"strength", "area", "good_practice", "case_study"}
        assert not FeedbackReport.objects.filter(challenge=derbyshire).exists()
        assert case_review_versions(challenge=derbyshire).get().status == "rendered"

        # Written feedback: the draft with the council, one comment resolved, one open.
        nottinghamshire = challenge_of("Nottinghamshire")
        report = nottinghamshire.feedback_report
        assert report.state == ReportState.ACCURACY
        assert report.sign_offs.count() == 3
        assert report.accuracy_closes_on > today
        comments = list(report.comments.order_by("created_at"))
        assert [c.author.email for c in comments] == ["elaine.wardle@example.org"] * 2
        assert [c.resolved_at is not None for c in comments] == [True, False]
        assert "19% of posts" in report.areas_for_development
        draft = report_versions(challenge=nottinghamshire).get()
        assert draft.status == ReportVersion.Status.RENDERED

        # Evaluation: the final issued about a month ago, with the case review appendix.
        northants = challenge_of("North Northamptonshire")
        final = final_version(challenge=northants)
        assert 21 <= (today - timezone.localdate(final.rendered_at)).days <= 35
        issued = northants.feedback_report.events.get(to_state=ReportState.FINAL)
        assert timezone.localdate(issued.at) == timezone.localdate(final.rendered_at)
        text = pdf_text(final)
        assert "Social workers know their children well" in text
        assert "open in all five localities since January" in text
        assert "Cases reviewed (25)" in text
        questionnaires = [member.questionnaire for member in northants.team.all()]
        assert len(questionnaires) == 4
        assert sum(q.submitted_at is not None for q in questionnaires) == 2
        assert northants.evaluation.recorded_at is not None
        actions = Action.objects.filter(
            source_id=northants.pk, local_authority=northants.local_authority
        )
        assert actions.count() == 3
        assert all(action.due_date > today for action in actions)
