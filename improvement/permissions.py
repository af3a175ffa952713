"""Who may do what in the improvement cycle (docs/plan-improvement.md).

Every member of a regional alliance follows the cycle (its steps and dates; later the menu
of support and the regional plan). Its planners (programme managers, coordinators) open and
steer it and read every council's work; the alliance's admins see the board too. A
council's self-evaluation is that council's own: its organisers draft it, its DCS also signs
it off and submits it; nobody else in the alliance reads it."""

from peerchallenge.models import Alliance, Document, Role
from peerchallenge.permissions import (
    MANAGERS,
    PLANNERS,
    alliance_of_kind,
    council_ids_in,
    register_object_rule,
    roles_in,
)
from reports.permissions import DOWNLOAD_REPORT

from .models import RegionalPlan, Scrutiny, SelfEvaluation

# The council's own people, for their council.
COUNCIL_WRITERS = frozenset({Role.LA_ORGANISER, Role.DCS})

RULES = {
    # Every member of a regional alliance: see `register`.
    "improvement.view_cycle": frozenset(),
    "improvement.view_board": MANAGERS,
    "improvement.manage_cycle": PLANNERS,
    # Every council's self-evaluation (read, return with comments).
    "improvement.review_self_evaluations": PLANNERS,
    # The menu of support: needs from intelligence, brokering, offers for any council.
    "improvement.manage_menu": PLANNERS,
}


def _own_council(user, alliance, council, roles=COUNCIL_WRITERS) -> bool:
    return bool(roles_in(user, alliance.pk) & roles) and council.pk in council_ids_in(
        user, alliance.pk
    )


def may_read_council_work(user, *, alliance, council, scrutineers=frozenset()) -> bool:
    """Who reads a council's self-evaluation or development plan: the council's own
    organisers and DCS, and the alliance's planners; and the organisers and DCS of the
    councils assigned to scrutinise or challenge it (`scrutineers`, their ids; the caller
    passes them once it is submitted). No query."""
    if user.has_perm("improvement.review_self_evaluations", alliance):
        return True
    if _own_council(user, alliance, council):
        return True
    return bool(roles_in(user, alliance.pk) & COUNCIL_WRITERS) and bool(
        council_ids_in(user, alliance.pk) & set(scrutineers)
    )


def scrutinising_councils(user, *, alliance, scrutineers) -> set[int]:
    """Of the councils assigned to scrutinise (ids), those `user` writes for: their organisers
    and DCS comment, record the moderation note. No query."""
    if not roles_in(user, alliance.pk) & COUNCIL_WRITERS:
        return set()
    return set(council_ids_in(user, alliance.pk)) & set(scrutineers)


def may_write_self_evaluation(user, *, alliance, council) -> bool:
    """The council's own organisers and DCS write it (the planners read it, never write it)."""
    return _own_council(user, alliance, council)


def may_submit_self_evaluation(user, *, alliance, council) -> bool:
    """The council's DCS signs it off and submits it."""
    return _own_council(user, alliance, council, roles=frozenset({Role.DCS}))


def may_offer_support(user, *, alliance, council) -> bool:
    """A council's organisers and DCS offer its support; the planners, any council's."""
    return user.has_perm("improvement.manage_menu", alliance) or _own_council(
        user, alliance, council
    )


def councils_offering_for(user, *, alliance) -> frozenset[int] | None:
    """The councils `user` may make offers for: None for every council (the planners)."""
    if user.has_perm("improvement.manage_menu", alliance):
        return None
    if not roles_in(user, alliance.pk) & COUNCIL_WRITERS:
        return frozenset()
    return council_ids_in(user, alliance.pk)


def match_side_of(user, *, alliance, match) -> str:
    """Which council of a brokered match `user` answers for, as its DCS: "receiving",
    "offering", or "" (none)."""
    if not roles_in(user, alliance.pk) & {Role.DCS}:
        return ""
    mine = council_ids_in(user, alliance.pk)
    if match.need.council_id in mine:
        return "receiving"
    if match.offer.council_id in mine:
        return "offering"
    return ""


def may_complete_match(user, *, alliance, match) -> bool:
    """The planners, or either council's DCS."""
    return user.has_perm("improvement.manage_menu", alliance) or bool(
        match_side_of(user, alliance=alliance, match=match)
    )


def member_reads_the_regional_plan(user, plan) -> bool:
    """Every member of the alliance downloads its issued regional plan (the permission
    backend has already checked the person is one)."""
    return True


def evidence_i_read(user, document) -> bool:
    """A document attached to a self-evaluation is read by whoever reads the
    self-evaluation (`may_read_council_work`). Two queries: the self-evaluation, and who
    scrutinises it once submitted."""
    if document.challenge_type.model_class() is not SelfEvaluation:
        return False
    evaluation = (
        SelfEvaluation.objects.filter(pk=document.challenge_id)
        .select_related("alliance", "council", "cycle")
        .first()
    )
    if evaluation is None:
        return False
    scrutineers = (
        set(
            Scrutiny.objects.filter(
                cycle_id=evaluation.cycle_id,
                stage=Scrutiny.Stage.SELF_EVALUATION,
                council_id=evaluation.council_id,
            ).values_list("scrutineer_id", flat=True)
        )
        if evaluation.is_locked
        else set()
    )
    return may_read_council_work(
        user, alliance=evaluation.alliance, council=evaluation.council, scrutineers=scrutineers
    )


def register() -> None:
    register_object_rule(
        "improvement.view_cycle", Alliance, alliance_of_kind(Alliance.Kind.REGIONAL)
    )
    register_object_rule(DOWNLOAD_REPORT, RegionalPlan, member_reads_the_regional_plan)
    register_object_rule("peerchallenge.view_document", Document, evidence_i_read)
