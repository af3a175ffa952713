"""Reading the improvement cycle: the alliance's current cycle, its template, each
council's self-evaluation, and the board of every council's progress."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, F, Prefetch
from django.utils import timezone

from peerchallenge.grouping import CouncilInfo
from peerchallenge.models import Document, DocumentVersion, LocalAuthority
from peerchallenge.selectors import (
    councils_covered_by,
    councils_of_alliance,
    ofsted_latest_by_council,
)
from reports.models import ReportVersion

from .models import (
    Cycle,
    DevelopmentPlan,
    Priority,
    RegionalPlan,
    Scrutiny,
    SectionText,
    SelfEvaluation,
    SupportMatch,
    SupportNeed,
    SupportOffer,
    TemplateSection,
)


def cycle_current(alliance) -> Cycle | None:
    """The alliance's latest cycle (a cycle runs until its regional plan, the next summer,
    and the next one opens in the autumn), or None before the first."""
    return Cycle.objects.filter(alliance=alliance).order_by("-year").first()


def cycle_year_next(alliance, *, today: datetime.date | None = None) -> int | None:
    """The year a cycle may be opened for now: this year from July on (the self-evaluations
    are written in November and December), last year before then; None when the alliance
    already has that year's cycle (or a later one)."""
    today = today or timezone.localdate()
    year = today.year if today.month >= 7 else today.year - 1
    latest = cycle_current(alliance)
    if latest is not None and latest.year >= year:
        return None
    return year


def year_label(year: int) -> str:
    """As the alliance names a cycle: "2026-27"."""
    return f"{year}-{(year + 1) % 100:02}"


def template_of(cycle: Cycle) -> list[TemplateSection]:
    return list(cycle.sections.order_by("position", "pk"))


def has_submissions(cycle: Cycle) -> bool:
    """Whether any council has submitted its self-evaluation (the template is then fixed)."""
    return cycle.self_evaluations.exclude(submitted_at=None).exists()


def self_evaluation_of(*, cycle: Cycle, council: LocalAuthority) -> SelfEvaluation | None:
    return (
        SelfEvaluation.objects.filter(cycle=cycle, council=council)
        .select_related("submitted_by", "returned_by")
        .first()
    )


def texts_of(self_evaluation: SelfEvaluation | None) -> dict[int, SectionText]:
    """section id -> what the council wrote in it. One query (none without a
    self-evaluation)."""
    if self_evaluation is None:
        return {}
    return {
        text.section_id: text
        for text in SectionText.objects.filter(self_evaluation=self_evaluation).select_related(
            "updated_by"
        )
    }


@dataclass(frozen=True)
class BoardRow:
    council: LocalAuthority
    self_evaluation: SelfEvaluation | None
    written: int  # sections with text
    late: bool  # the self-evaluation is not submitted and its deadline has passed
    scrutinies: int = 0  # councils assigned to scrutinise it
    moderated: int = 0  # of those, with their moderation note in
    scrutiny_late: bool = False  # a moderation note missing after the scrutiny deadline
    plan_state: str = ""  # its development plan's state; "" before it is started
    priorities: int = 0
    plan_late: bool = False  # not submitted after the plan deadline
    challenges: int = 0  # councils assigned to challenge its plan
    challenged: int = 0  # of those, with their moderation note in

    @property
    def submitted(self) -> bool:
        return self.self_evaluation is not None and self.self_evaluation.is_locked

    @property
    def state_label(self) -> str:
        if self.self_evaluation is None:
            return "Not started"
        return self.self_evaluation.get_state_display()


def board_rows(cycle: Cycle, *, today: datetime.date | None = None) -> list[BoardRow]:
    """Each council of the alliance with its self-evaluation's state, how many of the
    template's sections it has written, and its peer scrutiny (councils assigned, moderation
    notes in) and its development plan, in five queries whatever the councils."""
    today = today or timezone.localdate()
    councils = list(councils_of_alliance(alliance=cycle.alliance).order_by("name"))
    evaluations = {
        evaluation.council_id: evaluation
        for evaluation in SelfEvaluation.objects.filter(cycle=cycle)
    }
    written: dict[int, int] = {}
    for self_evaluation_id in (
        SectionText.objects.filter(self_evaluation__cycle=cycle)
        .exclude(text="")
        .values_list("self_evaluation_id", flat=True)
    ):
        written[self_evaluation_id] = written.get(self_evaluation_id, 0) + 1
    scrutinies: dict[int, list[bool]] = {}
    challenges: dict[int, list[bool]] = {}
    for stage, council_id, note in Scrutiny.objects.filter(cycle=cycle).values_list(
        "stage", "council_id", "moderation_note"
    ):
        found = challenges if stage == Scrutiny.Stage.PLAN else scrutinies
        found.setdefault(council_id, []).append(bool(note))
    plans = {
        council_id: (state, count)
        for council_id, state, count in DevelopmentPlan.objects.filter(cycle=cycle)
        .annotate(count=Count("priorities"))
        .values_list("council_id", "state", "count")
    }
    past_due = today > cycle.self_evaluation_due
    scrutiny_past_due = today > cycle.scrutiny_due
    plan_past_due = today > cycle.plan_due
    rows = []
    for council in councils:
        evaluation = evaluations.get(council.pk)
        submitted = evaluation is not None and evaluation.is_locked
        rows.append(
            BoardRow(
                council=council,
                self_evaluation=evaluation,
                written=written.get(evaluation.pk, 0) if evaluation else 0,
                late=past_due and not submitted,
                scrutinies=len(scrutinies.get(council.pk, [])),
                moderated=sum(scrutinies.get(council.pk, [])),
                scrutiny_late=scrutiny_past_due and not all(scrutinies.get(council.pk, [True])),
                plan_state=plans.get(council.pk, ("", 0))[0],
                priorities=plans.get(council.pk, ("", 0))[1],
                plan_late=plan_past_due and plans.get(council.pk, ("", 0))[0] != "submitted",
                challenges=len(challenges.get(council.pk, [])),
                challenged=sum(challenges.get(council.pk, [])),
            )
        )
    return rows


@dataclass
class OpenCycle:
    """An alliance's current cycle, its councils and the state of each one's
    self-evaluation (council id -> state; absent: not started)."""

    cycle: Cycle
    councils: list
    states: dict[int, str]
    # The scrutinies and challenges: (stage, council id, scrutineer id, moderated, replied).
    scrutinies: list = field(default_factory=list)
    plans: dict[int, str] = field(default_factory=dict)  # council id -> its plan's state
    # Brokered support waiting for a council's answer: (match id, acting council id, side,
    # the other council's id, the need's title, the day it was brokered).
    answers: list = field(default_factory=list)
    plan_issued: bool = False  # the regional development plan


OPEN_CYCLES_SECONDS = 60


def _open_key(alliance_id: int) -> str:
    return f"improvement:open-cycle:{alliance_id}"


def open_cycles_of(alliances, *, today: datetime.date) -> dict[int, OpenCycle]:
    """Each of these alliances' current cycle that has not ended (its regional plan's date
    not passed), with its councils, their self-evaluations' states and scrutinies and their
    development plans' states. From the cache (forgotten on every save of a cycle, a
    self-evaluation, a scrutiny, a plan or a brokered match: `open_cycles_forget`), or six
    queries at most for the alliances it lacks, whatever the alliances, councils and years."""
    alliance_ids = list(alliances)
    keys = {alliance_id: _open_key(alliance_id) for alliance_id in alliance_ids}
    found = cache.get_many(list(keys.values()))
    missing = [alliance_id for alliance_id in alliance_ids if keys[alliance_id] not in found]
    if missing:
        fresh: dict[int, OpenCycle | None] = dict.fromkeys(missing)
        for cycle in (
            Cycle.objects.filter(alliance__in=missing)
            .select_related("alliance")
            .annotate(issued_at=F("regional_plan__issued_at"))
            .order_by("year")
        ):
            fresh[cycle.alliance_id] = OpenCycle(
                cycle=cycle, councils=[], states={}, plan_issued=cycle.issued_at is not None
            )
        latest = {key: entry for key, entry in fresh.items() if entry is not None}
        if latest:
            by_cycle = {entry.cycle.pk: key for key, entry in latest.items()}
            for cycle_id, council_id, state in SelfEvaluation.objects.filter(
                cycle__in=list(by_cycle)
            ).values_list("cycle_id", "council_id", "state"):
                latest[by_cycle[cycle_id]].states[council_id] = state
            for cycle_id, council_id, state in DevelopmentPlan.objects.filter(
                cycle__in=list(by_cycle)
            ).values_list("cycle_id", "council_id", "state"):
                latest[by_cycle[cycle_id]].plans[council_id] = state
            for row in SupportMatch.objects.filter(
                need__cycle__in=list(by_cycle), state=SupportMatch.State.PROPOSED
            ).values_list(
                "pk",
                "need__cycle_id",
                "need__council_id",
                "offer__council_id",
                "receiving_accepts",
                "offering_accepts",
                "need__title",
                "brokered_at",
            ):
                match_id, cycle_id, need_council, offer_council, receiving, offering = row[:6]
                title, brokered = row[6], timezone.localdate(row[7])
                answers = latest[by_cycle[cycle_id]].answers
                if receiving is None:
                    answers.append(
                        (match_id, need_council, "receiving", offer_council, title, brokered)
                    )
                if offering is None:
                    answers.append(
                        (match_id, offer_council, "offering", need_council, title, brokered)
                    )
            for cycle_id, stage, council_id, scrutineer_id, note, reply in Scrutiny.objects.filter(
                cycle__in=list(by_cycle)
            ).values_list(
                "cycle_id", "stage", "council_id", "scrutineer_id", "moderation_note", "reply"
            ):
                latest[by_cycle[cycle_id]].scrutinies.append(
                    (stage, council_id, scrutineer_id, bool(note), bool(reply))
                )
            for alliance_id, councils in councils_covered_by(
                [entry.cycle.alliance for entry in latest.values()]
            ).items():
                latest[alliance_id].councils = councils
        # An alliance without a cycle is cached too, as False (a cache does not tell a stored
        # None from a missing key): nothing to ask next time.
        stored = {keys[alliance_id]: entry or False for alliance_id, entry in fresh.items()}
        cache.set_many(stored, OPEN_CYCLES_SECONDS)
        found.update(stored)
    return {
        alliance_id: entry
        for alliance_id in alliance_ids
        if (entry := found[keys[alliance_id]]) and entry.cycle.regional_plan_due >= today
    }


def open_cycles_forget(sender, instance, **kwargs) -> None:
    """A cycle or a self-evaluation was saved or deleted: its alliance's entry is stale."""
    open_cycle_forget(instance.alliance_id)


def open_cycle_forget(alliance_id: int) -> None:
    """The alliance's entry is stale: for writes that send no signal (bulk_create)."""
    cache.delete(_open_key(alliance_id))


# Peer scrutiny -------------------------------------------------------------------------------


def scrutinies_of(cycle: Cycle, *, stage: str = Scrutiny.Stage.SELF_EVALUATION) -> list[Scrutiny]:
    return list(
        Scrutiny.objects.filter(cycle=cycle, stage=stage)
        .select_related("council", "scrutineer", "moderated_by", "replied_by")
        .order_by("council__name", "scrutineer__name")
    )


def scrutinies_of_council(
    cycle: Cycle, council, *, stage: str = Scrutiny.Stage.SELF_EVALUATION
) -> list[Scrutiny]:
    """The scrutinies of one council, each with its comments (two queries)."""
    return list(
        Scrutiny.objects.filter(cycle=cycle, stage=stage, council=council)
        .select_related("scrutineer", "moderated_by", "replied_by")
        .prefetch_related("comments__written_by")
        .order_by("scrutineer__name")
    )


def scrutineer_ids(cycle: Cycle, council, *, stage: str = Scrutiny.Stage.SELF_EVALUATION) -> set:
    """The councils assigned to scrutinise `council` in the cycle. One query."""
    return set(
        Scrutiny.objects.filter(cycle=cycle, stage=stage, council=council).values_list(
            "scrutineer_id", flat=True
        )
    )


def past_pairs_of(cycle: Cycle) -> dict[frozenset[int], int]:
    """How often each pair of councils scrutinised each other (either way) in the alliance's
    earlier cycles: what the suggestion avoids. One query."""
    pairs: dict[frozenset[int], set] = {}
    for cycle_id, council_id, scrutineer_id in Scrutiny.objects.filter(
        cycle__alliance_id=cycle.alliance_id,
        cycle__year__lt=cycle.year,
        stage=Scrutiny.Stage.SELF_EVALUATION,
    ).values_list("cycle_id", "council_id", "scrutineer_id"):
        pairs.setdefault(frozenset((council_id, scrutineer_id)), set()).add(cycle_id)
    return {pair: len(cycles) for pair, cycles in pairs.items()}


def council_infos(councils) -> list[CouncilInfo]:
    """The grouping rule's view of each council: its id, name and latest Ofsted grade."""
    latest = ofsted_latest_by_council(councils=councils)
    return [
        CouncilInfo(id=c.pk, name=c.name, grade=latest[c.pk].grade if c.pk in latest else "")
        for c in councils
    ]


def scrutinies_by(
    cycle: Cycle, scrutineer_ids, *, stage: str = Scrutiny.Stage.SELF_EVALUATION
) -> list[Scrutiny]:
    """The scrutinies (or challenges) these councils do in the cycle, of submitted
    self-evaluations (or plans). One query (none without councils)."""
    if not scrutineer_ids:
        return []
    if stage == Scrutiny.Stage.PLAN:
        submitted = DevelopmentPlan.objects.filter(
            cycle=cycle, state=DevelopmentPlan.State.SUBMITTED
        ).values("council_id")
    else:
        submitted = SelfEvaluation.objects.filter(
            cycle=cycle, state=SelfEvaluation.State.SUBMITTED
        ).values("council_id")
    return list(
        Scrutiny.objects.filter(
            cycle=cycle,
            stage=stage,
            scrutineer__in=list(scrutineer_ids),
            council__in=submitted,
        )
        .select_related("council", "scrutineer")
        .order_by("council__name")
    )


# Development plans ----------------------------------------------------------------------------


def plan_of(*, cycle: Cycle, council) -> DevelopmentPlan | None:
    return (
        DevelopmentPlan.objects.filter(cycle=cycle, council=council)
        .select_related("submitted_by")
        .first()
    )


def priorities_of(plan: DevelopmentPlan | None) -> list[Priority]:
    """The plan's priorities in order, each with its action. One query (none without a plan)."""
    if plan is None:
        return []
    return list(plan.priorities.select_related("action").order_by("position", "pk"))


# The menu of support --------------------------------------------------------------------------


@dataclass
class Uptake:
    council: LocalAuthority
    offers: int = 0  # offers it made
    given: int = 0  # matches of its offers agreed or completed
    received: int = 0  # matches of its needs agreed or completed
    needs: int = 0


@dataclass
class Menu:
    offers: list  # SupportOffer, each with `used` and `taken` (agreed or completed matches)
    needs: list  # SupportNeed, each with `match_list`
    matches: list  # SupportMatch, with need, offer and both councils
    uptake: list  # Uptake per council with an offer or a need, by name


def menu_of(cycle: Cycle) -> Menu:
    """The cycle's menu: offers, needs, matches and uptake per council. Three queries
    whatever the councils, offers and needs."""
    offers = list(
        SupportOffer.objects.filter(cycle=cycle)
        .select_related("council")
        .order_by("theme", "council__name", "title")
    )
    needs = list(
        SupportNeed.objects.filter(cycle=cycle)
        .select_related("council")
        .order_by("council__name", "title")
    )
    matches = list(
        SupportMatch.objects.filter(need__cycle=cycle)
        .select_related("need__council", "offer__council")
        .order_by("-brokered_at", "pk")
    )
    by_offer: dict[int, list] = {}
    by_need: dict[int, list] = {}
    for match in matches:
        by_offer.setdefault(match.offer_id, []).append(match)
        by_need.setdefault(match.need_id, []).append(match)
    taken = (SupportMatch.State.AGREED, SupportMatch.State.COMPLETED)
    uptake: dict[int, Uptake] = {}
    for offer in offers:
        own = by_offer.get(offer.pk, [])
        offer.used = sum(1 for m in own if m.uses_capacity)
        offer.left = max(offer.capacity - offer.used, 0)
        offer.taken = sum(1 for m in own if m.state in taken)
        row = uptake.setdefault(offer.council_id, Uptake(council=offer.council))
        row.offers += 1
        row.given += offer.taken
    for need in needs:
        need.match_list = by_need.get(need.pk, [])
        row = uptake.setdefault(need.council_id, Uptake(council=need.council))
        row.needs += 1
        row.received += sum(1 for m in need.match_list if m.state in taken)
    return Menu(
        offers=offers,
        needs=needs,
        matches=matches,
        uptake=sorted(uptake.values(), key=lambda row: row.council.name),
    )


# The regional development plan ----------------------------------------------------------------

REGIONAL_PLAN_PDF = "improvement.regional_plan"


@dataclass
class CouncilSection:
    council: LocalAuthority
    needs: list  # SupportNeed, each with `match_list`
    offers: list  # SupportOffer, each with `taken`


@dataclass
class RegionalPlanContents:
    plan: RegionalPlan | None
    priorities: list  # (theme, councils sharing it), most shared first
    responses: list  # CollectiveResponse
    councils: list  # CouncilSection, by name


def regional_plan_of(cycle: Cycle) -> RegionalPlanContents:
    """What the regional development plan says (the page and the PDF): the common
    priorities, counted as the councils whose self-evaluations named an area for
    development on each theme; the collective responses; and each council's brokered
    support, needed and offered. Five queries whatever the councils."""
    plan = RegionalPlan.objects.filter(cycle=cycle).first()
    responses = list(plan.responses.order_by("starts_on", "title")) if plan else []
    menu = menu_of(cycle)
    sharing: dict[str, set] = {}
    for need in menu.needs:
        if need.source == SupportNeed.Source.SELF_EVALUATION and need.theme:
            sharing.setdefault(need.theme, set()).add(need.council.name)
    priorities = sorted(
        ((theme, sorted(names)) for theme, names in sharing.items()),
        key=lambda item: (-len(item[1]), item[0]),
    )
    sections: dict[int, CouncilSection] = {}
    for need in menu.needs:
        sections.setdefault(need.council_id, CouncilSection(need.council, [], [])).needs.append(
            need
        )
    for offer in menu.offers:
        sections.setdefault(offer.council_id, CouncilSection(offer.council, [], [])).offers.append(
            offer
        )
    return RegionalPlanContents(
        plan=plan,
        priorities=priorities,
        responses=responses,
        councils=sorted(sections.values(), key=lambda section: section.council.name),
    )


def regional_plan_pdfs(plan) -> list:
    """The plan's issued PDFs, newest first."""
    if plan is None:
        return []
    return list(
        ReportVersion.objects.filter(
            report=REGIONAL_PLAN_PDF,
            subject_type=ContentType.objects.get_for_model(plan),
            subject_id=plan.pk,
        ).order_by("-number")[:3]
    )


def evidence_of(evaluation: SelfEvaluation | None) -> list:
    """The documents attached to the self-evaluation, each with its versions (newest
    first). Two queries (none without a self-evaluation)."""
    if evaluation is None:
        return []
    return list(
        Document.objects.filter(
            challenge_type=ContentType.objects.get_for_model(SelfEvaluation),
            challenge_id=evaluation.pk,
        )
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
        )
        .order_by("title")
    )
