"""Read-side queries for the LGA's peer challenges."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from peerchallenge.models import Alliance, LocalAuthority, Membership, Role, User
from peerchallenge.permissions import roles_in
from peerchallenge.recipients import People, email_addresses, people_of

from .models import Challenge, FeedbackReport, Offer, ReportState, ShareAudience
from .permissions import PLANNERS, SHARE_AUDIENCE_ROLES, share_audiences_of, visible_challenges_q


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


def challenge_sponsors(*, challenge: Challenge, people: People | None = None) -> list[User]:
    """Who speaks for the council (accepts the scoping proposal, hears of emerging issues):
    the named sponsor while their account is active (nobody else: only they may accept);
    until one is named, the council's active DCSs. `people`: the council's people already
    loaded (recipients.people_of) by a caller handling many challenges; else one query."""
    if challenge.sponsor_id is not None:
        return [challenge.sponsor] if challenge.sponsor.is_active else []
    if people is None:
        people = people_of(
            alliance=challenge.alliance_id,
            council_ids=[challenge.local_authority_id],
            council_roles=[Role.DCS],
        )
    return people.council(challenge.local_authority_id, Role.DCS)


def challenge_organisers(*, challenge: Challenge, people: People | None = None) -> list[User]:
    """Who sends the advance documents (permissions.document_senders_q): the named
    organiser; until one is named (or once theirs is a closed account), the council's
    active organisers and DCS. `people` as for `challenge_sponsors`."""
    organiser = challenge.organiser
    if organiser is not None and organiser.is_active:
        return [organiser]
    if people is None:
        people = people_of(
            alliance=challenge.alliance_id, council_ids=[challenge.local_authority_id]
        )
    return people.council(challenge.local_authority_id)


def sponsor_emails(*, challenge: Challenge) -> list[str]:
    """The sponsors' addresses (`challenge_sponsors`), each once."""
    return email_addresses(challenge_sponsors(challenge=challenge))


def document_sender_emails(*, challenge: Challenge) -> list[str]:
    """The document senders' addresses (`challenge_organisers`), each once."""
    return email_addresses(challenge_organisers(challenge=challenge))


# Sharing the final report with the region ---------------------------------------------------
# A shared report belongs to the LGA (one tenant) and is read from the council's regional
# alliance (another): these queries are truly cross-alliance, so they run with scopes
# disabled and filter explicitly. Who reads is permissions.SHARE_AUDIENCE_ROLES.


def regional_alliances_of(*, challenge: Challenge) -> list[Alliance]:
    """The regional alliances of the challenge's council's region (usually one), by name."""
    with scopes_disabled():
        return list(
            Alliance.objects.filter(
                kind=Alliance.Kind.REGIONAL, regions=challenge.local_authority.region_id
            ).order_by("name")
        )


def share_audience_label(*, audience: str, alliances: list[Alliance]) -> str:
    """ "Programme managers and planners of East Midlands", "Everyone in East Midlands"."""
    names = " and ".join(alliance.name for alliance in alliances) or "the regional alliance"
    if audience == ShareAudience.PLANNERS:
        return f"Programme managers and planners of {names}"
    if audience == ShareAudience.MEMBERS:
        return f"Everyone in {names}"
    return ""


def shared_reports_for(*, user: User, alliance: Alliance) -> QuerySet[FeedbackReport]:
    """The final reports this person reads from this regional alliance: shared by a council
    in one of its regions, with an audience this person is in here (built with scopes
    disabled, see above: it may be evaluated in the regional alliance's scope)."""
    with scopes_disabled():
        return FeedbackReport.objects.filter(
            alliance__kind=Alliance.Kind.NATIONAL,
            state=ReportState.FINAL,
            shared_with_region_at__isnull=False,
            share_audience__in=share_audiences_of(user, alliance.pk),
            challenge__local_authority__region__in=alliance.regions.all(),
        )


@dataclass(frozen=True)
class Reader:
    email: str
    alliance_slug: str


def shared_report_readers(*, challenge: Challenge, audience: str) -> list[Reader]:
    """Everyone who reads the challenge's report when it is shared with `audience`: the
    active members of its regional alliance(s) holding one of the audience's roles, each
    once (with the alliance they read it from), by e-mail address."""
    roles = SHARE_AUDIENCE_ROLES.get(audience, frozenset())
    if not roles:
        return []
    with scopes_disabled():
        rows = (
            Membership.objects.filter(
                alliance__kind=Alliance.Kind.REGIONAL,
                alliance__regions=challenge.local_authority.region_id,
                role__in=roles,
                user__is_active=True,
            )
            .exclude(user__email="")
            .order_by("user__email", "alliance__name")
            .values_list("user__email", "alliance__slug")
        )
        readers: dict[str, Reader] = {}
        for email, slug in rows:
            readers.setdefault(email.lower(), Reader(email=email, alliance_slug=slug))
    return list(readers.values())
