"""The core's models: the tenancy rule (`tenancy`), tenants and people (`core`), and the pieces
every offer shares."""

from .actions import Action, ActionStatus, ActionUpdate, Tier2Group
from .calendar import CalendarFeed
from .core import (
    COUNCIL_ROLES,
    OPTIONAL_COUNCIL_ROLES,
    AccessLog,
    Alliance,
    Invitation,
    LocalAuthority,
    Membership,
    OfstedGrade,
    Region,
    Role,
    User,
    UserManager,
    validate_role_council,
)
from .documents import Document, DocumentVersion
from .form_tokens import FormSubmission
from .kloes import KeyLineOfEnquiry, KloeComment
from .ofsted import OfstedImport, OfstedJudgement
from .outbox import OutboundEmail
from .plans import ImprovementPlan
from .reminders import ReminderLog, ReminderScan, ReminderSetting
from .tenancy import AllianceOwned
from .timetable import Session, SessionKind

__all__ = [
    "COUNCIL_ROLES",
    "OPTIONAL_COUNCIL_ROLES",
    "AccessLog",
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "Alliance",
    "AllianceOwned",
    "CalendarFeed",
    "Document",
    "DocumentVersion",
    "FormSubmission",
    "ImprovementPlan",
    "Invitation",
    "KeyLineOfEnquiry",
    "KloeComment",
    "LocalAuthority",
    "Membership",
    "OfstedGrade",
    "OfstedImport",
    "OfstedJudgement",
    "OutboundEmail",
    "Region",
    "ReminderLog",
    "ReminderScan",
    "ReminderSetting",
    "Role",
    "Session",
    "SessionKind",
    "Tier2Group",
    "User",
    "UserManager",
    "validate_role_council",
]
