from django.urls import path

from . import views

app_name = "benchmarking"

urlpatterns = [
    path("councils/<str:gss>/", views.DataPackView.as_view(), name="data_pack"),
    path("framework/", views.FrameworkView.as_view(), name="framework"),
    path("framework/start/", views.FrameworkStartView.as_view(), name="framework_start"),
    path("framework/add/", views.EntryAddView.as_view(), name="entry_add"),
    path(
        "framework/local-indicators/add/",
        views.LocalIndicatorAddView.as_view(),
        name="local_indicator_add",
    ),
    path("framework/<int:entry>/", views.EntryChangeView.as_view(), name="entry_change"),
    path("framework/<int:entry>/remove/", views.EntryRemoveView.as_view(), name="entry_remove"),
    path("imports/", views.ImportListView.as_view(), name="imports"),
    path("imports/<int:data_import>/", views.ImportDetailView.as_view(), name="import_detail"),
    path(
        "imports/<int:data_import>/confirm/",
        views.ImportConfirmView.as_view(),
        name="import_confirm",
    ),
    path(
        "imports/<int:data_import>/cancel/",
        views.ImportCancelView.as_view(),
        name="import_cancel",
    ),
]
