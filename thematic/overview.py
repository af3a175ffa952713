"""The thematic offer's rows on the alliance overview: each event whose summary of emerging
themes is not issued yet, at its stage, with its next date and what is late. One query,
whatever the number of events (the counts are subqueries of it).

Stages, in order:
1. Scheduled: before the event, the key lines of enquiry are not published yet.
2. Nominations: the key lines of enquiry are published; the councils nominate officers
   until the nominations deadline.
3. Ready for the event: published, nominations closed, the event is still to come.
4. Next steps due: from the event day to the next steps deadline.
5. Summary to write: after the next steps deadline, until the summary is issued.

What is late (each rule on its own; the row lists all that apply):
- the key lines of enquiry are not published after the nominations deadline (until the
  event day: after it they no longer matter);
- councils with no officer nominated after the nominations deadline (until the event day);
- councils that have not submitted their next steps after the next steps deadline;
- the summary is not issued when it is due (obligations.summary_due: two weeks after the
  next steps deadline), said with the number of whole weeks since that deadline."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format

from peerchallenge.models import Alliance
from peerchallenge.overview import ChallengeRow, challenge_row

from .models import NextSteps, Nomination, ThematicEvent
from .obligations import summary_due

OFFER = "Thematic peer challenge"


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _councils(queryset, *, event: str = "event", council: str = "council"):
    """How many distinct councils the rows of `queryset` about the outer event name."""
    return Coalesce(
        Subquery(
            queryset.filter(**{event: OuterRef("pk")})
            .order_by()
            .values(event)
            .annotate(n=Count(council, distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def thematic_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    if alliance.kind != Alliance.Kind.REGIONAL:  # the national alliance has no thematic offer
        return []
    events = (
        ThematicEvent.objects.filter(alliance=alliance)
        .filter(Q(summary__isnull=True) | Q(summary__issued_at__isnull=True))
        .select_related("alliance", "theme")
        .annotate(
            participants=_councils(
                ThematicEvent.councils.through.objects.all(),
                event="thematicevent",
                council="localauthority",
            ),
            nominated=_councils(Nomination.objects.all()),
            submitted=_councils(NextSteps.objects.all()),
        )
        .order_by("date", "pk")
    )
    return [_row(event, today) for event in events]


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


def _late(event: ThematicEvent, today: datetime.date) -> list[str]:
    late = []
    before_event = event.nominations_due < today < event.date
    if before_event and not event.kloes_published:
        late.append(
            f"the key lines of enquiry are not published, due {_day(event.nominations_due)}"
        )
    not_nominated = event.participants - event.nominated
    if before_event and not_nominated > 0:
        late.append(
            f"{not_nominated} of {event.participants} councils have not nominated officers, "
            f"due {_day(event.nominations_due)}"
        )
    missing = event.participants - event.submitted
    if today > event.next_steps_due and missing > 0:
        late.append(
            f"{missing} of {event.participants} councils have not submitted next steps, "
            f"due {_day(event.next_steps_due)}"
        )
    if today > summary_due(event):
        weeks = (today - event.next_steps_due).days // 7
        late.append(
            f"the summary is not issued {weeks} weeks after the next steps deadline "
            f"({_day(event.next_steps_due)})"
        )
    return late


def _row(event: ThematicEvent, today: datetime.date) -> ChallengeRow:
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
        late=_late(event, today),
        today=today,
    )
