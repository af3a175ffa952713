"""The thematic offer's rows on the alliance overview: each event whose summary of emerging
themes is not issued yet, at its stage, with its next date and what is late. The
offer's obligations' queries and no more, whatever the number of events.

Stages, in order:
1. Scheduled: before the event, the key lines of enquiry are not published yet.
2. Nominations: the key lines of enquiry are published; the councils nominate officers
   until the nominations deadline.
3. Ready for the event: published, nominations closed, the event is still to come.
4. Next steps due: from the event day to the next steps deadline.
5. Summary to write: after the next steps deadline, until the summary is issued.

What is late comes from its obligations that are overdue, in the words of obligations.LATE.
An event is on the overview while it is live (obligations.live_events) and its summary is
not issued."""

import datetime

from django.urls import reverse
from django.utils.formats import date_format

from peerchallenge.models import Alliance
from peerchallenge.overview import ChallengeRow, challenge_key, challenge_row, late_by_challenge

from .models import ThematicEvent
from .obligations import LATE, obligations, summary_due

OFFER = "Thematic peer challenge"


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def thematic_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    if alliance.kind != Alliance.Kind.REGIONAL:  # the national alliance has no thematic offer
        return []
    due = obligations(alliances=[alliance.pk], today=today, people=False)
    # Every live event has one planners' obligation: to publish its key lines of enquiry
    # before it, to issue its summary after it. So the events come with them, with no query
    # of their own (the page's query budget is tight).
    planners = [o for o in due if o.kind in ("thematic.publish_kloes", "thematic.summary")]
    events = sorted(
        (o.subject for o in planners if not (o.kind == "thematic.summary" and o.done)),
        key=lambda event: (event.date, event.pk),
    )
    late = late_by_challenge(obligations=due, sentences=LATE, today=today)
    return [_row(event, today, late.get(challenge_key(event), [])) for event in events]


def _stage(event: ThematicEvent, today: datetime.date) -> tuple[str, int]:
    if today < event.date:
        if not event.kloes_published:
            return "Scheduled", 1
        if today <= event.nominations_due:
            return "Nominations", 2
        return "Ready for the event", 3
    if today <= event.next_steps_due:
        return "Next steps due", 4
    return "Summary to write", 5


def _row(event: ThematicEvent, today: datetime.date, late: list[str]) -> ChallengeRow:
    dates = sorted(
        [
            (event.nominations_due, "nominations due"),
            (event.date, "event day"),
            (event.next_steps_due, "next steps due"),
            (summary_due(event), "summary due"),
        ],
        key=lambda pair: pair[0],
    )
    stage, position = _stage(event, today)
    return challenge_row(
        offer=OFFER,
        uid=f"thematic-{event.pk}",
        name=f"{event.theme.name}, {_day(event.date)}",
        stage=stage,
        position=position,
        url=reverse(
            "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
        ),
        dates=dates,
        late=late,
        today=today,
        permission="thematic.view_event",
    )
