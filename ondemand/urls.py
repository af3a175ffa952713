"""Mounted inside a (regional) alliance at a/<alliance>/ondemand/."""

from django.urls import path

from . import views, views_findings, views_plan, views_team

app_name = "ondemand"

REVIEW = "<int:review>/"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review_list"),
    path("request/", views.ReviewRequestView.as_view(), name="review_request"),
    path(REVIEW, views.ReviewDetailView.as_view(), name="review_detail"),
    # The request: the programme manager decides; the council answers a question.
    path(REVIEW + "decide/", views.ReviewDecideView.as_view(), name="review_decide"),
    path(REVIEW + "answer/", views.ReviewAnswerView.as_view(), name="review_answer"),
    # The review team.
    path(REVIEW + "team/", views_team.TeamView.as_view(), name="team"),
    path(
        REVIEW + "team/<int:reviewer>/respond/",
        views_team.ReviewerRespondView.as_view(),
        name="reviewer_respond",
    ),
    path(
        REVIEW + "team/<int:reviewer>/remove/",
        views_team.ReviewerRemoveView.as_view(),
        name="reviewer_remove",
    ),
    # The plan: activities, arrangements, the schedule.
    path(REVIEW + "activities/", views_plan.ActivitiesView.as_view(), name="activities"),
    path(
        REVIEW + "activities/agree/",
        views_plan.ActivitiesAgreeView.as_view(),
        name="activities_agree",
    ),
    path(
        REVIEW + "activities/<int:activity>/remove/",
        views_plan.ActivityRemoveView.as_view(),
        name="activity_remove",
    ),
    path(REVIEW + "schedule/", views_plan.ScheduleView.as_view(), name="schedule"),
    path(
        REVIEW + "schedule/arrangements/",
        views_plan.ArrangementsView.as_view(),
        name="arrangements",
    ),
    path(REVIEW + "schedule/<int:slot>/edit/", views_plan.SlotEditView.as_view(), name="slot_edit"),
    path(
        REVIEW + "schedule/<int:slot>/remove/",
        views_plan.SlotDeleteView.as_view(),
        name="slot_delete",
    ),
    # Findings and what the council makes of them.
    path(REVIEW + "findings/", views_findings.FindingsView.as_view(), name="findings"),
    path(
        REVIEW + "findings/issue/",
        views_findings.FindingsIssueView.as_view(),
        name="findings_issue",
    ),
    path(
        REVIEW + "findings/presentation/",
        views_findings.PresentationView.as_view(),
        name="presentation",
    ),
    path(
        REVIEW + "recommendations/<int:recommendation>/remove/",
        views_findings.RecommendationRemoveView.as_view(),
        name="recommendation_remove",
    ),
    path(
        REVIEW + "recommendations/<int:recommendation>/respond/",
        views_findings.RecommendationRespondView.as_view(),
        name="recommendation_respond",
    ),
]
