from django.apps import AppConfig


class TriadsConfig(AppConfig):
    name = "triads"
    verbose_name = "Biennial triad challenges"

    def ready(self):
        from peerchallenge.permissions import register_rules
        from peerchallenge.sections import Section, register_section

        from .permissions import RULES
        from .permissions import register as register_object_rules

        register_rules(RULES)
        register_object_rules()
        from peerchallenge.calendar import register as register_calendar

        from .calendar import triad_events

        register_calendar(triad_events)
        from . import reports  # noqa: F401  (registers the triad reports)
        from .reminders import register as register_reminders

        register_reminders()
        from peerchallenge.needs import register as register_needs

        from .needs import triad_needs

        register_needs(triad_needs)
        from peerchallenge.action_sources import register as register_action_source

        from .models import Cycle

        register_action_source(Cycle, offer="Triad peer challenge")
        from peerchallenge.overview import register as register_overview

        from .overview import triad_rows

        register_overview(triad_rows)
        register_section(
            Section(
                key="triads",
                label="Triad challenges",
                url_name="triads:cycle_list",
                permission="triads.view_cycle",
            )
        )

    def seed_demo(self, *, stdout):
        """Demo cycles and triads, called by the `seed_demo` command after the core data."""
        from .demo import seed

        seed(stdout=stdout)
