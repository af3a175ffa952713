"""What is due, for whom, by when, and who is told: each offer states it once, as a list of
obligations, and the core derives from that one list the home page's "What needs you now",
the email reminders, the alliance overview's "late" column (peerchallenge.overview:
`late_by_challenge`, with a sentence per kind the offer declares) and the calendar's
deadlines (peerchallenge.calendar: `deadline_events`).

An offer declares, in its `obligations.py` module (found by OfferConfig):

- `REMINDER_KINDS`: the reminder kinds it sends (peerchallenge.reminders.ReminderKind), each
  with its default number of days; alliances switch them on and off and change the days.
- `obligations(*, alliances, today, user=None, reminder_days=None, people=True)`: its
  obligations in those alliances (ids) that are live today. It runs a constant number of
  queries, whatever the number of challenges, councils or people. Three optional narrowings
  let it query less, and it must honour them exactly:
  - `user`: only the obligations this person must act on (the home page, the calendar);
  - `reminder_days` (kind -> days, the alliance's enabled kinds): only those of which a
    reminder may be due today (the daily scan);
  - `people=False`: every obligation, but with `actors` and `told` left empty, so nobody is
    looked up (the overview, which counts what is late and names nobody).
- `LATE`: kind -> the overview's sentence for that kind's overdue obligations of one
  challenge (peerchallenge.overview.LateSentence), read by the offer's own overview; a kind
  without one is not said there.

An obligation that is done may be returned (the overview counts them); the home page and
the reminders skip it. Who acts and who is told are active people only
(peerchallenge.recipients). An obligation names the challenge it belongs to (`challenge`:
the cycle, event, review or challenge) when that is not its subject, so the overview can
group a challenge's obligations."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .registry import Registry


@dataclass(frozen=True, eq=False)
class Obligation:
    kind: str  # what it is, e.g. "triads.share_kloes"; unique within the offer
    subject: (
        object  # the model instance it is about; with kind, recipient and due, a reminder's key
    )
    alliance: object  # the Alliance (loaded: its slug and short name are shown)
    title: str  # what to do, said to whoever must: "Share Derby's key lines of enquiry for March"
    url: str  # where to do it
    due: datetime.date | None = None
    # A thing with no deadline whose reminder counts from the day it began (e.g. "accept the
    # proposal", reminded some days after it was sent): that day. Shown undated.
    since: datetime.date | None = None
    done: bool = False
    council: object | None = None  # the LocalAuthority it concerns, if one
    # The challenge it belongs to (a cycle, event, review, challenge), if not the subject.
    challenge: object | None = None
    actors: tuple = ()  # who must act (Users): it is on their home page
    told: tuple | None = None  # who is reminded by email; None: the actors
    # The reminders that tell of it: reminder kind -> the email's subject (without the
    # "[Action required] " prefix). A kind the alliance switched off sends nothing.
    reminders: Mapping[str, str] = field(default_factory=dict)
    todo: str = ""  # the reminder's "what to do" sentence
    action_required: bool = True
    email_template: str = "reminder"
    context: Mapping = field(default_factory=dict)

    @property
    def recipients(self) -> tuple:
        return self.actors if self.told is None else self.told

    @property
    def reminder_date(self) -> datetime.date | None:
        """The date a reminder counts from (and part of its key): the due date, or `since`."""
        return self.due if self.due is not None else self.since

    @property
    def belongs_to(self):
        """The challenge it is part of: `challenge`, or else its subject."""
        return self.subject if self.challenge is None else self.challenge

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.done and self.due is not None and self.due < today

    def is_for(self, user) -> bool:
        return any(actor.pk == user.pk for actor in self.actors)


PROVIDERS: Registry[Callable[..., Iterable[Obligation]]] = Registry("obligation providers")
# The kinds of alliance an offer runs in (OfferConfig.alliance_kinds); a provider not named
# runs in every kind.
_KINDS: dict[Callable, frozenset[str]] = {}


def register(provider: Callable[..., Iterable[Obligation]], *, alliance_kinds=()):
    if alliance_kinds:
        _KINDS[provider] = frozenset(alliance_kinds)
    return PROVIDERS.register(provider)


def _of_kinds(alliances: list[int], kinds: frozenset[str], user, known: dict) -> list[int]:
    """The alliances of these kinds: from the person's access when they are theirs (loaded
    with their roles: no query), else from one query, kept in `known` for the next offer."""
    # Here, not at the top: the models load after this module (OfferConfig imports it).
    from peerchallenge.models import Alliance
    from peerchallenge.permissions import alliance_ids_of

    if user is not None:
        theirs = set(alliance_ids_of(user, kinds=kinds))
        return [alliance for alliance in alliances if alliance in theirs]
    if not known:
        known.update(Alliance.objects.filter(pk__in=alliances).values_list("pk", "kind"))
    return [alliance for alliance in alliances if known.get(alliance) in kinds]


def obligations(
    *,
    alliances: Iterable[int],
    today: datetime.date,
    user=None,
    reminder_days: Mapping[str, int] | None = None,
    people: bool = True,
) -> list[Obligation]:
    """Every offer's obligations in these alliances (see the module's docstring)."""
    alliances = list(alliances)
    if not alliances:
        return []
    known: dict[int, str] = {}
    found = []
    for provider in PROVIDERS:
        kinds = _KINDS.get(provider)
        # An offer is asked only about the alliances it runs in: none, no queries.
        where = _of_kinds(alliances, kinds, user, known) if kinds else alliances
        if where:
            found += provider(
                alliances=where,
                today=today,
                user=user,
                reminder_days=reminder_days,
                people=people,
            )
    return found


def open_obligations_of(*, user, alliances: Iterable[int], today: datetime.date):
    """What this person must do now, in these alliances: not done, theirs to act on, the
    soonest due first (undated last)."""
    found = [
        obligation
        for obligation in obligations(alliances=alliances, today=today, user=user)
        if not obligation.done and obligation.is_for(user)
    ]
    return sorted(found, key=lambda o: (o.due is None, o.due or datetime.date.max, o.title, o.url))
