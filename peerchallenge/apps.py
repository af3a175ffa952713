from django.apps import AppConfig


class PeerChallengeConfig(AppConfig):
    name = "peerchallenge"
    verbose_name = "Peer Challenge"

    def ready(self):
        from .permissions import register_core_rules

        register_core_rules()
        from .obligations import register as register_obligations

        register_obligations()
        from . import checks, reports  # noqa: F401  (register the system checks and reports)
