"""Who may do what in the LGA's peer challenges.

- The LGA's programme manager and coordinators see and run every challenge; only the
  programme manager edits the catalogue.
- A council's sponsor (DCS) and organiser see their own council's challenges, and nothing
  of any other council's: another council's challenge is "not found".
- A peer sees only the challenges whose team they are on; the region's principal adviser
  and children's improvement adviser see the challenges they are named on.
- A final report the council's sponsor shares with the region is read, in the council's
  regional alliance, by the audience the sponsor chose: its programme managers and
  coordinators ("planners"), or every member. `SHARE_AUDIENCE_ROLES` is that rule, the one
  place the shared-reports list, its download, the emails and the report page read it.
"""

from django.db.models import Q

from peerchallenge.models import Alliance, Role
from peerchallenge.permissions import (
    PLANNERS,
    alliance_of_kind,
    council_ids_in,
    register_object_rule,
    roles_in,
)
from reports.permissions import DOWNLOAD_REPORT

from .models import Challenge, TeamMember

# Who in the regional alliance reads a shared final report, by the audience the sponsor chose
# (models.ShareAudience). No audience (not shared, or no longer): nobody.
SHARE_AUDIENCE_ROLES: dict[str, frozenset[str]] = {
    "planners": PLANNERS,
    "members": frozenset(Role),
}

RULES = {
    # Only in a national alliance (the LGA): see `register`.
    "lga_cspc.view_challenges": frozenset(),
    "lga_cspc.manage_catalogue": frozenset({Role.PROGRAMME_MANAGER}),
    # Withdrawing a challenge, or closing it after the evaluation.
    "lga_cspc.end_challenge": frozenset({Role.PROGRAMME_MANAGER}),
    # The subsidy is fixed at booking; only the LGA's programme manager changes it, with a
    # reason (services.challenge_change_subsidy).
    "lga_cspc.change_subsidy": frozenset({Role.PROGRAMME_MANAGER}),
    # A DCS books for their own council; the LGA's planners for any council.
    "lga_cspc.book_challenge": PLANNERS | {Role.DCS},
    "lga_cspc.view_challenge": PLANNERS,
    "lga_cspc.manage_challenge": PLANNERS,
    "lga_cspc.accept_proposal": frozenset(),
    "lga_cspc.name_contacts": PLANNERS,
    "lga_cspc.accept_charter": frozenset(),
    # Preparation: the host council's sponsor and organiser upload the advance documents and
    # build the on-site timetable; the peer challenge manager reviews the documents.
    "lga_cspc.organise": PLANNERS,
    "lga_cspc.review_documents": PLANNERS,
    # Case record review: the peer challenge manager or lead peer selects and assigns the
    # cases; team members record findings on the cases assigned to them.
    "lga_cspc.manage_cases": PLANNERS,
    "lga_cspc.record_findings": PLANNERS,
    # On site: the team records; the sponsor reads what is shared with them.
    "lga_cspc.record_on_site": PLANNERS,
    # The written feedback (each step's rule in services/report.py as well).
    "lga_cspc.draft_report": PLANNERS,
    "lga_cspc.agree_report": frozenset(),
    "lga_cspc.sign_off_report": frozenset({Role.PROGRAMME_MANAGER}),
    "lga_cspc.comment_accuracy": frozenset(),
    "lga_cspc.issue_final": frozenset({Role.PROGRAMME_MANAGER}),
    "lga_cspc.share_report": frozenset(),
    # A regional alliance's page of the LGA reports its councils shared (see `register`).
    "lga_cspc.view_shared_reports": frozenset(),
    # After: the LGA evaluates; peers answer their own questionnaire; the CIA (and the
    # planners) record next steps on the council's improvement plan.
    "lga_cspc.evaluate": PLANNERS,
    "lga_cspc.answer_questionnaire": frozenset(),
    "lga_cspc.record_next_steps": PLANNERS,
}


def my_council(user, challenge) -> bool:
    return challenge.local_authority_id in council_ids_in(user, challenge.alliance_id)


def team_roles(user, challenge) -> frozenset[str]:
    """The roles this person holds on the challenge's team (none: not on it), in one query,
    or none when the team was read with the challenge (selectors.challenge_page_queryset):
    then every rule below, asked by each section of a page, answers from it. The team rules
    read it; a caller asking several of them may pass it as `places`."""
    if user.pk is None:
        return frozenset()
    # Django keeps a prefetched relation here; `challenge.team.filter()` would ignore it.
    team = getattr(challenge, "_prefetched_objects_cache", {}).get("team")
    if team is not None:
        return frozenset(member.role for member in team if member.user_id == user.pk)
    return frozenset(challenge.team.filter(user=user).values_list("role", flat=True))


def on_the_team(user, challenge, *, places: frozenset[str] | None = None) -> bool:
    return bool(team_roles(user, challenge) if places is None else places)


def named_adviser(user, challenge) -> bool:
    return user.pk in (challenge.principal_adviser_id, challenge.improvement_adviser_id)


def the_sponsor(user, challenge) -> bool:
    """The named sponsor; until one is named, the council's DCS."""
    if challenge.sponsor_id is not None:
        return challenge.sponsor_id == user.pk
    return my_council(user, challenge) and Role.DCS in roles_in(user, challenge.alliance_id)


def council_dcs(user, challenge) -> bool:
    return my_council(user, challenge) and Role.DCS in roles_in(user, challenge.alliance_id)


def peer_challenge_manager(user, challenge, *, places: frozenset[str] | None = None) -> bool:
    places = team_roles(user, challenge) if places is None else places
    return "peer_challenge_manager" in places


def lead_peer(user, challenge, *, places: frozenset[str] | None = None) -> bool:
    """The peer challenge manager or the team leader."""
    places = team_roles(user, challenge) if places is None else places
    return bool(places & {"peer_challenge_manager", "team_leader"})


def team_leader(user, challenge, *, places: frozenset[str] | None = None) -> bool:
    places = team_roles(user, challenge) if places is None else places
    return "team_leader" in places


def council_sponsor(user, challenge) -> bool:
    """The named sponsor, or the council's DCS until one is named."""
    return the_sponsor(user, challenge)


def named_cia(user, challenge) -> bool:
    return challenge.improvement_adviser_id == user.pk


def own_team_place(user, member) -> bool:
    return member.user_id == user.pk


def sees_the_challenge(user, challenge) -> bool:
    """Whoever may see a challenge may ask for its reports; each report then says which of
    its versions they may download (`may_download_version`)."""
    return bool(roles_in(user, challenge.alliance_id) & PLANNERS) or any(
        rule(user, challenge) for rule in (my_council, on_the_team, named_adviser)
    )


def visible_challenges_q(user, alliance_id: int) -> Q:
    """The rule above as a queryset filter (for lists): everything for the planners."""
    if roles_in(user, alliance_id) & PLANNERS:
        return Q()
    return (
        Q(local_authority__in=council_ids_in(user, alliance_id))
        | Q(team__user=user)
        | Q(principal_adviser=user)
        | Q(improvement_adviser=user)
    )


def share_audiences_of(user, regional_alliance_id: int) -> list[str]:
    """The audiences this person is in, in one regional alliance: the shared reports they
    read are those shared with one of these (selectors.shared_reports_for)."""
    roles = roles_in(user, regional_alliance_id)
    return [audience for audience, held in SHARE_AUDIENCE_ROLES.items() if roles & held]


def document_senders_q(user, alliance_id: int) -> Q:
    """Who sends a challenge's advance documents, and hears when more is needed of one: the
    challenge's named organiser; until one is named, the council's own people (its
    organisers and DCS). As a filter on challenges, for this person in one alliance;
    selectors.document_sender_emails is the same rule from the challenge's side."""
    return Q(organiser=user) | Q(
        organiser__isnull=True, local_authority__in=council_ids_in(user, alliance_id)
    )


def register() -> None:
    register_object_rule(
        "lga_cspc.view_challenges", Alliance, alliance_of_kind(Alliance.Kind.NATIONAL)
    )
    register_object_rule(
        "lga_cspc.view_shared_reports", Alliance, alliance_of_kind(Alliance.Kind.REGIONAL)
    )

    for rule in (my_council, on_the_team, named_adviser):
        register_object_rule("lga_cspc.view_challenge", Challenge, rule)
    register_object_rule("lga_cspc.accept_proposal", Challenge, the_sponsor)
    register_object_rule("lga_cspc.name_contacts", Challenge, council_dcs)
    register_object_rule("lga_cspc.accept_charter", TeamMember, own_team_place)
    register_object_rule("lga_cspc.organise", Challenge, my_council)
    register_object_rule("lga_cspc.manage_cases", Challenge, lead_peer)
    register_object_rule("lga_cspc.record_findings", Challenge, on_the_team)
    register_object_rule("lga_cspc.record_on_site", Challenge, on_the_team)
    register_object_rule("lga_cspc.draft_report", Challenge, peer_challenge_manager)
    register_object_rule("lga_cspc.agree_report", Challenge, team_leader)
    register_object_rule("lga_cspc.sign_off_report", Challenge, named_adviser)
    register_object_rule("lga_cspc.comment_accuracy", Challenge, my_council)
    register_object_rule("lga_cspc.share_report", Challenge, council_sponsor)
    register_object_rule("lga_cspc.answer_questionnaire", TeamMember, own_team_place)
    register_object_rule("lga_cspc.record_next_steps", Challenge, named_cia)

    register_object_rule(DOWNLOAD_REPORT, Challenge, sees_the_challenge)
    register_object_rule("lga_cspc.review_documents", Challenge, peer_challenge_manager)
