from django.urls import path

from .views import DataPackView

app_name = "benchmarking"

urlpatterns = [
    path("councils/<str:gss>/", DataPackView.as_view(), name="data_pack"),
]
