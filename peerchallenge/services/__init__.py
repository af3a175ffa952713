"""Writes. Every change goes through a function named `<entity>_<action>`, keyword-only."""

from .actions import (
    ActionRemoved,
    action_change,
    action_create,
    action_fingerprint,
    action_record_progress,
    action_remove,
    tier2_group_create,
)
from .documents import document_upload
from .kloes import kloe_comment_add, kloe_create, kloe_share, kloe_update
from .ofsted import OFSTED_CSV_COLUMNS, OfstedImportResult, ofsted_import_csv, ofsted_load
from .people import (
    access_log_record,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_send_email,
    membership_change_role,
    membership_remove,
)
from .timetable import (
    peer_bookings,
    session_delete,
    session_save,
    sessions_by_day,
    sessions_of,
)

__all__ = [
    "OFSTED_CSV_COLUMNS",
    "ActionRemoved",
    "OfstedImportResult",
    "access_log_record",
    "action_change",
    "action_create",
    "action_fingerprint",
    "action_record_progress",
    "action_remove",
    "document_upload",
    "invitation_accept",
    "invitation_cancel",
    "invitation_create",
    "invitation_send_email",
    "kloe_comment_add",
    "kloe_create",
    "kloe_share",
    "kloe_update",
    "membership_change_role",
    "membership_remove",
    "ofsted_import_csv",
    "ofsted_load",
    "peer_bookings",
    "session_delete",
    "session_save",
    "sessions_by_day",
    "sessions_of",
    "tier2_group_create",
]
