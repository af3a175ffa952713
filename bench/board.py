"""seed_scale's Tier 2 board (`--actions N`): N agreed actions across the 153 councils from a
mix of every source a regional alliance has, monitored by one Tier 2 group.

Where: the thematic and on-demand offers run only in a regional alliance (their pages answer
404 in a national one), and a thematic event's councils, like an improvement plan's, must be
councils the alliance covers (`thematic.services.events`, `councils_of_alliance`). An alliance
covers its regions' councils and may have several regions (the council list then offers a
region filter), so the board lives in `bench-england`: a regional alliance whose regions are
all nine, so that its 153 councils reach the issue's scale. No real alliance covers England;
at the same density a one-region board (London, 33 councils) would hold about 2,150. The
LGA's own challenges are left out: they exist only in a national alliance.

The sources, for every council: 3 triad cycles of all 153 councils (counted twice when the
actions are shared out: the triads are the regional alliances' main offer), the 3 of 12
thematic events (6 themes, 2 events each, a quarter of the councils at each) it took part in,
and 0, 1 or 2 on-demand reviews with findings issued (153 reviews). Action n goes to council
n mod 153 and, within the council, to its sources in turn (an order shuffled once), so every
council has about N/153 actions from 6 to 8 sources. Each thematic participant has its next
steps template and each review's action its accepted recommendation, as the services would
leave them.

Bulk inserts without history rows and without the services (which email, check deadlines
one row at a time and would take minutes for 10,000 actions); deterministic for a seed."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.utils import timezone

from ondemand.models import Recommendation, RecommendationResponse, Review, Status
from peerchallenge.access_log import access_log_purge
from peerchallenge.models import (
    COUNCIL_ROLES,
    Action,
    ActionStatus,
    ActionUpdate,
    Alliance,
    LocalAuthority,
    Membership,
    Region,
    Tier2Group,
)
from peerchallenge.models.actions import actions_changed
from thematic.models import STANDARD_THEMES, NextSteps, ThematicEvent, Theme
from triads.models import Cycle

MIXED_SLUG = "bench-england"
MIXED_NAME = "Bench England (every region)"
TIER2_GROUP_NAME = "Bench safeguarding"
MANAGING_ROLES = ("alliance_admin", "programme_manager", "coordinator")

# Triad cycles of all the councils, this many days ago: two past years and the current one.
CYCLE_AGES = (850, 485, 120)
CYCLE_WEIGHT = 2  # a council's cycles count this many times when its actions are shared out
EXTRA_THEMES = ["Exploitation and missing children", "Workforce stability"]
THEMES = STANDARD_THEMES + EXTRA_THEMES
EVENTS_PER_THEME = 2
EVENT_GROUPS = 4  # each event takes one council in 4; each council is at 12 / 4 = 3 events
FIRST_EVENT_AGE, EVENT_GAP = 30, 35  # days ago: the latest event, then one every 5 weeks
# Reviews per council by its position (by GSS code) modulo 3: 153 in all.
REVIEWS_BY_POSITION = (2, 1, 0)
SERVICE_AREAS = [
    "Front door and MASH", "Children in care", "Care leavers", "Disabled children",
    "Child protection", "Early help", "Adolescent exploitation", "Fostering recruitment",
    "Private fostering", "Youth justice",
]  # fmt: skip
ACTION_STATUSES = [
    (ActionStatus.GREEN, 45),
    (ActionStatus.AMBER, 25),
    (ActionStatus.RED, 10),
    (ActionStatus.COMPLETE, 20),
]
ACTION_VERBS = [
    "Review", "Audit", "Strengthen", "Embed", "Refresh", "Publish", "Train staff on",
    "Improve", "Agree", "Evaluate",
]  # fmt: skip
ACTION_TOPICS = [
    "the front door and MASH thresholds", "supervision of social workers",
    "care leavers' pathway plans", "return home interviews", "the sufficiency strategy",
    "quality assurance of child protection plans", "exploitation risk assessments",
    "placement stability", "the voice of the child in assessments", "early help step-down",
]  # fmt: skip
ACTION_UPDATE_EVERY = 3  # about one action in three has a progress update
MIN_LEAD = datetime.timedelta(days=14)  # an action is due at least this long after its source


def board_alliance() -> Alliance | None:
    return Alliance.objects.filter(slug=MIXED_SLUG).first()


def board_actions_present() -> int:
    return Action.objects.filter(
        alliance__slug=MIXED_SLUG, tier2_group__name=TIER2_GROUP_NAME
    ).count()


def board_reset(alliances) -> None:
    """Delete the bench alliances' actions and everything they hang from, then the mixed
    board's alliance. Raw deletes for the big tables (no per-row signals, so no history
    rows for rows that were inserted without); the ORM for the few dozen sources."""
    ActionUpdate.objects.filter(alliance__in=alliances)._raw_delete("default")
    Recommendation.objects.filter(alliance__in=alliances)._raw_delete("default")
    Action.objects.filter(alliance__in=alliances)._raw_delete("default")
    NextSteps.objects.filter(alliance__in=alliances)._raw_delete("default")
    events = ThematicEvent.objects.filter(alliance__in=alliances)
    ThematicEvent.councils.through.objects.filter(thematicevent__in=events)._raw_delete("default")
    events.delete()
    Theme.objects.filter(alliance__in=alliances).delete()
    Review.objects.filter(alliance__in=alliances).delete()
    cycles = Cycle.objects.filter(alliance__in=alliances)
    Cycle.councils.through.objects.filter(cycle__in=cycles)._raw_delete("default")
    cycles.delete()
    Tier2Group.objects.filter(alliance__in=alliances).delete()
    mixed = Alliance.objects.filter(slug=MIXED_SLUG)
    # Its board's exports and plan downloads are in the access log, which protects the
    # alliance and refuses ordinary deletes: the log's maintenance path.
    access_log_purge(alliances=mixed)
    Membership.objects.filter(alliance__in=mixed)._raw_delete("default")
    mixed.delete()


def _alliance(*, national: Alliance) -> tuple[Alliance, list]:
    """The regional alliance of every region, run by the national one's managers (the same
    people in the same roles): they sign in to read its board."""
    [alliance] = Alliance.objects.bulk_create(
        [
            Alliance(
                name=MIXED_NAME,
                short_name="Bench England",
                slug=MIXED_SLUG,
                kind=Alliance.Kind.REGIONAL,
            )
        ]
    )
    Alliance.regions.through.objects.bulk_create(
        [
            Alliance.regions.through(alliance_id=alliance.pk, region_id=region.pk)
            for region in Region.objects.order_by("name")
        ]
    )
    managing = list(
        Membership.objects.filter(alliance=national, role__in=MANAGING_ROLES).order_by(
            "user_id", "role"
        )
    )
    if not managing:
        raise CommandError("No managers in the national bench alliance: seed it first.")
    Membership.objects.bulk_create(
        [Membership(alliance=alliance, user_id=m.user_id, role=m.role) for m in managing]
    )
    # Each council's DCS and organisers, as in its regional alliance: who the agreed
    # actions' reminders go to (the reminder scan's bench).
    council_people = Membership.objects.filter(
        alliance__slug__startswith="bench-",
        alliance__kind=Alliance.Kind.REGIONAL,
        role__in=COUNCIL_ROLES,
    ).exclude(alliance=alliance)
    Membership.objects.bulk_create(
        [
            Membership(
                alliance=alliance,
                user_id=m.user_id,
                role=m.role,
                local_authority_id=m.local_authority_id,
            )
            for m in council_people
        ],
        ignore_conflicts=True,
    )
    managers = sorted({m.user for m in managing}, key=lambda user: user.pk)
    return alliance, managers


def _cycles(*, alliance, councils, managers, today) -> list[Cycle]:
    cycles = Cycle.objects.bulk_create(
        [
            Cycle(
                alliance=alliance,
                name=f"Bench triad cycle {event:%B %Y}",
                event_date=event,
                created_by=managers[0],
                **Cycle.default_deadlines(event),
            )
            for event in (today - datetime.timedelta(days=age) for age in CYCLE_AGES)
        ]
    )
    Cycle.councils.through.objects.bulk_create(
        [
            Cycle.councils.through(cycle_id=cycle.pk, localauthority_id=council.pk)
            for cycle in cycles
            for council in councils
        ]
    )
    return cycles


def _events(*, alliance, councils, group, managers, today, now) -> list[ThematicEvent]:
    """12 past events, 2 per theme, each with a quarter of the councils and their next steps
    templates submitted a week after the event."""
    themes = Theme.objects.bulk_create(
        [
            Theme(alliance=alliance, name=name, description=f"Bench theme: {name.lower()}.")
            for name in THEMES
        ]
    )
    count = len(themes) * EVENTS_PER_THEME
    dates = [today - datetime.timedelta(days=FIRST_EVENT_AGE + EVENT_GAP * n) for n in range(count)]
    events = ThematicEvent.objects.bulk_create(
        [
            ThematicEvent(
                alliance=alliance,
                theme=themes[n % len(themes)],
                date=date,
                start_time=datetime.time(9, 30),
                end_time=datetime.time(13, 0) if n % 2 else datetime.time(16, 30),
                format=ThematicEvent.Format.ONLINE if n % 2 else ThematicEvent.Format.IN_PERSON,
                venue="" if n % 2 else f"Bench conference centre, room {n % 5 + 1}",
                online_link=f"https://meet.example.org/bench-{n}" if n % 2 else "",
                tier2_group=group,
                kloes_published_at=now - datetime.timedelta(days=(today - date).days + 21),
                created_by=managers[0],
                **ThematicEvent.default_deadlines(date),
            )
            for n, date in enumerate(dates)
        ]
    )
    ThematicEvent.councils.through.objects.bulk_create(
        [
            ThematicEvent.councils.through(thematicevent_id=event.pk, localauthority_id=c.pk)
            for n, event in enumerate(events)
            for position, c in enumerate(councils)
            if position % EVENT_GROUPS == n % EVENT_GROUPS
        ]
    )
    NextSteps.objects.bulk_create(
        [
            NextSteps(
                alliance=alliance,
                event=event,
                council=c,
                notes=f"What {c.name} took from the {event.theme.name.lower()} event.",
                submitted_at=now - datetime.timedelta(days=(today - event.date).days - 7),
                submitted_by=managers[position % len(managers)],
            )
            for n, event in enumerate(events)
            for position, c in enumerate(councils)
            if position % EVENT_GROUPS == n % EVENT_GROUPS
        ],
        batch_size=1000,
    )
    return events


def _reviews(*, alliance, councils, today, now) -> list[Review]:
    """Reviews with findings issued, 40 days to about a year ago, 0 to 2 per council."""
    reviews = []
    for position, council in enumerate(councils):
        for _ in range(REVIEWS_BY_POSITION[position % len(REVIEWS_BY_POSITION)]):
            number = len(reviews)
            start = today - datetime.timedelta(days=40 + (number * 37) % 330)
            area = SERVICE_AREAS[number % len(SERVICE_AREAS)]
            reviews.append(
                Review(
                    alliance=alliance,
                    local_authority=council,
                    service_area=area,
                    primary_kloe=f"How well does {area.lower()} keep children safe?",
                    why_now="Our own audits found practice uneven across teams.",
                    preferred_start=start,
                    start_date=start,
                    days=1 + number % 2,
                    status=Status.FINDINGS_ISSUED,
                    requested_at=now - datetime.timedelta(days=(today - start).days + 60),
                    decided_at=now - datetime.timedelta(days=(today - start).days + 45),
                    key_findings=f"Strengths and areas for development in {area.lower()}.",
                    findings_issued_at=now - datetime.timedelta(days=(today - start).days - 10),
                )
            )
    return Review.objects.bulk_create(reviews)


def board_seed(*, count: int, rng: random.Random) -> dict:
    """The mixed board: its alliance, sources and `count` actions. Returns what it made."""
    national = Alliance.objects.get(slug="bench-national")
    alliance, managers = _alliance(national=national)
    councils = list(LocalAuthority.objects.order_by("gss_code"))
    today, now = timezone.localdate(), timezone.now()
    # Managers see every group of their alliance anyway; members make the group theirs.
    group = Tier2Group.objects.create(alliance=alliance, name=TIER2_GROUP_NAME)
    group.members.set(managers)
    cycles = _cycles(alliance=alliance, councils=councils, managers=managers, today=today)
    events = _events(
        alliance=alliance, councils=councils, group=group, managers=managers, today=today, now=now
    )
    reviews = _reviews(alliance=alliance, councils=councils, today=today, now=now)

    # Each council's sources, in turn: (content type id, object id, the day it was agreed).
    cycle_type, event_type, review_type = (
        ContentType.objects.get_for_model(model).pk for model in (Cycle, ThematicEvent, Review)
    )
    slots = {c.pk: [] for c in councils}
    for cycle in cycles:
        for c in councils:
            slots[c.pk] += [(cycle_type, cycle.pk, cycle.event_date)] * CYCLE_WEIGHT
    for n, event in enumerate(events):
        for position, c in enumerate(councils):
            if position % EVENT_GROUPS == n % EVENT_GROUPS:
                slots[c.pk].append((event_type, event.pk, event.date))
    for review in reviews:
        slots[review.local_authority_id].append(
            (review_type, review.pk, review.findings_issued_at.date())
        )

    for own in slots.values():  # shuffled, so that a council's first actions mix the offers
        rng.shuffle(own)

    statuses, weights = zip(*ACTION_STATUSES, strict=True)
    actions = []
    for index in range(count):
        position, turn = index % len(councils), index // len(councils)
        council = councils[position]
        own = slots[council.pk]
        type_id, source_id, agreed = own[turn % len(own)]
        # From six months overdue to a year ahead (about a quarter overdue), never before the
        # source was agreed.
        due = today + datetime.timedelta(days=rng.randint(-180, 365))
        actions.append(
            Action(
                alliance=alliance,
                local_authority=council,
                source_type_id=type_id,
                source_id=source_id,
                what=f"{rng.choice(ACTION_VERBS)} {rng.choice(ACTION_TOPICS)}",
                owner=f"Head of service {index % 17 + 1}",
                due_date=max(due, agreed + MIN_LEAD),
                tier2_group=group,
                status=rng.choices(statuses, weights)[0],
                created_by=rng.choice(managers),
                created_at=now - datetime.timedelta(days=max(1, (today - agreed).days - 7)),
                agreed_on=agreed,
            )
        )
    actions = Action.objects.bulk_create(actions, batch_size=1000)
    actions_changed(alliance_id=alliance.pk)  # bulk_create saves no model: say it (the caches)
    positions: dict[int, int] = {}
    recommendations = []
    for action in actions:
        if action.source_type_id == review_type:
            positions[action.source_id] = positions.get(action.source_id, 0) + 1
            recommendations.append(
                Recommendation(
                    alliance=alliance,
                    review_id=action.source_id,
                    text=action.what,
                    position=positions[action.source_id],
                    response=RecommendationResponse.ACCEPTED,
                    action=action,
                    responded_at=action.created_at,
                )
            )
    Recommendation.objects.bulk_create(recommendations, batch_size=1000)
    updates = ActionUpdate.objects.bulk_create(
        [
            ActionUpdate(
                alliance=alliance,
                action=action,
                kind=ActionUpdate.Kind.PROGRESS,
                status=action.status,
                note=f"Progress against the plan: {rng.randint(10, 90)}% done.",
                author=rng.choice(managers),
                created_at=now - datetime.timedelta(days=rng.randint(1, 59)),
            )
            for action in actions[::ACTION_UPDATE_EVERY]
        ],
        batch_size=1000,
    )
    by_offer = {"triads": 0, "thematic": 0, "ondemand": 0}
    for action in actions:
        key = {cycle_type: "triads", event_type: "thematic", review_type: "ondemand"}
        by_offer[key[action.source_type_id]] += 1
    return {
        "alliance": alliance,
        "group": group,
        "actions": actions,
        "updates": len(updates),
        "overdue": sum(
            1 for a in actions if a.status != ActionStatus.COMPLETE and a.due_date < today
        ),
        "sources": (len(cycles), len(events), len(reviews)),
        "by_offer": by_offer,
    }
