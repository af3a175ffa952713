"""Factories for the improvement cycle."""

import datetime

import factory
from django.utils import timezone

from improvement.models import (
    CollectiveResponse,
    Cycle,
    DevelopmentPlan,
    Priority,
    RegionalPlan,
    Scrutiny,
    ScrutinyComment,
    SectionText,
    SelfEvaluation,
    SupportMatch,
    SupportNeed,
    SupportOffer,
    TemplateSection,
    step_defaults,
)
from tests.factories import AllianceFactory, LocalAuthorityFactory


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    alliance = factory.SubFactory(AllianceFactory)
    year = 2026

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        for field, day in step_defaults(kwargs["year"]).items():
            kwargs.setdefault(field, day)
        return super()._create(model_class, *args, **kwargs)


class TemplateSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateSection

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Section {n}")
    guidance = "What do you know, and how do you know it?"


class SelfEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfEvaluation

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    council = factory.SubFactory(LocalAuthorityFactory)


class SectionTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionText

    self_evaluation = factory.SubFactory(SelfEvaluationFactory)
    alliance = factory.SelfAttribute("self_evaluation.alliance")
    section = factory.SubFactory(
        TemplateSectionFactory, cycle=factory.SelfAttribute("..self_evaluation.cycle")
    )
    text = "We know our front door well: weekly audits show consistent thresholds."


class ScrutinyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scrutiny

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    council = factory.SubFactory(LocalAuthorityFactory)
    scrutineer = factory.SubFactory(LocalAuthorityFactory)


class ScrutinyCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScrutinyComment

    scrutiny = factory.SubFactory(ScrutinyFactory)
    alliance = factory.SelfAttribute("scrutiny.alliance")
    section = factory.SubFactory(
        TemplateSectionFactory, cycle=factory.SelfAttribute("..scrutiny.cycle")
    )
    text = "Well evidenced; say more about how you know the impact on care leavers."


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    council = factory.SubFactory(LocalAuthorityFactory)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(DevelopmentPlanFactory)
    alliance = factory.SelfAttribute("plan.alliance")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")
    what = "Audit every plan monthly with partners and act on what the audits find."
    owner = "Head of service"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))


class SupportOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportOffer

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    council = factory.SubFactory(LocalAuthorityFactory)
    theme = "Placement sufficiency"
    kind = SupportOffer.Kind.SINGLE
    title = factory.Sequence(lambda n: f"Our sufficiency strategy, workshop {n}")
    capacity = 2
    evidence = SupportOffer.Evidence.DATA
    evidence_text = "Placement stability better than all ten statistical neighbours, 2025."


class SupportNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportNeed

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")
    council = factory.SubFactory(LocalAuthorityFactory)
    theme = "Placement sufficiency"
    title = factory.Sequence(lambda n: f"Placement sufficiency for older children {n}")
    source = SupportNeed.Source.SELF_EVALUATION


class SupportMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportMatch

    need = factory.SubFactory(SupportNeedFactory)
    alliance = factory.SelfAttribute("need.alliance")
    offer = factory.SubFactory(
        SupportOfferFactory,
        cycle=factory.SelfAttribute("..need.cycle"),
    )


class RegionalPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalPlan

    cycle = factory.SubFactory(CycleFactory)
    alliance = factory.SelfAttribute("cycle.alliance")


class CollectiveResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveResponse

    plan = factory.SubFactory(RegionalPlanFactory)
    alliance = factory.SelfAttribute("plan.alliance")
    theme = "Reflective and restorative supervision"
    kind = CollectiveResponse.Kind.SEMINAR
    title = factory.Sequence(lambda n: f"Regional seminar on supervision {n}")
    owner = "Regional principal social workers' network"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
