from peerchallenge.offers import config
from peerchallenge.sections import Section


class ImprovementConfig(config.OfferConfig):
    """The annual sector-led improvement cycle of a regional alliance (self-evaluation, peer
    scrutiny, development plans, the menu of support, the regional development plan). Not an
    offer people book, but declared through the same contract (peerchallenge/offers): the
    core links to its pages without importing it, and it imports no offer."""

    name = "improvement"
    verbose_name = "Improvement cycle"
    offer = "Improvement cycle"  # how the improvement plan and the board name its actions
    extra_report_modules = ("plan_report",)  # the regional development plan as a PDF
    # A development plan's priorities become agreed actions whose source is the plan.
    action_sources = (("DevelopmentPlan", {}),)
    alliance_kinds = ("regional",)
    # The open cycle and its self-evaluations (from the same selector as obligations.py).
    overview_providers = ("overview.cycle_rows",)
    sections = (
        Section(
            key="improvement",
            label="Improvement cycle",
            url_name="improvement:cycle",
            permission="improvement.view_cycle",
            description=(
                "The year's self-evaluations, peer scrutiny, development plans, the menu of "
                "support and the regional development plan."
            ),
        ),
    )

    def register_more(self) -> None:
        # Here: models load only once the registry is ready.
        from django.db.models.signals import post_delete, post_save

        from .models import (
            Cycle,
            DevelopmentPlan,
            RegionalPlan,
            Scrutiny,
            SelfEvaluation,
            SupportMatch,
        )
        from .selectors import open_cycles_forget

        for model in (Cycle, SelfEvaluation, Scrutiny, DevelopmentPlan, SupportMatch, RegionalPlan):
            for signal in (post_save, post_delete):
                signal.connect(
                    open_cycles_forget,
                    sender=model,
                    dispatch_uid=f"open-cycles-{model.__name__}-{id(signal)}",
                )
