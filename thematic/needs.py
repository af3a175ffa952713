"""The thematic offer's items for the home page's "what needs you now" panel."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from peerchallenge.models import Alliance
from peerchallenge.needs import Need
from peerchallenge.permissions import alliance_ids_of, council_ids_in, roles_in

from .models import NextSteps, Nomination, ThematicEvent, ThemeSuggestion
from .permissions import PLANNERS


def thematic_needs(user) -> list[Need]:
    """Planners: suggestions to decide, KLOEs to publish, summaries to issue. Council people:
    officers to nominate before the event, next steps to submit after it. Five queries at
    most, whatever the number of events or councils."""
    alliances = alliance_ids_of(user)
    if not alliances:
        return []
    today = timezone.localdate()
    planner_of = {a for a in alliances if roles_in(user, a) & PLANNERS}
    my_councils = set().union(*(council_ids_in(user, a) for a in alliances))
    needs: list[Need] = []
    if planner_of:
        for suggestion in ThemeSuggestion.objects.filter(
            alliance__in=planner_of,
            alliance__kind=Alliance.Kind.REGIONAL,
            status=ThemeSuggestion.Status.OPEN,
        ).select_related("alliance"):
            needs.append(
                Need(
                    f"Decide on the suggested theme “{suggestion.name}”",
                    reverse(
                        "thematic:suggestion_decide",
                        kwargs={"alliance": suggestion.alliance.slug, "suggestion": suggestion.pk},
                    ),
                    suggestion.alliance.short_name,
                )
            )
    if not planner_of and not my_councils:
        return needs
    # Planners: every recent event of theirs; council people: their councils' events only.
    wanted = Q(alliance__in=planner_of) | Q(councils__in=my_councils)
    recent_ids = ThematicEvent.objects.filter(
        wanted,
        alliance__in=alliances,
        alliance__kind=Alliance.Kind.REGIONAL,  # the national alliance has no thematic offer
        next_steps_due__gte=today - datetime.timedelta(days=60),
    ).values("pk")
    recent = list(
        ThematicEvent.objects.filter(pk__in=recent_ids).select_related(
            "alliance", "theme", "summary"
        )
    )
    taking_part: dict[int, list] = {}
    nominated = submitted = set()
    if my_councils and recent:
        for row in ThematicEvent.councils.through.objects.filter(
            thematicevent__in=recent, localauthority__in=my_councils
        ).select_related("localauthority"):
            taking_part.setdefault(row.thematicevent_id, []).append(row.localauthority)
        nominated = set(
            Nomination.objects.filter(event__in=recent, council__in=my_councils).values_list(
                "event_id", "council_id"
            )
        )
        submitted = set(
            NextSteps.objects.filter(event__in=recent, council__in=my_councils).values_list(
                "event_id", "council_id"
            )
        )

    def url(name, event, **kwargs):
        return reverse(
            f"thematic:{name}",
            kwargs={"alliance": event.alliance.slug, "event": event.pk, **kwargs},
        )

    for event in recent:
        label, where = event.alliance.short_name, f"the {event.theme.name} thematic challenge"
        if event.alliance_id in planner_of:
            if not event.kloes_published and event.date >= today:
                needs.append(
                    Need(f"Publish the key lines of enquiry for {where}",
                         url("event_kloes", event), label, event.nominations_due)
                )  # fmt: skip
            summary = getattr(event, "summary", None)
            if event.date < today and (summary is None or summary.issued_at is None):
                needs.append(
                    Need(f"Write and issue the emerging themes summary of {where}",
                         url("summary", event), label, event.next_steps_due)
                )  # fmt: skip
        for council in taking_part.get(event.pk, []):
            key = (event.pk, council.pk)
            if event.date >= today and key not in nominated:
                needs.append(
                    Need(
                        f"Nominate {council.name}'s officers for {where}",
                        url("nominations", event, gss=council.gss_code),
                        label,
                        event.nominations_due,
                        event.nominations_due < today,
                    )
                )
            if event.date < today and key not in submitted:
                needs.append(
                    Need(
                        f"Submit {council.name}'s next steps from {where}",
                        url("next_steps", event, gss=council.gss_code),
                        label,
                        event.next_steps_due,
                        event.next_steps_due < today,
                    )
                )
    return needs
