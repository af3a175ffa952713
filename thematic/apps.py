from django.apps import AppConfig


class ThematicConfig(AppConfig):
    name = "thematic"
    verbose_name = "Thematic peer challenges"

    def ready(self):
        from peerchallenge.action_sources import register as register_action_source
        from peerchallenge.calendar import register as register_calendar
        from peerchallenge.needs import register as register_needs
        from peerchallenge.permissions import register_rules
        from peerchallenge.sections import Section, register_section

        from . import reports  # noqa: F401  (registers the emerging themes summary)
        from .calendar import thematic_events
        from .models import ThematicEvent
        from .needs import thematic_needs
        from .permissions import RULES
        from .permissions import register as register_object_rules
        from .reminders import register as register_reminders

        register_rules(RULES)
        register_object_rules()
        register_calendar(thematic_events)
        register_needs(thematic_needs)
        register_reminders()
        register_action_source(
            ThematicEvent, offer="Thematic peer challenge", theme_path="theme__name"
        )
        from peerchallenge.overview import register as register_overview

        from .overview import thematic_rows

        register_overview(thematic_rows)
        register_section(
            Section(
                key="thematic",
                label="Thematic challenges",
                url_name="thematic:event_list",
                permission="thematic.view_events",
            )
        )

    def seed_demo(self, *, stdout):
        """Demo themes and events, called by the `seed_demo` command after the core data."""
        from .demo import seed

        seed(stdout=stdout)
