"""The triad offer's part in "use as a line of enquiry" (peerchallenge.kloe_targets): a
council's triad in a cycle whose event has not passed takes new key lines of enquiry,
written (as on the triad's page) by the council's own organisers and DCS; the planners and
the triad's consultant read and comment but do not write a council's lines."""

from django.urls import reverse
from django.utils import timezone

from peerchallenge.dates import day_text
from peerchallenge.kloe_targets import KloeTarget, KloeTargets
from peerchallenge.permissions import council_ids_in

from .models import Cycle, TriadMember

OFFER = "Triad peer challenge"


def _triad_url(member: TriadMember) -> str:
    return reverse(
        "triads:triad_detail",
        kwargs={
            "alliance": member.cycle.alliance.slug,
            "cycle": member.cycle_id,
            "triad": member.triad_id,
        },
    )


def triad_targets(*, alliance, council, user) -> list[KloeTarget]:
    """The council's triad in each cycle not yet past its event, when `user` writes the
    council's lines (one of its organisers or its DCS). One query; none for anyone else."""
    if council.pk not in council_ids_in(user, alliance.pk):
        return []
    members = (
        TriadMember.objects.filter(
            alliance=alliance, council=council, cycle__event_date__gte=timezone.localdate()
        )
        .select_related("cycle__alliance", "triad")
        .order_by("cycle__event_date", "cycle__name")
    )
    return [
        KloeTarget(
            key=f"triads.cycle:{member.cycle_id}",
            label=f"{council.name}'s triad ({member.triad}) in {member.cycle.name}, event on "
            f"{day_text(member.cycle.event_date)}",
            offer=OFFER,
            challenge=member.cycle,
            url=_triad_url(member),
        )
        for member in members
    ]


def triad_kloe_links(*, kloes, user) -> dict[int, str]:
    """Each KLOE's triad page, for those the person may read (their council's, their
    triad's as its consultant, a shared one in their triad or seen by the planners). One
    query: the triads, which the permission rules then read from the KLOE."""
    kloes = list(kloes)
    members = {
        (member.cycle_id, member.council_id): member
        for member in TriadMember.objects.filter(
            cycle__in={kloe.challenge_id for kloe in kloes},
            council__in={kloe.local_authority_id for kloe in kloes},
        ).select_related("cycle__alliance", "triad")
    }
    found = {}
    for kloe in kloes:
        member = members.get((kloe.challenge_id, kloe.local_authority_id))
        # triads.permissions reads the KLOE's triad from here instead of querying it.
        kloe._triad = member.triad if member else None
        if member and user.has_perm("peerchallenge.view_keylineofenquiry", kloe):
            found[kloe.pk] = _triad_url(member)
    return found


KLOE_TARGETS = KloeTargets(
    model=f"triads.{Cycle.__name__}", targets=triad_targets, links=triad_kloe_links
)
