"""The base fixture set: one alliance with a member in each role that matters, and an
outsider from another alliance whose data could leak — and must not."""

import os
from dataclasses import dataclass

import pytest
import time_machine
from django.core.cache import cache

from peerchallenge.models import Role
from tests import clock
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region

UNDER_LIBFAKETIME = "faketime" in os.environ.get("LD_PRELOAD", "")


def pytest_collection_modifyitems(config, items):
    """Under libfaketime (the suite run with the machine's clock moved, docs/testing.md) a
    timed wait on a lock or barrier never times out: libfaketime 0.9 moves the monotonic clock
    that Python computes the deadline from, but not the kernel's wait. Tests whose point is a
    timed wait between threads are skipped there, saying why; their dates follow the suite's
    frozen clock anyway."""
    if not UNDER_LIBFAKETIME:
        return
    skip = pytest.mark.skip(reason="libfaketime cannot move timed waits between threads")
    for item in items:
        if item.get_closest_marker("timed_waits"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _suite_clock(request):
    """One frozen "today" for the whole suite (tests/clock.py), whatever the real date."""
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(clock.NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits and allauth state live in the (real) Redis cache.
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    em: object  # East Midlands alliance
    london: object  # another alliance
    admin: object
    pm: object
    coordinator: object
    organiser: object  # Derby council organiser
    dcs: object  # Derby DCS
    tier2: object
    outsider: object  # London alliance admin
    london_membership: object
    london_invitation: object


@pytest.fixture
def world(db) -> World:
    from tests.factories import InvitationFactory

    em = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    london = AllianceFactory(
        name="London alliance", short_name="LIIA", slug="london", regions=[region("London")]
    )
    derby = council("Derby")

    def member(role, name, la=None, alliance=em):
        user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}@example.org")
        MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
        return user

    outsider = member(Role.ALLIANCE_ADMIN, "Olu Outsider", alliance=london)
    london_membership = MembershipFactory(
        alliance=london, role=Role.DCS, local_authority=council("Camden")
    )
    return World(
        em=em,
        london=london,
        admin=member(Role.ALLIANCE_ADMIN, "Ada Admin"),
        pm=member(Role.PROGRAMME_MANAGER, "Pat Manager"),
        coordinator=member(Role.COORDINATOR, "Cora Coordinator"),
        organiser=member(Role.LA_ORGANISER, "Oscar Organiser", la=derby),
        dcs=member(Role.DCS, "Dee Director", la=derby),
        tier2=member(Role.TIER2_MEMBER, "Tia Tier"),
        outsider=outsider,
        london_membership=london_membership,
        london_invitation=InvitationFactory(alliance=london, invited_by=outsider),
    )
