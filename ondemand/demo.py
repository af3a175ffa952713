"""Demo on-demand reviews for the regional alliances of `peerchallenge.demo`: in East
Midlands a completed review of Nottingham's children's commissioning services (the seed's
own example: July 2025, findings issued, actions in several states), a review of
Derbyshire's front door in planning with its team and schedule, and Leicester's request
waiting for the programme manager; in London, Hackney's request. Idempotent: a review is
found by council and service area and left alone if it exists. Every person is invented."""

import datetime

from django.utils import timezone
from django_scopes import scope

from peerchallenge.demo import EM, LONDON, demo_day, email_for
from peerchallenge.models import (
    Alliance,
    LocalAuthority,
    Membership,
    Role,
    SessionKind,
    Tier2Group,
    User,
)
from peerchallenge.services.actions import action_record_progress

from .models import RequestNote, Review, Reviewer, Status
from .services.findings import (
    findings_issue,
    findings_save,
    recommendation_add,
    recommendation_respond,
)
from .services.plan import activities_agree, activity_add, arrangements_save, schedule_session_save

NOTTINGHAM_FINDINGS = (
    "Leaders have a clear commissioning strategy for children in care, and the council "
    "knows its sufficiency gaps well: too few local foster placements for teenagers and "
    "for brothers and sisters placed together.\n\n"
    "Commissioners and social workers work closely on individual placements, but the "
    "market is shaped mostly case by case. Joint commissioning with health is at an early "
    "stage, and providers told the team they would welcome earlier conversations about "
    "the needs the council foresees."
)
NOTTINGHAM_RECOMMENDATIONS = [
    (
        "Publish a market position statement for children's placements, refreshed yearly.",
        "complete",
    ),
    ("Develop a recruitment campaign for foster carers of teenagers.", "amber"),
    (
        "Agree a joint commissioning plan for emotional health with the integrated care board.",
        "green",
    ),
    ("Hold quarterly provider forums on forecast needs.", "red"),
    ("Move all residential commissioning to a regional framework.", None),  # not accepted
]


def seed(*, stdout) -> None:
    for slug, plans in ((EM, _east_midlands), (LONDON, _london)):
        alliance = Alliance.objects.filter(slug=slug, kind=Alliance.Kind.REGIONAL).first()
        if alliance is None:
            continue
        # Seeding is an entry point outside any request: it enters the alliance's scope.
        with scope(alliance=alliance):
            for review in plans(alliance):
                if review is not None:
                    stdout.write(f"  On-demand review: {review} ({review.get_status_display()})")


def _person(name: str) -> User | None:
    return User.objects.filter(email=email_for(name=name)).first()


def _council(name: str) -> LocalAuthority | None:
    return LocalAuthority.objects.filter(name=name).first()


def _pm(alliance) -> User | None:
    membership = (
        Membership.objects.filter(alliance=alliance, role=Role.PROGRAMME_MANAGER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _request(
    alliance, *, council, by, service_area, kloe, why, start, days, latest=None
) -> Review | None:
    """The review row as a council's request would leave it (a first day from `start` to
    `latest`, if given), or None if it already exists (or its council or people are
    missing). Written directly: seeding emails no one."""
    council = _council(council)
    requester = _person(by)
    if council is None or requester is None:
        return None
    if Review.objects.filter(
        alliance=alliance, local_authority=council, service_area=service_area
    ).exists():
        return None
    return Review.objects.create(
        alliance=alliance,
        local_authority=council,
        service_area=service_area,
        primary_kloe=kloe,
        why_now=why,
        preferred_start=start,
        preferred_latest=latest,
        days=days,
        requested_by=requester,
        requested_at=timezone.make_aware(
            datetime.datetime.combine(start - datetime.timedelta(days=70), datetime.time(10))
        ),
    )


def _accept(review: Review, *, pm: User | None, note: str = "") -> None:
    review.status = Status.PLANNING
    review.start_date = review.preferred_start
    review.decided_at = review.requested_at + datetime.timedelta(days=5)
    review.save(update_fields=["status", "start_date", "decided_at"])
    RequestNote.objects.create(
        alliance=review.alliance,
        review=review,
        kind=RequestNote.Kind.ACCEPTED,
        text=note,
        author=pm,
        created_at=review.decided_at,
    )


def _team(review: Review, members, *, pm) -> None:
    for name, role, response in members:
        user = _person(name)
        if user is None:
            continue
        home = (
            Membership.objects.filter(
                alliance=review.alliance, user=user, local_authority__isnull=False
            )
            .select_related("local_authority")
            .first()
        )
        Reviewer.objects.create(
            alliance=review.alliance,
            review=review,
            user=user,
            role=role,
            home_council=home.local_authority if home else None,
            response=response,
            invited_by=pm,
            responded_at=timezone.now() if response != "invited" else None,
        )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _schedule(review: Review, sessions, *, organiser) -> None:
    team = {r.user.full_name: r.user for r in review.team.select_related("user")}
    for day_index, start, end, kind, title, room, attendees, who in sessions:
        day = review.review_days[day_index]
        schedule_session_save(
            review=review,
            kind=kind,
            title=title,
            starts_at=_at(day, *start),
            ends_at=_at(day, *end),
            room=room,
            attendees=attendees,
            peers=[team[name] for name in who if name in team],
            user=organiser,
        )


def _east_midlands(alliance) -> list:
    pm = _pm(alliance)
    return [
        _nottingham(alliance, pm),
        _derbyshire(alliance, pm),
        _request(
            alliance,
            council="Leicester",
            by="Amrit Sandhu",
            service_area="Placement sufficiency for care leavers",
            kloe="Do care leavers in Leicester have a choice of suitable homes when they "
            "leave care, and are they well supported into them?",
            why="Our care leaver numbers have risen by a fifth in two years and we are "
            "refreshing the sufficiency strategy this autumn.",
            start=timezone.localdate() + datetime.timedelta(days=60),
            latest=timezone.localdate() + datetime.timedelta(days=81),
            days=2,
        ),
    ]


def _nottingham(alliance, pm) -> Review | None:
    review = _request(
        alliance,
        council="Nottingham",
        by="Paul Ekwueme",
        service_area="Children's commissioning services",
        kloe="How effectively does our commissioning secure sufficient, good quality "
        "local placements for children in care?",
        why="Our sufficiency strategy is due for renewal and the number of children placed "
        "outside the city has grown.",
        start=demo_day(datetime.date(2025, 7, 15)),
        latest=demo_day(datetime.date(2025, 7, 29)),
        days=2,
    )
    if review is None:
        return None
    _accept(review, pm=pm, note="A good fit for the on-demand offer: July suits the team.")
    _team(
        review,
        [
            ("Margaret Ellison", "lead", "accepted"),
            ("Tom Ashworth", "project_support", "accepted"),
            ("Sunita Bains", "officer", "accepted"),
            ("Gareth Lloyd", "officer", "accepted"),
        ],
        pm=pm,
    )
    lead, organiser = _person("Margaret Ellison"), _person("Sophie Gallagher")
    for kind, description, cases, whom in [
        (
            "case_sampling",
            "Read the placement-finding records of children placed in the "
            "last year, with their social workers.",
            12,
            "",
        ),
        (
            "discussion",
            "How placement requests are matched and escalated.",
            None,
            "Placement commissioning team",
        ),
        (
            "discussion",
            "What providers see of the council's forecast needs.",
            None,
            "Local foster care and residential providers",
        ),
        ("site_visit", "Visit a local children's home run with a commissioned provider.", None, ""),
    ]:
        activity_add(
            review=review,
            user=lead,
            kind=kind,
            description=description,
            number_of_cases=cases,
            with_whom=whom,
        )
    activities_agree(review=review, user=lead)
    activities_agree(review=review, user=_person("Paul Ekwueme"))
    arrangements_save(
        review=review,
        case_record_access="Read-only logins to the case management system, in Room 4.12 "
        "with a performance officer on hand.",
        key_people="Head of commissioning; placements team manager; the DCS for the feedback.",
    )
    _schedule(
        review,
        [
            (
                0,
                (9, 0),
                (9, 30),
                SessionKind.OVERVIEW,
                "Welcome and overview",
                "Room 4.12",
                "Director of children's services",
                ["Margaret Ellison", "Tom Ashworth"],
            ),
            (
                0,
                (9, 30),
                (12, 30),
                SessionKind.CASE_RECORDS,
                "Case sampling: placement records",
                "Room 4.12",
                "Performance officer",
                ["Sunita Bains", "Gareth Lloyd"],
            ),
            (
                0,
                (13, 30),
                (15, 0),
                SessionKind.FOCUS_GROUP,
                "Focused discussion: placement commissioning team",
                "Room 2.03",
                "Placement commissioning team",
                ["Margaret Ellison", "Sunita Bains"],
            ),
            (
                1,
                (10, 0),
                (12, 0),
                SessionKind.SITE_VISIT,
                "Site visit: Forest Road home",
                "Forest Road children's home",
                "Registered manager",
                ["Gareth Lloyd"],
            ),
            (
                1,
                (15, 0),
                (16, 0),
                SessionKind.FEEDBACK,
                "Findings presented to the council",
                "Council chamber",
                "DCS and senior leaders",
                ["Margaret Ellison"],
            ),
        ],
        organiser=organiser,
    )
    findings_save(review=review, key_findings=NOTTINGHAM_FINDINGS)
    for text, _status in NOTTINGHAM_RECOMMENDATIONS:
        recommendation_add(review=review, text=text)
    findings_issue(review=review, user=lead, today=review.last_day)
    # As issued a few days after the review, so the actions' dates read true.
    review.findings_issued_at = _at(demo_day(datetime.date(2025, 8, 1)), 12)
    review.save(update_fields=["findings_issued_at"])
    dcs = _person("Paul Ekwueme")
    group = Tier2Group.objects.filter(alliance=alliance).order_by("name").first()
    due_dates = [
        demo_day(datetime.date(2025, 11, 30)),
        demo_day(datetime.date(2026, 3, 31)),
        demo_day(datetime.date(2026, 9, 30)),
        demo_day(datetime.date(2025, 12, 31)),
    ]
    for recommendation, (text, status), due in zip(
        review.recommendations.order_by("position"),
        NOTTINGHAM_RECOMMENDATIONS,
        [*due_dates, None],
        strict=True,
    ):
        if status is None:
            recommendation_respond(
                recommendation=recommendation,
                user=dcs,
                accept=False,
                note="Our providers are mostly local; a regional framework would not help.",
            )
            continue
        recommendation_respond(
            recommendation=recommendation,
            user=dcs,
            accept=True,
            what=text,
            owner="Head of commissioning",
            due_date=due,
            tier2_group=group,
        )
        recommendation.refresh_from_db()
        if status != "green":
            action_record_progress(
                action=recommendation.action,
                author=dcs,
                status=status,
                note={
                    "complete": "Published on the council's website in November.",
                    "amber": "Campaign designed; launch moved to the spring.",
                    "red": "Only one forum held so far: providers' attendance was low.",
                }[status],
            )
    return review


def _derbyshire(alliance, pm) -> Review | None:
    start = timezone.localdate() + datetime.timedelta(days=21)
    review = _request(
        alliance,
        council="Derbyshire",
        by="Jonathan Reeve",
        service_area="Front door and early help",
        kloe="Do children and families get the right help at the right time when they "
        "first come to the attention of our front door?",
        why="Contacts have risen sharply since we merged the early help and social care "
        "front doors in the spring.",
        start=start,
        latest=start + datetime.timedelta(days=14),
        days=1,
    )
    if review is None:
        return None
    _accept(review, pm=pm)
    _team(
        review,
        [
            ("David Okafor", "lead", "accepted"),
            ("Tom Ashworth", "project_support", "accepted"),
            ("Rachel Whitmore", "officer", "accepted"),
            ("Gareth Lloyd", "officer", "invited"),
        ],
        pm=pm,
    )
    lead, organiser = _person("David Okafor"), _person("Kerry Blackburn")
    activity_add(
        review=review,
        user=lead,
        kind="case_sampling",
        description="Contacts that were stepped down to early help in the last three months.",
        number_of_cases=10,
    )
    activity_add(
        review=review,
        user=lead,
        kind="discussion",
        description="How thresholds are applied at the front door.",
        with_whom="Front door practitioners and their managers",
    )
    activities_agree(review=review, user=lead)
    arrangements_save(
        review=review,
        case_record_access="Two laptops with read-only access, booked in the Chatsworth room.",
        key_people="Head of early help; front door service manager.",
    )
    _schedule(
        review,
        [
            (
                0,
                (9, 0),
                (9, 30),
                SessionKind.OVERVIEW,
                "Welcome and overview",
                "Chatsworth room",
                "Head of early help",
                ["David Okafor", "Tom Ashworth"],
            ),
            (
                0,
                (9, 30),
                (12, 0),
                SessionKind.CASE_RECORDS,
                "Case sampling: stepped-down contacts",
                "Chatsworth room",
                "Performance officer",
                ["Rachel Whitmore"],
            ),
            (
                0,
                (13, 0),
                (14, 30),
                SessionKind.FOCUS_GROUP,
                "Focused discussion: front door practitioners",
                "Room 1",
                "Front door practitioners",
                ["David Okafor", "Rachel Whitmore"],
            ),
        ],
        organiser=organiser,
    )
    return review


def _london(alliance) -> list:
    return [
        _request(
            alliance,
            council="Hackney",
            by="Adaeze Nwosu",
            service_area="Adolescent safeguarding",
            kloe="How well do our partnerships protect adolescents at risk of exploitation "
            "outside the home?",
            why="A recent rapid review pointed to gaps between youth justice and social care.",
            start=timezone.localdate() + datetime.timedelta(days=45),
            days=2,
        )
    ]
