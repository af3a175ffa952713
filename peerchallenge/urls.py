from django.urls import include, path

from .views.access_log import AccessLogView
from .views.actions import ActionChangeView, ActionRemoveView
from .views.alliance_logo import AllianceLogoImageView, AllianceLogoRemoveView, AllianceLogoView
from .views.alliances import AllianceChallengesView, AllianceDetailView
from .views.calendar import CalendarFeedView, CalendarSettingsView
from .views.councils import (
    CouncilDetailView,
    CouncilListView,
    ImprovementPlanPdfPrepareView,
    ImprovementPlanPdfView,
    ImprovementPlanView,
)
from .views.health import healthz
from .views.home import HomeView
from .views.invitations import InvitationAcceptView
from .views.members import (
    InvitationCancelView,
    MemberInviteView,
    MemberListView,
    MembershipEditView,
    MembershipRemoveView,
)
from .views.overview import AllianceOverviewView
from .views.reference import OfstedImportView, OfstedReferenceView
from .views.reminders import ReminderLogView, ReminderSettingsView
from .views.service_pages import (
    AccessibilityStatementView,
    ContactView,
    CookiesView,
    PrivacyNoticeView,
)
from .views.session import SessionExtendView, SessionStatusView
from .views.tier2 import (
    ActionDetailView,
    Tier2BoardView,
    Tier2ExportView,
    Tier2GroupCreateView,
    Tier2ListView,
)

# Everything under /a/<alliance>/ runs inside that alliance's scope (AllianceMiddleware).
alliance_patterns = [
    path("", AllianceDetailView.as_view(), name="alliance_detail"),
    path("overview/", AllianceOverviewView.as_view(), name="alliance_overview"),
    path("challenges/", AllianceChallengesView.as_view(), name="alliance_challenges"),
    path("logo/", AllianceLogoView.as_view(), name="alliance_logo"),
    path("logo/image/", AllianceLogoImageView.as_view(), name="alliance_logo_image"),
    path("logo/remove/", AllianceLogoRemoveView.as_view(), name="alliance_logo_remove"),
    path("councils/", CouncilListView.as_view(), name="council_list"),
    path("councils/<str:gss>/", CouncilDetailView.as_view(), name="council_detail"),
    path("councils/<str:gss>/plan/", ImprovementPlanView.as_view(), name="improvement_plan"),
    # The PDF is prepared by the worker (POST) and downloaded as a report version; the old
    # address of the PDF rendered in the request now leads to the plan page.
    path(
        "councils/<str:gss>/plan/pdf/",
        ImprovementPlanPdfPrepareView.as_view(),
        name="improvement_plan_pdf_prepare",
    ),
    path(
        "councils/<str:gss>/plan.pdf", ImprovementPlanPdfView.as_view(), name="improvement_plan_pdf"
    ),
    path("members/", MemberListView.as_view(), name="member_list"),
    path("members/invite/", MemberInviteView.as_view(), name="member_invite"),
    path("members/<int:membership>/role/", MembershipEditView.as_view(), name="membership_edit"),
    path(
        "members/<int:membership>/remove/",
        MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path("access-log/", AccessLogView.as_view(), name="access_log"),
    path("tier2/", Tier2ListView.as_view(), name="tier2_list"),
    path("tier2/new/", Tier2GroupCreateView.as_view(), name="tier2_group_create"),
    path("tier2/<int:group>/", Tier2BoardView.as_view(), name="tier2_board"),
    path("tier2/<int:group>/export.csv", Tier2ExportView.as_view(), name="tier2_export"),
    path(
        "tier2/<int:group>/export.xlsx",
        Tier2ExportView.as_view(file_format="xlsx"),
        name="tier2_export_xlsx",
    ),
    path("actions/<int:action>/", ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:action>/change/", ActionChangeView.as_view(), name="action_change"),
    path("actions/<int:action>/remove/", ActionRemoveView.as_view(), name="action_remove"),
    path("reminders/", ReminderLogView.as_view(), name="reminder_log"),
    path("reminders/settings/", ReminderSettingsView.as_view(), name="reminder_settings"),
    path(
        "invitations/<int:invitation>/cancel/",
        InvitationCancelView.as_view(),
        name="invitation_cancel",
    ),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("invitations/<str:token>/", InvitationAcceptView.as_view(), name="invitation_accept"),
    # The service's own pages, for everyone (footer and phase banner).
    path("accessibility/", AccessibilityStatementView.as_view(), name="service_accessibility"),
    path("cookies/", CookiesView.as_view(), name="service_cookies"),
    path("privacy/", PrivacyNoticeView.as_view(), name="service_privacy"),
    path("contact/", ContactView.as_view(), name="service_contact"),
    # National reference data: the service's staff only (404 for everyone else).
    path("reference/ofsted/", OfstedReferenceView.as_view(), name="reference_ofsted"),
    path("reference/ofsted/import/", OfstedImportView.as_view(), name="ofsted_import"),
    path("calendar/", CalendarSettingsView.as_view(), name="calendar_settings"),
    # The session timeout warning's clock (static/js/session.mjs).
    path("session/", SessionStatusView.as_view(), name="session_status"),
    path("session/extend/", SessionExtendView.as_view(), name="session_extend"),
    path("calendar/<str:token>.ics", CalendarFeedView.as_view(), name="calendar_feed"),
    path("a/<slug:alliance>/", include(alliance_patterns)),
]
