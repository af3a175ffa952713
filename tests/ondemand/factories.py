"""A review at any stage, and the on-demand people around the base `world` (East Midlands,
whose Derby organiser and DCS are the host council's people)."""

import datetime
from dataclasses import dataclass

import factory
import pytest
from django.utils import timezone

from ondemand.models import Activity, Recommendation, RequestNote, Review, Reviewer, Status
from peerchallenge.models import Role, Session
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    alliance = factory.SubFactory(AllianceFactory)
    local_authority = factory.LazyFunction(lambda: council("Derby"))
    service_area = "Children's commissioning"
    primary_kloe = "How well does commissioning secure local placements?"
    why_now = "Our sufficiency strategy is due for renewal."
    preferred_start = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )
    days = 2
    status = Status.REQUESTED


def planning_review(alliance, **kwargs) -> Review:
    kwargs.setdefault("status", Status.PLANNING)
    review = ReviewFactory(alliance=alliance, **kwargs)
    review.start_date = review.preferred_start
    review.save(update_fields=["start_date"])
    return review


def on_team(review, user, role="officer", response="accepted", **fields) -> Reviewer:
    return Reviewer.objects.create(
        alliance=review.alliance, review=review, user=user, role=role, response=response, **fields
    )


def recommendation(review, text="Bring placement commissioning in house", **fields):
    return Recommendation.objects.create(
        alliance=review.alliance, review=review, text=text, **fields
    )


def session(review, day=None, title="Interview with the DCS") -> Session:
    """A session of the review's schedule, on its first day unless `day` says otherwise."""
    zone = timezone.get_default_timezone()
    starts = datetime.datetime.combine(day or review.first_day, datetime.time(10), tzinfo=zone)
    return Session.objects.create(
        alliance=review.alliance,
        challenge=review,
        kind="interview",
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )


@dataclass
class OnDemand:
    lead: object  # a consultant, independent
    officer: object  # a peer reviewer from Leicester
    derby_officer: object  # a peer reviewer who works for Derby, the host
    leicester_organiser: object  # another council of the same alliance
    stranger: object  # a peer reviewer on no team


@pytest.fixture
def od(world) -> OnDemand:
    def member(role, name, la=None):
        user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}@example.org")
        MembershipFactory(alliance=world.em, user=user, role=role, local_authority=la)
        return user

    return OnDemand(
        lead=member(Role.CONSULTANT, "Lena Lead"),
        officer=member(Role.PEER_REVIEWER, "Pete Officer", council("Leicester")),
        derby_officer=member(Role.PEER_REVIEWER, "Dan Derbyworker", council("Derby")),
        leicester_organiser=member(Role.LA_ORGANISER, "Lou Leicester", council("Leicester")),
        stranger=member(Role.PEER_REVIEWER, "Sam Stranger", council("Lincolnshire")),
    )


# One factory for each of the offer's other models (tests/test_factories.py holds them to it).


class _OfAReview(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    review = factory.SubFactory(ReviewFactory)
    alliance = factory.SelfAttribute("review.alliance")


class RequestNoteFactory(_OfAReview):
    class Meta:
        model = RequestNote

    kind = RequestNote.Kind.QUESTION
    text = "Which teams are in scope?"


class ReviewerFactory(_OfAReview):
    class Meta:
        model = Reviewer

    user = factory.SubFactory(UserFactory)
    role = "officer"


class ActivityFactory(_OfAReview):
    class Meta:
        model = Activity

    kind = "site_visit"
    description = "The front door"


class RecommendationFactory(_OfAReview):
    class Meta:
        model = Recommendation

    text = "Strengthen the front door"
