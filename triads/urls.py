from django.urls import path

from . import views, views_documents, views_kloes, views_summary, views_template

app_name = "triads"

TRIAD = "<int:cycle>/triads/<int:triad>/"

urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycle_list"),
    path("new/", views.CycleCreateView.as_view(), name="cycle_create"),
    path("<int:cycle>/", views.CycleDetailView.as_view(), name="cycle_detail"),
    path("<int:cycle>/edit/", views.CycleEditView.as_view(), name="cycle_edit"),
    path("<int:cycle>/arrange/", views.TriadArrangeView.as_view(), name="triad_arrange"),
    path("<int:cycle>/summary/", views_summary.SummaryView.as_view(), name="summary"),
    path(TRIAD, views_kloes.TriadDetailView.as_view(), name="triad_detail"),
    path(
        "<int:cycle>/councils/<str:gss>/template/",
        views_template.EventTemplateView.as_view(),
        name="event_template",
    ),
    path(TRIAD + "consultant/", views_kloes.TriadConsultantView.as_view(), name="triad_consultant"),
    path(TRIAD + "kloes/new/", views_kloes.KloeCreateView.as_view(), name="kloe_create"),
    path(TRIAD + "kloes/<int:kloe>/edit/", views_kloes.KloeEditView.as_view(), name="kloe_edit"),
    path(TRIAD + "kloes/<int:kloe>/share/", views_kloes.KloeShareView.as_view(), name="kloe_share"),
    path(
        TRIAD + "documents/new/",
        views_documents.DocumentUploadView.as_view(),
        name="document_upload",
    ),
    path(
        TRIAD + "documents/<int:document>/versions/<int:version>/",
        views_documents.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        TRIAD + "kloes/<int:kloe>/comment/",
        views_kloes.KloeCommentView.as_view(),
        name="kloe_comment",
    ),
]
