"""What the triad offer asks of whom, and by when (peerchallenge.offers.obligations): the
home page's "What needs you now" and the reminders both come from here.

- Planners (programme managers, coordinators): put a cycle's councils into triads before its
  key lines of enquiry are due; issue its summary report once the event has happened.
- Each council in a triad (its organisers and DCS): share its key lines of enquiry before the
  event (reminded before they are due); complete its event-day template after the event
  (reminded before that is due).
- A triad's consultant: read the draft key lines of its councils and comment, before the
  event.

A cycle is live (on people's lists, and on the alliance overview until its summary is
issued) until HISTORY_AFTER after its event (`live_cycles`): an alliance records its
earlier cycles (so the grouping avoids their pairings) without running them in the app, and
a two-year-old cycle listed as overdue for ever would bury what is really late. The overview
says what is late with LATE. A fixed number of queries, whatever the number of cycles,
triads or councils."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from peerchallenge.dates import day_text
from peerchallenge.models import KeyLineOfEnquiry
from peerchallenge.offers.obligations import Obligation
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.recipients import council_people_by_alliance, planners_by_alliance

from .models import Cycle, EventTemplate, TriadMember
from .permissions import PLANNERS
from .selectors import issued_summaries

HISTORY_AFTER = datetime.timedelta(days=365)

# The overview's "late" sentence of each kind (peerchallenge.overview.late_by_challenge).
LATE = {
    "triads.arrange": "the councils were to be in triads before {due}",
    "triads.share_kloes": "{late} of {total} councils have not shared key lines of enquiry, "
    "due {due}",
    "triads.event_template": "{late} of {total} event-day templates not completed, due {due}",
    "triads.summary": "the summary report was due on {due}",
}

REMINDER_KINDS = [
    {
        "key": "kloes_due",
        "label": "Key lines of enquiry due",
        "default_days": 7,
        "description": "Reminds the organisers and DCS of each council in a triad that has not "
        "shared a key line of enquiry before the cycle's deadline.",
    },
    {
        "key": "template_due",
        "label": "Event-day template due",
        "default_days": 2,
        "description": "Reminds the organisers and DCS of each council whose event-day "
        "template is not complete before the deadline after the event.",
    },
]


def _url(name: str, cycle: Cycle, **kwargs) -> str:
    return reverse(
        f"triads:{name}", kwargs={"alliance": cycle.alliance.slug, "cycle": cycle.pk, **kwargs}
    )


def live_cycles(today: datetime.date) -> Q:
    """The cycles still live today (see the module's docstring)."""
    return Q(event_date__gte=today - HISTORY_AFTER)


def _cycles(*, alliances, today, reminder_days) -> list[Cycle]:
    if reminder_days is None:
        live = live_cycles(today)
    else:  # only cycles with a reminder due today
        live = Q(pk__in=[])
        for kind, field in (("kloes_due", "kloes_due"), ("template_due", "templates_due")):
            if kind in reminder_days:
                last = today + datetime.timedelta(days=reminder_days[kind])
                live |= Q(**{f"{field}__gte": today, f"{field}__lte": last})
    # Whether its councils are in triads and its summary is issued, in the same query.
    return list(
        Cycle.objects.filter(live, alliance__in=alliances)
        .annotate(
            has_triads=Exists(TriadMember.objects.filter(cycle=OuterRef("pk"))),
            summary_issued=Exists(
                issued_summaries(alliances=alliances).filter(subject_id=OuterRef("pk"))
            ),
        )
        .select_related("alliance")
    )


def obligations(
    *, alliances, today, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    cycles = _cycles(alliances=alliances, today=today, reminder_days=reminder_days)
    if not cycles:
        return []
    found: list[Obligation] = []
    if reminder_days is None:
        found += _planner_obligations(
            cycles=cycles, alliances=alliances, today=today, user=user, people=people
        )
    members, kloes = _members_and_kloes(cycles=cycles, user=user, people=people)
    found += _council_obligations(
        cycles=cycles, members=members, kloes=kloes, today=today, user=user, people=people
    )
    if reminder_days is None:
        found += _consultant_obligations(
            cycles=cycles, members=members, kloes=kloes, today=today, user=user, people=people
        )
    return found


def _members_and_kloes(*, cycles, user, people) -> tuple[list[TriadMember], dict]:
    """The cycles' triad members that matter here (every one; for a person, those of their
    councils and of the triads they are the consultant of), each with its council and triad,
    and each (cycle, council)'s key lines: (any shared, number of drafts). Two queries,
    shared by the councils' and the consultants' obligations."""
    members = TriadMember.objects.filter(cycle__in=cycles).select_related(
        "council", "triad__consultant" if people else "triad"
    )
    if user is not None:
        wanted = Q(triad__consultant=user)
        for alliance_id in {cycle.alliance_id for cycle in cycles}:
            councils = council_ids_in(user, alliance_id)
            if councils:
                wanted |= Q(alliance=alliance_id, council__in=councils)
        members = members.filter(wanted)
    members = list(members)
    kloes: dict[tuple[int, int], tuple[bool, int]] = {}
    if not members:
        return members, kloes
    rows = KeyLineOfEnquiry.objects.filter(
        challenge_type=ContentType.objects.get_for_model(Cycle),
        challenge_id__in={member.cycle_id for member in members},
        local_authority__in={member.council_id for member in members},
    ).values_list("challenge_id", "local_authority_id", "shared_at")
    for cycle_id, council_id, shared_at in rows:
        shared, drafts = kloes.get((cycle_id, council_id), (False, 0))
        kloes[(cycle_id, council_id)] = (shared or shared_at is not None, drafts + (not shared_at))
    return members, kloes


def _planner_obligations(*, cycles, alliances, today, user, people) -> list[Obligation]:
    if user is not None:
        planners = {a: (user,) for a in alliances if roles_in(user, a) & PLANNERS}
    elif not people:  # nobody named, every alliance's
        planners = dict.fromkeys(alliances, ())
    else:
        planners = planners_by_alliance(alliances=alliances)
    cycles = [cycle for cycle in cycles if cycle.alliance_id in planners]
    if not cycles:
        return []
    found = []
    for cycle in cycles:
        actors = planners[cycle.alliance_id]
        if cycle.event_date >= today:
            found.append(
                Obligation(
                    kind="triads.arrange",
                    subject=cycle,
                    alliance=cycle.alliance,
                    title=f"Put the councils of {cycle.name} into triads",
                    url=_url("triad_arrange", cycle),
                    due=cycle.kloes_due,
                    done=cycle.has_triads,
                    actors=actors,
                )
            )
        if cycle.event_date < today:
            found.append(
                Obligation(
                    kind="triads.summary",
                    subject=cycle,
                    alliance=cycle.alliance,
                    title=f"Issue the summary report of {cycle.name}",
                    url=_url("summary", cycle),
                    due=cycle.report_due,
                    done=cycle.summary_issued,
                    actors=actors,
                )
            )
    return found


def _council_obligations(*, cycles, members, kloes, today, user, people) -> list[Obligation]:
    by_id = {cycle.pk: cycle for cycle in cycles}
    if user is not None:  # their councils' members, not those of a triad they advise
        members = [m for m in members if m.council_id in council_ids_in(user, m.alliance_id)]
    if not members:
        return []
    completed = set(
        EventTemplate.objects.filter(cycle__in=by_id, completed_at__isnull=False).values_list(
            "cycle_id", "local_authority_id"
        )
    )
    if user is not None:  # the home page: only this person's own part
        who = {(m.alliance_id, m.council_id): (user,) for m in members}
    elif not people:
        who = {}
    else:
        who = council_people_by_alliance(pairs={(m.alliance_id, m.council_id) for m in members})
    found = []
    for member in members:
        cycle = by_id[member.cycle_id]
        actors = who.get((member.alliance_id, member.council_id), ())
        key = (cycle.pk, member.council_id)
        if cycle.event_date >= today:
            found.append(
                Obligation(
                    kind="triads.share_kloes",
                    subject=member,
                    challenge=cycle,
                    alliance=cycle.alliance,
                    council=member.council,
                    title=f"Share {member.council.name}'s key lines of enquiry for {cycle.name}",
                    url=_url("triad_detail", cycle, triad=member.triad_id),
                    due=cycle.kloes_due,
                    done=kloes.get(key, (False, 0))[0],
                    actors=actors,
                    reminders={
                        "kloes_due": f"Share {member.council}'s key lines of enquiry for "
                        f"{cycle} by {day_text(cycle.kloes_due)}"
                    },
                    todo="Write your council's key lines of enquiry and share them with your "
                    "triad.",
                )
            )
        if today > cycle.event_date:
            found.append(
                Obligation(
                    kind="triads.event_template",
                    subject=member,
                    challenge=cycle,
                    alliance=cycle.alliance,
                    council=member.council,
                    title=f"Complete {member.council.name}'s event-day template for {cycle.name}",
                    url=_url("event_template", cycle, gss=member.council.gss_code),
                    due=cycle.templates_due,
                    done=key in completed,
                    actors=actors,
                    reminders={
                        "template_due": f"Complete {member.council}'s event-day template for "
                        f"{cycle} by {day_text(cycle.templates_due)}"
                    },
                    todo="Record the next steps and agreed actions from the event day, then "
                    "mark the template complete.",
                )
            )
    return found


def _consultant_obligations(*, cycles, members, kloes, today, user, people) -> list[Obligation]:
    """Before the event, a triad's consultant reads the drafts of its councils."""
    by_id = {cycle.pk: cycle for cycle in cycles if cycle.event_date >= today}
    found = []
    for member in sorted(members, key=lambda m: m.council.name):
        consultant_id = member.triad.consultant_id
        drafts = kloes.get((member.cycle_id, member.council_id), (False, 0))[1]
        if member.cycle_id not in by_id or consultant_id is None or not drafts:
            continue
        if user is not None and consultant_id != user.pk:
            continue
        cycle = by_id[member.cycle_id]
        noun = "draft key line" if drafts == 1 else "draft key lines"
        found.append(
            Obligation(
                kind="triads.read_drafts",
                subject=member.triad,
                challenge=cycle,
                alliance=cycle.alliance,
                council=member.council,
                title=f"Read {member.council.name}'s {drafts} {noun} of enquiry for "
                f"{cycle.name} and comment",
                url=_url("triad_detail", cycle, triad=member.triad_id),
                due=cycle.kloes_due,
                actors=(member.triad.consultant,) if people else (),
            )
        )
    return found
