from peerchallenge.offers import config
from peerchallenge.sections import Section


class OndemandConfig(config.OfferConfig):
    """The on-demand offer; what it declares is read by OfferConfig (peerchallenge/offers)."""

    name = "ondemand"
    verbose_name = "Local authority on-demand peer challenges"
    offer = "On-demand peer challenge"
    alliance_kinds = ("regional",)  # Alliance.Kind.REGIONAL (models load after apps.py)
    calendar_providers = ("calendar.ondemand_session_events",)
    overview_providers = ("overview.ondemand_rows",)
    action_sources = (("Review", {}),)
    # No `kloe_targets`: a review has one primary line of enquiry, a field the council writes
    # with its request, and no KeyLineOfEnquiry rows, so a data pack's flag cannot be taken up
    # as a line of enquiry on it (peerchallenge.kloe_targets). Its council writes the figures
    # into the request instead.
    sections = (
        Section(
            key="ondemand",
            label="On-demand reviews",
            url_name="ondemand:review_list",
            permission="ondemand.view_reviews",
            description=(
                "Reviews a council asks for, of one service area, with the review team, the days "
                "on site, findings and recommendations."
            ),
        ),
    )

    def register_more(self):
        # Here: apps.py is imported before the app registry is ready (this runs from ready()).
        from peerchallenge.services.timetable import register_change_refusal

        from .services.team import review_planning_refusal

        register_change_refusal(self.get_model("Review"), review_planning_refusal)
