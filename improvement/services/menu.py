"""The menu of support: councils' offers (from a strength they evidence) and needs (from
their self-evaluations' areas for development, and from what the planners record), the
planners' brokering of a need to an offer (improvement.broker's rule), both councils' DCSs
accepting or declining, and the match's completion with its impact."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from peerchallenge.models import LocalAuthority, User

from ..broker import NeedFacts, OfferFacts, offer_fits
from ..models import (
    MENU_THEMES,
    Cycle,
    SectionText,
    SelfEvaluation,
    SupportMatch,
    SupportNeed,
    SupportOffer,
    TemplateSection,
)


def _theme_checked(theme: str, *, required: bool = True) -> str:
    theme = theme.strip()
    if not theme and not required:
        return ""
    if theme not in MENU_THEMES:
        raise ValidationError({"theme": "Choose a theme from the list."})
    return theme


def offer_add(
    *,
    cycle: Cycle,
    council: LocalAuthority,
    theme: str,
    kind: str,
    title: str,
    description: str,
    capacity: int,
    evidence: str,
    evidence_text: str,
    created_by: User,
) -> SupportOffer:
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the offer."
    if not evidence_text.strip():
        errors["evidence_text"] = (
            "Say what evidences the strength (the indicator, the judgement or the report)."
        )
    if capacity is None or capacity < 1:
        errors["capacity"] = "Enter how many councils it can support, 1 or more."
    if errors:
        raise ValidationError(errors)
    return SupportOffer.objects.create(
        alliance_id=cycle.alliance_id,
        cycle=cycle,
        council=council,
        theme=_theme_checked(theme),
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        capacity=capacity,
        evidence=evidence,
        evidence_text=evidence_text.strip(),
        created_by=created_by,
    )


def need_add(
    *,
    cycle: Cycle,
    council: LocalAuthority,
    theme: str,
    title: str,
    source: str,
    note: str,
    created_by: User,
) -> SupportNeed:
    """A need the planners record (from intelligence, or by hand); the same need twice is
    refused by the field."""
    if not title.strip():
        raise ValidationError({"title": "Enter the need."})
    try:
        with transaction.atomic():
            return SupportNeed.objects.create(
                alliance_id=cycle.alliance_id,
                cycle=cycle,
                council=council,
                theme=_theme_checked(theme, required=False),
                title=title.strip()[:300],
                source=source,
                note=note.strip(),
                created_by=created_by,
            )
    except IntegrityError:
        raise ValidationError(
            {"title": f"{council.name} already has this need on the menu."}
        ) from None


def theme_guess(text: str) -> str:
    """The menu theme whose words an area for development uses most (none: "")."""
    words = set(text.casefold().replace(",", " ").split())
    best, score = "", 0
    for theme in MENU_THEMES:
        found = len(words & {w for w in theme.casefold().split() if len(w) > 3})
        if found > score:
            best, score = theme, found
    return best


@transaction.atomic
def needs_from_self_evaluations(*, cycle: Cycle, created_by: User) -> int:
    """A need for each area for development (one a line) of every submitted
    self-evaluation, its theme guessed from its words; an area already on the menu is kept.
    How many were added."""
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    existing = set(SupportNeed.objects.filter(cycle=cycle).values_list("council_id", "title"))
    texts = SectionText.objects.filter(
        self_evaluation__cycle=cycle,
        self_evaluation__state=SelfEvaluation.State.SUBMITTED,
        section__kind=TemplateSection.Kind.AREAS,
    ).select_related("self_evaluation")
    made = []
    for text in texts:
        council_id = text.self_evaluation.council_id
        for line in text.text.splitlines():
            title = line.strip(" -•*\t")[:300]
            if title and (council_id, title) not in existing:
                existing.add((council_id, title))
                made.append(
                    SupportNeed(
                        alliance_id=cycle.alliance_id,
                        cycle=cycle,
                        council_id=council_id,
                        theme=theme_guess(title),
                        title=title,
                        source=SupportNeed.Source.SELF_EVALUATION,
                        created_by=created_by,
                    )
                )
    SupportNeed.objects.bulk_create(made)
    return len(made)


def need_theme_set(*, need: SupportNeed, theme: str) -> SupportNeed:
    need.theme = _theme_checked(theme)
    need.save(update_fields=["theme"])
    return need


def offer_facts(offers) -> list[OfferFacts]:
    """The broker's view of these offers (each annotated with `used`, see offers_with_use)."""
    return [
        OfferFacts(
            id=offer.pk,
            council_id=offer.council_id,
            theme=offer.theme,
            evidence=offer.evidence,
            capacity=offer.capacity,
            used=offer.used,
        )
        for offer in offers
    ]


def offers_with_use(cycle: Cycle):
    """The cycle's offers, each with `used`: its matches that take up capacity."""
    return SupportOffer.objects.filter(cycle=cycle).annotate(
        used=Count("matches", filter=~Q(matches__state=SupportMatch.State.DECLINED))
    )


@transaction.atomic
def match_broker(*, need: SupportNeed, offer: SupportOffer, brokered_by: User) -> SupportMatch:
    """Broker `need` to `offer`, which must fit it (the broker's rule, checked with the
    offer's row locked so two planners cannot take its last place). Brokering the same pair
    twice gives the one match."""
    SupportOffer.objects.select_for_update().get(pk=offer.pk)
    existing = SupportMatch.objects.filter(need=need, offer=offer).first()
    if existing is not None:
        return existing
    used = offers_with_use(offer.cycle).get(pk=offer.pk).used
    matched = frozenset(
        SupportMatch.objects.filter(need=need)
        .exclude(state=SupportMatch.State.DECLINED)
        .values_list("offer_id", flat=True)
    )
    facts = OfferFacts(
        id=offer.pk,
        council_id=offer.council_id,
        theme=offer.theme,
        evidence=offer.evidence,
        capacity=offer.capacity,
        used=used,
    )
    if not offer_fits(
        NeedFacts(id=need.pk, council_id=need.council_id, theme=need.theme), facts, matched=matched
    ):
        raise ValidationError(
            "This offer does not fit the need: it must be on the same theme, from another "
            "council, and have capacity left."
        )
    return SupportMatch.objects.create(
        alliance_id=need.alliance_id, need=need, offer=offer, brokered_by=brokered_by
    )


@transaction.atomic
def match_decide(
    *, match: SupportMatch, side: str, accepts: bool, reason: str, decided_by: User
) -> SupportMatch:
    """One council's answer (`side`: "receiving" or "offering"): declining needs a reason;
    both accepting agrees the match; either declining declines it. Answering again before
    the other council has answered changes the answer."""
    match = SupportMatch.objects.select_for_update().get(pk=match.pk)
    if match.state != SupportMatch.State.PROPOSED:
        raise ValidationError("Both councils have already answered.")
    if not accepts and not reason.strip():
        raise ValidationError({"reason": "Say why the council declines."})
    setattr(match, f"{side}_accepts", accepts)
    setattr(match, f"{side}_reason", reason.strip())
    if match.receiving_accepts is False or match.offering_accepts is False:
        match.state = SupportMatch.State.DECLINED
    elif match.receiving_accepts and match.offering_accepts:
        match.state = SupportMatch.State.AGREED
    match.save()
    return match


@transaction.atomic
def match_complete(*, match: SupportMatch, impact: str) -> SupportMatch:
    match = SupportMatch.objects.select_for_update().get(pk=match.pk)
    if match.state == SupportMatch.State.COMPLETED:
        return match
    if match.state != SupportMatch.State.AGREED:
        raise ValidationError("Only an agreed match can be completed.")
    if not impact.strip():
        raise ValidationError({"impact": "Say what difference the support made."})
    match.state = SupportMatch.State.COMPLETED
    match.completed_at = timezone.now()
    match.impact = impact.strip()
    match.save(update_fields=["state", "completed_at", "impact"])
    return match
