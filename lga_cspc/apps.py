from django.apps import AppConfig


class LgaCspcConfig(AppConfig):
    name = "lga_cspc"
    verbose_name = "LGA children's services peer challenges"

    def ready(self):
        from peerchallenge.permissions import register_rules
        from peerchallenge.sections import Section, register_section

        from . import reports, services_cases, services_report  # noqa: F401  (the reports)
        from .permissions import RULES
        from .permissions import register as register_object_rules

        register_rules(RULES)
        register_object_rules()
        from peerchallenge.needs import register as register_needs

        from .needs import cspc_needs

        register_needs(cspc_needs)
        from peerchallenge.calendar import register as register_calendar

        from .calendar import cspc_scoping_events, cspc_session_events

        register_calendar(cspc_session_events)
        register_calendar(cspc_scoping_events)
        from .reminders import register as register_reminders

        register_reminders()
        from peerchallenge.action_sources import register as register_action_source

        from .models import Challenge

        register_action_source(Challenge, offer="LGA peer challenge")
        from peerchallenge.services.timetable import register_change_refusal

        from .services_state import challenge_ended_refusal

        register_change_refusal(
            Challenge, lambda challenge: challenge_ended_refusal(challenge=challenge)
        )
        from peerchallenge.overview import register as register_overview

        from .overview import cspc_rows

        register_overview(cspc_rows)
        register_section(
            Section(
                key="lga_cspc",
                label="LGA peer challenges",
                url_name="lga_cspc:challenge_list",
                permission="lga_cspc.view_challenges",
            )
        )
        # Seen from a regional alliance: the LGA reports its councils shared with it.
        register_section(
            Section(
                key="lga_cspc_shared",
                label="Shared LGA reports",
                url_name="lga_cspc:shared_reports",
                permission="lga_cspc.view_shared_reports",
            )
        )

    def seed_demo(self, *, stdout):
        from .demo import seed

        seed(stdout=stdout)
