"""Mounted inside an alliance: path("a/<slug:alliance>/reports/", include("reports.urls"))."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path(
        "<int:report_version>/download/",
        views.ReportDownloadView.as_view(),
        name="report_download",
    ),
    path("<int:report_version>/retry/", views.ReportRetryView.as_view(), name="report_retry"),
]
