"""Demo data of the triad offer: past and upcoming cycles for the demo alliances.

Called by `TriadsConfig.seed_demo` from the `seed_demo` command, after the core demo data
(alliances, people, Ofsted grades) exists. Idempotent: a cycle is found by (alliance, name)
and created only if missing; triads are suggested and saved only for a cycle that has none,
so running it twice changes nothing. Past cycles are seeded oldest first, so each one's
suggestion avoids the pairs of the cycles before it as far as it can: 10 councils make
triads of 3, 3 and 4, and the four councils of a 2024 group of 4 cannot all go to different
triads in 2026, so the 2026 suggestion repeats exactly one 2024 pair (the fewest possible),
which the cycle's page shows as a repeat.
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django_scopes import scope

from peerchallenge.demo import demo_day
from peerchallenge.grouping import GroupingError, group_sizes, triads_suggest
from peerchallenge.models import (
    Action,
    Alliance,
    KeyLineOfEnquiry,
    Membership,
    Role,
    Tier2Group,
    User,
)
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.services import (
    action_change,
    action_create,
    action_remove,
    kloe_create,
    kloe_share,
)
from reports.models import ReportVersion

from .models import Cycle, SupportOffer, Triad
from .selectors import consultants_of_alliance, cycle_council_infos, cycle_past_pairs
from .services.cycles import cycle_create, triad_assign_consultant, triads_save
from .services.summary import summary_issue, summary_save

LONDON_BOROUGHS = ["Hackney", "Camden", "Croydon", "Lewisham", "Barnet", "Tower Hamlets"]

# slug: cycles, oldest first, dated as on `WRITTEN_FOR` (moved by `demo_day` when seeded, and
# named for the month they fall in); `current` marks the cycle with KLOEs, actions and a
# summary. `councils` None means every council of the alliance;
# `triads` False leaves the cycle in planning; `first_consultant` is where the round-robin
# of the alliance's consultants starts.
CYCLES = {
    "east-midlands": [
        {
            "title": "Children's social care peer challenge",
            "event_date": date(2024, 3, 14),
            "venue": "East Midlands Conference Centre, Nottingham",
            "online_link": "",
            "councils": None,
            "triads": True,
            "first_consultant": 0,
        },
        {
            "title": "Children's social care peer challenge",
            "current": True,
            "event_date": date(2026, 3, 12),
            "venue": "Leicester City Hall",
            "online_link": "https://meet.example.org/em-peer-challenge-2026",
            "councils": None,
            "triads": True,
            "first_consultant": 1,
        },
        {
            "title": "Children's social care peer challenge",
            "event_date": date(2028, 3, 16),
            "venue": "Lincoln Drill Hall",
            "online_link": "",
            "councils": None,
            "triads": False,
            "first_consultant": 0,
        },
    ],
    "london": [
        {
            "title": "London sub-regional DCS challenge",
            "event_date": date(2025, 10, 9),
            "venue": "",
            "online_link": "https://meet.example.org/liia-2025",
            "councils": LONDON_BOROUGHS,
            "triads": True,
            "first_consultant": 0,
        },
    ],
}


# Key lines of enquiry for the current cycle: (council, title, question, shared?).
KLOES = [
    (
        "Derby",
        "Early help",
        "How well does our early help offer reach families before "
        "problems escalate, and how do we know?",
        True,
    ),
    (
        "Derby",
        "Care leavers' housing",
        "What do our care leavers say about the suitability of their accommodation at 18 to 21?",
        True,
    ),
    (
        "Nottingham",
        "Workforce stability",
        "Why do newly qualified social workers leave "
        "within two years, and what would make them stay?",
        True,
    ),
    (
        "Leicestershire",
        "Neglect",
        "Is our neglect strategy changing practice on the ground, or only on paper?",
        True,
    ),
    (
        "Lincolnshire",
        "Voice of the child",
        "How consistently is the child's voice recorded and acted on in child protection plans?",
        False,
    ),
]

# Agreed actions from the current cycle's event, due dates moved by `demo_day`:
# (council, what, owner, due, status, group).
ACTIONS = [
    (
        "Derby",
        "Audit step-down decisions from children's social care to early help",
        "Head of early help",
        date(2026, 6, 30),
        "amber",
        "Safeguarding",
    ),
    (
        "Derby",
        "Agree a housing protocol for care leavers with the district councils",
        "Service manager, leaving care",
        date(2026, 9, 30),
        "complete",
        "Safeguarding",
    ),
    (
        "Nottingham",
        "Introduce a two-year support offer for newly qualified social workers",
        "Principal social worker",
        date(2026, 12, 31),
        "green",
        "Workforce",
    ),
    (
        "Nottingham",
        "Halve agency social worker use in the assessment teams",
        "Assistant director, children's social care",
        date(2027, 3, 31),
        "red",
        "Workforce",
    ),
    (
        "Leicestershire",
        "Retrain managers in the graded care profile for neglect",
        "Head of safeguarding",
        date(2026, 10, 31),
        "amber",
        "Safeguarding",
    ),
    (
        "Lincolnshire",
        "Record the child's own words in every child protection plan",
        "Head of quality assurance",
        date(2027, 1, 31),
        "green",
        "Safeguarding",
    ),
]
TIER2_GROUPS = ["Safeguarding", "Workforce"]


def seed(*, stdout) -> None:
    """Create the demo cycles and their triads where missing. Alliances not seeded are
    skipped quietly."""
    for slug, plans in CYCLES.items():
        alliance = Alliance.objects.filter(slug=slug).first()
        if alliance is None:
            continue
        # Seeding is an entry point outside any request, so it enters the alliance's scope.
        with scope(alliance=alliance):
            current = None
            for plan in plans:
                cycle = _seed_cycle(alliance=alliance, plan=plan, stdout=stdout)
                if plan.get("current"):
                    current = cycle
            if current is not None:
                cycle = current
                _seed_kloes(cycle=cycle)
                _seed_actions(cycle=cycle)
                _seed_summary(cycle=cycle)


def _programme_manager(*, alliance: Alliance) -> User | None:
    membership = (
        Membership.objects.filter(alliance=alliance, role=Role.PROGRAMME_MANAGER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _seed_cycle(*, alliance: Alliance, plan: dict, stdout) -> Cycle | None:
    event_date = demo_day(plan["event_date"])
    name = f"{plan['title']}, {event_date:%B %Y}"
    cycle = Cycle.objects.filter(alliance=alliance, name=name).first()
    created = cycle is None
    if created:
        councils = councils_of_alliance(alliance=alliance).order_by("name")
        if plan["councils"] is not None:
            councils = councils.filter(name__in=plan["councils"])
        councils = list(councils)
        try:
            group_sizes(len(councils))
        except GroupingError:
            return None  # too few of the named councils exist to form triads: nothing to show
        cycle = cycle_create(
            alliance=alliance,
            created_by=_programme_manager(alliance=alliance),
            councils=councils,
            name=name,
            event_date=event_date,
            venue=plan["venue"],
            online_link=plan["online_link"],
        )
    triad_count = 0
    if plan["triads"] and not Triad.objects.filter(cycle=cycle).exists():
        triad_count = len(_seed_triads(cycle=cycle, first_consultant=plan["first_consultant"]))
    if created:
        stdout.write(f"Created cycle “{cycle.name}” ({alliance.slug}) with {triad_count} triads\n")
    elif triad_count:
        stdout.write(f"Added {triad_count} triads to cycle “{cycle.name}” ({alliance.slug})\n")
    return cycle


def _seed_triads(*, cycle: Cycle, first_consultant: int) -> list[Triad]:
    """Save the suggested triads (avoiding earlier cycles' pairs) and give each a consultant,
    round-robin over the alliance's consultants from `first_consultant`."""
    suggestion = triads_suggest(
        cycle_council_infos(cycle=cycle), past_pairs=cycle_past_pairs(cycle=cycle)
    )
    triads = triads_save(cycle=cycle, groups=[list(group) for group in suggestion.groups])
    consultants = list(consultants_of_alliance(alliance=cycle.alliance))
    if consultants:
        for index, triad in enumerate(triads):
            consultant = consultants[(first_consultant + index) % len(consultants)]
            triad_assign_consultant(triad=triad, consultant=consultant)
    return triads


def _seed_kloes(*, cycle: Cycle) -> None:
    """The demo KLOEs, each written by its council's organiser; skipped where present."""
    existing = set(
        KeyLineOfEnquiry.objects.filter(
            challenge_type=ContentType.objects.get_for_model(Cycle), challenge_id=cycle.pk
        ).values_list("local_authority__name", "title")
    )
    councils = {c.name: c for c in cycle.councils.all()}
    for council_name, title, question, shared in KLOES:
        council = councils.get(council_name)
        if council is None or (council_name, title) in existing:
            continue
        organiser = (
            Membership.objects.filter(
                alliance=cycle.alliance, role=Role.LA_ORGANISER, local_authority=council
            )
            .select_related("user")
            .first()
        )
        author = organiser.user if organiser else None
        kloe = kloe_create(
            challenge=cycle,
            local_authority=council,
            created_by=author,
            title=title,
            question=question,
        )
        if shared:
            kloe_share(kloe=kloe, shared_by=author)


def _seed_actions(*, cycle: Cycle) -> None:
    """Tier 2 groups (with the alliance's Tier 2 members) and the agreed actions of the
    March 2026 event in every RAG state; skipped where present."""
    tier2_people = [
        m.user
        for m in Membership.objects.filter(alliance=cycle.alliance, role=Role.TIER2_MEMBER)
        .select_related("user")
        .order_by("user__email")
    ]
    groups = {}
    for index, name in enumerate(TIER2_GROUPS):
        group, created = Tier2Group.objects.get_or_create(alliance=cycle.alliance, name=name)
        if created and tier2_people:
            group.members.set([tier2_people[index % len(tier2_people)], tier2_people[0]])
        groups[name] = group
    existing = set(
        Action.objects.filter(
            source_type=ContentType.objects.get_for_model(Cycle), source_id=cycle.pk
        ).values_list("local_authority__name", "what")
    )
    councils = {c.name: c for c in cycle.councils.all()}
    for council_name, what, owner, due, status, group in ACTIONS:
        council = councils.get(council_name)
        if council is None or (council_name, what) in existing:
            continue
        action = action_create(
            source=cycle,
            local_authority=council,
            what=what,
            owner=owner,
            due_date=demo_day(due),
            tier2_group=groups[group],
            created_by=None,
            not_before=cycle.event_date,
        )
        action.status = status
        action.save(update_fields=["status"])
        if (council_name, what) == CHANGED_ACTION:
            _demo_change_and_removal(cycle=cycle, action=action, group=groups[group])


# Owners, due dates and wording change: this action shows its history, and the one agreed
# twice beside it shows a removal with its reason.
CHANGED_ACTION = ("Derby", "Audit step-down decisions from children's social care to early help")


def _demo_change_and_removal(*, cycle: Cycle, action, group) -> None:
    planner = (
        Membership.objects.filter(alliance=cycle.alliance, role=Role.PROGRAMME_MANAGER)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    if planner is None:
        return
    action_change(
        action=action,
        what=action.what,
        owner="Service manager, early help",
        due_date=action.due_date + timedelta(weeks=6),
        changed_by=planner.user,
    )
    twice = action_create(
        source=cycle,
        local_authority=action.local_authority,
        what="Review how cases step down to early help",
        owner="Head of early help",
        due_date=action.due_date,
        tier2_group=group,
        created_by=None,
        not_before=cycle.event_date,
    )
    action_remove(
        action=twice,
        removed_by=planner.user,
        reason="Agreed twice at the event: the audit of step-down decisions covers it.",
    )


SUMMARY_OVERVIEW = (
    "All ten councils took part at Leicester City Hall. Each triad examined the lines of "
    "enquiry its councils had shared, with an independent consultant, and agreed actions "
    "and next steps that now form each council's improvement plan."
)
SUMMARY_RECOMMENDATIONS = (
    "Share the neglect toolkit developed in Leicestershire across the region.\n"
    "Develop a regional offer for newly qualified social workers to reduce turnover.\n"
    "Agree a common approach to recording the voice of the child."
)


def _seed_summary(*, cycle: Cycle) -> None:
    """The March 2026 summary (overview, recommendations, an LA-to-LA support offer),
    issued once as version 1; rendered in-process in the demo."""
    if ReportVersion.objects.filter(
        report="triads.summary",
        subject_type=ContentType.objects.get_for_model(Cycle),
        subject_id=cycle.pk,
    ).exists():
        return
    summary_save(
        cycle=cycle,
        overview=SUMMARY_OVERVIEW,
        recommendations=SUMMARY_RECOMMENDATIONS,
        triad_texts={
            triad.pk: f"{triad} focused on early help, neglect and workforce stability."
            for triad in Triad.objects.filter(cycle=cycle)
        },
    )
    councils = {c.name: c for c in cycle.councils.all()}
    if "Leicestershire" in councils and "Nottingham" in councils:
        SupportOffer.objects.get_or_create(
            alliance=cycle.alliance,
            cycle=cycle,
            from_council=councils["Leicestershire"],
            to_council=councils["Nottingham"],
            topic="using the graded care profile for neglect",
        )
    summary_issue(cycle=cycle, issued_by=_programme_manager(alliance=cycle.alliance))
