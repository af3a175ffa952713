import os

from celery import Celery
from celery.signals import before_task_publish

from peerchallenge.heartbeat import heartbeat_record

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("peerchallenge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@before_task_publish.connect
def _beat_heartbeat(sender=None, **kwargs):
    """Beat's heartbeat: written as beat sends the heartbeat task (see peerchallenge.heartbeat)."""
    if sender == "peerchallenge.heartbeat":
        heartbeat_record(process="beat")
