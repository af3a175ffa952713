from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# The admin signs in through allauth (two factors, rate limits) and django-axes.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Peer Challenge administration"
admin.site.site_title = "Peer Challenge admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("peerchallenge.urls")),
    # Offer apps, each inside an alliance (AllianceMiddleware scopes them).
    path("a/<slug:alliance>/triads/", include("triads.urls")),
    path("a/<slug:alliance>/cspc/", include("lga_cspc.urls")),
    path("a/<slug:alliance>/thematic/", include("thematic.urls")),
    path("a/<slug:alliance>/ondemand/", include("ondemand.urls")),
    path("a/<slug:alliance>/data/", include("benchmarking.urls")),
    path("a/<slug:alliance>/improvement/", include("improvement.urls")),
    path("a/<slug:alliance>/reports/", include("reports.urls")),
]

if settings.PEERCHALLENGE_BENCH:
    urlpatterns.append(path("bench/", include("bench.urls")))

handler400 = "peerchallenge.views.errors.bad_request"
handler403 = "peerchallenge.views.errors.permission_denied"
handler500 = "peerchallenge.views.errors.server_error"
