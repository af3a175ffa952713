from peerchallenge.offers import config
from peerchallenge.sections import Section


class ImprovementConfig(config.OfferConfig):
    """The annual sector-led improvement cycle of a regional alliance (self-evaluation, peer
    scrutiny, development plans, the menu of support, the regional development plan). Not an
    offer people book, but declared through the same contract (peerchallenge/offers): the
    core links to its pages without importing it, and it imports no offer."""

    name = "improvement"
    verbose_name = "Improvement cycle"
    alliance_kinds = ("regional",)
    sections = (
        Section(
            key="improvement",
            label="Improvement cycle",
            url_name="improvement:cycle",
            permission="improvement.view_cycle",
        ),
    )
