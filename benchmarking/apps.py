from peerchallenge.offers import config
from peerchallenge.sections import CouncilLink, Section


class BenchmarkingConfig(config.OfferConfig):
    """The common framework: DfE's indicators and statistical neighbours, each council's data
    pack, and (in later steps of docs/plan-benchmarking.md) each alliance's framework,
    returns and flags. Not an offer people book, but declared through the same contract
    (peerchallenge/offers): the core links to its pages without importing it."""

    name = "benchmarking"
    verbose_name = "Benchmarking"
    sections = (
        Section(
            key="benchmarking",
            label="Data",
            url_name="benchmarking:framework",
            permission="benchmarking.view_framework",
        ),
    )
    council_links = (
        CouncilLink(
            label="Data pack",
            url_name="benchmarking:data_pack",
            permission="benchmarking.view_data_pack",
        ),
    )
