import datetime

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from peerchallenge.models import LocalAuthority
from tests.factories import AllianceFactory, UserFactory
from triads.models import (
    Cycle,
    CycleSummary,
    EventTemplate,
    SupportOffer,
    Triad,
    TriadGroupObjectPermission,
    TriadMember,
    TriadSummary,
    TriadUserObjectPermission,
)


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle
        skip_postgeneration_save = True

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Peer challenge cycle {n}")
    # A Thursday some fifteen months ahead, relative to the suite's today (tests/clock.py):
    # tests that need the dates read them from the cycle.
    event_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(weeks=67, days=3)
    )
    kloes_due = factory.LazyAttribute(lambda o: o.event_date - datetime.timedelta(weeks=4))
    templates_due = factory.LazyAttribute(lambda o: o.event_date + datetime.timedelta(weeks=1))
    report_due = factory.LazyAttribute(lambda o: o.event_date + datetime.timedelta(weeks=6))

    @factory.post_generation
    def councils(self, create, extracted, **kwargs):
        """Default: every council of the alliance's regions."""
        if not create:
            return
        if extracted is None:
            extracted = LocalAuthority.objects.filter(region__alliances=self.alliance)
        self.councils.set(extracted)


class TriadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Triad

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    number = factory.Sequence(lambda n: n + 1)


class TriadMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriadMember

    triad = factory.SubFactory(TriadFactory)
    cycle = factory.SelfAttribute("triad.cycle")
    alliance = factory.SelfAttribute("triad.alliance")
    council = factory.LazyFunction(lambda: LocalAuthority.objects.get(name="Derby"))


def _view_triad():
    return Permission.objects.get(content_type__app_label="triads", codename="view_triad")


class TriadUserObjectPermissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriadUserObjectPermission

    permission = factory.LazyFunction(_view_triad)
    user = factory.SubFactory(UserFactory)
    content_object = factory.SubFactory(TriadFactory)


class TriadGroupObjectPermissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriadGroupObjectPermission

    permission = factory.LazyFunction(_view_triad)
    group = factory.LazyFunction(lambda: Group.objects.create(name="Triad readers"))
    content_object = factory.SubFactory(TriadFactory)


class EventTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventTemplate

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    local_authority = factory.LazyFunction(lambda: LocalAuthority.objects.get(name="Derby"))


class CycleSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleSummary

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")


class TriadSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriadSummary

    triad = factory.SubFactory(TriadFactory)
    alliance = factory.SelfAttribute("triad.alliance")


class SupportOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportOffer

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    from_council = factory.LazyFunction(lambda: LocalAuthority.objects.get(name="Derby"))
    to_council = factory.LazyFunction(lambda: LocalAuthority.objects.get(name="Leicester"))
    topic = "Reducing agency staff"


def make_triads(cycle, groups: list[list[LocalAuthority]]) -> list[Triad]:
    triads = []
    for number, councils in enumerate(groups, start=1):
        triad = TriadFactory(cycle=cycle, number=number)
        for council in councils:
            TriadMember.objects.create(
                alliance=cycle.alliance, cycle=cycle, triad=triad, council=council
            )
        triads.append(triad)
    return triads
