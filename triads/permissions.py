"""Role rules of the triad offer. Per-triad grants (the triad's consultant) are
django-guardian object permissions, written by `triad_assign_consultant`."""

from peerchallenge.models import Role
from peerchallenge.permissions import ALL_ROLES

PLANNERS = frozenset({Role.PROGRAMME_MANAGER, Role.COORDINATOR})

RULES = {
    "triads.view_cycle": ALL_ROLES,
    "triads.manage_cycle": PLANNERS,
    # Everyone who plans sees and changes every triad; a consultant only the triads they are
    # assigned to (guardian grant of triads.change_triad on that triad).
    "triads.change_triad": PLANNERS,
}
