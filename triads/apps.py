from peerchallenge.offers import config
from peerchallenge.sections import Section


class TriadsConfig(config.OfferConfig):
    """The triad offer; what it declares is read by OfferConfig (peerchallenge/offers)."""

    name = "triads"
    verbose_name = "Biennial triad challenges"
    offer = "Triad peer challenge"
    alliance_kinds = ("regional",)  # Alliance.Kind.REGIONAL (models load after apps.py)
    calendar_providers = ("calendar.triad_events",)
    overview_providers = ("overview.triad_rows",)
    # A council's triad takes lines of enquiry written from its data pack's flags.
    kloe_targets = ("kloe_targets.KLOE_TARGETS",)
    action_sources = (("Cycle", {}),)
    sections = (
        Section(
            key="triads",
            label="Triad challenges",
            url_name="triads:cycle_list",
            permission="triads.view_cycle",
            description=(
                "Groups of three councils challenging each other, with their key lines of enquiry,"
                " the event and the summary report."
            ),
        ),
    )
