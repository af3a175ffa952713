"""Who may download a report: whoever the offer says may, for the report's subject.

Offers register object rules for `reports.download_report` on their subject models, e.g.
`register_object_rule(DOWNLOAD_REPORT, Cycle, planners_and_councils_of_the_cycle)`, and
declare no role rules for it (a role rule would cover every offer's reports at once).

Views ask on the version — `user.has_perm(DOWNLOAD_REPORT, version)` — and the rule below
passes the question on to the subject. Asking `has_perm(DOWNLOAD_REPORT, cycle)` directly
would reach django-guardian (the last backend) whenever the offer's rules say no, and
guardian raises WrongAppError for a "reports." permission on a "triads" object instead of
answering no. On the version, guardian stays usable for a grant on one version.
"""

from django.core.exceptions import PermissionDenied

from peerchallenge.permissions import RolePermissionBackend

from .registry import get_report

DOWNLOAD_REPORT = "reports.download_report"


def entitled_to_subject(user, version) -> bool:
    """The offer's rules for DOWNLOAD_REPORT on the version's subject say yes."""
    subject = version.subject
    if subject is None:
        return False
    try:
        # The role and object rules only, not guardian (see above).
        if not RolePermissionBackend().has_perm(user, DOWNLOAD_REPORT, subject):
            return False
    except PermissionDenied:  # the backend's "no, and stop" for an alliance as subject
        return False
    # Then the report's own say on which versions (e.g. only the latest for some readers).
    try:
        report = get_report(version.report)
    except LookupError:
        return True
    return report.may_download_version(user, subject, version)


def may_retry(user, version) -> bool:
    """Whether `user` may queue a failed version again: the person who asked for it (who
    issued the report), while it is failed. Views and templates ask this; no role rule."""
    return (
        version.is_failed
        and getattr(user, "is_authenticated", False)
        and version.requested_by_id is not None
        and version.requested_by_id == user.pk
    )
