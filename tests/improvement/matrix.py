"""The improvement cycle's part in the cross-tenant matrix (tests/test_tenancy_matrix.py)."""


def improvement_ids(alliance, *, council_name: str, other_name: str) -> dict:
    """URL keyword -> the pk of an object of the improvement cycle filed under `alliance`:
    this year's cycle with its template, a self-evaluation of `council_name` with a section
    written, and `other_name`'s scrutiny of it."""
    from django_scopes import scopes_disabled

    from tests.factories import council
    from tests.improvement.factories import (
        CollectiveResponseFactory,
        CycleFactory,
        DevelopmentPlanFactory,
        PriorityFactory,
        RegionalPlanFactory,
        ScrutinyFactory,
        SectionTextFactory,
        SelfEvaluationFactory,
        SupportMatchFactory,
        SupportNeedFactory,
        SupportOfferFactory,
        TemplateSectionFactory,
    )

    with scopes_disabled():
        cycle = CycleFactory(alliance=alliance)
        section = TemplateSectionFactory(cycle=cycle, title="Secret section")
        evaluation = SelfEvaluationFactory(cycle=cycle, council=council(council_name))
        SectionTextFactory(self_evaluation=evaluation, section=section, text="Secret text")
        scrutiny = ScrutinyFactory(
            cycle=cycle, council=council(council_name), scrutineer=council(other_name)
        )
        priority = PriorityFactory(
            plan=DevelopmentPlanFactory(cycle=cycle, council=council(council_name)),
            title="Secret priority",
        )
        # The menu: the other council offers, this one needs, the two brokered.
        offer = SupportOfferFactory(cycle=cycle, council=council(other_name), title="Secret offer")
        need = SupportNeedFactory(cycle=cycle, council=council(council_name), title="Secret need")
        match = SupportMatchFactory(need=need, offer=offer)
        response = CollectiveResponseFactory(
            plan=RegionalPlanFactory(cycle=cycle), title="Secret response"
        )
    return {
        "collective_response": response.pk,
        "support_offer": offer.pk,
        "support_need": need.pk,
        "support_match": match.pk,
        "improvement_cycle": cycle.pk,
        "template_section": section.pk,
        "scrutiny": scrutiny.pk,
        "priority": priority.pk,
    }


def derby_scrutinises_leicester(world, kwargs: dict) -> dict:
    """The scrutinising council's pages: Derby (whose organiser opens them) scrutinises
    Leicester's submitted self-evaluation."""
    from django_scopes import scopes_disabled

    from tests.factories import council
    from tests.improvement.factories import ScrutinyFactory, SelfEvaluationFactory

    with scopes_disabled():
        SelfEvaluationFactory(
            cycle_id=kwargs["improvement_cycle"],
            alliance=world.em,
            council=council("Leicester"),
            state="submitted",
        )
        scrutiny = ScrutinyFactory(
            cycle_id=kwargs["improvement_cycle"],
            alliance=world.em,
            council=council("Leicester"),
            scrutineer=council("Derby"),
        )
    return {**kwargs, "gss": council("Leicester").gss_code, "scrutiny": scrutiny.pk}


def leicester_moderated_derby(world, kwargs: dict) -> dict:
    """The reply page: Leicester has recorded its moderation note on Derby's."""
    from django_scopes import scopes_disabled

    from improvement.models import Scrutiny

    with scopes_disabled():
        Scrutiny.objects.filter(pk=kwargs["scrutiny"]).update(moderation_note="Well evidenced.")
    return kwargs


def derby_challenges_leicester(world, kwargs: dict) -> dict:
    """The challenging council's pages: Derby (whose organiser opens them) challenges
    Leicester's submitted development plan."""
    from django_scopes import scopes_disabled

    from tests.factories import council
    from tests.improvement.factories import (
        DevelopmentPlanFactory,
        PriorityFactory,
        ScrutinyFactory,
    )

    with scopes_disabled():
        priority = PriorityFactory(
            plan=DevelopmentPlanFactory(
                cycle_id=kwargs["improvement_cycle"],
                alliance=world.em,
                council=council("Leicester"),
                state="submitted",
            )
        )
        challenge = ScrutinyFactory(
            cycle_id=kwargs["improvement_cycle"],
            alliance=world.em,
            stage="plan",
            council=council("Leicester"),
            scrutineer=council("Derby"),
        )
    return {
        **kwargs,
        "gss": council("Leicester").gss_code,
        "scrutiny": challenge.pk,
        "priority": priority.pk,
    }


def leicester_challenged_derby(world, kwargs: dict) -> dict:
    """The reply page of a plan's challenge: Leicester's moderation note on Derby's plan."""
    from django_scopes import scopes_disabled

    from tests.factories import council
    from tests.improvement.factories import ScrutinyFactory

    with scopes_disabled():
        challenge = ScrutinyFactory(
            cycle_id=kwargs["improvement_cycle"],
            alliance=world.em,
            stage="plan",
            council=council("Derby"),
            scrutineer=council("Leicester"),
            moderation_note="Ambitious and owned.",
        )
    return {**kwargs, "scrutiny": challenge.pk}


def derbys_evidence(world, kwargs: dict) -> dict:
    """The download of a document attached to Derby's self-evaluation."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_scopes import scope

    from improvement.models import Cycle
    from improvement.services.self_evaluation import evidence_attach
    from tests.factories import council

    with scope(alliance=world.em):
        version = evidence_attach(
            cycle=Cycle.objects.get(pk=kwargs["improvement_cycle"]),
            council=council("Derby"),
            title="Audit findings",
            upload=SimpleUploadedFile("audit.pdf", b"%PDF-1.7\naudit\n%%EOF\n"),
            uploaded_by=world.organiser,
        )
    return {**kwargs, "document": version.document_id, "version": version.number}
