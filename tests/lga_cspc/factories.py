"""The LGA (a national alliance) with a person in each CSPC role, its catalogue, and
challenges at any stage, with one factory for each record a challenge holds. Every date is
relative to the suite's today (tests/clock.py), never a literal year."""

import datetime
from dataclasses import dataclass

import factory
import pytest
from django.utils import timezone

from lga_cspc.models import CaseFile, Challenge, Offer, ReportState, Stage
from peerchallenge.models import Alliance, Role
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    alliance = factory.SubFactory(AllianceFactory, kind=Alliance.Kind.NATIONAL)
    name = factory.Sequence(lambda n: f"Children's Services Peer Challenge {n}")
    description = "A review of children's services practice around three core elements."
    min_days = 3
    max_days = 4


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    offer = factory.SubFactory(OfferFactory)
    alliance = factory.SelfAttribute("offer.alliance")
    local_authority = factory.LazyFunction(lambda: council("Derby"))
    stage = Stage.SCOPING
    # A Monday (the suite's today is one), far enough ahead for scoping and preparation;
    # tests that need the dates read them from the challenge.
    onsite_start = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(weeks=23))
    days = 4
    # Scoping agreed every list (a booked challenge has none until scoping chooses them).
    case_lists = factory.LazyFunction(lambda: list(CaseFile.Source.values))


@dataclass
class Lga:
    alliance: object
    offer: object
    pm: object
    coordinator: object
    principal_adviser: object
    cia: object
    pcm: object  # peer challenge manager (consultant role)
    peer: object  # a peer reviewer working for Lewisham
    derby_dcs: object  # Derby's sponsor
    derby_organiser: object
    leicester_dcs: object  # another council's sponsor


@pytest.fixture
def lga(db) -> Lga:
    alliance = AllianceFactory(
        name="Local Government Association",
        short_name="LGA",
        slug="lga",
        kind=Alliance.Kind.NATIONAL,
        regions=[],
    )

    def member(role, name, la=None):
        user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}.lga@example.org")
        MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
        return user

    return Lga(
        alliance=alliance,
        offer=OfferFactory(alliance=alliance, name="Children's Services Peer Challenge"),
        pm=member(Role.PROGRAMME_MANAGER, "Petra Programme"),
        coordinator=member(Role.COORDINATOR, "Colin Coordinator"),
        principal_adviser=member(Role.PRINCIPAL_ADVISER, "Priya Principal"),
        cia=member(Role.IMPROVEMENT_ADVISER, "Ciaran Adviser"),
        pcm=member(Role.CONSULTANT, "Maya Manager"),
        peer=member(Role.PEER_REVIEWER, "Pete Peer", la=council("Lewisham")),
        derby_dcs=member(Role.DCS, "Dora Derby", la=council("Derby")),
        derby_organiser=member(Role.LA_ORGANISER, "Owen Organiser", la=council("Derby")),
        leicester_dcs=member(Role.DCS, "Lena Leicester", la=council("Leicester")),
    )


# One factory for each of the offer's models (tests/test_factories.py holds them to it).


class _OfAChallenge(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    challenge = factory.SubFactory(ChallengeFactory)
    alliance = factory.SelfAttribute("challenge.alliance")


class SubsidyChangeFactory(_OfAChallenge):
    class Meta:
        model = "lga_cspc.SubsidyChange"

    old_percent = 50
    new_percent = 75
    reason = "The council's finances are under pressure."


class ScopeElementFactory(_OfAChallenge):
    class Meta:
        model = "lga_cspc.ScopeElement"

    kind = "core"
    name = "Leadership, management and governance"


class TeamMemberFactory(_OfAChallenge):
    class Meta:
        model = "lga_cspc.TeamMember"

    user = factory.SubFactory(UserFactory)
    role = "senior_manager"
    indicative_days = 4


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "lga_cspc.Conflict"

    alliance = factory.SubFactory(AllianceFactory, kind=Alliance.Kind.NATIONAL)
    user = factory.SubFactory(UserFactory)
    local_authority = factory.LazyFunction(lambda: council("Derby"))
    reason = "I worked there until 2024"


class AdvanceDocumentFactory(_OfAChallenge):
    class Meta:
        model = "lga_cspc.AdvanceDocument"

    # Unique per challenge (a constraint), so several may hang from one.
    title = factory.Sequence(lambda n: f"Plan {n}")
    due_date = factory.LazyAttribute(
        lambda o: o.challenge.onsite_start - datetime.timedelta(weeks=6)
    )


class CaseReviewFactory(_OfAChallenge):
    class Meta:
        model = "lga_cspc.CaseReview"


class CaseFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "lga_cspc.CaseFile"

    review = factory.SubFactory(CaseReviewFactory)
    alliance = factory.SelfAttribute("review.alliance")
    reference = factory.Sequence(lambda n: f"CP-{n:04}")
    source = CaseFile.Source.CHILD_PROTECTION


class SiteNoteFactory(_OfAChallenge):
    class Meta:
        model = "lga_cspc.SiteNote"

    kind = "strength"
    text = "Strong leadership"


class FeedbackReportFactory(_OfAChallenge):
    class Meta:
        model = "lga_cspc.FeedbackReport"

    class Params:
        # Every section written: what the report needs before it can be agreed and go on.
        written = factory.Trait(
            executive_summary="Leaders know their services well.",
            strengths="Strong political support.",
            areas_for_development="Supervision is not always recorded.",
            recommendations="Record management oversight.",
        )
        # Written and with the council, its factual-accuracy window open for ten days.
        in_accuracy = factory.Trait(
            written=True,
            state=ReportState.ACCURACY,
            accuracy_closes_on=factory.LazyFunction(
                lambda: timezone.localdate() + datetime.timedelta(days=10)
            ),
        )


class _OfAReport(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    report = factory.SubFactory(FeedbackReportFactory)
    alliance = factory.SelfAttribute("report.alliance")


class QASignOffFactory(_OfAReport):
    class Meta:
        model = "lga_cspc.QASignOff"

    by = "programme_manager"
    user = factory.SubFactory(UserFactory)


class ReportEventFactory(_OfAReport):
    class Meta:
        model = "lga_cspc.ReportEvent"

    to_state = "agreed"


class AccuracyCommentFactory(_OfAReport):
    class Meta:
        model = "lga_cspc.AccuracyComment"

    section = "strengths"
    paragraph = 1
    text = "Early help is used by 40% of families, not most."


class EvaluationFactory(_OfAChallenge):
    class Meta:
        model = "lga_cspc.Evaluation"


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "lga_cspc.Questionnaire"

    member = factory.SubFactory(TeamMemberFactory)
    alliance = factory.SelfAttribute("member.alliance")
