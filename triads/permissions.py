"""Who may do what in the triad offer.

- Role rules: planners (programme manager, coordinator) see and change every triad.
- Guardian grants: a triad's consultant, on that triad (written by triad_assign_consultant).
- Object rules: a council's people (organiser, DCS) see the triad their council is in, and
  write, share and comment on their own council's key lines of enquiry; once shared, a KLOE
  is read by the other councils of its triad, its consultant and the planners — nobody else.
"""

from peerchallenge.models import COUNCIL_ROLES, Alliance, Document, KeyLineOfEnquiry, Role
from peerchallenge.permissions import (
    PLANNERS,
    alliance_of_kind,
    council_ids_in,
    register_object_rule,
    roles_in,
)
from reports.permissions import DOWNLOAD_REPORT

from .models import Cycle, EventTemplate, Triad, TriadMember

RULES = {
    # Every member of a regional alliance: see `register` (not an offer of the national one).
    "triads.view_cycle": frozenset(),
    "triads.manage_cycle": PLANNERS,
    "triads.view_triad": PLANNERS,
    "triads.change_triad": PLANNERS,
    # The summary report: written by the planners and the cycle's consultants; issued by the
    # programme manager only (a coordinator does everything else a PM does).
    "triads.write_summary": PLANNERS,
    "triads.issue_report": frozenset({Role.PROGRAMME_MANAGER}),
}


def consultant_in_the_cycle(user, cycle) -> bool:
    return cycle.triads.filter(consultant=user).exists()


def entitled_to_the_report(user, cycle) -> bool:
    """The planners, and the DCSs (and organisers) of the councils taking part."""
    if roles_in(user, cycle.alliance_id) & PLANNERS:
        return True
    if not roles_in(user, cycle.alliance_id) & COUNCIL_ROLES:
        return False
    mine = council_ids_in(user, cycle.alliance_id)
    return cycle.councils.filter(pk__in=mine).exists()


def triad_council_ids(triad) -> frozenset[int]:
    """The triad's council ids, loaded once per triad object."""
    cached = getattr(triad, "_council_ids", None)
    if cached is None:
        cached = triad._council_ids = frozenset(triad.members.values_list("council_id", flat=True))
    return cached


def _kloe_triad(obj):
    """The triad a KLOE's or document's council is in for its cycle (None if the object
    belongs to another offer's challenge)."""
    if obj.challenge_type.model_class() is not Cycle:
        return None
    if not hasattr(obj, "_triad"):
        member = (
            TriadMember.objects.filter(cycle_id=obj.challenge_id, council=obj.local_authority_id)
            .select_related("triad")
            .first()
        )
        obj._triad = member.triad if member else None
    return obj._triad


def document_in_a_triad_i_see(user, document) -> bool:
    """A council's evidence is for its whole triad: whoever sees the triad reads it."""
    triad = _kloe_triad(document)
    return triad is not None and user.has_perm("triads.view_triad", triad)


def my_council_in_triad(user, triad) -> bool:
    return bool(council_ids_in(user, triad.alliance_id) & triad_council_ids(triad))


def my_councils_kloe(user, kloe) -> bool:
    return kloe.local_authority_id in council_ids_in(user, kloe.alliance_id)


def consultant_of_kloes_triad(user, kloe) -> bool:
    triad = _kloe_triad(kloe)
    return triad is not None and triad.consultant_id == user.pk


def shared_kloe_in_my_triad(user, kloe) -> bool:
    if not kloe.is_shared:
        return False
    if roles_in(user, kloe.alliance_id) & PLANNERS:
        return _kloe_triad(kloe) is not None
    triad = _kloe_triad(kloe)
    return triad is not None and my_council_in_triad(user, triad)


def my_councils_template(user, template) -> bool:
    return template.local_authority_id in council_ids_in(user, template.alliance_id)


def register() -> None:
    register_object_rule("triads.view_cycle", Alliance, alliance_of_kind(Alliance.Kind.REGIONAL))

    register_object_rule("triads.change_eventtemplate", EventTemplate, my_councils_template)
    register_object_rule("triads.view_triad", Triad, my_council_in_triad)

    register_object_rule("triads.write_summary", Cycle, consultant_in_the_cycle)
    register_object_rule(DOWNLOAD_REPORT, Cycle, entitled_to_the_report)
    register_object_rule("peerchallenge.view_document", Document, document_in_a_triad_i_see)
    for perm, rules in {
        "peerchallenge.view_keylineofenquiry": [
            my_councils_kloe,
            consultant_of_kloes_triad,
            shared_kloe_in_my_triad,
        ],
        "peerchallenge.change_keylineofenquiry": [my_councils_kloe, consultant_of_kloes_triad],
        "peerchallenge.comment_keylineofenquiry": [my_councils_kloe, consultant_of_kloes_triad],
        "peerchallenge.share_keylineofenquiry": [my_councils_kloe],
    }.items():
        for rule in rules:
            register_object_rule(perm, KeyLineOfEnquiry, rule)


def kloe_abilities(user, kloe) -> dict[str, bool]:
    """What a person may do with a KLOE they can already read: the object rules above, asked
    directly so a page of KLOEs costs no query per KLOE (set `kloe._triad` first)."""
    mine = my_councils_kloe(user, kloe)
    consultant = consultant_of_kloes_triad(user, kloe)
    return {"can_change": mine or consultant, "can_comment": mine or consultant, "can_share": mine}
