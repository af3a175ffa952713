"""Who may do what in the thematic offer (regional alliances only: the national alliance
does not run thematic challenges, see `register`).

- Role rules: every member sees the alliance's themes and events; council people (and the
  planners) suggest and support themes; the planners (programme manager, coordinator)
  decide suggestions, schedule events, publish KLOEs, write and issue the summary.
- Object rules on an event: its participating councils' people, the members of its Tier 2
  group and its nominees who have accounts see it; the Tier 2 group writes the summary with
  the coordinator; the participants' people download the issued summary.
- A council's nominations and next steps (`CouncilPart`, the pair event + council) are seen
  by the council's own people, the planners and the event's Tier 2 group; the other
  participating councils see them only once the summary is issued.
"""

from dataclasses import dataclass

from peerchallenge.models import COUNCIL_ROLES, Alliance
from peerchallenge.permissions import (
    PLANNERS,
    alliance_of_kind,
    council_ids_in,
    register_object_rule,
    roles_in,
)
from reports.permissions import DOWNLOAD_REPORT

from .models import ThematicEvent

RULES = {
    # Every member of a regional alliance: see `register`.
    "thematic.view_events": frozenset(),
    "thematic.suggest_theme": COUNCIL_ROLES | PLANNERS,
    "thematic.decide_suggestion": PLANNERS,
    "thematic.manage_event": PLANNERS,
    "thematic.view_event": PLANNERS,
    "thematic.write_summary": PLANNERS,
    "thematic.issue_summary": PLANNERS,
    "thematic.view_council_part": PLANNERS,
    "thematic.change_council_part": frozenset(),
}


@dataclass
class CouncilPart:
    """One council's part in one event: the object its nominations and template hang on."""

    event: object
    council: object

    @property
    def alliance_id(self) -> int:
        return self.event.alliance_id


def event_council_ids(event) -> frozenset[int]:
    """The event's participating council ids, loaded once per event object."""
    cached = getattr(event, "_council_ids", None)
    if cached is None:
        cached = event._council_ids = frozenset(event.councils.values_list("pk", flat=True))
    return cached


def in_events_group(user, event) -> bool:
    cached = getattr(event, "_group_member_ids", None)
    if cached is None:
        cached = event._group_member_ids = frozenset(
            event.tier2_group.members.values_list("pk", flat=True)
        )
    return user.pk in cached


def my_council_takes_part(user, event) -> bool:
    return bool(council_ids_in(user, event.alliance_id) & event_council_ids(event))


def nominated(user, event) -> bool:
    return event.nominations.filter(email__iexact=user.email).exists()


def summary_issued(event) -> bool:
    summary = getattr(event, "summary", None)  # None when there is none yet
    return summary is not None and summary.issued_at is not None


def entitled_to_the_summary(user, event) -> bool:
    """The planners, the Tier 2 group, and the participating councils' people."""
    if roles_in(user, event.alliance_id) & PLANNERS:
        return True
    if in_events_group(user, event):
        return True
    return bool(roles_in(user, event.alliance_id) & COUNCIL_ROLES) and my_council_takes_part(
        user, event
    )


def my_own_part(user, part) -> bool:
    return part.council.pk in council_ids_in(user, part.alliance_id)


def group_part(user, part) -> bool:
    return in_events_group(user, part.event)


def fellow_participant_after_issue(user, part) -> bool:
    return summary_issued(part.event) and my_council_takes_part(user, part.event)


def register() -> None:
    register_object_rule("thematic.view_events", Alliance, alliance_of_kind(Alliance.Kind.REGIONAL))
    for rule in (my_council_takes_part, in_events_group, nominated):
        register_object_rule("thematic.view_event", ThematicEvent, rule)
    register_object_rule("thematic.write_summary", ThematicEvent, in_events_group)
    register_object_rule(DOWNLOAD_REPORT, ThematicEvent, entitled_to_the_summary)
    for rule in (my_own_part, group_part, fellow_participant_after_issue):
        register_object_rule("thematic.view_council_part", CouncilPart, rule)
    register_object_rule("thematic.change_council_part", CouncilPart, my_own_part)
