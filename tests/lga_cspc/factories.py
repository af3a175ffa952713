"""The LGA (a national alliance) with a person in each CSPC role, its catalogue, and
challenges at any stage."""

import datetime
from dataclasses import dataclass

import factory
import pytest

from lga_cspc.models import CaseFile, Challenge, Offer, Stage
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
    onsite_start = datetime.date(2027, 5, 10)
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
