from django.urls import path

from . import views
from .views import pack_pdf, returns

app_name = "benchmarking"

urlpatterns = [
    path("councils/<str:gss>/", views.DataPackView.as_view(), name="data_pack"),
    path(
        "councils/<str:gss>/flags/<str:indicator>/",
        views.FlagAnswerView.as_view(),
        name="flag_answer",
    ),
    path("grid/", views.GridView.as_view(), name="grid"),
    path("grid/export.csv", views.GridExportView.as_view(file_format="csv"), name="grid_csv"),
    path("grid/export.xlsx", views.GridExportView.as_view(file_format="xlsx"), name="grid_xlsx"),
    path("grid/export.pdf", views.GridExportView.as_view(file_format="pdf"), name="grid_pdf"),
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

# A council's pack as a PDF, and the quarterly local return.
urlpatterns += [
    path("councils/<str:gss>/pdf/", pack_pdf.DataPackPdfView.as_view(), name="data_pack_pdf"),
    path("returns/", returns.ReturnsView.as_view(), name="returns"),
    path("returns/open/", returns.QuarterOpenView.as_view(), name="quarter_open"),
    path("returns/<int:quarter>/", returns.QuarterView.as_view(), name="quarter"),
    path(
        "returns/<int:quarter>/publish/",
        returns.QuarterPublishView.as_view(),
        name="quarter_publish",
    ),
    path("returns/<int:quarter>/councils/<str:gss>/", returns.ReturnView.as_view(), name="return"),
    path(
        "returns/<int:quarter>/councils/<str:gss>/template.csv",
        returns.ReturnTemplateView.as_view(file_format="csv"),
        name="return_template_csv",
    ),
    path(
        "returns/<int:quarter>/councils/<str:gss>/template.xlsx",
        returns.ReturnTemplateView.as_view(file_format="xlsx"),
        name="return_template_xlsx",
    ),
]
