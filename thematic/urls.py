from django.urls import path

from .views import events, next_steps, nominations, summary, themes

app_name = "thematic"

COUNCIL = "<int:event>/councils/<str:gss>/"

urlpatterns = [
    path("", events.EventListView.as_view(), name="event_list"),
    path("themes/", themes.ThemeListView.as_view(), name="theme_list"),
    path("themes/suggest/", themes.SuggestionCreateView.as_view(), name="suggestion_create"),
    path(
        "themes/suggestions/<int:suggestion>/support/",
        themes.SuggestionSupportView.as_view(),
        name="suggestion_support",
    ),
    path(
        "themes/suggestions/<int:suggestion>/decide/",
        themes.SuggestionDecideView.as_view(),
        name="suggestion_decide",
    ),
    path("new/", events.EventCreateView.as_view(), name="event_create"),
    path("<int:event>/", events.EventDetailView.as_view(), name="event_detail"),
    path("<int:event>/change/", events.EventChangeView.as_view(), name="event_change"),
    path("<int:event>/kloes/", events.EventKloesView.as_view(), name="event_kloes"),
    path("<int:event>/attendance/", nominations.AttendanceView.as_view(), name="attendance"),
    path("<int:event>/summary/", summary.SummaryView.as_view(), name="summary"),
    path(COUNCIL + "nominations/", nominations.NominationsView.as_view(), name="nominations"),
    path(
        "<int:event>/nominations/<int:nomination>/withdraw/",
        nominations.NominationWithdrawView.as_view(),
        name="nomination_withdraw",
    ),
    path(COUNCIL + "next-steps/", next_steps.NextStepsView.as_view(), name="next_steps"),
]
