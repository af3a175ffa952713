"""Who may read what of the common framework.

DfE's figures are published national statistics (Open Government Licence): every member of
an alliance reads the data pack of each council the alliance covers. An alliance's own
figures (provisional local returns) and a council's answers to its flags come with rules of
their own in later steps (docs/plan-benchmarking.md)."""

from peerchallenge.permissions import ALL_ROLES

RULES = {
    "benchmarking.view_data_pack": ALL_ROLES,
}


def register() -> None:
    """No object rules yet."""
