"""What the thematic offer asks of whom, and by when (peerchallenge.offers.obligations): the
home page's "What needs you now" and the reminders both come from here.

- Planners (programme managers, coordinators): decide each open theme suggestion; publish an
  event's key lines of enquiry before its nominations deadline (until the event); write and
  issue its emerging themes summary once the event has happened, due SUMMARY_DUE_AFTER
  after the next steps deadline (the overview says the same: `summary_due`).
- Each participating council (its organisers and DCS): nominate its officers before the
  nominations deadline (until the event; reminded before the deadline); submit its next
  steps after the event (reminded before they are due, and once when they are late). Late
  next steps are still taken (marked late, and they change the summary), so the council is
  asked for them, and told once they are late, whether or not the summary is issued.

An event is live (on people's lists, and on the alliance overview until its summary is
issued) until RECENT after its next steps were due (`live_events`); the overview says what is
late with LATE. The national alliance runs no thematic challenges. A fixed number of
queries, whatever the number of events, councils or people."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from peerchallenge.models import Alliance
from peerchallenge.offers.obligations import Obligation
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.recipients import council_people_by_alliance, planners_by_alliance
from peerchallenge.reminders import KINDS, reminder_is_due

from .models import NextSteps, Nomination, ThematicEvent, ThemeSuggestion
from .permissions import PLANNERS

RECENT = datetime.timedelta(days=60)
# The summary is expected this long after the councils' next steps are due.
SUMMARY_DUE_AFTER = datetime.timedelta(weeks=2)
REGIONAL = (Alliance.Kind.REGIONAL,)  # the national alliance runs no thematic challenges

NOMINATIONS_DUE = "thematic_nominations_due"
NEXT_STEPS_DUE = "thematic_next_steps_due"
NEXT_STEPS_LATE = "thematic_next_steps_late"

REMINDER_KINDS = [
    {
        "key": NOMINATIONS_DUE,
        "label": "Thematic challenge: officers to nominate",
        "default_days": 7,
        "alliance_kinds": REGIONAL,
        "description": "Reminds the organisers and DCS of each participating council that has "
        "not nominated officers before the nominations deadline.",
    },
    {
        "key": NEXT_STEPS_DUE,
        "label": "Thematic challenge: next steps due",
        "default_days": 3,
        "alliance_kinds": REGIONAL,
        "description": "Reminds the organisers and DCS of each participating council that has "
        "not submitted its next steps before the deadline after the event.",
    },
    {
        "key": NEXT_STEPS_LATE,
        "label": "Thematic challenge: next steps late",
        "default_days": 1,
        "description": "Tells the organisers and DCS once when their council's next steps are "
        "late (they are still accepted, marked late).",
        "after_due": True,
        "alliance_kinds": REGIONAL,
    },
]


def summary_due(event: ThematicEvent) -> datetime.date:
    """When the event's summary of emerging themes is expected."""
    return event.next_steps_due + SUMMARY_DUE_AFTER


def live_events(today: datetime.date) -> Q:
    """The events still live today (see the module's docstring)."""
    return Q(next_steps_due__gte=today - RECENT)


def _summary_late(group) -> str:
    event = group.late[0].subject
    weeks = (group.today - event.next_steps_due).days // 7
    return (
        f"the summary is not issued {weeks} weeks after the next steps deadline "
        f"({_when(event.next_steps_due)})"
    )


# The overview's "late" sentence of each kind (peerchallenge.overview.late_by_challenge).
LATE = {
    "thematic.publish_kloes": "the key lines of enquiry are not published, due {due}",
    "thematic.nominate": "{late} of {total} councils have not nominated officers, due {due}",
    "thematic.next_steps": "{late} of {total} councils have not submitted next steps, due {due}",
    "thematic.summary": _summary_late,
}


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _url(name: str, event: ThematicEvent, **kwargs) -> str:
    return reverse(
        f"thematic:{name}", kwargs={"alliance": event.alliance.slug, "event": event.pk, **kwargs}
    )


# --- who: small lookups (active people only) ---------------------------------------------


def _planners(*, alliances, user, people=True) -> dict[int, tuple]:
    """The planners of each alliance: on the home page, the person alone where they are one;
    without people, nobody, in every alliance."""
    if user is not None:
        return {a: (user,) for a in alliances if roles_in(user, a) & PLANNERS}
    if not people:
        return dict.fromkeys(alliances, ())
    return planners_by_alliance(alliances=alliances)


def _council_people(*, parts, user, people=True) -> dict[tuple[int, int], tuple]:
    """The organisers and DCS of each (alliance id, council id) of `parts`: on the home page,
    the person alone; without people, nobody."""
    if user is not None:
        return {(event.alliance_id, council.pk): (user,) for event, council in parts}
    if not people:
        return {}
    return council_people_by_alliance(pairs={(event.alliance_id, c.pk) for event, c in parts})


# --- what ---------------------------------------------------------------------------------


def obligations(
    *, alliances, today, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    if reminder_days is not None:
        if not reminder_days.keys() & {kind["key"] for kind in REMINDER_KINDS}:
            return []
        events = _events(alliances=alliances, today=today, reminder_days=reminder_days)
        return [
            obligation
            for obligation in _council_obligations(events=events, today=today, user=None)
            if _reminded_today(obligation, today=today, reminder_days=reminder_days)
        ]
    planners = _planners(alliances=alliances, user=user, people=people)
    found = _suggestion_obligations(planners=planners)
    wanted = Q()
    if user is not None:  # the events they plan, and those their councils take part in
        parts = [Q(alliance__in=list(planners))] if planners else []
        for alliance_id in alliances:
            councils = council_ids_in(user, alliance_id)
            if councils:
                parts.append(Q(alliance=alliance_id, councils__in=councils))
        if not parts:
            return found
        for part in parts:
            wanted |= part
    events = _events(alliances=alliances, today=today, wanted=wanted)
    found += _planner_obligations(events=events, planners=planners, today=today)
    found += _council_obligations(events=events, today=today, user=user, people=people)
    return found


def _reminded_today(obligation: Obligation, *, today, reminder_days) -> bool:
    return not obligation.done and any(
        kind in reminder_days
        and reminder_is_due(
            kind=KINDS[kind], due_date=obligation.due, days=reminder_days[kind], today=today
        )
        for kind in obligation.reminders
    )


def _events(*, alliances, today, wanted=None, reminder_days=None) -> list[ThematicEvent]:
    live = live_events(today)
    if reminder_days is not None:  # only events with a reminder due today
        windows = Q(pk__in=[])
        if NOMINATIONS_DUE in reminder_days:
            last = today + datetime.timedelta(days=reminder_days[NOMINATIONS_DUE])
            windows |= Q(nominations_due__gte=today, nominations_due__lte=last, date__gte=today)
        if NEXT_STEPS_DUE in reminder_days:
            last = today + datetime.timedelta(days=reminder_days[NEXT_STEPS_DUE])
            windows |= Q(next_steps_due__gte=today, next_steps_due__lte=last, date__lt=today)
        if NEXT_STEPS_LATE in reminder_days:
            first = today - datetime.timedelta(days=reminder_days[NEXT_STEPS_LATE])
            windows |= Q(next_steps_due__lte=first, date__lt=today)
        live &= windows
    ids = ThematicEvent.objects.filter(
        wanted or Q(), live, alliance__in=alliances, alliance__kind=Alliance.Kind.REGIONAL
    ).values("pk")
    return list(
        ThematicEvent.objects.filter(pk__in=ids).select_related("alliance", "theme", "summary")
    )


def _suggestion_obligations(*, planners) -> list[Obligation]:
    if not planners:
        return []
    suggestions = ThemeSuggestion.objects.filter(
        alliance__in=list(planners),
        alliance__kind=Alliance.Kind.REGIONAL,
        status=ThemeSuggestion.Status.OPEN,
    ).select_related("alliance")
    return [
        Obligation(
            kind="thematic.decide_suggestion",
            subject=suggestion,
            alliance=suggestion.alliance,
            title=f"Decide on the suggested theme “{suggestion.name}”",
            url=reverse(
                "thematic:suggestion_decide",
                kwargs={"alliance": suggestion.alliance.slug, "suggestion": suggestion.pk},
            ),
            actors=planners[suggestion.alliance_id],
        )
        for suggestion in suggestions
    ]


def _planner_obligations(*, events, planners, today) -> list[Obligation]:
    found = []
    for event in events:
        actors = planners.get(event.alliance_id)
        if actors is None:  # the home page of someone who does not plan here
            continue
        where = f"the {event.theme.name} thematic challenge"
        if event.date >= today:
            found.append(
                Obligation(
                    kind="thematic.publish_kloes",
                    subject=event,
                    alliance=event.alliance,
                    title=f"Publish the key lines of enquiry for {where}",
                    url=_url("event_kloes", event),
                    due=event.nominations_due,
                    done=event.kloes_published,
                    actors=actors,
                )
            )
        else:
            summary = getattr(event, "summary", None)  # None when there is none yet
            found.append(
                Obligation(
                    kind="thematic.summary",
                    subject=event,
                    alliance=event.alliance,
                    title=f"Write and issue the emerging themes summary of {where}",
                    url=_url("summary", event),
                    due=summary_due(event),
                    done=summary is not None and summary.issued_at is not None,
                    actors=actors,
                )
            )
    return found


def _council_obligations(*, events, today, user, people=True) -> list[Obligation]:
    if not events:
        return []
    rows = ThematicEvent.councils.through.objects.filter(thematicevent__in=events)
    if user is not None:  # the home page: only the person's own councils
        mine = {a: council_ids_in(user, a) for a in {event.alliance_id for event in events}}
        rows = rows.filter(localauthority__in=set().union(*mine.values()))
    by_id = {event.pk: event for event in events}
    # Whether each council has nominated and submitted, in the same query.
    of_row = {"event": OuterRef("thematicevent"), "council": OuterRef("localauthority")}
    rows = list(
        rows.select_related("localauthority")
        .annotate(
            nominated=Exists(Nomination.objects.filter(**of_row)),
            submitted=Exists(NextSteps.objects.filter(**of_row)),
        )
        .order_by("localauthority__name")
    )
    if user is not None:
        rows = [
            row
            for row in rows
            if row.localauthority_id in mine[by_id[row.thematicevent_id].alliance_id]
        ]
    if not rows:
        return []
    parts = [(by_id[row.thematicevent_id], row.localauthority) for row in rows]
    nominated = {(r.thematicevent_id, r.localauthority_id) for r in rows if r.nominated}
    submitted = {(r.thematicevent_id, r.localauthority_id) for r in rows if r.submitted}
    who = _council_people(parts=parts, user=user, people=people)
    found = []
    for event, council in parts:
        done = (event.pk, council.pk)
        actors = who.get((event.alliance_id, council.pk), ())
        where = f"the {event.theme.name} thematic challenge"
        on_the_day = f"{where} on {_when(event.date)}"
        if event.date >= today:
            found.append(
                Obligation(
                    kind="thematic.nominate",
                    subject=event,
                    alliance=event.alliance,
                    council=council,
                    title=f"Nominate {council.name}'s officers for {where}",
                    url=_url("nominations", event, gss=council.gss_code),
                    due=event.nominations_due,
                    done=done in nominated,
                    actors=actors,
                    reminders={
                        NOMINATIONS_DUE: f"Nominate {council}'s officers for {on_the_day} by "
                        f"{_when(event.nominations_due)}"
                    },
                    todo="Nominate the officers best suited to the theme.",
                )
            )
        else:
            due, late = event.next_steps_due, event.next_steps_due < today
            verb = "were due on" if late else "are due by"
            reminders = {
                NEXT_STEPS_LATE if late else NEXT_STEPS_DUE: f"{council}'s next steps from "
                f"{on_the_day} {verb} {_when(due)}"
            }
            found.append(
                Obligation(
                    kind="thematic.next_steps",
                    subject=event,
                    alliance=event.alliance,
                    council=council,
                    title=f"Submit {council.name}'s next steps from {where}",
                    url=_url("next_steps", event, gss=council.gss_code),
                    due=due,
                    done=done in submitted,
                    actors=actors,
                    reminders=reminders,
                    todo="Submit your council's next steps template: what it will do, who owns "
                    "it and by when.",
                )
            )
    return found
