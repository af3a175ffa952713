from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Here: apps.py is imported before the app registry is ready, and these modules load models.
        from peerchallenge.permissions import register_object_rule

        from .models import ReportVersion
        from .permissions import DOWNLOAD_REPORT, entitled_to_subject

        # Downloads are asked on the version; the offers' rules on its subject answer.
        register_object_rule(DOWNLOAD_REPORT, ReportVersion, entitled_to_subject)
