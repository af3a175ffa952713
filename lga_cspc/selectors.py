"""Read-side queries for the LGA's peer challenges."""

from django.db.models import QuerySet

from peerchallenge.models import LocalAuthority, Membership, Role, User
from peerchallenge.permissions import roles_in

from .models import Challenge, Offer
from .permissions import PLANNERS, visible_challenges_q


def catalogue(*, alliance, active_only: bool = False) -> QuerySet[Offer]:
    offers = Offer.objects.filter(alliance=alliance)
    return offers.filter(is_active=True) if active_only else offers


def challenges_visible_to(*, user: User, alliance) -> QuerySet[Challenge]:
    """The challenges this person may see, newest on-site first: all of them for the LGA's
    planners; their council's for a sponsor or organiser; the ones they are on for a peer;
    the ones they advise on for the region's advisers."""
    return (
        Challenge.objects.filter(alliance=alliance)
        .filter(visible_challenges_q(user, alliance.pk))
        .distinct()
        .select_related("offer", "local_authority")
        .order_by("-onsite_start", "-pk")
    )


def bookable_councils(*, user: User, alliance) -> QuerySet[LocalAuthority]:
    """Planners book for any council in England; a DCS for their own council(s)."""
    if roles_in(user, alliance.pk) & PLANNERS:
        return LocalAuthority.objects.order_by("name")
    mine = Membership.objects.filter(alliance=alliance, user=user, role=Role.DCS)
    return LocalAuthority.objects.filter(pk__in=mine.values("local_authority")).order_by("name")


def sponsor_emails(*, challenge: Challenge) -> list[str]:
    """Who hears of a shared emerging issue: the named sponsor; until one is named, the
    council's DCS."""
    if challenge.sponsor_id is not None:
        return [challenge.sponsor.email] if challenge.sponsor.email else []
    return sorted(
        set(
            Membership.objects.filter(
                alliance_id=challenge.alliance_id,
                role=Role.DCS,
                local_authority_id=challenge.local_authority_id,
                user__is_active=True,
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
