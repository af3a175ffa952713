"""The site's URLs with the reports app mounted as config/urls.py mounts it (until it does,
and harmless after)."""

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [p for p in site_urlpatterns if getattr(p, "namespace", None) != "reports"]
urlpatterns.append(path("a/<slug:alliance>/reports/", include("reports.urls")))
