"""The alliance overview for its managers: every challenge in progress, whatever the offer,
at its stage; what is overdue; the month's dates.

Each offer registers a provider from AppConfig.ready() (the core never imports an offer):
`provider(*, alliance, today) -> list[ChallengeRow]`, the offer's challenges in progress in
that alliance, each with its stage, its next date, what is late and its dates for the month
view. A provider runs inside the alliance's scope and must make a fixed number of queries,
whatever the number of challenges.

The stage, its position and the dates are the offer's own. What is late is not: it comes
from the offer's obligations (peerchallenge.offers.obligations, asked with `people=False`)
that are overdue, through `late_by_challenge` and the sentence the offer gives each kind, so
the overview cannot disagree with the home page and the reminders."""

import calendar
import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.db.models import Count

from .calendar import CalendarEvent
from .dates import day_text
from .models import Action, ActionStatus, LocalAuthority, Tier2Group
from .offers.obligations import Obligation
from .offers.registry import Registry
from .selectors import cached_for_actions

VIEW_OVERVIEW = "peerchallenge.view_overview"


@dataclass(frozen=True)
class ChallengeRow:
    offer: str  # "Triad peer challenge"
    name: str  # "March 2028"
    stage: str  # "Key lines of enquiry"
    url: str
    next_date: datetime.date | None = None
    next_label: str = ""  # what happens on next_date
    overdue: str = ""  # what is late, in words; "" when nothing is
    position: int = 0  # the stage's place in the offer's sequence, to sort by stage
    events: tuple[CalendarEvent, ...] = field(default=())
    # The permission on the alliance that opens `url`, where seeing the overview is not
    # enough (an alliance admin sees every challenge's row, but not every offer's pages).
    permission: str = ""

    @property
    def is_overdue(self) -> bool:
        return bool(self.overdue)

    def without_links(self) -> "ChallengeRow":
        """The row for someone who may not open its pages: the same words, no links."""
        return replace(self, url="", events=tuple(replace(event, path="") for event in self.events))


def challenge_row(
    *,
    offer: str,
    uid: str,
    name: str,
    stage: str,
    position: int,
    url: str,
    dates: list[tuple[datetime.date, str]],
    late: list[str],
    today: datetime.date,
    permission: str = "",
) -> ChallengeRow:
    """A provider's row from a challenge's (day, what happens) dates: the first on or after
    today is its next date, all of them are its month-view events (ids `uid-<n>`), and the
    parts of `late` make its overdue sentence."""
    upcoming = sorted((day, label) for day, label in dates if day >= today)
    next_date, next_label = upcoming[0] if upcoming else (None, "")
    overdue = "; ".join(late)
    return ChallengeRow(
        offer=offer,
        name=name,
        stage=stage,
        url=url,
        next_date=next_date,
        next_label=next_label,
        overdue=overdue[:1].upper() + overdue[1:],
        position=position,
        permission=permission,
        events=tuple(
            CalendarEvent(f"{uid}-{index}", f"{name}: {label}", day, "", url)
            for index, (day, label) in enumerate(dates)
        ),
    )


@dataclass(frozen=True)
class LateGroup:
    """One challenge's obligations of one kind, some of them overdue."""

    kind: str
    obligations: tuple[Obligation, ...]  # all of the kind, done or not
    late: tuple[Obligation, ...]  # those overdue
    today: datetime.date

    @property
    def total(self) -> int:
        return len(self.obligations)

    @property
    def due(self) -> datetime.date:
        """The earliest due date of those overdue."""
        return min(obligation.due for obligation in self.late)


# A kind's "late" sentence: a format string with {late} (how many are overdue), {total} (how
# many there are, done or not) and {due} (the earliest overdue date, as "4 March 2027"), or,
# when a count or a date is not enough, a function of the LateGroup.
LateSentence = str | Callable[[LateGroup], str]


def challenge_key(challenge) -> tuple[str, int]:
    """What `late_by_challenge` keys a challenge (a model instance) by."""
    return (challenge._meta.label, challenge.pk)


def late_by_challenge(
    *,
    obligations: Iterable[Obligation],
    sentences: Mapping[str, LateSentence],
    today: datetime.date,
) -> dict[tuple[str, int], list[str]]:
    """What is late in each challenge, in words: its obligations grouped by the challenge they
    belong to (`challenge_key(obligation.belongs_to)`) and by kind, one sentence for each kind
    of which any is overdue, in the order of `sentences`. Kinds without a sentence are not
    said."""
    grouped: dict[tuple[str, int], dict[str, list[Obligation]]] = {}
    for obligation in obligations:
        if obligation.kind in sentences:
            kinds = grouped.setdefault(challenge_key(obligation.belongs_to), {})
            kinds.setdefault(obligation.kind, []).append(obligation)
    late: dict[tuple[str, int], list[str]] = {}
    for key, kinds in grouped.items():
        said = []
        for kind, sentence in sentences.items():
            found = kinds.get(kind, [])
            overdue = tuple(obligation for obligation in found if obligation.is_overdue(today))
            if not overdue:
                continue
            group = LateGroup(kind, tuple(found), overdue, today)
            if callable(sentence):
                said.append(sentence(group))
            else:
                said.append(
                    sentence.format(late=len(overdue), total=group.total, due=day_text(group.due))
                )
        if said:
            late[key] = said
    return late


PROVIDERS: Registry[Callable] = Registry("overview providers")


def register(provider: Callable) -> Callable:
    PROVIDERS.register(provider)
    return provider


@dataclass(frozen=True)
class OfferProgress:
    """One offer's challenges in progress, by stage."""

    offer: str
    rows: list[ChallengeRow]

    @property
    def stages(self) -> list[tuple[str, int]]:
        """(stage, how many challenges are at it), in the offer's order of stages."""
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.stage] = counts.get(row.stage, 0) + 1
        return list(counts.items())


def challenges_in_progress(*, alliance, today: datetime.date, user=None) -> list[OfferProgress]:
    """Every registered offer's challenges in progress in the alliance, by offer, each
    offer's sorted by stage and then by next date. For `user`, a row whose pages they may not
    open (its `permission`) is shown without links."""
    by_offer: dict[str, list[ChallengeRow]] = {}
    opens: dict[str, bool] = {"": True}
    for provider in PROVIDERS:
        for row in provider(alliance=alliance, today=today):
            if user is not None:
                if row.permission not in opens:
                    opens[row.permission] = user.has_perm(row.permission, alliance)
                if not opens[row.permission]:
                    row = row.without_links()
            by_offer.setdefault(row.offer, []).append(row)
    return [
        OfferProgress(
            offer,
            sorted(
                rows,
                key=lambda row: (row.position, row.next_date or datetime.date.max, row.name),
            ),
        )
        for offer, rows in sorted(by_offer.items())
    ]


def parse_month(value: str, *, today: datetime.date) -> datetime.date:
    """The first day of the month named "YYYY-MM"; this month for anything else."""
    try:
        year, month = (int(part) for part in value.split("-"))
        if len(value) == 7 and 1900 <= year <= 2999:
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


@dataclass(frozen=True)
class Day:
    date: datetime.date
    in_month: bool
    events: list[CalendarEvent]


@dataclass(frozen=True)
class MonthView:
    first: datetime.date
    weeks: list[list[Day]]  # Monday to Sunday

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first + datetime.timedelta(days=31)).replace(day=1)

    @property
    def event_count(self) -> int:
        return sum(len(day.events) for week in self.weeks for day in week if day.in_month)


def month_view(*, first: datetime.date, events: list[CalendarEvent]) -> MonthView:
    """The month starting `first` as weeks of days (Monday first), each day with its
    events; the days of the neighbouring months that fill the first and last weeks carry no
    events."""
    by_day: dict[datetime.date, list[CalendarEvent]] = {}
    for event in sorted(events, key=CalendarEvent.sort_key):
        if event.day.year == first.year and event.day.month == first.month:
            by_day.setdefault(event.day, []).append(event)
    weeks = [
        [
            Day(
                day,
                day.month == first.month,
                by_day.get(day, []) if day.month == first.month else [],
            )
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    return MonthView(first=first, weeks=weeks)


@dataclass(frozen=True)
class OverdueActions:
    total: int
    by_group: list[tuple[object, int]]  # (Tier 2 group, overdue actions it monitors)
    by_council: list[tuple[object, int]]  # (council, overdue actions in its plan)


def overdue_actions(*, alliance, today: datetime.date) -> OverdueActions:
    """The alliance's agreed actions past their due date and not complete, counted by Tier 2
    group and by council. One aggregate query, whatever the number of actions, councils and
    groups (each (council, group) pair is counted once with the names the page shows),
    cached until an action of the alliance changes."""
    return cached_for_actions(
        alliance=alliance,
        what=f"overdue-actions:{today}",
        compute=lambda: _overdue_actions(alliance=alliance, today=today),
    )


def _overdue_actions(*, alliance, today: datetime.date) -> OverdueActions:
    pairs = (
        Action.objects.filter(alliance=alliance, due_date__lt=today)
        .exclude(status=ActionStatus.COMPLETE)
        .order_by()
        .values_list(
            "local_authority",
            "local_authority__name",
            "local_authority__gss_code",
            "tier2_group",
            "tier2_group__name",
        )
        .annotate(n=Count("pk"))
    )
    councils: dict[int, LocalAuthority] = {}
    groups: dict[int, Tier2Group] = {}
    per_council: dict[int, int] = {}
    per_group: dict[int, int] = {}
    for council_id, council_name, gss_code, group_id, group_name, n in pairs:
        councils[council_id] = LocalAuthority(pk=council_id, name=council_name, gss_code=gss_code)
        per_council[council_id] = per_council.get(council_id, 0) + n
        if group_id is not None:
            groups[group_id] = Tier2Group(pk=group_id, alliance=alliance, name=group_name)
            per_group[group_id] = per_group.get(group_id, 0) + n
    return OverdueActions(
        total=sum(per_council.values()),
        by_group=sorted(
            ((group, per_group[pk]) for pk, group in groups.items()),
            key=lambda pair: pair[0].name,
        ),
        by_council=sorted(
            ((council, per_council[pk]) for pk, council in councils.items()),
            key=lambda pair: (-pair[1], pair[0].name),
        ),
    )
