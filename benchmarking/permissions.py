"""Who may read what of the common framework.

DfE's figures are published national statistics (Open Government Licence): every member of
an alliance reads the data pack of each council the alliance covers. The alliance's data
lead keeps its framework and loads its files; its programme managers may do both."""

from peerchallenge.models import Role
from peerchallenge.permissions import ALL_ROLES, MANAGERS

KEEPERS = frozenset({Role.PROGRAMME_MANAGER, Role.DATA_LEAD})

RULES = {
    "benchmarking.view_data_pack": ALL_ROLES,
    # The framework page and the history of imports: those who run the alliance's work.
    "benchmarking.view_framework": MANAGERS | KEEPERS,
    "benchmarking.manage_framework": KEEPERS,
    "benchmarking.import_data": KEEPERS,
}


def register() -> None:
    """No object rules yet."""
