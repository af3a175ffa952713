from peerchallenge.offers import config
from peerchallenge.sections import CouncilLink, Section


class BenchmarkingConfig(config.OfferConfig):
    """The common framework: DfE's indicators and statistical neighbours, each council's data
    pack, and (in later steps of docs/plan-benchmarking.md) each alliance's framework,
    returns and flags. Not an offer people book, but declared through the same contract
    (peerchallenge/offers): the core links to its pages without importing it."""

    name = "benchmarking"
    verbose_name = "Benchmarking"
    extra_report_modules = ("pack_report",)  # a council's pack as a PDF
    # Each council's flags to answer and answered (obligations.py: the home page's too).
    overview_providers = ("overview.flag_rows", "overview.return_rows")
    sections = (
        Section(
            key="benchmarking",
            label="Data",
            # The grid, which every member may open; it links the framework for those who
            # may see that.
            url_name="benchmarking:grid",
            permission="benchmarking.view_grid",
            description=(
                "The DfE's children's social care statistics and the alliance's own indicators"
                " for every council: the grid, each council's data pack and the local returns."
            ),
            in_menu=True,
        ),
    )
    # Each flag on a council's pack and its answer, for pages about the council elsewhere
    # (its self-evaluation's data section).
    council_facts = ("facts.flag_facts",)
    council_links = (
        CouncilLink(
            label="Data pack",
            url_name="benchmarking:data_pack",
            permission="benchmarking.view_data_pack",
        ),
    )

    def register_more(self) -> None:
        # Here: models load only once the registry is ready.
        from django.db.models.signals import post_delete, post_save

        from .models import LocalReturn, ReturnQuarter
        from .selectors_returns import open_returns_forget

        for model in (ReturnQuarter, LocalReturn):
            for signal in (post_save, post_delete):
                signal.connect(
                    open_returns_forget,
                    sender=model,
                    dispatch_uid=f"open-returns-{model.__name__}-{id(signal)}",
                )
