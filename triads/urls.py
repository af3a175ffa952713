from django.urls import path

from .views import cycles, documents, event_template, kloes, summary

app_name = "triads"

TRIAD = "<int:cycle>/triads/<int:triad>/"

urlpatterns = [
    path("", cycles.CycleListView.as_view(), name="cycle_list"),
    path("new/", cycles.CycleCreateView.as_view(), name="cycle_create"),
    path("<int:cycle>/", cycles.CycleDetailView.as_view(), name="cycle_detail"),
    path("<int:cycle>/edit/", cycles.CycleEditView.as_view(), name="cycle_edit"),
    path("<int:cycle>/arrange/", cycles.TriadArrangeView.as_view(), name="triad_arrange"),
    path("<int:cycle>/summary/", summary.SummaryView.as_view(), name="summary"),
    path(TRIAD, kloes.TriadDetailView.as_view(), name="triad_detail"),
    path(
        "<int:cycle>/councils/<str:gss>/template/",
        event_template.EventTemplateView.as_view(),
        name="event_template",
    ),
    path(TRIAD + "consultant/", kloes.TriadConsultantView.as_view(), name="triad_consultant"),
    path(TRIAD + "kloes/new/", kloes.KloeCreateView.as_view(), name="kloe_create"),
    path(TRIAD + "kloes/<int:kloe>/edit/", kloes.KloeEditView.as_view(), name="kloe_edit"),
    path(TRIAD + "kloes/<int:kloe>/share/", kloes.KloeShareView.as_view(), name="kloe_share"),
    path(
        TRIAD + "documents/new/",
        documents.DocumentUploadView.as_view(),
        name="document_upload",
    ),
    path(
        TRIAD + "documents/<int:document>/versions/<int:version>/",
        documents.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        TRIAD + "kloes/<int:kloe>/comment/",
        kloes.KloeCommentView.as_view(),
        name="kloe_comment",
    ),
]
