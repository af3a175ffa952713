from django.apps import AppConfig


class PeerChallengeConfig(AppConfig):
    name = "peerchallenge"
    verbose_name = "Peer Challenge"

    def ready(self):
        # Here: apps.py is imported before the app registry is ready, and these modules load
        # models.
        # Imported for what they register: the system checks, the reports, the session
        # clock's sign-in receiver.
        from . import checks, reports, session_clock  # noqa: F401
        from .calendar import deadline_events
        from .calendar import register as register_calendar
        from .obligations import register as register_obligations
        from .permissions import register_core_rules

        register_core_rules()
        register_obligations()
        # The deadlines of every offer's obligations (the offers' providers add their events).
        register_calendar(deadline_events)
