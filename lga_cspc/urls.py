from django.urls import path

from . import (
    views,
    views_after,
    views_cases,
    views_close,
    views_onsite,
    views_prep,
    views_report,
    views_scoping,
    views_subsidy,
    views_team,
    views_timetable,
)

app_name = "lga_cspc"

CHALLENGE = "<int:challenge>/"

urlpatterns = [
    path("", views.ChallengeListView.as_view(), name="challenge_list"),
    path("catalogue/", views.OfferListView.as_view(), name="offer_list"),
    path("catalogue/new/", views.OfferCreateView.as_view(), name="offer_create"),
    path("catalogue/<int:offer>/edit/", views.OfferEditView.as_view(), name="offer_edit"),
    path("book/", views.ChallengeBookView.as_view(), name="challenge_book"),
    path(CHALLENGE, views.ChallengeDetailView.as_view(), name="challenge_detail"),
    # The subsidy, fixed at booking, changed only by the LGA's programme manager with a reason.
    path(CHALLENGE + "subsidy/", views_subsidy.SubsidyChangeView.as_view(), name="subsidy_change"),
    # Scoping: the meeting, the advisers, the focus and dates; the core elements and the
    # thematic modules with their lines of enquiry; the proposal, sent and accepted.
    path(CHALLENGE + "scoping/", views_scoping.ScopingView.as_view(), name="scoping"),
    path(CHALLENGE + "scope/", views_scoping.ScopeElementsView.as_view(), name="scope_elements"),
    path(
        CHALLENGE + "proposal/send/",
        views_scoping.ProposalSendView.as_view(),
        name="proposal_send",
    ),
    path(
        CHALLENGE + "proposal/accept/",
        views_scoping.ProposalAcceptView.as_view(),
        name="proposal_accept",
    ),
    # The council's sponsor and organiser; the peer team; each peer's charter.
    path(CHALLENGE + "contacts/", views_team.ContactsView.as_view(), name="contacts"),
    path(CHALLENGE + "team/", views_team.TeamView.as_view(), name="team"),
    path(
        CHALLENGE + "team/<int:member>/remove/",
        views_team.TeamMemberRemoveView.as_view(),
        name="team_remove",
    ),
    path(
        CHALLENGE + "team/<int:member>/charter/",
        views_team.CharterView.as_view(),
        name="charter",
    ),
    path("conflicts/", views_team.ConflictListView.as_view(), name="conflicts"),
    # Preparation: the advance documentation checklist and the on-site timetable.
    path(CHALLENGE + "documents/", views_prep.ChecklistView.as_view(), name="checklist"),
    path(
        CHALLENGE + "documents/<int:item>/upload/",
        views_prep.ChecklistUploadView.as_view(),
        name="checklist_upload",
    ),
    path(
        CHALLENGE + "documents/<int:item>/review/",
        views_prep.ChecklistReviewView.as_view(),
        name="checklist_review",
    ),
    path(
        CHALLENGE + "documents/<int:item>/versions/<int:version>/",
        views_prep.ChecklistDownloadView.as_view(),
        name="checklist_download",
    ),
    path(CHALLENGE + "timetable/", views_timetable.TimetableView.as_view(), name="timetable"),
    path(
        CHALLENGE + "timetable/<int:session>/edit/",
        views_timetable.SessionEditView.as_view(),
        name="session_edit",
    ),
    path(
        CHALLENGE + "timetable/<int:session>/delete/",
        views_timetable.SessionDeleteView.as_view(),
        name="session_delete",
    ),
    # Case record review.
    path(CHALLENGE + "cases/", views_cases.CaseReviewView.as_view(), name="case_review"),
    path(
        CHALLENGE + "cases/<int:case>/",
        views_cases.CaseFindingsView.as_view(),
        name="case_findings",
    ),
    path(
        CHALLENGE + "cases/<int:case>/delete/",
        views_cases.CaseDeleteView.as_view(),
        name="case_delete",
    ),
    # On site: the log (no surprises, session notes, good practice) and the presentation.
    path(CHALLENGE + "on-site/", views_onsite.SiteLogView.as_view(), name="site_log"),
    path(
        CHALLENGE + "on-site/<int:note>/share/",
        views_onsite.SiteNoteShareView.as_view(),
        name="site_note_share",
    ),
    path(
        CHALLENGE + "on-site/presentation/",
        views_onsite.PresentationView.as_view(),
        name="presentation",
    ),
    # The written feedback, through its states.
    path(CHALLENGE + "report/", views_report.FeedbackReportView.as_view(), name="report"),
    path(
        CHALLENGE + "report/step/",
        views_report.ReportStepView.as_view(),
        name="report_step",
    ),
    path(
        CHALLENGE + "report/comments/",
        views_report.AccuracyCommentView.as_view(),
        name="report_comment",
    ),
    path(
        CHALLENGE + "report/comments/<int:comment>/resolve/",
        views_report.CommentResolveView.as_view(),
        name="report_comment_resolve",
    ),
    path(CHALLENGE + "report/share/", views_report.ReportShareView.as_view(), name="report_share"),
    path(
        CHALLENGE + "report/unshare/",
        views_report.ReportUnshareView.as_view(),
        name="report_unshare",
    ),
    # Reports a council shared with its regional alliance (seen from the regional alliance).
    path("shared/", views_report.SharedReportsView.as_view(), name="shared_reports"),
    path(
        "shared/<int:challenge>/download/",
        views_report.SharedReportDownloadView.as_view(),
        name="shared_report_download",
    ),
    # After: evaluation, questionnaires, next steps.
    path(CHALLENGE + "evaluation/", views_after.EvaluationView.as_view(), name="evaluation"),
    path(
        CHALLENGE + "questionnaire/<int:member>/",
        views_after.QuestionnaireView.as_view(),
        name="questionnaire",
    ),
    path(CHALLENGE + "next-steps/", views_after.NextStepsView.as_view(), name="next_steps"),
    path("evaluations/", views_after.EvaluationSummaryView.as_view(), name="evaluation_summary"),
    # Ending a challenge: withdrawn (any time before the final report) or closed.
    path(
        CHALLENGE + "withdraw/",
        views_close.ChallengeWithdrawView.as_view(),
        name="challenge_withdraw",
    ),
    path(CHALLENGE + "close/", views_close.ChallengeCloseView.as_view(), name="challenge_close"),
]
