import datetime

import factory

from peerchallenge.models import LocalAuthority
from tests.factories import AllianceFactory
from triads.models import Cycle, Triad, TriadMember


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle
        skip_postgeneration_save = True

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Peer challenge cycle {n}")
    event_date = datetime.date(2028, 3, 16)
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
