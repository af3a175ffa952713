from django.urls import path

from . import views, views_council, views_summary

app_name = "thematic"

COUNCIL = "<int:event>/councils/<str:gss>/"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("themes/", views.ThemeListView.as_view(), name="theme_list"),
    path("themes/suggest/", views.SuggestionCreateView.as_view(), name="suggestion_create"),
    path(
        "themes/suggestions/<int:suggestion>/support/",
        views.SuggestionSupportView.as_view(),
        name="suggestion_support",
    ),
    path(
        "themes/suggestions/<int:suggestion>/decide/",
        views.SuggestionDecideView.as_view(),
        name="suggestion_decide",
    ),
    path("new/", views.EventCreateView.as_view(), name="event_create"),
    path("<int:event>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<int:event>/change/", views.EventChangeView.as_view(), name="event_change"),
    path("<int:event>/kloes/", views.EventKloesView.as_view(), name="event_kloes"),
    path("<int:event>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:event>/summary/", views_summary.SummaryView.as_view(), name="summary"),
    path(COUNCIL + "nominations/", views_council.NominationsView.as_view(), name="nominations"),
    path(
        "<int:event>/nominations/<int:nomination>/withdraw/",
        views_council.NominationWithdrawView.as_view(),
        name="nomination_withdraw",
    ),
    path(COUNCIL + "next-steps/", views_council.NextStepsView.as_view(), name="next_steps"),
]
