"""Benchmark data of the LGA's Children's Services Peer Challenge (lga_cspc) in the national
bench alliance: the offer, a challenge with its peer team, an on-site timetable of up to
MAX_SESSIONS sessions over ONSITE_DAYS days, and a written feedback report with a case
record review of 25 cases for the report benchmark.

The timetable and the case review go through lga_cspc's services, so the data obeys the
offer's rules (the overview first on day 1, the feedback presentation last on the last day,
only the team's peers, no room or peer in two places at once). The challenge and its team
are the rows `challenge_book` and `team_member_add` write, inserted directly: those services
email (the team's invitations) or refuse dates in the past, and the benchmark needs
neither. Callers run inside the alliance's scope or under `scopes_disabled()`."""

import datetime

from django.utils import timezone

from lga_cspc.data.catalogue import STANDARD_OFFERS
from lga_cspc.data.charter import CHARTER_VERSION
from lga_cspc.models import CaseFile, Challenge, FeedbackReport, Offer, Stage, TeamMember, TeamRole
from lga_cspc.services.booking import subsidy_for
from lga_cspc.services.cases import (
    case_findings_save,
    case_review_discussion_save,
    cases_add,
    cases_assign,
)
from lga_cspc.services.report import report_save
from lga_cspc.services.team import role_indicative_days
from lga_cspc.services.timetable import timetable_session_save
from peerchallenge.models import (
    Alliance,
    LocalAuthority,
    Membership,
    Role,
    Session,
    SessionKind,
    User,
)

CSPC_OFFER_NAME = "Children's Services Peer Challenge"
ONSITE_DAYS = 4
# The team: a leader, the peer challenge manager, three senior managers and a lead member,
# working in three pairs (one pair to a room) in the sessions that run side by side.
TEAM_ROLES = (
    TeamRole.TEAM_LEADER,
    TeamRole.SENIOR_MANAGER,
    TeamRole.PEER_CHALLENGE_MANAGER,
    TeamRole.SENIOR_MANAGER,
    TeamRole.SENIOR_MANAGER,
    TeamRole.LEAD_MEMBER,
)
# Who goes on a team first: peers, then consultants, then the rest of the alliance.
PEER_ROLE_ORDER = (Role.PEER_REVIEWER, Role.CONSULTANT, Role.TIER2_MEMBER)
ROOMS = ("Room 2.14", "Room 1.02", "MASH meeting room")
# A day: the opening and closing sessions (the whole team), then up to six slots of three
# sessions side by side. Taken in this order, so a day of k sessions has the first k.
OPENING = ("09:00", "09:20")
CLOSING = ("16:30", "17:30")
SLOTS = [
    ("09:30", "10:30"),
    ("10:45", "11:45"),
    ("12:00", "12:45"),
    ("13:30", "14:30"),
    ("14:45", "15:45"),
    ("15:50", "16:20"),
]
MAX_SESSIONS = ONSITE_DAYS * (2 + len(SLOTS) * len(ROOMS))  # 80
SIDE_BY_SIDE = [
    (SessionKind.INTERVIEW, "Interview: DCS and lead member", "Director of children's services"),
    (SessionKind.FOCUS_GROUP, "Focus group: front door social workers", "Social workers, MASH"),
    (SessionKind.OBSERVATION, "Observation: MASH strategy meeting", "MASH partners"),
    (SessionKind.FOCUS_GROUP, "Focus group: care leavers", "Care leavers and their advisers"),
    (SessionKind.INTERVIEW, "Interview: head of the virtual school", "Virtual school head"),
    (SessionKind.FOCUS_GROUP, "Focus group: police and health partners", "Partners"),
    (SessionKind.OBSERVATION, "Observation: legal gateway panel", "Panel members"),
    (SessionKind.OTHER, "Case discussion with practice leads", "Practice leads"),
    (SessionKind.FOCUS_GROUP, "Focus group: newly qualified social workers", "ASYE cohort"),
    (SessionKind.INTERVIEW, "Interview: principal social worker", "Principal social worker"),
    (SessionKind.FOCUS_GROUP, "Focus group: team managers", "Team managers"),
    (SessionKind.INTERVIEW, "Interview: chief executive", "Chief executive"),
    (SessionKind.FOCUS_GROUP, "Focus group: foster carers", "Foster carers"),
    (SessionKind.OBSERVATION, "Observation: early help panel", "Early help partners"),
    (SessionKind.INTERVIEW, "Interview: safeguarding partnership chair", "Independent chair"),
    (SessionKind.FOCUS_GROUP, "Focus group: children in care council", "Young people"),
    (SessionKind.INTERVIEW, "Interview: head of quality assurance", "Head of service"),
]


def cspc_offer(*, alliance: Alliance) -> Offer:
    """The catalogue's Children's Services Peer Challenge, added to the catalogue if missing."""
    fields = next(offer for offer in STANDARD_OFFERS if offer["name"] == CSPC_OFFER_NAME)
    offer, _ = Offer.objects.get_or_create(
        alliance=alliance,
        name=CSPC_OFFER_NAME,
        defaults={key: value for key, value in fields.items() if key != "name"},
    )
    return offer


def next_monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=-day.weekday() % 7)


def cspc_challenge_create(
    *,
    alliance: Alliance,
    council: LocalAuthority,
    onsite_start: datetime.date,
    stage: str,
    requested_by,
    sponsor=None,
    organiser=None,
) -> Challenge:
    """A challenge of the CSPC offer for `council`, ONSITE_DAYS days from `onsite_start`:
    the row `challenge_book` writes, at `stage`, with the council's contacts named."""
    offer = cspc_offer(alliance=alliance)
    percent, reason = subsidy_for(offer=offer, council=council)
    return Challenge.objects.create(
        alliance=alliance,
        offer=offer,
        local_authority=council,
        stage=stage,
        onsite_start=onsite_start,
        days=ONSITE_DAYS,
        request_notes="The front door, the quality of practice and the voice of the child.",
        subsidy_percent=percent,
        subsidy_reason=reason,
        requested_by=requested_by,
        sponsor=sponsor,
        organiser=organiser,
        case_lists=CASE_SOURCES,  # scoping agreed every list the cases are drawn from
        focus="How well leaders know the quality of practice, and how that knowledge shapes "
        "the help children and families receive.",
    )


def cspc_peers(*, alliance: Alliance, council: LocalAuthority) -> list:
    """len(TEAM_ROLES) people of the alliance for a team visiting `council`: no managers
    (they run the programme) and nobody who works for the council; peers first, by person."""
    rank = {role: n for n, role in enumerate(PEER_ROLE_ORDER)}
    managing = set(
        Membership.objects.filter(
            alliance=alliance,
            role__in=(Role.ALLIANCE_ADMIN, Role.PROGRAMME_MANAGER, Role.COORDINATOR),
        ).values_list("user_id", flat=True)
    )
    home = set(
        Membership.objects.filter(alliance=alliance, local_authority=council).values_list(
            "user_id", flat=True
        )
    )
    best: dict[int, tuple[int, int]] = {}
    for user_id, role in Membership.objects.filter(alliance=alliance).values_list(
        "user_id", "role"
    ):
        if user_id in managing or user_id in home:
            continue
        key = (rank.get(role, len(rank)), user_id)
        best[user_id] = min(best.get(user_id, key), key)
    chosen = sorted(best.values())[: len(TEAM_ROLES)]
    if len(chosen) < len(TEAM_ROLES):
        raise ValueError(
            f"The alliance has {len(chosen)} people who could join a peer team, "
            f"{len(TEAM_ROLES)} are needed."
        )
    people = User.objects.in_bulk([user_id for _, user_id in chosen])
    return [people[user_id] for _, user_id in chosen]


def cspc_team_create(*, challenge: Challenge, people: list) -> list[TeamMember]:
    """`people` on the team in TEAM_ROLES' order, charter accepted: the rows
    `team_member_add` and `charter_accept` write, without the invitation emails."""
    employers = dict(
        Membership.objects.filter(
            alliance_id=challenge.alliance_id,
            user__in=people,
            local_authority__isnull=False,
        )
        .order_by("pk")
        .values_list("user_id", "local_authority_id")
    )
    now = timezone.now()
    return TeamMember.objects.bulk_create(
        [
            TeamMember(
                alliance_id=challenge.alliance_id,
                challenge=challenge,
                user=person,
                role=role,
                employer_id=employers.get(person.pk),
                indicative_days=role_indicative_days(role=role, challenge_days=challenge.days),
                invited_at=now,
                charter_accepted_at=now,
                charter_version=CHARTER_VERSION,
            )
            for person, role in zip(people, TEAM_ROLES, strict=True)
        ]
    )


def _at(day: datetime.date, clock: str) -> datetime.datetime:
    hours, minutes = map(int, clock.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hours, minutes)))


def timetable_plan(*, challenge: Challenge, count: int) -> list[dict]:
    """`count` sessions (at most MAX_SESSIONS) spread evenly over the on-site days, as
    keyword arguments of `timetable_session_save` without the challenge and user. The team
    (TEAM_ROLES' order) is in every opening and closing session and works in pairs, one
    pair to each room, in the sessions that run side by side."""
    if not 0 <= count <= MAX_SESSIONS:
        raise ValueError(f"A timetable of {count} sessions: at most {MAX_SESSIONS}.")
    team = [
        member.user
        for member in challenge.team.select_related("user").order_by("pk")[: len(TEAM_ROLES)]
    ]
    pairs = [team[n : n + 2] for n in range(0, len(team), 2)]
    first, last = challenge.onsite_start, challenge.onsite_end
    plan, topic = [], 0
    for index in range(challenge.days):
        day = first + datetime.timedelta(days=index)
        wanted = count // challenge.days + (index < count % challenge.days)
        if day == first:
            opening = (SessionKind.OVERVIEW, "Council overview presentation", "Council Chamber")
        else:
            opening = (SessionKind.TEAM_TIME, "Morning team briefing", "Team base")
        if day == last:
            closing = (SessionKind.FEEDBACK, "Feedback presentation", "Council Chamber")
        else:
            closing = (SessionKind.TEAM_TIME, "Peer team time: emerging findings", "Team base")
        day_plan = []
        for (kind, title, room), (start, end) in ((opening, OPENING), (closing, CLOSING)):
            day_plan.append(
                {
                    "kind": kind,
                    "title": title,
                    "room": room,
                    "starts_at": _at(day, start),
                    "ends_at": _at(day, end),
                    "attendees": "Director of children's services\nHeads of service",
                    "peers": team,
                }
            )
        for start, end in SLOTS:
            for room, pair in zip(ROOMS, pairs, strict=False):
                kind, title, attendees = SIDE_BY_SIDE[topic % len(SIDE_BY_SIDE)]
                topic += 1
                day_plan.append(
                    {
                        "kind": kind,
                        "title": title,
                        "room": room,
                        "starts_at": _at(day, start),
                        "ends_at": _at(day, end),
                        "attendees": attendees,
                        "peers": pair,
                    }
                )
        plan += sorted(day_plan[:wanted], key=lambda s: (s["starts_at"], s["room"]))
    return plan


def cspc_timetable_create(*, challenge: Challenge, count: int, user) -> list[Session]:
    """The challenge's timetable of `count` sessions (see timetable_plan), each added with
    `timetable_session_save`, which refuses clashes and breaks of the CSPC's rules."""
    return [
        timetable_session_save(challenge=challenge, user=user, **fields)
        for fields in timetable_plan(challenge=challenge, count=count)
    ]


# The written feedback report ---------------------------------------------------------------

# Each section's paragraphs are built from a topic each and the same few sentences of
# evidence, so the report is as long as a real one (several paragraphs a section).
SECTION_TOPICS = {
    "executive_summary": [
        "Leaders know their services well and describe their strengths and weaknesses candidly",
        "The front door is timely and thresholds are understood by partners",
        "The workforce is stable and social workers speak warmly of their managers",
        "Corporate and political support for children's services is strong",
        "Quality assurance is developing but does not yet always change practice",
    ],
    "strengths": [
        "Strong political and corporate support, with a shared ambition for children",
        "Social workers know their children well and visit them regularly",
        "Early help is well used by schools and health visitors",
        "The MASH makes timely, proportionate decisions with its partners",
        "Care leavers are helped into education, training and work",
        "The principal social worker is a visible champion of good practice",
    ],
    "areas_for_development": [
        "Management oversight is not always recorded on the child's file",
        "Supervision is regular but often reflects tasks rather than reflection",
        "Plans for children in need are not always specific or time-bound",
        "The voice of the child does not always shape the plan",
        "Audits find the same issues repeatedly without a clear line to change",
        "Sufficiency of local placements for older children remains a pressure",
    ],
    "recommendations": [
        "Strengthen the recording of management oversight and the rationale for decisions",
        "Make supervision reflective, with a clear line to the child's plan",
        "Ensure every plan is specific, measurable and reviewed with the family",
        "Close the loop from audit findings to practice change and back",
        "Refresh the sufficiency strategy for older children with partners",
    ],
    "good_practice": [
        "The family hubs model, which brings early help, health and schools together",
        "The care leavers' local offer, co-produced with young people",
        "The practice week, when senior leaders shadow front-line teams",
    ],
    "case_studies": [
        "A care leaver's apprenticeship, found by the personal adviser and the virtual school",
        "A family stepped down safely from child protection to early help",
    ],
}
EVIDENCE = (
    "The peer team heard this consistently in interviews and focus groups with staff at "
    "every level, and saw it in the case records it read. Partners in health, the police "
    "and schools gave the same account, and the council's own self-assessment recognises "
    "it. Where practice was strongest, managers had a clear line of sight from the "
    "performance information to the experience of the individual child, and used it to "
    "ask the right questions in supervision. The team would encourage the council to "
    "build on this, and to test with children and families whether they notice the "
    "difference."
)
KEY_MESSAGES = [
    "Across the 25 cases, social workers knew their children well and most records showed "
    "regular, purposeful visits.",
    "Management oversight was visible in about two thirds of cases; where it was absent, "
    "drift in plans was more likely.",
    "The voice of the child was recorded in most cases but did not always shape the plan "
    "or its review.",
    "Two cases were passed to the council at once for a manager's review; the council "
    "responded the same day.",
]
CASE_SOURCES = list(CaseFile.Source.values)
CASE_QUALITY = ["strong"] * 8 + ["mixed"] * 12 + ["weak"] * 5
CASE_VOICE = (
    "The child's wishes are recorded in their own words after each visit, and the social "
    "worker has used direct work to understand what life is like at home. The plan "
    "reflects what the child said about school and contact with their father."
)
CASE_STRENGTHS = (
    "Timely visits and a good relationship with the family; a clear chronology; partners "
    "are involved in the core group and attend consistently. The assessment analyses risk "
    "and protective factors well."
)
CASE_AREAS = (
    "Management oversight is not recorded at key decision points, and the plan's actions "
    "are not time-bound. The rationale for stepping down to early help is not clear from "
    "the record."
)


def report_text() -> dict[str, str]:
    """The report's sections: each topic a paragraph (its topic, then the evidence), the
    paragraphs separated by blank lines as the drafting form keeps them."""
    return {
        key: "\n\n".join(f"{topic}. {EVIDENCE}" for topic in topics)
        for key, topics in SECTION_TOPICS.items()
    }


def case_reference(n: int) -> str:
    return f"CR-{104_200 + 37 * n}"


def cspc_report_create(*, challenge: Challenge, user, cases: int = 25) -> FeedbackReport:
    """The challenge's case record review (`cases` cases from the lists, each assigned to a
    peer of the team in turn and with findings, two escalated; key messages) and its written
    feedback report with every section, through lga_cspc's services."""
    references = [case_reference(n) for n in range(cases)]
    by_source: dict[str, list[str]] = {}
    for n, reference in enumerate(references):  # the lists agreed at scoping, in turn
        by_source.setdefault(CASE_SOURCES[n % len(CASE_SOURCES)], []).append(reference)
    added = []
    for source, batch in by_source.items():
        added += cases_add(challenge=challenge, references=batch, source=source, user=user)
    reviewers = [member.user for member in challenge.team.select_related("user").order_by("pk")]
    cases_assign(
        challenge=challenge,
        assignments={case.pk: reviewers[n % len(reviewers)] for n, case in enumerate(added)},
        user=user,
    )
    # Afresh: cases_assign saved its own copies, and a full save of these would undo it.
    cases_now = CaseFile.objects.filter(review__challenge=challenge).order_by("reference")
    for n, case in enumerate(cases_now):
        case_findings_save(
            case=case,
            user=user,
            quality=CASE_QUALITY[n % len(CASE_QUALITY)],
            voice_of_child=CASE_VOICE,
            strengths=CASE_STRENGTHS,
            areas_for_development=CASE_AREAS,
            escalated=n in (6, 17),
        )
    case_review_discussion_save(
        challenge=challenge,
        user=user,
        discussion_at=timezone.make_aware(
            datetime.datetime.combine(
                challenge.case_review_date + datetime.timedelta(days=1), datetime.time(14)
            )
        ),
        notes="The sponsor recognised the picture and asked about the escalated cases.",
        key_messages="\n\n".join(KEY_MESSAGES),
    )
    return report_save(challenge=challenge, user=user, **report_text())


def cspc_report_challenge(
    *, alliance: Alliance, council: LocalAuthority, user, cases: int = 25
) -> Challenge:
    """A challenge at the written feedback stage (on site a month ago) with its team, a
    case record review of `cases` cases and a drafted report, ready to render."""
    onsite = next_monday(timezone.localdate() - datetime.timedelta(weeks=5))
    challenge = cspc_challenge_create(
        alliance=alliance,
        council=council,
        onsite_start=onsite,
        stage=Stage.ON_SITE,
        requested_by=user,
    )
    cspc_team_create(challenge=challenge, people=cspc_peers(alliance=alliance, council=council))
    cspc_report_create(challenge=challenge, user=user, cases=cases)
    # Afresh, as the renderer loads it: this instance caches the case review as it was
    # when the first case created it, before its key messages.
    return Challenge.objects.get(pk=challenge.pk)
