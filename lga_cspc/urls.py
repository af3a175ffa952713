from django.urls import path

from .views import (
    booking,
    cases,
    catalogue,
    close,
    documents,
    evaluation,
    onsite,
    report,
    scoping,
    sections,
    subsidy,
    team,
    timetable,
)

app_name = "lga_cspc"

CHALLENGE = "<int:challenge>/"

urlpatterns = [
    path("", booking.ChallengeListView.as_view(), name="challenge_list"),
    path("catalogue/", catalogue.OfferListView.as_view(), name="offer_list"),
    path("catalogue/new/", catalogue.OfferCreateView.as_view(), name="offer_create"),
    path("catalogue/<int:offer>/edit/", catalogue.OfferEditView.as_view(), name="offer_edit"),
    path("book/", booking.ChallengeBookView.as_view(), name="challenge_book"),
    path("book/check/", booking.ChallengeBookCheckView.as_view(), name="challenge_book_check"),
    path(CHALLENGE, booking.ChallengeDetailView.as_view(), name="challenge_detail"),
    # The parts of the work that the challenge's task list opens on pages of their own (the
    # others have theirs: documents, timetable, cases, site log, report).
    *[
        path(CHALLENGE + f"{name}/", sections.ChallengeSectionView.as_view(section=name), name=name)
        for name in sections.SECTIONS
    ],
    # The subsidy, fixed at booking, changed only by the LGA's programme manager with a reason.
    path(CHALLENGE + "subsidy/", subsidy.SubsidyChangeView.as_view(), name="subsidy_change"),
    # Scoping: the meeting, the advisers, the focus and dates; the core elements and the
    # thematic modules with their lines of enquiry; the proposal, sent and accepted.
    path(CHALLENGE + "scoping/", scoping.ScopingView.as_view(), name="scoping"),
    path(CHALLENGE + "scope/", scoping.ScopeElementsView.as_view(), name="scope_elements"),
    path(
        CHALLENGE + "proposal/send/",
        scoping.ProposalSendView.as_view(),
        name="proposal_send",
    ),
    path(
        CHALLENGE + "proposal/accept/",
        scoping.ProposalAcceptView.as_view(),
        name="proposal_accept",
    ),
    # The council's sponsor and organiser; the peer team; each peer's charter.
    path(CHALLENGE + "contacts/", team.ContactsView.as_view(), name="contacts"),
    path(CHALLENGE + "team/", team.TeamView.as_view(), name="team"),
    path(
        CHALLENGE + "team/<int:member>/remove/",
        team.TeamMemberRemoveView.as_view(),
        name="team_remove",
    ),
    path(
        CHALLENGE + "team/<int:member>/charter/",
        team.CharterView.as_view(),
        name="charter",
    ),
    path("conflicts/", team.ConflictListView.as_view(), name="conflicts"),
    # Preparation: the advance documentation checklist and the on-site timetable.
    path(CHALLENGE + "documents/", documents.ChecklistView.as_view(), name="checklist"),
    path(
        CHALLENGE + "documents/<int:item>/upload/",
        documents.ChecklistUploadView.as_view(),
        name="checklist_upload",
    ),
    path(
        CHALLENGE + "documents/<int:item>/review/",
        documents.ChecklistReviewView.as_view(),
        name="checklist_review",
    ),
    path(
        CHALLENGE + "documents/<int:item>/versions/<int:version>/",
        documents.ChecklistDownloadView.as_view(),
        name="checklist_download",
    ),
    path(CHALLENGE + "timetable/", timetable.TimetableView.as_view(), name="timetable"),
    path(
        CHALLENGE + "timetable/<int:session>/edit/",
        timetable.SessionEditView.as_view(),
        name="session_edit",
    ),
    path(
        CHALLENGE + "timetable/<int:session>/delete/",
        timetable.SessionDeleteView.as_view(),
        name="session_delete",
    ),
    # Case record review.
    path(CHALLENGE + "cases/", cases.CaseReviewView.as_view(), name="case_review"),
    path(
        CHALLENGE + "cases/<int:case>/",
        cases.CaseFindingsView.as_view(),
        name="case_findings",
    ),
    path(
        CHALLENGE + "cases/<int:case>/delete/",
        cases.CaseDeleteView.as_view(),
        name="case_delete",
    ),
    # On site: the log (no surprises, session notes, good practice) and the presentation.
    path(CHALLENGE + "on-site/", onsite.SiteLogView.as_view(), name="site_log"),
    path(
        CHALLENGE + "on-site/<int:note>/share/",
        onsite.SiteNoteShareView.as_view(),
        name="site_note_share",
    ),
    path(
        CHALLENGE + "on-site/presentation/",
        onsite.PresentationView.as_view(),
        name="presentation",
    ),
    # The written feedback, through its states.
    path(CHALLENGE + "report/", report.FeedbackReportView.as_view(), name="report"),
    path(
        CHALLENGE + "report/step/",
        report.ReportStepView.as_view(),
        name="report_step",
    ),
    path(
        CHALLENGE + "report/comments/",
        report.AccuracyCommentView.as_view(),
        name="report_comment",
    ),
    path(
        CHALLENGE + "report/comments/<int:comment>/resolve/",
        report.CommentResolveView.as_view(),
        name="report_comment_resolve",
    ),
    path(CHALLENGE + "report/share/", report.ReportShareView.as_view(), name="report_share"),
    path(
        CHALLENGE + "report/unshare/",
        report.ReportUnshareView.as_view(),
        name="report_unshare",
    ),
    # Reports a council shared with its regional alliance (seen from the regional alliance).
    path("shared/", report.SharedReportsView.as_view(), name="shared_reports"),
    path(
        "shared/<int:challenge>/download/",
        report.SharedReportDownloadView.as_view(),
        name="shared_report_download",
    ),
    # After: evaluation, questionnaires, next steps.
    path(CHALLENGE + "evaluation/", evaluation.EvaluationView.as_view(), name="evaluation"),
    path(
        CHALLENGE + "questionnaire/<int:member>/",
        evaluation.QuestionnaireView.as_view(),
        name="questionnaire",
    ),
    path(CHALLENGE + "next-steps/", evaluation.NextStepsView.as_view(), name="next_steps"),
    path("evaluations/", evaluation.EvaluationSummaryView.as_view(), name="evaluation_summary"),
    # Ending a challenge: withdrawn (any time before the final report) or closed.
    path(
        CHALLENGE + "withdraw/",
        close.ChallengeWithdrawView.as_view(),
        name="challenge_withdraw",
    ),
    path(CHALLENGE + "close/", close.ChallengeCloseView.as_view(), name="challenge_close"),
]
