"""Factories for what a running LGA peer challenge holds: its team, advance documents,
cases, site notes and report (created outside any scope, as in tests/factories.py)."""

import factory

from lga_cspc.models import (
    AccuracyComment,
    AdvanceDocument,
    CaseFile,
    CaseReview,
    FeedbackReport,
    QASignOff,
    ReportState,
    SiteNote,
    TeamMember,
)
from tests.clock import days


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    alliance = factory.SelfAttribute("challenge.alliance")
    role = "senior_manager"
    indicative_days = 5


class AdvanceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvanceDocument

    alliance = factory.SelfAttribute("challenge.alliance")
    title = "Children's Plan"
    due_date = factory.LazyFunction(lambda: days(20))
    state = AdvanceDocument.State.UPLOADED


class CaseReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReview

    alliance = factory.SelfAttribute("challenge.alliance")


class CaseFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseFile

    alliance = factory.SelfAttribute("review.alliance")
    reference = factory.Sequence(lambda n: f"CR-{n:04}")
    source = CaseFile.Source.CHILD_IN_NEED


class SiteNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteNote

    alliance = factory.SelfAttribute("challenge.alliance")
    kind = SiteNote.Kind.EMERGING_ISSUE
    title = "Supervision"
    text = "Supervision is not always recorded."


class FeedbackReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackReport

    alliance = factory.SelfAttribute("challenge.alliance")
    state = ReportState.ACCURACY
    executive_summary = "Leaders know their services well."
    strengths = "Strong political support."
    areas_for_development = "Supervision is not always recorded."
    recommendations = "Record management oversight."
    accuracy_closes_on = factory.LazyFunction(lambda: days(10))


class AccuracyCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccuracyComment

    alliance = factory.SelfAttribute("report.alliance")
    section = "strengths"
    paragraph = 1
    text = "Political support was new this year."


class QASignOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QASignOff

    alliance = factory.SelfAttribute("report.alliance")
