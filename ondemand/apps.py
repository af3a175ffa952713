from django.apps import AppConfig


class OndemandConfig(AppConfig):
    name = "ondemand"
    verbose_name = "Local authority on-demand peer challenges"

    def ready(self):
        from peerchallenge.action_sources import register as register_action_source
        from peerchallenge.calendar import register as register_calendar
        from peerchallenge.needs import register as register_needs
        from peerchallenge.permissions import register_rules
        from peerchallenge.sections import Section, register_section

        from . import reports  # noqa: F401  (registers the findings report)
        from .calendar import ondemand_session_events
        from .models import Review
        from .needs import ondemand_needs
        from .permissions import RULES
        from .permissions import register as register_object_rules
        from .reminders import register as register_reminders

        register_rules(RULES)
        register_object_rules()
        register_needs(ondemand_needs)
        register_calendar(ondemand_session_events)
        register_reminders()
        register_action_source(Review, offer="On-demand peer challenge")
        from peerchallenge.services.timetable import register_change_refusal

        from .services_team import review_planning_refusal

        register_change_refusal(Review, review_planning_refusal)
        from peerchallenge.overview import register as register_overview

        from .overview import ondemand_rows

        register_overview(ondemand_rows)
        register_section(
            Section(
                key="ondemand",
                label="On-demand reviews",
                url_name="ondemand:review_list",
                permission="ondemand.view_reviews",
            )
        )

    def seed_demo(self, *, stdout):
        from .demo import seed

        seed(stdout=stdout)
