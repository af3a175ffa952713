"""Demo data of the LGA's peer challenges: its catalogue, and one challenge at each stage
the app covers so far, for invented people of real councils.

Called by `LgaCspcConfig.seed_demo` after the core demo data. Idempotent: a challenge is
found by (offer, council) and built up only where a step is missing. Dates are counted from
the day the demo is first seeded, so the challenges stay in the future."""

import datetime

from django.utils import timezone
from django_scopes import scope

from peerchallenge.models import Alliance, LocalAuthority, Membership, Role, User

from .models import Challenge, Offer, Stage, TeamRole
from .services import catalogue_load_standard, subsidy_for

CSPC = "Children's Services Peer Challenge"
EARLY_YEARS = "Early Years (Speech, Language and Communication) Peer Challenge"

# council: (offer, weeks from today to on-site, days, stage reached, DCS who asked)
CHALLENGES = {
    "Croydon": (EARLY_YEARS, 30, 4, Stage.REQUESTED, "desmond.afolabi@example.org"),
    "West Northamptonshire": (CSPC, 20, 4, Stage.SCOPING, "ruth.kavanagh@example.org"),
    "Nottingham": (CSPC, 11, 4, Stage.PREPARATION, "paul.ekwueme@example.org"),
}
# The peer team of the challenge in preparation: e-mail, role, charter accepted.
TEAM = [
    ("fiona.calder@example.org", TeamRole.TEAM_LEADER, True),
    ("alison.greaves@example.org", TeamRole.PEER_CHALLENGE_MANAGER, True),
    ("mark.denholm@example.org", TeamRole.SENIOR_MANAGER, True),
    ("rosalind.cheung@example.org", TeamRole.SENIOR_MANAGER, False),
]
FOCUS = (
    "How well the council's early help and front door arrangements identify need early and "
    "step families down safely, and whether leaders have the capacity to sustain the "
    "improvement since the last inspection."
)


def seed(*, stdout) -> None:
    alliance = Alliance.objects.filter(kind=Alliance.Kind.NATIONAL, slug="lga").first()
    if alliance is None:
        return
    with scope(alliance=alliance):
        if not Offer.objects.filter(alliance=alliance).exists():
            catalogue_load_standard(alliance=alliance)
        for council_name, plan in CHALLENGES.items():
            challenge = _seed_challenge(alliance=alliance, council_name=council_name, plan=plan)
            if challenge is not None:
                stdout.write(f"  LGA peer challenge: {challenge} ({challenge.get_stage_display()})")


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _member(alliance, role) -> User | None:
    membership = Membership.objects.filter(alliance=alliance, role=role).first()
    return membership.user if membership else None


def _seed_challenge(*, alliance, council_name: str, plan) -> Challenge | None:
    offer_name, weeks, days, stage, requester = plan
    offer = Offer.objects.filter(alliance=alliance, name=offer_name).first()
    council = LocalAuthority.objects.filter(name=council_name).first()
    if offer is None or council is None:
        return None
    challenge = Challenge.objects.filter(offer=offer, local_authority=council).first()
    if challenge is None:
        percent, reason = subsidy_for(offer=offer, council=council)
        challenge = Challenge.objects.create(
            alliance=alliance,
            offer=offer,
            local_authority=council,
            onsite_start=_monday(timezone.localdate() + datetime.timedelta(weeks=weeks)),
            days=days,
            subsidy_percent=percent,
            subsidy_reason=reason,
            requested_by=_person(requester),
            request_notes="We would like the peer team to look at early help and the front door.",
        )
    if stage in (Stage.SCOPING, Stage.PREPARATION):
        _seed_scoping(challenge=challenge, alliance=alliance, accept=stage == Stage.PREPARATION)
    if stage == Stage.PREPARATION:
        _seed_team(challenge=challenge, alliance=alliance)
        _seed_preparation(challenge=challenge, alliance=alliance)
    return challenge


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _seed_scoping(*, challenge: Challenge, alliance, accept: bool) -> None:
    from .services_scoping import proposal_accept, proposal_send, scope_save, scoping_save

    pm = _member(alliance, Role.PROGRAMME_MANAGER)
    if challenge.scoping_meeting_at is None:
        meeting = timezone.make_aware(
            datetime.datetime.combine(
                challenge.onsite_start - datetime.timedelta(weeks=8), datetime.time(10)
            )
        )
        scoping_save(
            challenge=challenge,
            user=pm,
            scoping_meeting_at=meeting,
            scoping_location="Online (Teams)",
            principal_adviser=_member(alliance, Role.PRINCIPAL_ADVISER),
            improvement_adviser=_member(alliance, Role.IMPROVEMENT_ADVISER),
            focus=FOCUS,
            onsite_start=challenge.onsite_start,
            days=challenge.days,
            team_needed="A team leader, three senior operational managers (social care, "
            "health, police) and a peer challenge manager.",
            documents_required="Front door audit summary\nEarly help outcomes framework",
            confidentiality_required=accept,
        )
        scope_save(challenge=challenge, user=pm, modules=["Early help", "Front door"], probes={})
    if accept and challenge.proposal_sent_at is None:
        from reports.services import report_render

        version = proposal_send(challenge=challenge, user=pm)
        # The seed runs in one transaction, so the on-commit render has not run yet.
        report_render(version=version)
    if accept and challenge.proposal_accepted_at is None:
        sponsor = (
            Membership.objects.filter(
                alliance=alliance, role=Role.DCS, local_authority=challenge.local_authority
            )
            .select_related("user")
            .first()
        )
        if sponsor is not None:
            proposal_accept(challenge=challenge, user=sponsor.user)


def _seed_team(*, challenge: Challenge, alliance) -> None:
    from .services_team import charter_accept, contacts_name, team_member_add

    council = challenge.local_authority
    people = Membership.objects.filter(alliance=alliance, local_authority=council)
    dcs = people.filter(role=Role.DCS).first()
    organiser = people.filter(role=Role.LA_ORGANISER).first()
    if challenge.sponsor_id is None and dcs is not None:
        contacts_name(
            challenge=challenge,
            sponsor=dcs.user,
            organiser=organiser.user if organiser else dcs.user,
        )
    pm = _member(alliance, Role.PROGRAMME_MANAGER)
    on_team = set(challenge.team.values_list("user__email", flat=True))
    for email, role, accepted in TEAM:
        person = _person(email)
        if person is None or email in on_team:
            continue
        member = team_member_add(challenge=challenge, person=person, role=role, invited_by=pm)
        if accepted:
            charter_accept(member=member, charter=True, confidentiality=True)


# Day 1 of the Nottingham timetable: (start, end, kind, title, room, roles of the peers).
DAY_ONE = [
    ("09:00", "09:20", "overview", "Council overview presentation", "Council Chamber", "all"),
    ("09:30", "10:30", "interview", "Interview: DCS and lead member", "Room 2.14", "leaders"),
    (
        "09:30",
        "10:30",
        "focus_group",
        "Focus group: front door social workers",
        "Room 1.02",
        "others",
    ),
    ("11:00", "12:30", "observation", "Observation: MASH strategy meeting", "MASH", "others"),
    ("16:00", "17:00", "team_time", "Peer team time", "Room 2.14", "all"),
]


def _seed_preparation(*, challenge: Challenge, alliance) -> None:
    """The advance documentation checklist with some items in, and day 1 of the timetable."""
    from peerchallenge.models import Session

    from .models import AdvanceDocument
    from .services_prep import checklist_generate
    from .services_timetable import timetable_session_save

    pm = _member(alliance, Role.PROGRAMME_MANAGER)
    if not AdvanceDocument.objects.filter(challenge=challenge).exists():
        items = checklist_generate(challenge=challenge, user=pm)
        for item in items[:3]:  # accepted without a file: agreed as already held by the LGA
            item.state = AdvanceDocument.State.ACCEPTED
            item.note = "Already held by the LGA from the last peer challenge."
            item.save()
        if len(items) > 4:
            items[3].state = AdvanceDocument.State.MORE_NEEDED
            items[3].note = "Please add the action plan that goes with the strategy."
            items[3].save()
    if Session.objects.filter(challenge_id=challenge.pk, title=DAY_ONE[0][3]).exists():
        return
    team = list(challenge.team.select_related("user"))
    leaders = [
        m.user for m in team if m.role in (TeamRole.TEAM_LEADER, TeamRole.PEER_CHALLENGE_MANAGER)
    ]
    others = [m.user for m in team if m.user not in leaders]
    peers = {"all": [m.user for m in team], "leaders": leaders, "others": others}
    for start, end, kind, title, room, who in DAY_ONE:

        def at(clock):
            hours, minutes = map(int, clock.split(":"))
            return timezone.make_aware(
                datetime.datetime.combine(challenge.onsite_start, datetime.time(hours, minutes))
            )

        timetable_session_save(
            challenge=challenge,
            kind=kind,
            title=title,
            starts_at=at(start),
            ends_at=at(end),
            room=room,
            peers=peers[who],
            user=pm,
        )
