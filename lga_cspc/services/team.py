"""The peer team of a challenge: who may be on it, the days they give, the peer charter they
accept; the council's sponsor and organiser; everyone's declared conflicts of interest.

Reads used by the team's forms and pages come first (selectors), then the writes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from peerchallenge.emails import email_send
from peerchallenge.models import Alliance, LocalAuthority, Membership, Role, User
from peerchallenge.selectors import councils_of_alliance

from ..data.charter import CHARTER_VERSION, CONFIDENTIALITY_VERSION
from ..models import Challenge, Conflict, TeamMember, TeamRole
from .state import refuse_if_ended

# Who can be put on a team: the LGA's consultants (peer challenge managers) and peers.
PEER_ROLES = (Role.CONSULTANT, Role.PEER_REVIEWER)
SPONSOR_ROLES = (Role.DCS,)
ORGANISER_ROLES = (Role.LA_ORGANISER, Role.DCS)

# Days on top of the on-site length, from the manual's "standard team" (section 4): pre-reading,
# an off-site day, support with the final report. The peer challenge manager's are "agreed in
# advance"; five (preparation, case review, report) is where the LGA starts.
EXTRA_DAYS = {
    TeamRole.TEAM_LEADER: 2,  # pre-reading + 1 off-site day
    TeamRole.SENIOR_MANAGER: 2,  # pre-reading + support with the final report
    TeamRole.LEAD_MEMBER: 3,  # 1 off-site day + pre-reading + support with the final report
    TeamRole.PEER_CHALLENGE_MANAGER: 5,  # preparation, case review, report
    TeamRole.OBSERVER: 0,
}
# The most of each role one team has; roles not named have no limit.
ROLE_LIMITS = {
    TeamRole.TEAM_LEADER: 1,
    TeamRole.PEER_CHALLENGE_MANAGER: 1,
    TeamRole.SENIOR_MANAGER: 4,
    TeamRole.LEAD_MEMBER: 1,
    TeamRole.OBSERVER: 1,
}
# The fewest of each role a complete team has (the manual's "standard team"): a lead member
# or an observer joins only when the theme calls for one.
ROLE_MINIMUMS = {
    TeamRole.TEAM_LEADER: 1,
    TeamRole.PEER_CHALLENGE_MANAGER: 1,
    TeamRole.SENIOR_MANAGER: 3,
}
MAX_DAYS = 60


def role_phrase(role: str) -> str:
    """A role's name inside a sentence: "team leader (DCS or AD)"."""
    label = TeamRole(role).label
    return label[0].lower() + label[1:]


def role_indicative_days(*, role: str, challenge_days: int) -> int:
    """The days a team member in `role` is expected to give to a challenge of that length."""
    return challenge_days + EXTRA_DAYS[TeamRole(role)]


def indicative_days_by_role(*, challenge: Challenge) -> list[tuple[str, int]]:
    """(role phrase, days) for every team role, for the form's hint."""
    return [
        (role_phrase(role), role_indicative_days(role=role, challenge_days=challenge.days))
        for role in TeamRole
    ]


# Reads -----------------------------------------------------------------------------------


def peers_of_alliance(*, alliance: Alliance) -> QuerySet[User]:
    """The people who may be put on a team (consultants and peer reviewers), each with
    `home_council` (the council named on such a membership, if any)."""
    home = Membership.objects.filter(
        alliance=alliance, user=OuterRef("pk"), local_authority__isnull=False
    ).order_by("role", "local_authority__name")
    return (
        User.objects.filter(
            memberships__alliance=alliance, memberships__role__in=PEER_ROLES, is_active=True
        )
        .annotate(home_council=Subquery(home.values("local_authority__name")[:1]))
        .distinct()
        .order_by("full_name", "email")
    )


def council_people(*, challenge: Challenge, roles) -> QuerySet[User]:
    """The host council's people in the alliance who hold one of `roles`."""
    return (
        User.objects.filter(
            memberships__alliance_id=challenge.alliance_id,
            memberships__local_authority_id=challenge.local_authority_id,
            memberships__role__in=roles,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def challenge_team(
    *, challenge: Challenge, members: list[TeamMember] | None = None
) -> list[TeamMember]:
    """The team in the order the pages show it: by role, then name. Each member has
    `all_accepted`: the charter, and the confidentiality agreement if the council asks.
    `members`: the team as a caller read it, with each person (selectors.challenge_page_load);
    else one query."""
    order = {role.value: index for index, role in enumerate(TeamRole)}
    if members is None:
        members = list(
            TeamMember.objects.filter(challenge=challenge).select_related("user", "employer")
        )
    for member in members:
        member.all_accepted = bool(member.charter_accepted_at) and (
            not challenge.confidentiality_required or bool(member.confidentiality_accepted_at)
        )
    return sorted(members, key=lambda m: (order.get(m.role, 99), m.user.full_name.lower()))


def team_gaps(*, roles) -> list[str]:
    """What the team still lacks to be complete, one phrase per role short (empty when it is
    complete), from the roles of its members: a team leader, a peer challenge manager, and
    at least three senior operational managers."""
    roles = list(roles)
    gaps = []
    for role, needed in ROLE_MINIMUMS.items():
        short = needed - roles.count(role)
        if short <= 0:
            continue
        if needed == 1:
            gaps.append(f"a {role_phrase(role)}")
        else:
            have = needed - short
            gaps.append(
                f"at least {needed} {role_phrase(role)}s ({have} so far, {short} more needed)"
            )
    return gaps


def conflicts_of(*, alliance: Alliance, user: User | None = None) -> QuerySet[Conflict]:
    """Declared conflicts in the alliance (one person's if `user` is given)."""
    conflicts = Conflict.objects.filter(alliance=alliance).select_related("user", "local_authority")
    if user is not None:
        conflicts = conflicts.filter(user=user)
    return conflicts.order_by("user__full_name", "local_authority__name")


def _home_council(*, alliance: Alliance, person: User) -> LocalAuthority | None:
    membership = (
        Membership.objects.filter(
            alliance=alliance,
            user=person,
            role__in=PEER_ROLES,
            local_authority__isnull=False,
        )
        .select_related("local_authority")
        .order_by("role", "local_authority__name")
        .first()
    )
    return membership.local_authority if membership else None


# Writes ----------------------------------------------------------------------------------


def contacts_name(
    *, challenge: Challenge, sponsor: User | None, organiser: User | None
) -> Challenge:
    """Record the council's sponsor (its DCS) and organiser (its single point of contact).
    Either may be left unnamed; anyone named must hold the role for the host council."""
    refuse_if_ended(challenge)
    errors = {}
    council = challenge.local_authority.name
    if sponsor is not None and not (
        council_people(challenge=challenge, roles=SPONSOR_ROLES).filter(pk=sponsor.pk).exists()
    ):
        errors["sponsor"] = (
            f"Choose {council}'s director of children's services: the sponsor is the DCS of the "
            "council being challenged."
        )
    if organiser is not None and not (
        council_people(challenge=challenge, roles=ORGANISER_ROLES).filter(pk=organiser.pk).exists()
    ):
        errors["organiser"] = f"Choose an organiser or the director of {council}."
    if errors:
        raise ValidationError(errors)
    challenge.sponsor = sponsor
    challenge.organiser = organiser
    challenge.save(update_fields=["sponsor", "organiser"])
    return challenge


def _conflict_with(*, challenge: Challenge, person: User) -> Conflict | None:
    return Conflict.objects.filter(
        alliance_id=challenge.alliance_id,
        user=person,
        local_authority_id=challenge.local_authority_id,
    ).first()


def _council_ids_everywhere(*, person: User) -> set[int]:
    """The councils named on any of the person's memberships, in every alliance: an officer
    of the host council may be registered only in its regional alliance, not in the LGA.
    Cross-alliance on purpose, hence scopes_disabled; only council ids leave this function."""
    with scopes_disabled():
        return set(
            Membership.objects.filter(user=person, local_authority__isnull=False).values_list(
                "local_authority_id", flat=True
            )
        )


def team_member_check(
    *, challenge: Challenge, person: User, role: str, employer: LocalAuthority | None
) -> None:
    """Raise ValidationError (by form field) if `person` may not join the team in `role`:
    not a peer of the LGA, working for the host council, a declared conflict with it,
    already on the team, or the role already full."""
    host = challenge.local_authority
    errors: dict[str, str] = {}
    if not peers_of_alliance(alliance=challenge.alliance).filter(pk=person.pk).exists():
        raise ValidationError({"person": "Choose a peer or consultant of the LGA."})
    if employer is not None and employer.pk == host.pk:
        errors["employer"] = (
            f"A peer may not work for {host.name}, the council being challenged: choose a "
            "peer from another council."
        )
    elif host.pk in _council_ids_everywhere(person=person):
        errors["person"] = (
            f"{person} works for {host.name}, the council being challenged: choose a peer "
            "from another council."
        )
    conflict = _conflict_with(challenge=challenge, person=person)
    if conflict is not None and "person" not in errors:
        errors["person"] = (
            f"{person} has declared a conflict of interest with {host.name}: “{conflict.reason}”. "
            "Choose another peer."
        )
    if TeamMember.objects.filter(challenge=challenge, user=person).exists():
        errors["person"] = f"{person} is already on the team."
    limit = ROLE_LIMITS.get(role)
    if role not in TeamRole.values:
        errors["role"] = "Choose the role on the team."
    elif limit is not None:
        taken = TeamMember.objects.filter(challenge=challenge, role=role).count()
        if taken >= limit:
            label = role_phrase(role)
            errors["role"] = (
                f"The team already has its {label}: remove them first or choose another role."
                if limit == 1
                else f"The team already has {limit} {label}s, the most a team needs."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def team_member_add(
    *,
    challenge: Challenge,
    person: User,
    role: str,
    employer: LocalAuthority | None = None,
    indicative_days: int | None = None,
    invited_by: User,
) -> TeamMember:
    """Put `person` on the challenge's team, after team_member_check. The employer defaults
    to the council on their membership; the days to the role's indicative days. After the
    transaction commits, the peer is emailed an invitation to accept the peer charter."""
    # One add at a time per challenge, so that two planners cannot both fill the last place.
    refuse_if_ended(Challenge.objects.select_for_update().get(pk=challenge.pk))
    team_member_check(challenge=challenge, person=person, role=role, employer=employer)
    if employer is None:
        employer = _home_council(alliance=challenge.alliance, person=person)
    days = indicative_days
    if days is None:
        days = role_indicative_days(role=role, challenge_days=challenge.days)
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"indicative_days": f"Enter a number of days from 1 to {MAX_DAYS}."})
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                alliance=challenge.alliance,
                challenge=challenge,
                user=person,
                role=role,
                employer=employer,
                indicative_days=days,
            )
    except IntegrityError as error:  # a simultaneous add of the same person
        raise ValidationError({"person": f"{person} is already on the team."}) from error
    context = _invitation_context(member=member, challenge=challenge, invited_by=invited_by)
    # Queued in the outbox with the place: saved whatever the mail server does.
    email_send(template="cspc_team_invitation", to=[person.email], context=context)
    return member


def _invitation_context(*, member: TeamMember, challenge: Challenge, invited_by: User) -> dict:
    # Rendered after commit, perhaps outside the request's scope: pass plain values only.
    path = reverse(
        "lga_cspc:charter",
        kwargs={
            "alliance": challenge.alliance.slug,
            "challenge": challenge.pk,
            "member": member.pk,
        },
    )
    return {
        "name": member.user.full_name or member.user.email,
        "role": role_phrase(member.role),
        "days": member.indicative_days,
        "offer": challenge.offer.name,
        "council": challenge.local_authority.name,
        "alliance": challenge.alliance.name,
        "onsite_start": challenge.onsite_start,
        "onsite_end": challenge.onsite_end,
        "confidentiality_required": challenge.confidentiality_required,
        "invited_by": str(invited_by),
        "charter_url": settings.SITE_URL + path,
    }


def team_member_remove(*, member: TeamMember) -> None:
    """Take a peer off the team."""
    refuse_if_ended(member.challenge)
    member.delete()


def charter_accept(*, member: TeamMember, charter: bool, confidentiality: bool) -> TeamMember:
    """Record the peer's acceptance of the peer charter (and of the confidentiality
    agreement when the council asks for one), with the time and the version accepted. A text
    already accepted at its current version keeps its first acceptance time."""
    challenge = member.challenge
    refuse_if_ended(challenge)
    errors = {}
    if not charter:
        errors["charter"] = "Tick to accept the peer charter."
    if challenge.confidentiality_required and not confidentiality:
        errors["confidentiality"] = "Tick to accept the confidentiality agreement."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if not (member.charter_accepted_at and member.charter_version == CHARTER_VERSION):
        member.charter_accepted_at = now
        member.charter_version = CHARTER_VERSION
    if challenge.confidentiality_required and not (
        member.confidentiality_accepted_at
        and member.confidentiality_version == CONFIDENTIALITY_VERSION
    ):
        member.confidentiality_accepted_at = now
        member.confidentiality_version = CONFIDENTIALITY_VERSION
    member.save(
        update_fields=[
            "charter_accepted_at",
            "charter_version",
            "confidentiality_accepted_at",
            "confidentiality_version",
        ]
    )
    return member


def conflict_declare(
    *, alliance: Alliance, user: User, local_authority: LocalAuthority | None, reason: str
) -> Conflict:
    """Record the person's conflict of interest with a council; they will not be put on a
    team that challenges it."""
    reason = (reason or "").strip()
    errors = {}
    if local_authority is None or not (
        councils_of_alliance(alliance=alliance).filter(pk=local_authority.pk).exists()
    ):
        errors["local_authority"] = "Choose the council."
    if not reason:
        errors["reason"] = "Enter the reason, for example “I worked there until 2024”."
    if errors:
        raise ValidationError(errors)
    twice = ValidationError(
        {"local_authority": f"You have already declared a conflict with {local_authority.name}."}
    )
    if Conflict.objects.filter(
        alliance=alliance, user=user, local_authority=local_authority
    ).exists():
        raise twice
    try:
        with transaction.atomic():
            return Conflict.objects.create(
                alliance=alliance, user=user, local_authority=local_authority, reason=reason
            )
    except IntegrityError as error:  # declared twice at the same moment
        raise twice from error
