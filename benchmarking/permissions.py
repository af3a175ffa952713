"""Who may read what of the common framework.

DfE's figures are published national statistics (Open Government Licence): every member of
an alliance reads the data pack of each council the alliance covers. The alliance's data
lead keeps its framework and loads its files; its programme managers may do both."""

from peerchallenge.models import Role
from peerchallenge.permissions import (
    ALL_ROLES,
    MANAGERS,
    council_ids_in,
    register_object_rule,
    role_allows,
    roles_in,
)
from reports.models import ReportVersion
from reports.permissions import DOWNLOAD_REPORT

from .grid import GRID_EXPORTS
from .selectors import PACK_PDF

KEEPERS = frozenset({Role.PROGRAMME_MANAGER, Role.DATA_LEAD})
# Who answers the flags on a council's data pack: the council's own organisers and DCS for
# their council (`may_answer_flags`), and the keepers for every council of the alliance.
FLAG_ANSWERERS = frozenset({Role.LA_ORGANISER, Role.DCS})

RULES = {
    "benchmarking.view_data_pack": ALL_ROLES,
    # The grid of every council the alliance covers and its exports: published statistics too.
    "benchmarking.view_grid": ALL_ROLES,
    # The framework page and the history of imports: those who run the alliance's work.
    "benchmarking.view_framework": MANAGERS | KEEPERS,
    "benchmarking.manage_framework": KEEPERS,
    "benchmarking.import_data": KEEPERS,
    # Any council's flags; a council's own people answer theirs (`may_answer_flags`).
    "benchmarking.answer_any_flags": KEEPERS,
    # The quarterly local return: every member follows the quarters (each view of another
    # council's provisional figures is logged); the keepers open and publish them and may
    # enter any council's figures; a council's own people enter theirs (`may_enter_return`).
    "benchmarking.view_returns": ALL_ROLES,
    "benchmarking.manage_returns": KEEPERS,
}


def asked_for_this_grid_export(user, version) -> bool:
    """A grid export is a report about the alliance itself, and a rule on Alliance would
    open every such report to every member: this rule names the grid's exports, for the
    person who asked for one while they may see the grid."""
    return (
        version.report in GRID_EXPORTS
        and version.requested_by_id is not None
        and version.requested_by_id == user.pk
        and role_allows(roles_in(user, version.alliance_id), "benchmarking.view_grid")
    )


def may_answer_flags(user, *, alliance, council) -> bool:
    """Whether `user` answers the flags on `council`'s data pack in `alliance`: its own
    organisers and DCS, and the alliance's keepers for any council. From the roles the
    request has already loaded: no query."""
    return _keeper_or_councils_own(user, "benchmarking.answer_any_flags", alliance, council)


def may_enter_return(user, *, alliance, council) -> bool:
    """Whether `user` enters `council`'s figures in the quarterly return: its organisers and
    DCS, and the alliance's keepers. No query."""
    return _keeper_or_councils_own(user, "benchmarking.manage_returns", alliance, council)


def _keeper_or_councils_own(user, permission: str, alliance, council) -> bool:
    """`permission` for any council of the alliance, or the council's own organiser or
    DCS for theirs."""
    if user.has_perm(permission, alliance):
        return True
    return bool(roles_in(user, alliance.pk) & FLAG_ANSWERERS) and council.pk in council_ids_in(
        user, alliance.pk
    )


def asked_for_this_pack_pdf(user, version) -> bool:
    """A council's pack as a PDF is also about the alliance (the council is its option):
    the person who asked for it downloads it, while they may read packs."""
    return (
        version.report == PACK_PDF
        and version.requested_by_id is not None
        and version.requested_by_id == user.pk
        and role_allows(roles_in(user, version.alliance_id), "benchmarking.view_data_pack")
    )


def register() -> None:
    register_object_rule(DOWNLOAD_REPORT, ReportVersion, asked_for_this_grid_export)
    register_object_rule(DOWNLOAD_REPORT, ReportVersion, asked_for_this_pack_pdf)
