"""The LGA offer's items for the home page's "what needs you now" panel: the programme
manager scopes new requests and completes the team of a challenge on site within eight
weeks; the sponsor accepts the scoping proposal; a peer accepts the peer charter; the
council's organiser uploads a new version of an advance document the peer challenge manager
asked more of. A fixed number of queries."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from peerchallenge.models import Alliance, Role
from peerchallenge.needs import Need
from peerchallenge.permissions import alliance_ids_of, council_ids_in, roles_in

from .models import AdvanceDocument, Challenge, Stage, TeamMember
from .permissions import PLANNERS, document_senders_q
from .services_team import ROLE_MINIMUMS

# A team still incomplete this close to the first on-site day needs the programme manager.
TEAM_DEADLINE = datetime.timedelta(weeks=8)


def cspc_needs(user) -> list[Need]:
    national = list(
        Alliance.objects.filter(pk__in=alliance_ids_of(user), kind=Alliance.Kind.NATIONAL)
    )
    if not national:
        return []
    planner_of = [a.pk for a in national if roles_in(user, a.pk) & PLANNERS]
    sponsor_councils = {
        a.pk: council_ids_in(user, a.pk) for a in national if Role.DCS in roles_in(user, a.pk)
    }
    wanted = Q(alliance__in=planner_of, stage=Stage.REQUESTED)
    for alliance_id, councils in sponsor_councils.items():
        wanted |= Q(
            alliance=alliance_id,
            local_authority__in=councils,
            proposal_sent_at__isnull=False,
            proposal_accepted_at__isnull=True,
        ) & (Q(sponsor=user) | Q(sponsor__isnull=True))
    needs = []
    challenges = Challenge.objects.filter(wanted).select_related(
        "alliance", "offer", "local_authority"
    )

    def detail(challenge):
        return reverse(
            "lga_cspc:challenge_detail",
            kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
        )

    for challenge in challenges:
        place = f"{challenge.offer.name} in {challenge.local_authority.name}"
        if challenge.stage == Stage.REQUESTED and challenge.alliance_id in planner_of:
            needs.append(
                Need(
                    f"Arrange the scoping meeting for the {place}",
                    detail(challenge),
                    challenge.alliance.short_name,
                    challenge.onsite_start,
                )
            )
        elif challenge.proposal_sent_at and not challenge.proposal_accepted_at:
            needs.append(
                Need(
                    f"Read and accept the scoping proposal for the {place}",
                    detail(challenge),
                    challenge.alliance.short_name,
                    None,
                )
            )
    needs += _incomplete_teams(
        [a.pk for a in national if Role.PROGRAMME_MANAGER in roles_in(user, a.pk)]
    )
    for member in TeamMember.objects.filter(
        alliance__in=[a.pk for a in national], user=user, charter_accepted_at__isnull=True
    ).select_related("challenge__alliance", "challenge__offer", "challenge__local_authority"):
        challenge = member.challenge
        needs.append(
            Need(
                f"Accept the peer charter for the {challenge.offer.name} in "
                f"{challenge.local_authority.name}",
                reverse(
                    "lga_cspc:charter",
                    kwargs={
                        "alliance": challenge.alliance.slug,
                        "challenge": challenge.pk,
                        "member": member.pk,
                    },
                ),
                challenge.alliance.short_name,
                challenge.onsite_start,
            )
        )
    needs += _more_needed(user, [a.pk for a in national if council_ids_in(user, a.pk)])
    return needs


def _more_needed(user, alliance_ids: list[int]) -> list[Need]:
    """Each advance document sent back for more, to the people who send them
    (permissions.document_senders_q), until a new version is uploaded: one query, and none
    for someone who works for no council."""
    if not alliance_ids:
        return []
    senders = Q(pk__in=[])
    for alliance_id in alliance_ids:
        senders |= Q(alliance=alliance_id) & document_senders_q(user, alliance_id)
    items = (
        AdvanceDocument.objects.filter(
            state=AdvanceDocument.State.MORE_NEEDED,
            challenge__in=Challenge.objects.filter(senders).exclude(
                stage__in=[Stage.CLOSED, Stage.WITHDRAWN]
            ),
        )
        .select_related("challenge__alliance", "challenge__offer", "challenge__local_authority")
        .order_by("due_date", "pk")
    )
    today = timezone.localdate()
    return [
        Need(
            f"More needed: “{item.title}” for the {item.challenge.offer.name} in "
            f"{item.challenge.local_authority.name}",
            reverse(
                "lga_cspc:checklist_upload",
                kwargs={
                    "alliance": item.challenge.alliance.slug,
                    "challenge": item.challenge_id,
                    "item": item.pk,
                },
            ),
            item.challenge.alliance.short_name,
            item.due_date,
            item.due_date < today,
        )
        for item in items
    ]


def _incomplete_teams(alliance_ids: list[int]) -> list[Need]:
    """Challenges on site within eight weeks whose team lacks a role it must have: one
    query, however many challenges."""
    if not alliance_ids:
        return []
    today = timezone.localdate()
    counts = {f"has_{role}": Count("team", filter=Q(team__role=role)) for role in ROLE_MINIMUMS}
    short = Q()
    for role, needed in ROLE_MINIMUMS.items():
        short |= Q(**{f"has_{role}__lt": needed})
    soon = (
        Challenge.objects.filter(
            alliance__in=alliance_ids,
            onsite_start__gte=today,
            onsite_start__lte=today + TEAM_DEADLINE,
        )
        .exclude(stage__in=[Stage.CLOSED, Stage.WITHDRAWN])
        .annotate(**counts)
        .filter(short)
        .select_related("alliance", "offer", "local_authority")
        .order_by("onsite_start", "pk")
    )
    return [
        Need(
            f"Complete the peer team for the {challenge.offer.name} in "
            f"{challenge.local_authority.name}",
            reverse(
                "lga_cspc:team",
                kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
            ),
            challenge.alliance.short_name,
            challenge.onsite_start,
        )
        for challenge in soon
    ]
