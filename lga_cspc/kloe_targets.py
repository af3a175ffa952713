"""The LGA offer's part in "use as a line of enquiry" (peerchallenge.kloe_targets).

A challenge's lines of enquiry are the probes of its scope: `KeyLineOfEnquiry` rows on the
challenge, titled by the element of the scope they belong to, one line each, written by the
LGA's planners while the scoping is open (services.scoping). A line from a flag fits there
on those terms only: it is filed under an element already in the scope that has room for
another (`focus_areas.MAX_PROBES`), its question is one line (the figures; the person's
reason is kept as why it matters), and only whoever changes the scope (`manage_challenge`)
may add it, from a data pack in the LGA's own alliance. It is then a line of the scope like
any other, changed or removed on the scope page and sent in the next proposal. Nobody else
(a council's DCS, a regional alliance) adds to an LGA challenge's scope this way."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse

from peerchallenge.dates import day_text
from peerchallenge.kloe_targets import KloeTarget, KloeTargets
from peerchallenge.models import KeyLineOfEnquiry

from .data.focus_areas import MAX_PROBES
from .models import Challenge, ScopeElement
from .services.scoping import SCOPING_STAGES

WRITE = "lga_cspc.manage_challenge"


def _scope_url(challenge: Challenge, alliance) -> str:
    return reverse(
        "lga_cspc:scope_elements", kwargs={"alliance": alliance.slug, "challenge": challenge.pk}
    )


def scope_targets(*, alliance, council, user) -> list[KloeTarget]:
    """Each element of the scope of the council's challenges still being scoped, with room
    for another line, when `user` changes the scope. Three queries at most; none for
    anyone else."""
    if not user.has_perm(WRITE, alliance):
        return []
    challenges = {
        challenge.pk: challenge
        for challenge in Challenge.objects.filter(
            alliance=alliance, local_authority=council, stage__in=SCOPING_STAGES
        ).select_related("offer")
    }
    if not challenges:
        return []
    lines = {
        (challenge_id, title): count
        for challenge_id, title, count in KeyLineOfEnquiry.objects.filter(
            challenge_type=ContentType.objects.get_for_model(Challenge),
            challenge_id__in=challenges,
        )
        .order_by()
        .values_list("challenge_id", "title")
        .annotate(count=Count("pk"))
    }
    targets = []
    for element in ScopeElement.objects.filter(challenge__in=challenges).order_by(
        "challenge__onsite_start", "challenge", "kind", "position", "name"
    ):
        if lines.get((element.challenge_id, element.name), 0) >= MAX_PROBES:
            continue
        challenge = challenges[element.challenge_id]
        targets.append(
            KloeTarget(
                key=f"lga_cspc.challenge:{challenge.pk}:{element.pk}",
                label=f"{challenge.offer.name} of {council.name}, on site from "
                f"{day_text(challenge.onsite_start)}: {element.name}",
                offer=challenge.offer.name,
                challenge=challenge,
                url=_scope_url(challenge, alliance),
                title=element.name,
                one_line=True,
            )
        )
    return targets


def scope_kloe_links(*, kloes, user) -> dict[int, str]:
    """The scope page of each line's challenge, for whoever changes the scope (where the
    lines are read). One query."""
    kloes = list(kloes)
    challenges = Challenge.objects.filter(
        pk__in={kloe.challenge_id for kloe in kloes}
    ).select_related("alliance")
    pages = {
        challenge.pk: _scope_url(challenge, challenge.alliance)
        for challenge in challenges
        if user.has_perm(WRITE, challenge)
    }
    return {kloe.pk: pages[kloe.challenge_id] for kloe in kloes if kloe.challenge_id in pages}


KLOE_TARGETS = KloeTargets(
    model=f"lga_cspc.{Challenge.__name__}", targets=scope_targets, links=scope_kloe_links
)
