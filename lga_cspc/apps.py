from peerchallenge.offers import config
from peerchallenge.sections import Section


class LgaCspcConfig(config.OfferConfig):
    """The LGA's offer; what it declares is read by OfferConfig (peerchallenge/offers)."""

    name = "lga_cspc"
    verbose_name = "LGA children's services peer challenges"
    offer = "LGA peer challenge"
    alliance_kinds = ("national",)  # Alliance.Kind.NATIONAL (models load after apps.py)
    # The scoping proposal, the case review report and the feedback report (reports/ is a
    # package that re-exports nothing, so each module is named).
    extra_report_modules = ("reports.proposal", "reports.cases", "reports.feedback")
    calendar_providers = ("calendar.cspc_session_events", "calendar.cspc_scoping_events")
    overview_providers = ("overview.cspc_rows",)
    # A challenge's scope takes lines of enquiry from a data pack's flags (see the module).
    kloe_targets = ("kloe_targets.KLOE_TARGETS",)
    action_sources = (("Challenge", {}),)
    sections = (
        Section(
            key="lga_cspc",
            label="LGA peer challenges",
            url_name="lga_cspc:challenge_list",
            permission="lga_cspc.view_challenges",
            description=(
                "Peer challenges the LGA runs for a council: booking, scoping, the peer team, the "
                "case review, time on site and the report."
            ),
        ),
        # Seen from a regional alliance: the LGA reports its councils shared with it.
        Section(
            key="lga_cspc_shared",
            label="Shared LGA reports",
            url_name="lga_cspc:shared_reports",
            permission="lga_cspc.view_shared_reports",
            description=(
                "The reports of LGA peer challenges that councils in this alliance have shared "
                "with it."
            ),
        ),
    )

    def register_more(self):
        # Here: apps.py is imported before the app registry is ready (this runs from ready()).
        from peerchallenge.services.timetable import register_change_refusal

        from .services.state import challenge_ended_refusal

        register_change_refusal(
            self.get_model("Challenge"),
            lambda challenge: challenge_ended_refusal(challenge=challenge),
        )
