from django.urls import path

from . import views

app_name = "triads"

urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycle_list"),
    path("new/", views.CycleCreateView.as_view(), name="cycle_create"),
    path("<int:cycle>/", views.CycleDetailView.as_view(), name="cycle_detail"),
    path("<int:cycle>/edit/", views.CycleEditView.as_view(), name="cycle_edit"),
    path("<int:cycle>/arrange/", views.TriadArrangeView.as_view(), name="triad_arrange"),
    path(
        "<int:cycle>/triads/<int:triad>/consultant/",
        views.TriadConsultantView.as_view(),
        name="triad_consultant",
    ),
]
