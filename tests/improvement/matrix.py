"""The improvement cycle's part in the cross-tenant matrix (tests/test_tenancy_matrix.py)."""


def improvement_ids(alliance, *, council_name: str) -> dict:
    """URL keyword -> the pk of an object of the improvement cycle filed under `alliance`:
    this year's cycle with its template, and a self-evaluation of `council_name` with a
    section written."""
    from django_scopes import scopes_disabled

    from tests.factories import council
    from tests.improvement.factories import (
        CycleFactory,
        SectionTextFactory,
        SelfEvaluationFactory,
        TemplateSectionFactory,
    )

    with scopes_disabled():
        cycle = CycleFactory(alliance=alliance)
        section = TemplateSectionFactory(cycle=cycle, title="Secret section")
        evaluation = SelfEvaluationFactory(cycle=cycle, council=council(council_name))
        SectionTextFactory(self_evaluation=evaluation, section=section, text="Secret text")
    return {"improvement_cycle": cycle.pk, "template_section": section.pk}
