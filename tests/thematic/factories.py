"""Test data for the thematic offer. Created outside any scope on purpose (django-scopes
allows .create(); factories are a test entry point)."""

import datetime

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from peerchallenge.models import Tier2Group
from tests.factories import AllianceFactory, Tier2GroupFactory, UserFactory, council
from thematic.models import (
    EmergingSummary,
    EventKloe,
    NextSteps,
    Nomination,
    SuggestionSupport,
    ThematicEvent,
    Theme,
    ThemeSuggestion,
)


def theme(alliance, name="Reduction of Harm") -> Theme:
    with scopes_disabled():  # a test entry point
        return Theme.objects.get_or_create(alliance=alliance, name=name)[0]


def group(alliance, name="Safeguarding", members=()) -> Tier2Group:
    with scopes_disabled():
        made = Tier2Group.objects.get_or_create(alliance=alliance, name=name)[0]
    made.members.add(*members)
    return made


def event(
    alliance,
    *,
    councils=("Derby", "Leicester"),
    days_from_today=30,
    theme_name="Reduction of Harm",
    tier2_group=None,
    **fields,
) -> ThematicEvent:
    """An event (past ones too, which the service refuses to schedule)."""
    date = timezone.localdate() + datetime.timedelta(days=days_from_today)
    made = ThematicEvent.objects.create(
        alliance=alliance,
        theme=theme(alliance, theme_name),
        date=date,
        start_time=datetime.time(9, 30),
        end_time=datetime.time(13, 0),
        tier2_group=tier2_group or group(alliance),
        **{
            "format": ThematicEvent.Format.IN_PERSON,
            "venue": "Leicester City Hall",
            **ThematicEvent.default_deadlines(date),
            **fields,
        },
    )
    made.councils.set([council(name) for name in councils])
    return made


def nomination(event, council_name="Derby", **fields) -> Nomination:
    values = {
        "full_name": "Nia Officer",
        "job_role": "Head of service",
        "email": f"nia.{council_name.lower().replace(' ', '')}@example.org",
        **fields,
    }
    return Nomination.objects.create(
        alliance=event.alliance, event=event, council=council(council_name), **values
    )


def next_steps(event, council_name="Derby", **fields) -> NextSteps:
    return NextSteps.objects.create(
        alliance=event.alliance, event=event, council=council(council_name), **fields
    )


# One factory for each of the offer's models (tests/test_factories.py holds them to it); the
# helpers above stay the short way to the usual objects.


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class ThemeSuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeSuggestion

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Suggested theme {n}")
    reason = "Rising numbers across the region."


class SuggestionSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuggestionSupport

    suggestion = factory.SubFactory(ThemeSuggestionFactory)
    alliance = factory.SelfAttribute("suggestion.alliance")
    user = factory.SubFactory(UserFactory)


class ThematicEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicEvent
        skip_postgeneration_save = True

    alliance = factory.SubFactory(AllianceFactory)
    theme = factory.SubFactory(ThemeFactory, alliance=factory.SelfAttribute("..alliance"))
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    start_time = datetime.time(9, 30)
    end_time = datetime.time(13, 0)
    format = ThematicEvent.Format.IN_PERSON
    venue = "Leicester City Hall"
    tier2_group = factory.SubFactory(
        Tier2GroupFactory, alliance=factory.SelfAttribute("..alliance")
    )
    nominations_due = factory.LazyAttribute(
        lambda o: ThematicEvent.default_deadlines(o.date)["nominations_due"]
    )
    next_steps_due = factory.LazyAttribute(
        lambda o: ThematicEvent.default_deadlines(o.date)["next_steps_due"]
    )

    @factory.post_generation
    def councils(self, create, extracted, **kwargs):
        if create:
            self.councils.set(extracted or [council("Derby"), council("Leicester")])


class _OfAnEvent(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    event = factory.SubFactory(ThematicEventFactory)
    alliance = factory.SelfAttribute("event.alliance")


class EventKloeFactory(_OfAnEvent):
    class Meta:
        model = EventKloe

    question = "How do we keep children safe outside the home?"


class NominationFactory(_OfAnEvent):
    class Meta:
        model = Nomination

    council = factory.LazyFunction(lambda: council("Derby"))
    full_name = "Nia Officer"
    job_role = "Head of service"
    email = factory.Sequence(lambda n: f"nia{n}@example.org")


class NextStepsFactory(_OfAnEvent):
    class Meta:
        model = NextSteps

    council = factory.LazyFunction(lambda: council("Derby"))


class EmergingSummaryFactory(_OfAnEvent):
    class Meta:
        model = EmergingSummary


def summary(event, *, issued=False, **fields) -> EmergingSummary:
    """The event's summary of emerging themes, issued (now) or still a draft."""
    values = {
        "emerging_themes": "Partners share risk late.",
        "issued_at": timezone.now() if issued else None,
        **fields,
    }
    return EmergingSummary.objects.create(alliance=event.alliance, event=event, **values)


def suggestion(alliance, name="Exploitation", **fields) -> ThemeSuggestion:
    """An open suggestion of a new theme."""
    return ThemeSuggestion.objects.create(
        alliance=alliance, name=name, **{"reason": "Rising referrals", **fields}
    )
