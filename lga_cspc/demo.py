"""Demo data of the LGA's peer challenges: its catalogue, and one challenge at each stage of
the journey, for invented people of real councils.

Called by `LgaCspcConfig.seed_demo` after the core demo data. Every step goes through the
offer's services, so states, events and stage moves are those the app itself records; the
services stamp "now", so each step then dates what it recorded to when it happened in the
demo's story (never later than now). PDFs are rendered here, directly: the seed runs in one
transaction, so the renderings queued for after the commit would come too late.

Idempotent: a challenge is found by (offer, council) and built up only where a step is
missing. Dates are counted from the day the demo is first seeded: the Monday of the week a
challenge is on site, `weeks` from this week's Monday (before it when negative)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

from peerchallenge.demo import COUNCIL_PEOPLE, email_for
from peerchallenge.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Alliance,
    Document,
    DocumentVersion,
    LocalAuthority,
    Membership,
    Role,
    User,
)
from peerchallenge.services import action_record_progress
from peerchallenge.services.timetable import sessions_of
from reports.models import ReportVersion
from reports.services import report_render

from .models import (
    AccuracyComment,
    AdvanceDocument,
    CaseFile,
    CaseReview,
    Challenge,
    Evaluation,
    FeedbackReport,
    Offer,
    QASignOff,
    Questionnaire,
    ReportEvent,
    ReportState,
    SiteNote,
    Stage,
    TeamMember,
    TeamRole,
)
from .selectors import next_steps_of
from .services.booking import subsidy_for
from .services.cases import (
    case_findings_save,
    case_review_discussion_save,
    case_review_of,
    case_review_share,
    cases_add,
    cases_assign,
)
from .services.catalogue import catalogue_load_standard
from .services.documents import ACCEPT, MORE, checklist_generate, checklist_review, checklist_upload
from .services.evaluation import (
    evaluation_record,
    evaluation_schedule,
    follow_up_default,
    interview_due_default,
    next_step_record,
    questionnaire_answer,
    questionnaires_send,
)
from .services.onsite import site_note_add, site_note_share
from .services.report import (
    report_agree,
    report_close_accuracy,
    report_comment,
    report_issue_draft,
    report_issue_final,
    report_of,
    report_resolve_comment,
    report_save,
    report_sign_off,
    report_submit_qa,
)
from .services.scoping import (
    proposal_accept,
    proposal_send,
    proposal_versions,
    scope_save,
    scoping_save,
)
from .services.stages import STAGE_ORDER
from .services.team import charter_accept, contacts_name, team_member_add
from .services.timetable import timetable_session_save

CSPC = "Children's Services Peer Challenge"
EARLY_YEARS = "Early Years (Speech, Language and Communication) Peer Challenge"
TL, PCM, SM = TeamRole.TEAM_LEADER, TeamRole.PEER_CHALLENGE_MANAGER, TeamRole.SENIOR_MANAGER

# council: (offer, weeks from this week's Monday to on-site, days, stage reached, DCS who asked)
CHALLENGES = {
    "Croydon": (EARLY_YEARS, 30, 4, Stage.REQUESTED, "desmond.afolabi@example.org"),
    "West Northamptonshire": (CSPC, 20, 4, Stage.SCOPING, "ruth.kavanagh@example.org"),
    "Nottingham": (CSPC, 11, 4, Stage.PREPARATION, "paul.ekwueme@example.org"),
    "Lincolnshire": (CSPC, 2, 4, Stage.CASE_REVIEW, "martin.crossley@example.org"),
    "Derbyshire": (CSPC, 0, 4, Stage.ON_SITE, "jonathan.reeve@example.org"),
    "Nottinghamshire": (CSPC, -3, 4, Stage.REPORT, "elaine.wardle@example.org"),
    "North Northamptonshire": (CSPC, -8, 4, Stage.EVALUATION, "nadia.hussain@example.org"),
}
# Councils whose DCS and organiser (the invented people of their regional alliance, in
# peerchallenge.demo) also join the LGA for their own council's challenge. Nottingham's,
# West Northamptonshire's and Croydon's are LGA members in peerchallenge.demo already.
LGA_COUNCILS = ["Lincolnshire", "Derbyshire", "Nottinghamshire", "North Northamptonshire"]

# Each peer team: team leader, peer challenge manager, senior managers. Every peer has
# accepted the peer charter but Nottingham's last, invited only days ago.
TEAMS = {
    "Nottingham": ("Fiona Calder", "Alison Greaves", ["Mark Denholm", "Rosalind Cheung"]),
    "Lincolnshire": ("Rosalind Cheung", "Alison Greaves", ["Mark Denholm", "Fiona Calder"]),
    "Derbyshire": ("Fiona Calder", "Stephen Marlow", ["Mark Denholm", "Rosalind Cheung"]),
    "Nottinghamshire": ("Rosalind Cheung", "Alison Greaves", ["Mark Denholm"]),
    "North Northamptonshire": (
        "Fiona Calder",
        "Stephen Marlow",
        ["Mark Denholm", "Rosalind Cheung"],
    ),
}
CHARTER_NOT_YET_ACCEPTED = {("Nottingham", "Rosalind Cheung")}
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
        _seed_council_people(alliance=alliance)
        for council_name, plan in CHALLENGES.items():
            challenge = _seed_challenge(alliance=alliance, council_name=council_name, plan=plan)
            if challenge is not None:
                stdout.write(f"  LGA peer challenge: {challenge} ({challenge.get_stage_display()})")


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _member(alliance, role) -> User | None:
    membership = Membership.objects.filter(alliance=alliance, role=role).first()
    return membership.user if membership else None


def _seed_council_people(*, alliance) -> None:
    """The DCS and organiser of each council in LGA_COUNCILS, as LGA members for it."""
    people = {council: (dcs, organiser) for _, council, dcs, organiser in COUNCIL_PEOPLE}
    for council_name in LGA_COUNCILS:
        council = LocalAuthority.objects.filter(name=council_name).first()
        if council is None or council_name not in people:
            continue
        dcs, organiser = people[council_name]
        for name, role in ((dcs, Role.DCS), (organiser, Role.LA_ORGANISER)):
            user = _person(email_for(name=name))
            if user is not None:
                Membership.objects.get_or_create(
                    alliance=alliance, user=user, role=role, local_authority=council
                )


def _reached(stage: str, step: str) -> bool:
    return STAGE_ORDER.index(stage) >= STAGE_ORDER.index(step)


def _seed_challenge(*, alliance, council_name: str, plan) -> Challenge | None:
    offer_name, weeks, days, stage, requester = plan
    offer = Offer.objects.filter(alliance=alliance, name=offer_name).first()
    council = LocalAuthority.objects.filter(name=council_name).first()
    if offer is None or council is None:
        return None
    challenge = Challenge.objects.filter(offer=offer, local_authority=council).first()
    if challenge is None:
        percent, reason = subsidy_for(offer=offer, council=council)
        onsite_start = _monday(timezone.localdate()) + datetime.timedelta(weeks=weeks)
        challenge = Challenge.objects.create(
            alliance=alliance,
            offer=offer,
            local_authority=council,
            onsite_start=onsite_start,
            days=days,
            subsidy_percent=percent,
            subsidy_reason=reason,
            requested_by=_person(requester),
            requested_at=_past(onsite_start, -140),
            request_notes="We would like the peer team to look at early help and the front door.",
        )
    if _reached(stage, Stage.SCOPING):
        _seed_scoping(
            challenge=challenge, alliance=alliance, accept=_reached(stage, Stage.PREPARATION)
        )
    if _reached(stage, Stage.PREPARATION):
        _seed_team(challenge=challenge, alliance=alliance)
        _seed_checklist(challenge=challenge, alliance=alliance, stage=stage)
        _seed_timetable(challenge=challenge, alliance=alliance, whole=stage != Stage.PREPARATION)
    if _reached(stage, Stage.CASE_REVIEW):
        _seed_cases(challenge=challenge, alliance=alliance, shared=stage != Stage.CASE_REVIEW)
    if _reached(stage, Stage.ON_SITE):
        _seed_site_log(challenge=challenge)
    if _reached(stage, Stage.REPORT):
        _seed_report(challenge=challenge, alliance=alliance, final=stage != Stage.REPORT)
    if _reached(stage, Stage.EVALUATION):
        _seed_after(challenge=challenge, alliance=alliance)
    challenge.refresh_from_db(fields=["stage"])
    return challenge


# When things happened ----------------------------------------------------------------------


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _moment(day: datetime.date, clock: str = "10:00") -> datetime.datetime:
    hours, minutes = map(int, clock.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hours, minutes)))


def _past(onsite_start: datetime.date, days: int, clock: str = "10:00") -> datetime.datetime:
    """The moment `days` after the first on-site day (before it when negative), but never
    later than now: what the demo says has happened cannot be in the future."""
    moment = _moment(onsite_start + datetime.timedelta(days=days), clock)
    return min(moment, timezone.now())


def _dated(rows, **moments) -> None:
    """Date what a service just recorded (it stamps "now") to when it happened."""
    rows.update(**moments)


def _team_person(challenge: Challenge, role: str) -> User | None:
    member = challenge.team.filter(role=role).select_related("user").first()
    return member.user if member else None


def _render(version, *, at: datetime.datetime):
    """Render a requested PDF now (see the module's docstring) and date the version."""
    report_render(version=version)
    _dated(ReportVersion.objects.filter(pk=version.pk), requested_at=at, rendered_at=at)


# Scoping and the team ----------------------------------------------------------------------


def _seed_scoping(*, challenge: Challenge, alliance, accept: bool) -> None:
    pm = _member(alliance, Role.PROGRAMME_MANAGER)
    start = challenge.onsite_start
    # A proposal accepted means the meeting has taken place; otherwise it is still to come.
    meeting_day = -91 if accept else -56
    if challenge.scoping_meeting_at is None:
        scoping_save(
            challenge=challenge,
            user=pm,
            scoping_meeting_at=_moment(start + datetime.timedelta(days=meeting_day)),
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
            case_lists=[source for source, _, _ in CASE_LISTS],
        )
        scope_save(challenge=challenge, user=pm, modules=["Early help", "Front door"], probes={})
    if accept and challenge.proposal_sent_at is None:
        sent = _past(start, meeting_day + 3)
        version = proposal_send(challenge=challenge, user=pm)
        _render(version, at=sent)
        _dated(Challenge.objects.filter(pk=challenge.pk), proposal_sent_at=sent)
        challenge.proposal_sent_at = sent
    if (
        accept
        and challenge.proposal_accepted_at is None
        and proposal_versions(challenge=challenge).exists()
    ):
        sponsor = (
            Membership.objects.filter(
                alliance=alliance, role=Role.DCS, local_authority=challenge.local_authority
            )
            .select_related("user")
            .first()
        )
        if sponsor is not None:
            proposal_accept(challenge=challenge, user=sponsor.user)
            accepted = _past(start, meeting_day + 7)
            _dated(Challenge.objects.filter(pk=challenge.pk), proposal_accepted_at=accepted)
            challenge.proposal_accepted_at = accepted


def _seed_team(*, challenge: Challenge, alliance) -> None:
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
    invited = _past(challenge.onsite_start, -81)
    council_name = challenge.local_authority.name
    leader, manager, seniors = TEAMS[council_name]
    team = [(leader, TL), (manager, PCM), *((name, SM) for name in seniors)]
    for name, role in team:
        person = _person(email_for(name=name))
        if person is None or person.email in on_team:
            continue
        member = team_member_add(challenge=challenge, person=person, role=role, invited_by=pm)
        _dated(TeamMember.objects.filter(pk=member.pk), invited_at=invited)
        if (council_name, name) not in CHARTER_NOT_YET_ACCEPTED:
            charter_accept(member=member, charter=True, confidentiality=True)
            moment = _past(challenge.onsite_start, -79, "16:30")
            _dated(
                TeamMember.objects.filter(pk=member.pk, charter_accepted_at__isnull=False),
                charter_accepted_at=moment,
            )
            _dated(
                TeamMember.objects.filter(pk=member.pk, confidentiality_accepted_at__isnull=False),
                confidentiality_accepted_at=moment,
            )


# Preparation -------------------------------------------------------------------------------


def _seed_checklist(*, challenge: Challenge, alliance, stage: str) -> None:
    """The advance documentation checklist. In preparation, a few items are agreed as held
    already and one is sent back; from the case review on, the council has uploaded them
    and the peer challenge manager has accepted them (at the case review, all but the last
    two: one sent back for more, one still to be read)."""
    # The sponsor's acceptance of the proposal generated it; anything beyond "requested"
    # means it was seeded already.
    if (
        AdvanceDocument.objects.filter(challenge=challenge)
        .exclude(state=AdvanceDocument.State.REQUESTED)
        .exists()
    ):
        return
    pm = _member(alliance, Role.PROGRAMME_MANAGER)
    checklist_generate(challenge=challenge, user=pm)
    items = list(AdvanceDocument.objects.filter(challenge=challenge).order_by("position", "pk"))
    if stage == Stage.PREPARATION:
        for item in items[:3]:  # accepted without a file: agreed as already held by the LGA
            item.state = AdvanceDocument.State.ACCEPTED
            item.note = "Already held by the LGA from the last peer challenge."
            item.save()
        if len(items) > 4:
            items[3].state = AdvanceDocument.State.MORE_NEEDED
            items[3].note = "Please add the action plan that goes with the strategy."
            items[3].save()
        return
    pcm = _team_person(challenge, PCM) or pm
    organiser = challenge.organiser or challenge.sponsor
    waiting = 2 if stage == Stage.CASE_REVIEW else 0
    for index, item in enumerate(items):
        last = index == len(items) - 1
        uploaded_day = -27 if waiting and last else -35
        _upload(item=item, organiser=organiser, at=_past(challenge.onsite_start, uploaded_day))
        if waiting and last:
            continue  # uploaded, for the peer challenge manager to read
        if waiting and index == len(items) - waiting:
            checklist_review(
                item=item,
                reviewer=pcm,
                decision=MORE,
                note="Please add the audit's action plan and the dates of the re-audit.",
            )
        else:
            checklist_review(item=item, reviewer=pcm, decision=ACCEPT)
        _dated(
            AdvanceDocument.objects.filter(pk=item.pk),
            updated_at=_past(challenge.onsite_start, -33, "14:00"),
        )


def _upload(*, item, organiser, at: datetime.datetime) -> None:
    council = item.challenge.local_authority.name
    name = item.title.replace("'", "").replace("(", "").replace(")", "").replace(" ", "-")
    upload = SimpleUploadedFile(
        f"{council}-{name}.pdf".lower(),
        _document_pdf(f"{council}: {item.title}"),
        content_type="application/pdf",
    )
    version = checklist_upload(item=item, upload=upload, uploaded_by=organiser)
    _dated(DocumentVersion.objects.filter(pk=version.pk), uploaded_at=at)
    _dated(Document.objects.filter(pk=version.document_id), created_at=at)
    _dated(AdvanceDocument.objects.filter(pk=item.pk), updated_at=at)


def _document_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a council's document: its title, and that it is
    invented for the demo."""
    lines = [title, "An invented document for the Peer Challenge demo."]
    text = " ".join(
        f"({line.replace(chr(92), '').replace('(', '[').replace(')', ']')}) Tj 0 -24 Td"
        for line in lines
    )
    stream = f"BT /F1 16 Tf 56 780 Td {text} ET".encode("latin-1", "replace")
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(pdf)


# The timetable: title: (day from 0, hours, kind, room, peers). Day 1 alone in preparation;
# the whole timetable once the case review has begun.
DAY_ONE = {
    "Council overview presentation": (0, "09:00-09:20", "overview", "Council Chamber", "all"),
    "Interview: DCS and lead member": (0, "09:30-10:30", "interview", "Room 2.14", "leaders"),
    "Focus group: front door social workers": (
        0,
        "09:30-10:30",
        "focus_group",
        "Room 1.02",
        "rest",
    ),
    "Observation: MASH strategy meeting": (0, "11:00-12:30", "observation", "MASH", "rest"),
    "Peer team time": (0, "16:00-17:00", "team_time", "Room 2.14", "all"),
}
LATER_DAYS = {
    "Focus group: reviewing officers": (1, "09:30-10:30", "focus_group", "Room 1.02", "rest"),
    "Interview: chief executive": (1, "11:00-12:00", "interview", "Room 2.14", "leaders"),
    "Peer team time, day 2": (1, "16:00-17:00", "team_time", "Room 2.14", "all"),
    "Focus group: care leavers": (2, "10:00-11:30", "focus_group", "Youth hub", "all"),
    "Peer team time: the feedback": (2, "14:00-17:00", "team_time", "Room 2.14", "all"),
    "Feedback presentation": (3, "14:00-15:00", "feedback", "Council Chamber", "all"),
}


def _seed_timetable(*, challenge: Challenge, alliance, whole: bool) -> None:
    pm = _member(alliance, Role.PROGRAMME_MANAGER)
    planned = set(sessions_of(challenge=challenge).values_list("title", flat=True))
    team = list(challenge.team.select_related("user"))
    leaders = [
        m.user for m in team if m.role in (TeamRole.TEAM_LEADER, TeamRole.PEER_CHALLENGE_MANAGER)
    ]
    rest = [m.user for m in team if m.user not in leaders]
    peers = {"all": [m.user for m in team], "leaders": leaders, "rest": rest}
    for title, (day, hours, kind, room, who) in (DAY_ONE | (LATER_DAYS if whole else {})).items():
        if title in planned:
            continue
        date = challenge.onsite_start + datetime.timedelta(days=day)
        start, end = hours.split("-")
        timetable_session_save(
            challenge=challenge,
            kind=kind,
            title=title,
            starts_at=_moment(date, start),
            ends_at=_moment(date, end),
            room=room,
            peers=peers[who],
            user=pm,
        )


# The case record review --------------------------------------------------------------------

# (list the cases come from, their references' prefix, how many): 25 cases.
CASE_LISTS = [
    ("early_help", "EH", 5),
    ("cin", "CIN", 5),
    ("cp", "CP", 6),
    ("cla", "CLA", 5),
    ("care_leaver", "CL", 2),
    ("disability", "CWD", 2),
]
# Findings by overall quality: (voice of the child, strengths, areas for development).
FINDINGS = {
    "strong": (
        "The child's wishes are recorded in their own words and shape the plan.",
        "Regular visits, an up-to-date plan and partners who work well together.",
        "",
    ),
    "mixed": (
        "The child is seen alone, but what they say is not always linked to the plan.",
        "The social worker knows the family well and visits are regular.",
        "Management oversight is recorded but does not always give the reasons for decisions.",
    ),
    "weak": (
        "The child's views are not recorded since the last review.",
        "Partners attend core groups.",
        "Actions carried over from three reviews without progress: the plan has drifted.",
    ),
}
QUALITIES = ["strong", "mixed", "strong", "mixed", "weak"]
# At the case review stage the reviewers have recorded this many cases so far.
REVIEWED_SO_FAR = 12
DISCUSSION = (
    "The peers shared the emerging themes with the DCS, who recognised the findings on "
    "management oversight and asked the team to look at the new supervision policy on site."
)
KEY_MESSAGES = (
    "Children are seen regularly and most plans are up to date.\n\n"
    "The child's voice is well recorded in child protection work, less so in child in need "
    "plans.\n\n"
    "Management oversight is on every file but does not always explain decisions, "
    "particularly when cases are stepped down to early help."
)


def _seed_cases(*, challenge: Challenge, alliance, shared: bool) -> None:
    """About 25 cases from the lists agreed at scoping, each with a reviewer on the team.
    At the case review stage some have findings; once shared, all have, the discussion
    with the sponsor is recorded and the report is rendered."""
    start = challenge.onsite_start
    lead = _team_person(challenge, PCM) or _member(alliance, Role.PROGRAMME_MANAGER)
    review = case_review_of(challenge=challenge)
    if review is None or not review.cases.exists():
        number = 40117
        for source, prefix, count in CASE_LISTS:
            references = [f"{prefix}-{number + 389 * n}" for n in range(count)]
            number += 7919
            cases_add(challenge=challenge, references=references, source=source, user=lead)
        review = case_review_of(challenge=challenge)
        reviewers = [m.user for m in challenge.team.select_related("user").order_by("pk")]
        cases_assign(
            challenge=challenge,
            assignments={
                pk: reviewers[i % len(reviewers)]
                for i, pk in enumerate(review.cases.order_by("pk").values_list("pk", flat=True))
            },
            user=lead,
        )
        cases = review.cases.select_related("reviewer").order_by("pk")
        for index, case in enumerate(cases[:REVIEWED_SO_FAR]):
            _case_findings(case=case, index=index, start=start)
    if not shared or review.shared_at is not None:
        return
    for index, case in enumerate(review.cases.select_related("reviewer").order_by("pk")):
        if case.reviewed_at is None:
            _case_findings(case=case, index=index, start=start)
    case_review_discussion_save(
        challenge=challenge,
        user=lead,
        discussion_at=_past(start, -11, "15:00"),
        notes=DISCUSSION,
        key_messages=KEY_MESSAGES,
    )
    version = case_review_share(challenge=challenge, user=lead)
    moment = _past(start, -10, "12:00")
    _render(version, at=moment)
    _dated(CaseReview.objects.filter(pk=review.pk), shared_at=moment)


def _case_findings(*, case, index: int, start: datetime.date) -> None:
    quality = QUALITIES[index % len(QUALITIES)]
    voice, strengths, areas = FINDINGS[quality]
    case_findings_save(
        case=case,
        user=case.reviewer,
        quality=quality,
        voice_of_child=voice,
        strengths=strengths,
        areas_for_development=areas,
    )
    # Reviewed over the three days of the case record review.
    moment = _past(start, -14 + index % 3, f"{10 + index % 6}:15")
    _dated(CaseFile.objects.filter(pk=case.pk), reviewed_at=moment)


# On site -----------------------------------------------------------------------------------

# (day from 0, time, kind, title, text, session title, for the presentation, shared at)
SITE_NOTES = [
    (
        0,
        "10:40",
        "session_note",
        "",
        "The DCS and lead member give a clear account of the improvement journey; the lead "
        "member chairs the corporate parenting board and knows the data.",
        "Interview: DCS and lead member",
        False,
        "",
    ),
    (
        0,
        "12:45",
        "emerging_issue",
        "Thresholds at the front door",
        "Partners describe different thresholds for a referral to the MASH; several children "
        "in the case review were stepped up and down more than once in a year.",
        "Observation: MASH strategy meeting",
        False,
        "17:30",
    ),
    (
        0,
        "16:30",
        "strength",
        "Leaders know their services",
        "Leaders know their services well: their self-evaluation matches what the peers "
        "found in the cases and the focus groups.",
        "",
        True,
        "",
    ),
    (
        1,
        "12:30",
        "emerging_issue",
        "Supervision is not always recorded",
        "Social workers value their managers, but supervision records are missing on a third "
        "of the files the peers read on site.",
        "",
        False,
        "17:15",
    ),
    (
        1,
        "15:00",
        "strength",
        "Relationships with children",
        "Social workers know their children well and speak about them with warmth; children "
        "in care told the peers they trust their workers.",
        "",
        True,
        "",
    ),
    (
        1,
        "16:00",
        "area",
        "Management oversight",
        "Oversight is on every file but does not always give the reasons for decisions, "
        "particularly when cases are stepped down.",
        "",
        True,
        "",
    ),
    (
        1,
        "16:10",
        "area",
        "Local placements",
        "Too few local foster carers for teenagers: some are placed far from school and friends.",
        "",
        False,
        "",
    ),
    (
        1,
        "16:30",
        "good_practice",
        "Family hubs at the front door",
        "Health visitors and early help workers share the family hubs' front door, so "
        "families tell their story once.",
        "",
        True,
        "",
    ),
    (
        2,
        "11:45",
        "case_study",
        "From care to an apprenticeship",
        "A care leaver's personal adviser, the virtual school and the council's own "
        "apprenticeship scheme worked together to find a placement that lasted.",
        "Focus group: care leavers",
        True,
        "",
    ),
    (
        2,
        "13:00",
        "emerging_issue",
        "Return home interviews",
        "Return home interviews after children go missing are offered late and rarely lead "
        "to a change in the plan.",
        "",
        False,
        "",
    ),
]


def _seed_site_log(*, challenge: Challenge) -> None:
    """What the team recorded on site, with two emerging issues shared with the sponsor."""
    if SiteNote.objects.filter(challenge=challenge).exists():
        return
    sessions = {session.title: session for session in sessions_of(challenge=challenge)}
    author = _team_person(challenge, PCM)
    start = challenge.onsite_start
    for day, clock, kind, title, text, session, presentation, shared in SITE_NOTES:
        note = site_note_add(
            challenge=challenge,
            author=author,
            kind=kind,
            title=title,
            text=text,
            session=sessions.get(session),
            for_presentation=presentation,
        )
        _dated(SiteNote.objects.filter(pk=note.pk), created_at=_past(start, day, clock))
        if shared:
            site_note_share(note=note, user=author)
            _dated(
                SiteNote.objects.filter(pk=note.pk),
                shared_with_sponsor_at=_past(start, day, shared),
            )


# The written feedback ----------------------------------------------------------------------

REPORT_TEXT = {
    "case_studies": (
        "From care to an apprenticeship: a care leaver's personal adviser, the virtual school "
        "and the council's own apprenticeship scheme worked together to find a placement "
        "that lasted."
    ),
    "executive_summary": (
        "{council} asked the peer team to look at how well early help and the front door "
        "identify need early and step families down safely, and whether leaders have the "
        "capacity to sustain the improvement since the last inspection.\n\n"
        "The team found committed leaders who know their services well and a front door that "
        "is timely for most children. What follows is offered to help the council sustain "
        "its progress: it is not a judgement."
    ),
    "strengths": (
        "Leaders know their services well: their self-evaluation matches what the peer team "
        "found.\n\n"
        "Social workers know their children well, visit them regularly and speak about them "
        "with warmth.\n\n"
        "Family hubs give families one place to go for early help."
    ),
    "areas_for_development": (
        "Reliance on agency social workers (24% of posts) limits the consistency of "
        "relationships with children.\n\n"
        "Management oversight does not always give the reasons for decisions, particularly "
        "when cases are stepped down to early help."
    ),
    "recommendations": (
        "Agree one threshold document with partners and re-launch it to every referrer.\n\n"
        "Audit the recording of management oversight in the locality teams each month.\n\n"
        "Set out a workforce plan that brings agency use down within a year."
    ),
    "good_practice": (
        "The family hubs' shared front door with health visiting is worth sharing across the "
        "region."
    ),
}
# The council's factual-accuracy comments: (section, paragraph, comment, resolution, the
# section's text once resolved). At the report stage the second is still open.
COMMENTS = [
    (
        "areas_for_development",
        1,
        "The agency rate was 19% at the end of March; 24% was the figure a year ago.",
        "Corrected to 19%, the council's workforce figure for March.",
        REPORT_TEXT["areas_for_development"].replace("24% of posts", "19% of posts"),
    ),
    (
        "strengths",
        3,
        "Family hubs have been open in all five localities since January: the report could say so.",
        "Added that the hubs are open in every locality.",
        REPORT_TEXT["strengths"].replace(
            "Family hubs give", "Family hubs, open in all five localities since January, give"
        ),
    ),
]
# Days after the first on-site day: the draft issued (a Tuesday, two weeks on), and the
# final version (the day after the ten working days of factual accuracy).
DRAFT_ISSUED = 15
FINAL_ISSUED = 30


def _seed_report(*, challenge: Challenge, alliance, final: bool) -> None:
    """The report drafted, agreed, quality-assured and issued to the council, with its
    comments; when `final`, the window closed and the final version issued."""
    start = challenge.onsite_start
    pcm = _team_person(challenge, PCM)
    leader = _team_person(challenge, TL)
    pm = _member(alliance, Role.PROGRAMME_MANAGER)
    dcs = challenge.sponsor
    report = report_of(challenge=challenge)

    def step(state, day, clock, action, **kwargs):
        """Take the step if the report is in `state`; date the event it logs."""
        nonlocal report
        if report is not None and report.state != state:
            return None
        result = action(challenge=challenge, **kwargs)
        report = report_of(challenge=challenge)
        latest = ReportEvent.objects.filter(report=report).order_by("-pk").first()
        _dated(ReportEvent.objects.filter(pk=latest.pk), at=_past(start, day, clock))
        return result

    if report is None:
        council = challenge.local_authority.name
        text = {key: value.format(council=council) for key, value in REPORT_TEXT.items()}
        step(None, 7, "09:30", report_save, user=pcm, **text)
    step(ReportState.DRAFT, 8, "16:00", report_agree, user=leader)
    step(ReportState.AGREED, 9, "09:00", report_submit_qa, user=pcm)
    if report.state == ReportState.QA:
        signed = set(report.sign_offs.values_list("user_id", flat=True))
        advisers = [pm, challenge.principal_adviser, challenge.improvement_adviser]
        for day, person in zip((9, 10, 14), advisers, strict=True):
            if person is not None and person.pk not in signed:
                sign_off = step(ReportState.QA, day, "14:00", report_sign_off, user=person)
                _dated(
                    QASignOff.objects.filter(pk=sign_off.pk), signed_at=_past(start, day, "14:00")
                )
        issued = start + datetime.timedelta(days=DRAFT_ISSUED)
        version = step(
            ReportState.QA, DRAFT_ISSUED, "09:00", report_issue_draft, user=pcm, today=issued
        )
        _render(version, at=_past(start, DRAFT_ISSUED, "09:05"))
        _dated(
            FeedbackReport.objects.filter(pk=report.pk),
            accuracy_opens_at=_past(start, DRAFT_ISSUED, "09:00"),
        )
    if report.state == ReportState.ACCURACY and not report.comments.exists():
        for number, (section, paragraph, text, resolution, resolved_text) in enumerate(COMMENTS):
            day = DRAFT_ISSUED + 2 + number
            comment = report_comment(
                challenge=challenge,
                user=dcs,
                section=section,
                paragraph=paragraph,
                text=text,
                today=start + datetime.timedelta(days=day),
            )
            _dated(AccuracyComment.objects.filter(pk=comment.pk), created_at=_past(start, day))
            if final or number == 0:
                report_resolve_comment(comment=comment, user=pcm, resolution=resolution)
                report_save(challenge=challenge, user=pcm, **{section: resolved_text})
                _dated(
                    AccuracyComment.objects.filter(pk=comment.pk),
                    resolved_at=_past(start, DRAFT_ISSUED + 6, "11:00"),
                )
    if not final:
        return
    report.refresh_from_db()
    # Bank holidays can push the window's close past the story's day: never close it early.
    closed = max(
        start + datetime.timedelta(days=FINAL_ISSUED),
        report.accuracy_closes_on + datetime.timedelta(days=1),
    )
    step(ReportState.ACCURACY, FINAL_ISSUED, "09:00", report_close_accuracy, user=pcm, today=closed)
    version = step(
        ReportState.RESOLVED, FINAL_ISSUED, "10:00", report_issue_final, user=pm, today=closed
    )
    if version is not None:
        _render(version, at=_past(start, FINAL_ISSUED, "10:05"))


# After -------------------------------------------------------------------------------------

# (team role, ratings: preparation, organisation, team working, value; comments)
ANSWERS = [
    (TL, (5, 4, 5, 5), "A well-organised challenge; the case review gave the team a strong start."),
    (SM, (4, 4, 5, 4), "More time for pre-reading before the case review would help."),
]
EVALUATION_NOTES = (
    "The DCS found the challenge well focused and the peer team credible. The no-surprises "
    "log meant nothing in the feedback presentation was unexpected. The council has used the "
    "report to reshape its improvement plan, and would welcome a follow-up in about two "
    "years, on the workforce."
)
# (what, owner, weeks after the first on-site day it is due)
NEXT_STEPS = [
    (
        "Agree one threshold document with partners and re-launch it to every referrer.",
        "Head of the multi-agency safeguarding hub",
        20,
    ),
    (
        "Audit the recording of management oversight in the locality teams each month.",
        "Principal social worker",
        28,
    ),
    (
        "Set out a workforce plan that brings agency use below 15% within a year.",
        "Assistant director, children's social care",
        40,
    ),
]


def _seed_after(*, challenge: Challenge, alliance) -> None:
    """The questionnaires sent (two answered), the DCS interview held and recorded, and the
    next steps agreed with the council as actions on its improvement plan."""
    start = challenge.onsite_start
    pm = _member(alliance, Role.PROGRAMME_MANAGER)
    # Issuing the final sent the questionnaires; answer two once.
    if not Questionnaire.objects.filter(
        member__challenge=challenge, submitted_at__isnull=False
    ).exists():
        questionnaires_send(challenge=challenge, user=pm)  # any member added since
        sent = list(
            Questionnaire.objects.filter(member__challenge=challenge).select_related("member")
        )
        _dated(
            Questionnaire.objects.filter(pk__in=[q.pk for q in sent]),
            sent_at=_past(start, FINAL_ISSUED),
        )
        by_role = {q.member.role: q for q in sent}
        for day, (role, ratings, comments) in enumerate(ANSWERS, start=FINAL_ISSUED + 3):
            if role in by_role:
                preparation, organisation, team_working, value = ratings
                answered = questionnaire_answer(
                    questionnaire=by_role[role],
                    preparation=preparation,
                    organisation=organisation,
                    team_working=team_working,
                    value=value,
                    comments=comments,
                )
                _dated(
                    Questionnaire.objects.filter(pk=answered.pk),
                    submitted_at=_past(start, day, "19:00"),
                )
    if not Evaluation.objects.filter(challenge=challenge, recorded_at__isnull=False).exists():
        interview_at = _past(start, 32, "10:00")
        evaluation_schedule(
            challenge=challenge,
            interview_due=interview_due_default(challenge=challenge),
            interview_at=interview_at,
            interviewer=pm,
            follow_up_suggested=follow_up_default(challenge=challenge),
            user=pm,
        )
        evaluation = evaluation_record(
            challenge=challenge, notes=EVALUATION_NOTES, interview_at=None, user=pm
        )
        _dated(
            Evaluation.objects.filter(pk=evaluation.pk),
            recorded_at=_past(start, 32, "16:00"),
        )
    if not next_steps_of(challenge=challenge).exists():
        cia = challenge.improvement_adviser or pm
        actions = [
            next_step_record(
                challenge=challenge,
                what=what,
                owner=owner,
                due_date=start + datetime.timedelta(weeks=weeks),
                user=cia,
            )
            for what, owner, weeks in NEXT_STEPS
        ]
        _dated(
            Action.objects.filter(pk__in=[action.pk for action in actions]),
            created_at=_past(start, 39, "11:00"),
        )
        update = action_record_progress(
            action=actions[0],
            author=challenge.organiser or challenge.sponsor,
            note="Draft threshold document agreed by the safeguarding partnership; the "
            "re-launch to referrers is booked.",
            status=ActionStatus.GREEN,
        )
        _dated(ActionUpdate.objects.filter(pk=update.pk), created_at=_past(start, 50, "15:00"))
