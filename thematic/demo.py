"""Demo data of the thematic offer: the standard themes, a suggestion under way, a past
event with nominations, next steps turned into agreed actions in every RAG state and an
issued summary; an upcoming event whose nominations are under way.

Called by `ThematicConfig.seed_demo` from the `seed_demo` command, after the core demo data
(alliances, people) exists. Idempotent: a past event is found by (alliance, theme, date); an
upcoming one by (alliance, theme) among events still to come, so running it again on a later
day adds nothing either. The past event is written straight to the table (the scheduling
service refuses past dates, as it should for people)."""

import datetime

from django.utils import timezone
from django_scopes import scope

from peerchallenge.demo import demo_day
from peerchallenge.models import ActionStatus, Alliance, Membership, Role, Tier2Group, User
from peerchallenge.selectors import councils_of_alliance

from .models import EmergingSummary, Nomination, ThematicEvent, Theme, ThemeSuggestion
from .selectors import event_actions
from .services.events import event_kloe_add
from .services.next_steps import next_steps_submit
from .services.summary import summary_issue, summary_save
from .services.themes import suggestion_create, suggestion_support, themes_ensure_standard

OFFICER_ROLES = ["Head of service, exploitation and missing", "Principal social worker"]
OFFICERS = {
    "Derby": ["Maya Goldsmith", "Owen Pritchard"],
    "Derbyshire": ["Priti Lal", "Gavin Moss"],
    "Leicester": ["Hollie Cartwright", "Samir Aziz"],
    "Nottingham": ["Grace Olawale", "Tobias Reid"],
    "Nottinghamshire": ["Fern Hadley"],
    "Lincolnshire": ["Ewan Marsh"],
    "Leicestershire": ["Jade Whitlock", "Rory Benn"],
    "Rutland": ["Isla Pearce"],
    "Hackney": ["Kemi Adebayo", "Luke Farrant"],
    "Camden": ["Sana Qadir"],
}

# Next steps per council: (what, owner, months after the event, RAG status).
NEXT_STEPS = {
    "Derby": [
        ("Map every contextual safeguarding panel against the harm outside the home protocol",
         "Head of service, exploitation", 3, ActionStatus.COMPLETE),
        ("Train front door staff on recognising criminal exploitation",
         "Principal social worker", 5, ActionStatus.GREEN),
    ],
    "Derbyshire": [
        ("Agree return home interview standards with the police",
         "Service manager, missing", 4, ActionStatus.AMBER),
    ],
    "Leicester": [
        ("Set up a monthly multi-agency exploitation hub",
         "Assistant director, safeguarding", 2, ActionStatus.RED),
        ("Share the transitional safeguarding pathway with adult services",
         "Head of service, care leavers", 6, ActionStatus.GREEN),
    ],
    "Nottingham": [
        ("Audit 20 cases of extra-familial harm for the voice of the child",
         "Quality assurance manager", 3, ActionStatus.AMBER),
    ],
    "Nottinghamshire": [
        ("Review school exclusion data for exploitation risk",
         "Head of education safeguarding", 5, ActionStatus.GREEN),
    ],
}  # fmt: skip
LATE = {"Nottinghamshire"}  # submitted after the deadline (kept, marked late)

PLANS = {
    "east-midlands": [
        {
            "theme": "Reduction of Harm",
            "date": datetime.date(2026, 6, 18),  # moved by demo_day when seeded
            "times": (datetime.time(9, 30), datetime.time(16, 0)),
            "format": ThematicEvent.Format.IN_PERSON,
            "place": "Nottingham Council House",
            "councils": [
                "Derby",
                "Derbyshire",
                "Leicester",
                "Nottingham",
                "Nottinghamshire",
                "Lincolnshire",
            ],
            "group": "Safeguarding",
            "kloes": [
                "How well do partners identify and share information about children at risk "
                "of harm outside the home?",
                "How do we know that disruption activity reduces the risk to children?",
            ],
        },
        {
            "theme": "Partnership Engagement",
            "in_days": 35,
            "times": (datetime.time(10, 0), datetime.time(13, 0)),
            "format": ThematicEvent.Format.ONLINE,
            "place": "https://meet.example.org/em-partnership-engagement",
            "councils": ["Derby", "Leicestershire", "Rutland", "West Northamptonshire"],
            "group": "Safeguarding",
            "kloes": ["How do schools and health take part in our safeguarding partnership?"],
        },
    ],
    "london": [
        {
            "theme": "Abuse and Violence",
            "in_days": 28,
            "times": (datetime.time(9, 30), datetime.time(12, 30)),
            "format": ThematicEvent.Format.IN_PERSON,
            "place": "London Councils, 59½ Southwark Street",
            "councils": ["Hackney", "Camden", "Croydon", "Lewisham"],
            "group": "Safeguarding",
            "kloes": [],
        },
    ],
}
SUGGESTION = {
    "alliance": "east-midlands",
    "name": "Exploitation outside the home",
    "reason": "Referrals for criminal exploitation have doubled across the region; councils "
    "want to compare their contextual safeguarding approaches.",
    "by": ("Derby", Role.LA_ORGANISER),
    "supporters": [("Leicester", Role.LA_ORGANISER), ("Nottingham", Role.DCS)],
}
SUMMARY = {
    "emerging_themes": "Councils recognise harm outside the home earlier than two years ago, "
    "but information about places and peer groups is still held by single agencies.\n"
    "Return home interviews are done on time but rarely change the plan.",
    "proposed_next_steps": "A regional exploitation information-sharing protocol, led by "
    "Leicester.\nShared training on disruption for social workers and police.",
}


def seed(*, stdout) -> None:
    for slug, plans in PLANS.items():
        alliance = Alliance.objects.filter(slug=slug).first()
        if alliance is None:
            continue
        # Seeding is an entry point outside any request, so it enters the alliance's scope.
        with scope(alliance=alliance):
            themes_ensure_standard(alliance=alliance)
            for plan in plans:
                _seed_event(alliance=alliance, plan=plan, stdout=stdout)
            if slug == SUGGESTION["alliance"]:
                _seed_suggestion(alliance=alliance)


def _person(*, alliance: Alliance, council_name: str, role: str) -> User | None:
    membership = (
        Membership.objects.filter(alliance=alliance, role=role, local_authority__name=council_name)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _planner(*, alliance: Alliance, role=Role.PROGRAMME_MANAGER) -> User | None:
    membership = (
        Membership.objects.filter(alliance=alliance, role=role).select_related("user").first()
    )
    return membership.user if membership else None


def _group(*, alliance: Alliance, name: str) -> Tier2Group:
    group, created = Tier2Group.objects.get_or_create(alliance=alliance, name=name)
    if created:
        group.members.set(
            [
                m.user
                for m in Membership.objects.filter(
                    alliance=alliance, role=Role.TIER2_MEMBER
                ).select_related("user")
            ]
        )
    return group


def _seed_event(*, alliance: Alliance, plan: dict, stdout) -> None:
    theme = Theme.objects.get(alliance=alliance, name=plan["theme"])
    today = timezone.localdate()
    if "date" in plan:
        date = demo_day(plan["date"])
        event = ThematicEvent.objects.filter(alliance=alliance, theme=theme, date=date).first()
    else:
        date = today + datetime.timedelta(days=plan["in_days"])
        event = ThematicEvent.objects.filter(
            alliance=alliance, theme=theme, date__gte=today
        ).first()
    if event is not None:
        return
    councils = list(
        councils_of_alliance(alliance=alliance).filter(name__in=plan["councils"]).order_by("name")
    )
    if not councils:
        return
    in_person = plan["format"] == ThematicEvent.Format.IN_PERSON
    event = ThematicEvent.objects.create(
        alliance=alliance,
        theme=theme,
        date=date,
        start_time=plan["times"][0],
        end_time=plan["times"][1],
        format=plan["format"],
        venue=plan["place"] if in_person else "",
        online_link="" if in_person else plan["place"],
        tier2_group=_group(alliance=alliance, name=plan["group"]),
        created_by=_planner(alliance=alliance),
        **ThematicEvent.default_deadlines(date),
    )
    event.councils.set(councils)
    for question in plan["kloes"]:
        event_kloe_add(event=event, question=question)
    past = date < today
    if past and plan["kloes"]:
        event.kloes_published_at = timezone.make_aware(
            datetime.datetime.combine(date - datetime.timedelta(weeks=3), datetime.time(9))
        )
        event.save(update_fields=["kloes_published_at"])
    # Past events: every council nominated; upcoming ones: the first two so far. Written
    # as rows with their invitation already sent: seeding sends no emails to nominees.
    nominating = councils if past else councils[:2]
    for council in nominating:
        organiser = _person(alliance=alliance, council_name=council.name, role=Role.LA_ORGANISER)
        for index, name in enumerate(OFFICERS.get(council.name, [])):
            Nomination.objects.create(
                alliance=alliance,
                event=event,
                council=council,
                full_name=name,
                job_role=OFFICER_ROLES[index % len(OFFICER_ROLES)],
                email=f"{name.lower().replace(' ', '.')}@example.org",
                nominated_by=organiser,
                invited_at=timezone.now(),
            )
    if past:
        _seed_next_steps(event=event, councils=councils)
        _seed_summary(event=event)
    stdout.write(f"Created thematic event “{event}” ({alliance.slug})\n")


def _seed_next_steps(*, event: ThematicEvent, councils) -> None:
    for council in councils:
        steps = NEXT_STEPS.get(council.name)
        if not steps:
            continue  # this council has not sent its next steps: it is chased
        organiser = _person(
            alliance=event.alliance, council_name=council.name, role=Role.LA_ORGANISER
        )
        submitted = next_steps_submit(
            event=event,
            council=council,
            rows=[
                {
                    "what": what,
                    "owner": owner,
                    "due_date": event.date + datetime.timedelta(days=30 * months),
                }
                for what, owner, months, _status in steps
            ],
            notes=f"{council.name} sent {len(steps)} officer(s) and took notes on the day.",
            submitted_by=organiser,
        )
        # As it was on the day it was sent: on time, or late for the councils in LATE.
        late = council.name in LATE
        sent = event.next_steps_due + datetime.timedelta(days=4 if late else -3)
        submitted.submitted_at = timezone.make_aware(
            datetime.datetime.combine(sent, datetime.time(15))
        )
        submitted.is_late = late
        submitted.save(update_fields=["submitted_at", "is_late"])
        statuses = {what: status for what, _owner, _months, status in steps}
        for action in event_actions(event=event, council_ids=[council.pk]):
            action.status = statuses.get(action.what, action.status)
            action.save(update_fields=["status"])


def _seed_summary(*, event: ThematicEvent) -> None:
    coordinator = _planner(alliance=event.alliance, role=Role.COORDINATOR)
    summary_save(event=event, user=coordinator, **SUMMARY)
    # Issued once as version 1, rendered in-process in the demo once the seed commits.
    summary_issue(event=event, issued_by=coordinator)
    EmergingSummary.objects.filter(event=event).update(
        issued_at=timezone.make_aware(
            datetime.datetime.combine(event.next_steps_due, datetime.time(11))
        )
    )


def _seed_suggestion(*, alliance: Alliance) -> None:
    if ThemeSuggestion.objects.filter(alliance=alliance, name__iexact=SUGGESTION["name"]).exists():
        return
    if Theme.objects.filter(alliance=alliance, name__iexact=SUGGESTION["name"]).exists():
        return
    author = _person(alliance=alliance, council_name=SUGGESTION["by"][0], role=SUGGESTION["by"][1])
    if author is None:
        return
    suggestion = suggestion_create(
        alliance=alliance,
        name=SUGGESTION["name"],
        reason=SUGGESTION["reason"],
        suggested_by=author,
        council=councils_of_alliance(alliance=alliance).filter(name=SUGGESTION["by"][0]).first(),
    )
    for council_name, role in SUGGESTION["supporters"]:
        supporter = _person(alliance=alliance, council_name=council_name, role=role)
        if supporter is not None and supporter != author:
            suggestion_support(suggestion=suggestion, user=supporter)
