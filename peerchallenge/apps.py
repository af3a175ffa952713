from django.apps import AppConfig


class PeerChallengeConfig(AppConfig):
    name = "peerchallenge"
    verbose_name = "Peer Challenge"

    def ready(self):
        from .permissions import register_core_rules

        register_core_rules()
        from . import reports  # noqa: F401  (registers the improvement plan report)
