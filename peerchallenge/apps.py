from django.apps import AppConfig


class PeerChallengeConfig(AppConfig):
    name = "peerchallenge"
    verbose_name = "Peer Challenge"
