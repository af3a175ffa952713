from django.urls import path

from . import views
from .models import Scrutiny

PLAN = Scrutiny.Stage.PLAN

app_name = "improvement"

CYCLE = "<int:improvement_cycle>/"
COUNCIL = CYCLE + "councils/<str:gss>/"

urlpatterns = [
    path("", views.CycleView.as_view(), name="cycle"),
    path("open/", views.CycleOpenView.as_view(), name="cycle_open"),
    path(CYCLE + "deadlines/", views.DeadlinesView.as_view(), name="deadlines"),
    path(CYCLE + "board/", views.BoardView.as_view(), name="board"),
    path(CYCLE + "template/", views.TemplateSectionsView.as_view(), name="template"),
    path(CYCLE + "template/add/", views.SectionAddView.as_view(), name="section_add"),
    path(
        CYCLE + "template/<int:template_section>/",
        views.SectionChangeView.as_view(),
        name="section_change",
    ),
    path(
        CYCLE + "template/<int:template_section>/remove/",
        views.SectionRemoveView.as_view(),
        name="section_remove",
    ),
    path(CYCLE + "scrutiny/", views.ScrutinyView.as_view(), name="scrutiny"),
    path(CYCLE + "scrutiny/assign/", views.ScrutinyAssignView.as_view(), name="scrutiny_assign"),
    path(CYCLE + "scrutiny/add/", views.ScrutinyAddView.as_view(), name="scrutiny_add"),
    path(CYCLE + "challenge/", views.ScrutinyView.as_view(stage=PLAN), name="challenge"),
    path(
        CYCLE + "challenge/assign/",
        views.ScrutinyAssignView.as_view(stage=PLAN),
        name="challenge_assign",
    ),
    path(CYCLE + "challenge/add/", views.ScrutinyAddView.as_view(stage=PLAN), name="challenge_add"),
    path(
        "scrutiny/<int:scrutiny>/remove/",
        views.ScrutinyRemoveView.as_view(),
        name="scrutiny_remove",
    ),
    path(CYCLE + "menu/", views.MenuView.as_view(), name="menu"),
    path(CYCLE + "menu/offers/add/", views.OfferAddView.as_view(), name="offer_add"),
    path(CYCLE + "menu/needs/add/", views.NeedAddView.as_view(), name="need_add"),
    path(CYCLE + "menu/needs/import/", views.NeedsImportView.as_view(), name="needs_import"),
    path("needs/<int:support_need>/", views.NeedView.as_view(), name="need"),
    path(
        "needs/<int:support_need>/broker/<int:support_offer>/",
        views.MatchBrokerView.as_view(),
        name="match_broker",
    ),
    path("matches/<int:support_match>/", views.MatchView.as_view(), name="match"),
    path(CYCLE + "regional-plan/", views.RegionalPlanView.as_view(), name="regional_plan"),
    path(
        CYCLE + "regional-plan/introduction/",
        views.IntroductionView.as_view(),
        name="regional_plan_introduction",
    ),
    path(
        CYCLE + "regional-plan/responses/add/",
        views.ResponseAddView.as_view(),
        name="response_add",
    ),
    path(
        CYCLE + "regional-plan/issue/",
        views.RegionalPlanIssueView.as_view(),
        name="regional_plan_issue",
    ),
    path(
        "responses/<int:collective_response>/",
        views.ResponseChangeView.as_view(),
        name="response_change",
    ),
    path(
        "responses/<int:collective_response>/remove/",
        views.ResponseRemoveView.as_view(),
        name="response_remove",
    ),
    path(COUNCIL, views.SelfEvaluationView.as_view(), name="self_evaluation"),
    path(
        COUNCIL + "scrutiny/<int:scrutiny>/sections/<int:template_section>/",
        views.CommentEditView.as_view(),
        name="scrutiny_comment",
    ),
    path(
        COUNCIL + "scrutiny/<int:scrutiny>/moderation/",
        views.ModerationView.as_view(),
        name="scrutiny_moderation",
    ),
    path(
        COUNCIL + "scrutiny/<int:scrutiny>/reply/", views.ReplyView.as_view(), name="scrutiny_reply"
    ),
    path(
        COUNCIL + "sections/<int:template_section>/",
        views.SectionEditView.as_view(),
        name="section_edit",
    ),
    path(COUNCIL + "submit/", views.SubmitView.as_view(), name="submit"),
    path(COUNCIL + "evidence/", views.EvidenceAttachView.as_view(), name="evidence_attach"),
    path(
        COUNCIL + "evidence/<int:document>/<int:version>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(COUNCIL + "plan/", views.PlanView.as_view(), name="plan"),
    path(COUNCIL + "plan/add/", views.PriorityAddView.as_view(), name="priority_add"),
    path(
        COUNCIL + "plan/<int:priority>/", views.PriorityChangeView.as_view(), name="priority_change"
    ),
    path(
        COUNCIL + "plan/<int:priority>/remove/",
        views.PriorityRemoveView.as_view(),
        name="priority_remove",
    ),
    path(COUNCIL + "plan/submit/", views.PlanSubmitView.as_view(), name="plan_submit"),
    path(
        COUNCIL + "plan/challenge/<int:scrutiny>/priorities/<int:priority>/",
        views.ChallengeCommentView.as_view(),
        name="challenge_comment",
    ),
    path(
        COUNCIL + "plan/challenge/<int:scrutiny>/moderation/",
        views.ChallengeModerationView.as_view(),
        name="challenge_moderation",
    ),
    path(
        COUNCIL + "plan/challenge/<int:scrutiny>/reply/",
        views.ChallengeReplyView.as_view(),
        name="challenge_reply",
    ),
    path(COUNCIL + "return/", views.ReturnView.as_view(), name="return"),
]
