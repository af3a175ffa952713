"""Mounted inside a (regional) alliance at a/<alliance>/ondemand/."""

from django.urls import path

from .views import findings, plan, request, team

app_name = "ondemand"

REVIEW = "<int:review>/"

urlpatterns = [
    path("", request.ReviewListView.as_view(), name="review_list"),
    path("request/", request.ReviewRequestView.as_view(), name="review_request"),
    path(
        "request/check/",
        request.ReviewRequestCheckView.as_view(),
        name="review_request_check",
    ),
    path(REVIEW, request.ReviewDetailView.as_view(), name="review_detail"),
    # The request: the programme manager decides; the council answers a question.
    path(REVIEW + "decide/", request.ReviewDecideView.as_view(), name="review_decide"),
    path(REVIEW + "answer/", request.ReviewAnswerView.as_view(), name="review_answer"),
    # The review team.
    path(REVIEW + "team/", team.TeamView.as_view(), name="team"),
    path(
        REVIEW + "team/<int:reviewer>/respond/",
        team.ReviewerRespondView.as_view(),
        name="reviewer_respond",
    ),
    path(
        REVIEW + "team/<int:reviewer>/remove/",
        team.ReviewerRemoveView.as_view(),
        name="reviewer_remove",
    ),
    # The plan: activities, arrangements, the schedule.
    path(REVIEW + "activities/", plan.ActivitiesView.as_view(), name="activities"),
    path(
        REVIEW + "activities/agree/",
        plan.ActivitiesAgreeView.as_view(),
        name="activities_agree",
    ),
    path(
        REVIEW + "activities/<int:activity>/remove/",
        plan.ActivityRemoveView.as_view(),
        name="activity_remove",
    ),
    path(REVIEW + "schedule/", plan.ScheduleView.as_view(), name="schedule"),
    path(
        REVIEW + "schedule/arrangements/",
        plan.ArrangementsView.as_view(),
        name="arrangements",
    ),
    path(REVIEW + "schedule/<int:slot>/edit/", plan.SlotEditView.as_view(), name="slot_edit"),
    path(
        REVIEW + "schedule/<int:slot>/remove/",
        plan.SlotDeleteView.as_view(),
        name="slot_delete",
    ),
    # Findings and what the council makes of them.
    path(REVIEW + "findings/", findings.FindingsView.as_view(), name="findings"),
    path(
        REVIEW + "findings/issue/",
        findings.FindingsIssueView.as_view(),
        name="findings_issue",
    ),
    path(
        REVIEW + "findings/presentation/",
        findings.PresentationView.as_view(),
        name="presentation",
    ),
    path(
        REVIEW + "recommendations/<int:recommendation>/remove/",
        findings.RecommendationRemoveView.as_view(),
        name="recommendation_remove",
    ),
    path(
        REVIEW + "recommendations/<int:recommendation>/respond/",
        findings.RecommendationRespondView.as_view(),
        name="recommendation_respond",
    ),
]
