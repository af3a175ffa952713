"""The walk (issue 12): every GET page of the project, per person who opens it, at two data
sizes, in-process; it fails on any 500 and on any page whose query count grows with the data.

    .venv/bin/python -m bench.run --walk [--skip-seed]

The pages are discovered from the URL resolver (every app's urls; the Django admin, allauth
and bench's own floor are not ours to walk), so a new page joins the walk by itself. A page
answers only GET requests unless it is in POST_ONLY; a download that needs a rendered file
or an address whose key is a secret token is in SKIPPED with the reason. Every other page is
opened by the people in WHO_OPENS (a programme manager unless named).

The two sizes are two instances of the same kind, both in the bench database, built inside
one transaction that is rolled back at the end (nothing the walk makes outlives it):

- regional pages: small is `--regional` (bench-london: 33 councils, no other data) with one
  of each object the pages show; large is the mixed board's alliance (bench.board.MIXED_SLUG:
  153 councils, the 10,000-action Tier 2 board, the 153-council triad cycle, the seeded
  thematic events and on-demand reviews) with MORE of each, around the seeded objects;
- the LGA's peer challenge pages (lga_cspc, national alliance only): small is a new challenge
  of bench-national with one of each; large is the seeded challenge (its team and timetable)
  with MORE of each, plus MORE other challenges. Both live in bench-national, so the small
  one is measured before the large one is grown.

Each page is requested once to warm the process's caches (content types, templates), then
counted under CaptureQueriesContext; for the large instance also its median CPU time over a
few requests, as bench.run times pages, and that time's ratio to the floor page's.
"""

import re
import statistics
import time
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from bench.board import MIXED_SLUG, TIER2_GROUP_NAME
from bench.cspc import cspc_challenge_create, cspc_peers, cspc_team_create
from benchmarking.models import (
    DataImport,
    Framework,
    FrameworkEntry,
    Indicator,
    LocalFigure,
    LocalIndicator,
    LocalReturn,
    ReturnQuarter,
)
from benchmarking.selectors import framework_year
from improvement.models import Cycle as ImprovementCycle
from improvement.models import SelfEvaluation as ImprovementSelfEvaluation
from improvement.models import step_defaults
from improvement.services.cycle import cycle_open
from improvement.services.menu import match_broker, need_add, offer_add
from improvement.services.plan import plan_submit, priority_add
from improvement.services.regional_plan import response_add
from improvement.services.scrutiny import comment_save, moderation_save, scrutiny_add
from improvement.services.self_evaluation import section_save, self_evaluation_submit
from lga_cspc.models import (
    AccuracyComment,
    AdvanceDocument,
    CaseFile,
    CaseReview,
    Challenge,
    FeedbackReport,
    ScopeElement,
    SiteNote,
    Stage,
    TeamMember,
    TeamRole,
)
from ondemand.models import Activity, Recommendation, RequestNote, Review, Reviewer, Status
from peerchallenge.models import (
    Action,
    ActionUpdate,
    Alliance,
    Document,
    DocumentVersion,
    Invitation,
    KeyLineOfEnquiry,
    KloeComment,
    LocalAuthority,
    Membership,
    Role,
    Session,
    Tier2Group,
    User,
)
from thematic.models import (
    EventKloe,
    NextSteps,
    Nomination,
    SuggestionSupport,
    ThematicEvent,
    Theme,
    ThemeSuggestion,
)
from triads.models import Cycle, EventTemplate, Triad, TriadMember, TriadSummary

NATIONAL_SLUG = "bench-national"
# Not ours to walk: Django's admin, allauth's sign-in pages, bench's own floor (measured
# apart, as the floor).
FOREIGN_PREFIXES = ("admin/", "accounts/", "bench/")
MORE = 8  # how many of each row the large instance has around the page's objects
CPU_SAMPLES = 5

# Actions with no GET (they answer 405).
POST_ONLY = {
    "improvement:scrutiny_assign",
    "improvement:regional_plan_issue",
    "improvement:needs_import",
    "improvement:match_broker",
    "improvement:challenge_assign",
    "benchmarking:framework_start",
    "benchmarking:import_confirm",
    "benchmarking:import_cancel",
    "benchmarking:quarter_publish",
    "benchmarking:data_pack_pdf",
    "benchmarking:grid_csv",
    "benchmarking:grid_xlsx",
    "benchmarking:grid_pdf",
    "improvement_plan_pdf_prepare",
    "triads:kloe_share",
    "ondemand:activities_agree",
    "ondemand:findings_issue",
    "reports:report_retry",
    "lga_cspc:proposal_send",
    "lga_cspc:proposal_accept",
    "lga_cspc:site_note_share",
    "lga_cspc:report_step",
    "lga_cspc:report_comment",
    "lga_cspc:report_comment_resolve",
}
NO_FILE = "a download of a rendered or uploaded file: the bench data has none"
SKIPPED = {
    "healthz": "the health check: no person, no page",
    "invitation_accept": "public; the key is the token in the email, which only its hash keeps",
    "calendar_feed": "public; the key is the feed's secret token, which only its hash keeps",
    "improvement_plan_pdf": NO_FILE,
    "reports:report_download": NO_FILE,
    "triads:document_download": NO_FILE,
    "improvement:evidence_download": NO_FILE,
    "lga_cspc:checklist_download": NO_FILE,
    "lga_cspc:shared_report_download": NO_FILE,
}
# Who opens each page (the programme manager unless named). Roles of the regional instance:
# pm, admin, organiser and dcs (the page's council's), tier2 (a member of the page's Tier 2
# group); of the LGA's: pm (a planner), pcm (the challenge's peer challenge manager) and
# dcs (its sponsor).
WHO_OPENS = {
    "home": ("pm", "organiser", "dcs", "tier2"),
    "calendar_settings": ("pm", "organiser"),
    "council_list": ("pm", "tier2"),
    "council_detail": ("pm", "organiser"),
    "improvement_plan": ("pm", "organiser", "dcs"),
    "tier2_list": ("pm", "tier2"),
    "tier2_board": ("pm", "tier2"),
    "action_detail": ("pm", "tier2"),
    "member_invite": ("admin",),
    "membership_edit": ("admin",),
    "membership_remove": ("admin",),
    "access_log": ("admin",),
    "tier2_group_create": ("admin",),
    "invitation_cancel": ("admin",),
    "ondemand:reviewer_respond": ("admin",),  # the admin is the review's lead reviewer
    "ondemand:findings": ("admin",),
    "ondemand:recommendation_remove": ("admin",),
    "triads:kloe_create": ("organiser",),
    "triads:kloe_edit": ("organiser",),
    "triads:document_upload": ("organiser",),
    "triads:kloe_comment": ("organiser",),
    "thematic:nominations": ("pm", "organiser"),
    "thematic:nomination_withdraw": ("organiser",),
    "ondemand:review_request": ("organiser",),
    "ondemand:review_answer": ("organiser",),
    "ondemand:recommendation_respond": ("organiser",),
    "lga_cspc:challenge_detail": ("pm", "dcs"),
    "lga_cspc:charter": ("pcm",),
    "lga_cspc:questionnaire": ("pcm",),
    "lga_cspc:report_share": ("dcs",),
    "lga_cspc:report_unshare": ("dcs",),
    "improvement:cycle": ("pm", "organiser", "tier2"),
    "improvement:self_evaluation": ("pm", "organiser"),
    "improvement:section_edit": ("organiser",),
    "improvement:submit": ("dcs",),
    "improvement:scrutiny_comment": ("scrutineer",),
    "improvement:scrutiny_moderation": ("scrutineer",),
    "improvement:scrutiny_reply": ("organiser",),
    "improvement:plan": ("pm", "organiser"),
    "improvement:priority_add": ("organiser",),
    "improvement:priority_change": ("organiser",),
    "improvement:priority_remove": ("organiser",),
    "improvement:plan_submit": ("dcs",),
    "improvement:challenge_comment": ("organiser",),
    "improvement:challenge_moderation": ("organiser",),
    "improvement:challenge_reply": ("scrutineer",),  # the challenged council's organiser
    "improvement:menu": ("pm", "tier2"),
    "improvement:evidence_attach": ("organiser",),
    "improvement:match": ("pm", "dcs"),
}
# Pages of an on-demand review that answer only in a later state: which review they get.
REVIEW_STATE = {
    "ondemand:findings": "accepted",
    "ondemand:recommendation_remove": "accepted",
    "ondemand:recommendation_respond": "issued",
    # The walked council challenges another's submitted development plan.
    "improvement:challenge_comment": "challenge",
    "improvement:challenge_moderation": "challenge",
    "improvement:challenge_reply": "challenge",
}
# The LGA's pages a regional alliance serves (its reports shared with the region).
CSPC_REGIONAL = {"lga_cspc:shared_reports", "lga_cspc:shared_report_download"}


def our_get_routes() -> list[tuple[str, str]]:
    """(route, name) of every named URL pattern of ours, walking includes."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and not route.startswith(FOREIGN_PREFIXES)
            ):
                found.append((route, namespace + pattern.name))

    walk(get_resolver().url_patterns)
    return found


def kwarg_names(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def is_cspc(name: str) -> bool:
    return name.startswith("lga_cspc:") and name not in CSPC_REGIONAL


# --- The two instances ---------------------------------------------------------------------


@dataclass
class Instance:
    """One size of the data: URL keyword -> value, and the people who open the pages."""

    kwargs: dict
    people: dict[str, User]
    # Keyword overrides for pages that need an object in a later state (REVIEW_STATE).
    states: dict[str, dict] = field(default_factory=dict)


def _someone(alliance: Alliance, role: str, *, council=None, exclude=()) -> User:
    """A person holding `role` in the alliance (for `council`); if the seed made none, a
    bench person given that membership (rolled back with the rest)."""
    held = Membership.objects.filter(alliance=alliance, role=role).exclude(user__in=exclude)
    if alliance.kind == Alliance.Kind.REGIONAL:
        # Not someone also in the national alliance: their home page and calendar would
        # carry the LGA's challenges too, in one instance and not the other.
        held = held.exclude(user__memberships__alliance__slug=NATIONAL_SLUG)
    if council is not None:
        held = held.filter(local_authority=council)
    found = held.order_by("user_id").first()
    if found is not None:
        return found.user
    user = (
        User.objects.filter(email__startswith="bench-user-")
        .exclude(memberships__alliance=alliance)
        .exclude(memberships__alliance__slug=NATIONAL_SLUG)
        .exclude(pk__in=[u.pk for u in exclude])
        .order_by("pk")
        .first()
    )
    Membership.objects.create(alliance=alliance, user=user, role=role, local_authority=council)
    return user


def _at(day, hour: int):
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + (
        timezone.timedelta(hours=hour)
    )


def _review(alliance, council, *, status=Status.PLANNING, **fields) -> Review:
    start = timezone.localdate() + timezone.timedelta(days=30)
    return Review.objects.create(
        alliance=alliance,
        local_authority=council,
        service_area="Front door and MASH",
        primary_kloe="How well does the front door keep children safe?",
        why_now="Our own audits found practice uneven across teams.",
        preferred_start=start,
        start_date=start,
        days=2,
        status=status,
        **fields,
    )


def regional_instance(*, alliance: Alliance, council: LocalAuthority, n: int, seeded: dict):
    """The objects every regional page shows, in `alliance`, about `council`, with `n` of
    each kind of row around them. `seeded` names the bench data's own objects to build on
    (the Tier 2 group, cycle, thematic event, reviewed council's issued review); what it
    lacks is made."""
    today, now = timezone.localdate(), timezone.now()
    pm = _someone(alliance, Role.PROGRAMME_MANAGER)
    admin = _someone(alliance, Role.ALLIANCE_ADMIN)
    organiser = _someone(alliance, Role.LA_ORGANISER, council=council)
    dcs = _someone(alliance, Role.DCS, council=council, exclude=[organiser])
    tier2 = _someone(alliance, Role.TIER2_MEMBER, exclude=[pm, admin, organiser, dcs])
    consultant = _someone(alliance, Role.CONSULTANT, exclude=[pm, admin, organiser, dcs, tier2])
    others = list(
        LocalAuthority.objects.filter(region__alliances=alliance)
        .exclude(pk=council.pk)
        .order_by("gss_code")[: 2 * n + 5]
    )
    people = list(
        Membership.objects.filter(alliance=alliance, role=Role.PEER_REVIEWER)
        .exclude(user__in=[pm, admin, organiser, dcs, tier2, consultant])
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:n]
    )

    group = seeded.get("group") or Tier2Group.objects.create(
        alliance=alliance, name=TIER2_GROUP_NAME
    )
    group.members.add(tier2)
    cycle = seeded.get("cycle")
    if cycle is None:
        event_date = today - timezone.timedelta(days=120)
        cycle = Cycle.objects.create(
            alliance=alliance,
            name="Walk triad cycle",
            event_date=event_date,
            created_by=pm,
            **Cycle.default_deadlines(event_date),
        )
        cycle.councils.set([council, *others[:5]])  # six: two triads (five cannot be grouped)
    cycle_type = ContentType.objects.get_for_model(Cycle)

    # Triads: the council's (with a consultant) and n-1 more of the cycle's other councils.
    taken = set(TriadMember.objects.filter(cycle=cycle).values_list("council_id", flat=True))
    spare = [c for c in others if c.pk not in taken]
    number = (Triad.objects.filter(cycle=cycle).order_by("-number").first() or Triad()).number
    triads = []
    for index in range(n):
        number = (number or 0) + 1
        triad = Triad.objects.create(
            alliance=alliance, cycle=cycle, number=number, consultant=consultant
        )
        members = [council, *spare[:1]] if index == 0 else spare[2 * index - 1 : 2 * index + 1]
        for member in members:
            TriadMember.objects.create(alliance=alliance, cycle=cycle, triad=triad, council=member)
        TriadSummary.objects.create(alliance=alliance, triad=triad)
        triads.append(triad)
    triad = triads[0]

    kloes = []
    for index in range(n):
        for shared in (True, False):
            kloe = KeyLineOfEnquiry.objects.create(
                alliance=alliance,
                local_authority=council,
                challenge_type=cycle_type,
                challenge_id=cycle.pk,
                title=f"Early help {index}",
                question="Do families get help early enough?",
                shared_at=now if shared else None,
                created_by=organiser,
            )
            kloes.append(kloe)
            KloeComment.objects.create(alliance=alliance, kloe=kloe, author=pm, text="And why?")
        # Documents without a file: the pages list them, the download is not walked.
        document = Document.objects.create(
            alliance=alliance,
            local_authority=council,
            challenge_type=cycle_type,
            challenge_id=cycle.pk,
            title=f"Self-evaluation {index}",
        )
        for version in range(1, n + 1):
            DocumentVersion.objects.create(
                alliance=alliance,
                document=document,
                number=version,
                file=f"walk/self-evaluation-{index}-{version}.pdf",
                original_name="self-evaluation.pdf",
                kind="pdf",
                content_type="application/pdf",
                size=15,
                sha256="0" * 64,
                uploaded_by=organiser,
            )
        if index == 0:
            first_document = document
    for la in [council, *others[:n]]:
        EventTemplate.objects.get_or_create(alliance=alliance, cycle=cycle, local_authority=la)
        Session.objects.create(
            alliance=alliance,
            challenge=cycle,
            kind="interview",
            title=f"Walk session of {la.name}",
            starts_at=_at(cycle.event_date, 10),
            ends_at=_at(cycle.event_date, 11),
        )

    # Agreed actions on the council and the group (the large group has the board already).
    actions = [
        Action.objects.create(
            alliance=alliance,
            source=cycle,
            local_authority=council,
            what=f"Audit the front door {index}",
            owner="Head of service",
            due_date=today + timezone.timedelta(days=(-3 if index % 3 == 0 else 60) + index),
            tier2_group=group,
            created_by=pm,
        )
        for index in range(n)
    ]
    for action in actions:
        ActionUpdate.objects.create(
            alliance=alliance, action=action, note="Audit started", author=organiser
        )
    for index in range(n):
        Invitation.objects.create(
            alliance=alliance,
            email=f"walk-invitee-{index}@example.org",
            full_name="Invited Person",
            role=Role.PEER_REVIEWER,
            token_hash=Invitation.new_token()[1],
            invited_by=admin,
            expires_at=now + timezone.timedelta(days=14),
        )

    # Thematic: a past event of the council (the seeded one if any), nominations, KLOEs
    # and theme suggestions.
    event = seeded.get("event")
    if event is None:
        date = today - timezone.timedelta(days=30)
        theme = Theme.objects.filter(alliance=alliance).first() or Theme.objects.create(
            alliance=alliance, name="Reduction of harm"
        )
        event = ThematicEvent.objects.create(
            alliance=alliance,
            theme=theme,
            date=date,
            start_time=timezone.datetime.min.time().replace(hour=9, minute=30),
            end_time=timezone.datetime.min.time().replace(hour=13),
            format=ThematicEvent.Format.IN_PERSON,
            venue="Bench conference centre",
            tier2_group=group,
            kloes_published_at=now - timezone.timedelta(days=51),
            created_by=pm,
            **ThematicEvent.default_deadlines(date),
        )
        event.councils.set([council, *others[:1]])
    # The council's next steps, submitted (as the seeded events' are).
    NextSteps.objects.get_or_create(
        alliance=alliance,
        event=event,
        council=council,
        defaults={"notes": "What we took from it.", "submitted_at": now, "submitted_by": pm},
    )
    nominations = [
        Nomination.objects.create(
            alliance=alliance,
            event=event,
            council=council,
            full_name=f"Nia Officer {index}",
            job_role="Head of service",
            email=f"walk-nominee-{index}@example.org",
        )
        for index in range(n)
    ]
    for index in range(n):
        EventKloe.objects.create(alliance=alliance, event=event, question=f"How {index}?")
        suggestion = ThemeSuggestion.objects.create(
            alliance=alliance, name=f"Walk theme {index}", reason="Rising numbers."
        )
        for user in (pm, organiser):
            SuggestionSupport.objects.create(alliance=alliance, suggestion=suggestion, user=user)

    # On demand: a review in planning whose lead (the admin) was invited, one whose lead
    # accepted, and one with findings issued (the seeded one if any), each with n rows.
    review = _review(alliance, council)
    accepted = _review(alliance, council)
    issued = seeded.get("review") or _review(
        alliance, council, status=Status.FINDINGS_ISSUED, findings_issued_at=now
    )
    ids = {}
    for made, response in ((review, "invited"), (accepted, "accepted"), (issued, "accepted")):
        lead = Reviewer.objects.create(
            alliance=alliance, review=made, user=admin, role="lead", response=response
        )
        for index, user_id in enumerate(people):
            Reviewer.objects.create(
                alliance=alliance,
                review=made,
                user_id=user_id,
                role="officer",
                response="accepted" if index % 2 else "invited",
            )
        recommendations = [
            Recommendation.objects.create(
                alliance=alliance, review=made, text=f"Strengthen the front door {index}"
            )
            for index in range(n)
        ]
        for index in range(n):
            Activity.objects.create(
                alliance=alliance, review=made, kind="site_visit", description=f"Visit {index}"
            )
            RequestNote.objects.create(
                alliance=alliance,
                review=made,
                kind=RequestNote.Kind.QUESTION,
                text="Which teams are in scope?",
                author=organiser,
            )
            Session.objects.create(
                alliance=alliance,
                challenge=made,
                kind="interview",
                title=f"Interview {index}",
                starts_at=_at(made.start_date or today, 9 + index % 8),
                ends_at=_at(made.start_date or today, 10 + index % 8),
            )
        slot = Session.objects.filter(
            challenge_type=ContentType.objects.get_for_model(Review), challenge_id=made.pk
        ).first()
        ids[response if made is not issued else "issued"] = {
            "review": made.pk,
            "reviewer": lead.pk,
            "recommendation": recommendations[0].pk,
            "activity": made.activities.first().pk,
            "slot": slot.pk,
        }

    # The board and the plan show one list per kind of source: actions from the event and
    # the issued review too, so both sizes have every kind (the large one has them seeded).
    for source in (event, issued):
        Action.objects.create(
            alliance=alliance,
            source=source,
            local_authority=council,
            what="Refresh the sufficiency strategy",
            owner="Head of service",
            due_date=today + timezone.timedelta(days=90),
            tier2_group=group,
            created_by=pm,
        )

    data = _data_framework(alliance, pm=pm, n=n)
    scrutineer = _someone(
        alliance, Role.LA_ORGANISER, council=others[0], exclude=[pm, admin, organiser, dcs]
    )
    data |= _improvement_cycle(
        alliance,
        pm=pm,
        organiser=organiser,
        dcs=dcs,
        council=council,
        other=others[0],
        n=n,
        group=group,
    )
    ids["challenge"] = data.pop("challenge")
    membership = Membership.objects.filter(alliance=alliance, user=dcs, role=Role.DCS).first()
    kwargs = {
        **data,
        "alliance": alliance.slug,
        "gss": council.gss_code,
        "membership": membership.pk,
        "invitation": Invitation.objects.filter(alliance=alliance).first().pk,
        "group": group.pk,
        "action": actions[0].pk,
        "cycle": cycle.pk,
        "triad": triad.pk,
        "kloe": kloes[0].pk,
        "document": first_document.pk,
        "version": 1,
        "event": event.pk,
        "nomination": nominations[0].pk,
        "suggestion": ThemeSuggestion.objects.filter(alliance=alliance).first().pk,
        **ids["invited"],
    }
    people_by_role = {
        "pm": pm,
        "admin": admin,
        "organiser": organiser,
        "dcs": dcs,
        "tier2": tier2,
        "scrutineer": scrutineer,
    }
    return Instance(
        kwargs=kwargs,
        people=people_by_role,
        states={state: {**kwargs, **ids[state]} for state in ("accepted", "issued", "challenge")},
    )


def _data_framework(alliance: Alliance, *, pm: User, n: int) -> dict:
    """The common framework's objects: this year's framework with every DfE indicator and a
    local one, a checked import, an open quarter of the local return with `n` councils'
    returns in it (URL keyword -> id)."""
    today = timezone.localdate()
    framework, _ = Framework.objects.get_or_create(
        alliance=alliance, year=framework_year(), defaults={"created_by": pm}
    )
    indicator = Indicator.objects.order_by("pk").first() or Indicator.objects.create(
        code="walk_indicator", title="Walk indicator", unit="percent", polarity="Low"
    )
    entry, _ = FrameworkEntry.objects.get_or_create(
        alliance=alliance,
        framework=framework,
        indicator=indicator,
        defaults={"theme": "Help and protection", "position": 1},
    )
    local, _ = LocalIndicator.objects.get_or_create(
        alliance=alliance,
        title="Children waiting for an assessment",
        defaults={"unit": "children", "polarity": "Low"},
    )
    FrameworkEntry.objects.get_or_create(
        alliance=alliance,
        framework=framework,
        local_indicator=local,
        defaults={"theme": "Local", "position": 2},
    )
    data_import = DataImport(
        alliance=alliance,
        file_name="walk.csv",
        size=10,
        kind=DataImport.Kind.FIGURES,
        state=DataImport.State.CHECKED,
        report={"rows_read": 1, "refused": [{"line": 2, "reason": "walk"}]},
        uploaded_by=pm,
    )
    data_import.file.save("upload", ContentFile(b"a,b\n1,2\n"), save=False)
    data_import.save()
    quarter, _ = ReturnQuarter.objects.get_or_create(
        alliance=alliance,
        year=today.year,
        quarter=1,
        defaults={"deadline": today + timezone.timedelta(days=30), "opened_by": pm},
    )
    for council in LocalAuthority.objects.filter(region__alliances=alliance)[:n]:
        local_return, _ = LocalReturn.objects.get_or_create(
            alliance=alliance, quarter=quarter, council=council
        )
        LocalFigure.objects.get_or_create(
            alliance=alliance,
            local_return=local_return,
            indicator=local,
            defaults={"value": 12},
        )
    return {
        "entry": entry.pk,
        "data_import": data_import.pk,
        "indicator": indicator.code,
        "quarter": quarter.pk,
    }


def _improvement_cycle(
    alliance: Alliance, *, pm: User, organiser: User, dcs: User, council, other, n: int, group
) -> dict:
    """This year's improvement cycle with its template, and `n` councils' self-evaluations
    (the walked council's among them) with every section written; the walked council's
    submitted, scrutinised by `other` (its moderation note in) and by `n` more councils, each
    with a comment on every section (URL keyword -> id)."""
    year = timezone.localdate().year
    cycle = ImprovementCycle.objects.filter(alliance=alliance, year=year).first()
    if cycle is None:
        cycle = cycle_open(
            alliance=alliance, year=year, deadlines=step_defaults(year), opened_by=pm
        )
    sections = list(cycle.sections.order_by("position"))
    others = list(
        LocalAuthority.objects.filter(region__alliances=alliance)
        .exclude(pk__in=[council.pk, other.pk])
        .order_by("gss_code")[:n]
    )
    for each in [council, other, *others][:n]:
        for section in sections:
            section_save(
                cycle=cycle, council=each, section=section, text="Walked.", saved_by=organiser
            )
    evaluation = ImprovementSelfEvaluation.objects.get(cycle=cycle, council=council)
    self_evaluation_submit(evaluation=evaluation, submitted_by=dcs)
    scrutinies = [
        scrutiny_add(cycle=cycle, council=council, scrutineer=each, assigned_by=pm)
        for each in [other, *others]
    ]
    for scrutiny in scrutinies:
        for section in sections:
            comment_save(scrutiny=scrutiny, section=section, text="A comment.", written_by=pm)
    moderation_save(scrutiny=scrutinies[0], note="Well evidenced.", user=pm)
    priorities = [
        priority_add(
            cycle=cycle,
            council=council,
            title=f"Priority {index}",
            what="Audit every plan monthly with partners.",
            owner="Head of service",
            due_date=timezone.localdate() + timezone.timedelta(days=180),
        )
        for index in range(n)
    ]
    # `other` submits its plan; the walked council and `n` more challenge it.
    theirs = [
        priority_add(
            cycle=cycle,
            council=other,
            title=f"Their priority {index}",
            what="Recruit and keep social workers.",
            owner="Head of workforce",
            due_date=timezone.localdate() + timezone.timedelta(days=180),
        )
        for index in range(n)
    ]
    # Followed by the walk's Tier 2 group, like every other action it makes.
    plan_submit(plan=theirs[0].plan, submitted_by=pm, tier2_group=group)
    challenges = [
        scrutiny_add(cycle=cycle, council=other, scrutineer=each, assigned_by=pm, stage="plan")
        for each in [council, *others]
    ]
    for challenge in challenges:
        for priority in theirs:
            comment_save(scrutiny=challenge, priority=priority, text="A comment.", written_by=pm)
    moderation_save(scrutiny=challenges[0], note="Owned and dated.", user=pm)
    # The menu: `n` offers from other councils and `n` needs of the walked council, brokered.
    matches = []
    for index, each in enumerate([other, *others][:n]):
        offer = offer_add(
            cycle=cycle,
            council=each,
            theme="Placement sufficiency",
            kind="single",
            title=f"Sufficiency workshop {index}",
            description="",
            capacity=3,
            evidence="data",
            evidence_text="Placement stability better than all its neighbours.",
            created_by=pm,
        )
        need = need_add(
            cycle=cycle,
            council=council,
            theme="Placement sufficiency",
            title=f"Homes for older children {index}",
            source="focused_visit",
            note="",
            created_by=pm,
        )
        matches.append(match_broker(need=need, offer=offer, brokered_by=pm))
    responses = [
        response_add(
            cycle=cycle,
            theme="Placement sufficiency",
            kind="hosted_visit" if index % 2 else "seminar",
            title=f"Regional response {index}",
            description="",
            owner="Regional sufficiency group",
            starts_on=timezone.localdate() + timezone.timedelta(days=30),
            ends_on=timezone.localdate() + timezone.timedelta(days=90),
        )
        for index in range(n)
    ]
    return {
        "collective_response": responses[0].pk,
        "support_need": matches[0].need_id,
        "support_match": matches[0].pk,
        "improvement_cycle": cycle.pk,
        "template_section": sections[0].pk,
        "scrutiny": scrutinies[0].pk,
        "priority": priorities[0].pk,
        "challenge": {
            "gss": other.gss_code,
            "scrutiny": challenges[0].pk,
            "priority": theirs[0].pk,
        },
    }


def cspc_instance(*, alliance: Alliance, n: int, challenge: Challenge | None = None):
    """An LGA peer challenge of `alliance` (the seeded one, or a new one in the council of
    another of its DCSs) with `n` of each kind of row, and `n` other challenges."""
    planner = _someone(alliance, Role.PROGRAMME_MANAGER)
    if challenge is None:
        taken = Challenge.objects.filter(alliance=alliance).values_list("local_authority_id")
        held = Membership.objects.filter(alliance=alliance, role=Role.DCS).exclude(
            local_authority__in=taken
        )
        # A council with a DCS in the seed if there is one (the sponsor), else the first.
        council = (
            LocalAuthority.objects.filter(pk__in=held.values("local_authority_id"))
            .order_by("gss_code")
            .first()
            or LocalAuthority.objects.exclude(pk__in=taken).order_by("gss_code").first()
        )
        sponsor = _someone(alliance, Role.DCS, council=council)
        challenge = cspc_challenge_create(
            alliance=alliance,
            council=council,
            onsite_start=Challenge.objects.filter(alliance=alliance).first().onsite_start,
            stage=Stage.PREPARATION,
            requested_by=sponsor,
            sponsor=sponsor,
        )
        cspc_team_create(
            challenge=challenge,
            people=cspc_peers(alliance=alliance, council=challenge.local_authority),
        )
    pcm = TeamMember.objects.get(challenge=challenge, role=TeamRole.PEER_CHALLENGE_MANAGER)
    on_team = TeamMember.objects.filter(challenge=challenge).values_list("user_id")
    extra = list(
        Membership.objects.filter(alliance=alliance, role=Role.PEER_REVIEWER)
        .exclude(user__in=on_team)
        .exclude(local_authority=challenge.local_authority)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[: n - 1]
    )
    for user_id in extra:
        TeamMember.objects.create(
            alliance=alliance,
            challenge=challenge,
            user_id=user_id,
            role=TeamRole.SENIOR_MANAGER,
            indicative_days=challenge.days,
        )
    review = CaseReview.objects.get_or_create(alliance=alliance, challenge=challenge)[0]
    report = FeedbackReport.objects.get_or_create(alliance=alliance, challenge=challenge)[0]
    councils = list(LocalAuthority.objects.order_by("-gss_code")[:n])
    for index in range(n):
        AdvanceDocument.objects.create(
            alliance=alliance,
            challenge=challenge,
            title=f"Walk plan {index}",
            due_date=challenge.onsite_start - timezone.timedelta(weeks=6),
        )
        CaseFile.objects.create(
            alliance=alliance,
            review=review,
            reference=f"WALK-{index:04}",
            source=CaseFile.Source.CHILD_PROTECTION,
        )
        SiteNote.objects.create(
            alliance=alliance,
            challenge=challenge,
            author=pcm.user,
            kind="strength",
            text="Strong leadership",
        )
        AccuracyComment.objects.create(
            alliance=alliance, report=report, section="strengths", paragraph=index + 1, text="x"
        )
        ScopeElement.objects.create(
            alliance=alliance, challenge=challenge, kind="module", name=f"Walk module {index}"
        )
        Session.objects.create(
            alliance=alliance,
            challenge=challenge,
            kind="interview",
            title=f"Walk interview {index}",
            starts_at=_at(challenge.onsite_start, 12)
            + timezone.timedelta(days=index % challenge.days),
            ends_at=_at(challenge.onsite_start, 13)
            + timezone.timedelta(days=index % challenge.days),
        )
        cspc_challenge_create(
            alliance=alliance,
            council=councils[index],
            onsite_start=challenge.onsite_start + timezone.timedelta(weeks=2 + index),
            stage=Stage.PREPARATION,
            requested_by=planner,
        )
    session = Session.objects.filter(
        challenge_type=ContentType.objects.get_for_model(Challenge), challenge_id=challenge.pk
    ).first()
    return Instance(
        kwargs={
            "alliance": alliance.slug,
            "challenge": challenge.pk,
            "offer": challenge.offer_id,
            "member": pcm.pk,
            "item": challenge.advance_documents.first().pk,
            "session": session.pk,
            "case": review.cases.first().pk,
            "note": challenge.site_notes.first().pk,
            "comment": report.comments.first().pk,
        },
        people={"pm": planner, "pcm": pcm.user, "dcs": challenge.sponsor},
    )


def seeded_objects() -> tuple[Alliance, LocalAuthority, dict, Challenge]:
    """The bench data the large instances build on: the mixed board's alliance, its council
    with most sources, its Tier 2 group, latest cycle, a thematic event of that council, an
    issued review of it; and the LGA's seeded peer challenge."""
    # Here: bench.run starts as a script; its helpers load models once Django is set up.
    from bench.run import bench_board, bench_timetable

    board = bench_board()
    alliance = Alliance.objects.get(slug=MIXED_SLUG)
    council = LocalAuthority.objects.get(gss_code=board.gss)
    seeded = {
        "group": Tier2Group.objects.get(pk=board.group),
        "cycle": Cycle.objects.filter(alliance=alliance).order_by("-event_date").first(),
        "event": ThematicEvent.objects.filter(alliance=alliance, councils=council)
        .order_by("-date")
        .first(),
        "review": Review.objects.filter(alliance=alliance, local_authority=council)
        .order_by("pk")
        .first(),
    }
    challenge = Challenge.objects.get(pk=bench_timetable())
    return alliance, council, seeded, challenge


# --- Measuring ------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    route: str
    who: str

    @property
    def area(self) -> str:
        return "cspc" if is_cspc(self.name) else "regional"

    def url(self, instance: Instance) -> str:
        kwargs = instance.states.get(REVIEW_STATE.get(self.name), instance.kwargs)
        names = kwarg_names(self.route)
        return reverse(self.name, kwargs={k: v for k, v in kwargs.items() if k in names})


@dataclass
class Row:
    page: Page
    status_small: int = 0
    status: int = 0
    small: int = 0
    large: int = 0
    cpu: float = 0.0
    error: str = ""

    @property
    def failures(self) -> list[str]:
        found = []
        if 500 in (self.status_small, self.status):
            found.append("status 500" + (f" ({self.error})" if self.error else ""))
        if self.large > self.small:
            found.append(f"{self.small} queries with little data, {self.large} with more")
        return found


@dataclass
class Walk:
    rows: list[Row]
    skipped: dict[str, str]
    floor: str
    floor_cpu: float

    @property
    def failures(self) -> list[str]:
        return [
            f"{row.page.name} ({row.page.who}): {failure}"
            for row in self.rows
            for failure in row.failures
        ]


def walk_pages(only=None) -> tuple[list[Page], dict[str, str]]:
    """Every GET page with who opens it, and every other URL name with why it is not walked."""
    pages, skipped = [], {}
    for route, name in our_get_routes():
        if only is not None and name not in only:
            continue
        if name in POST_ONLY:
            skipped[name] = "POST only (405 on GET)"
        elif name in SKIPPED:
            skipped[name] = SKIPPED[name]
        else:
            pages += [Page(name, route, who) for who in WHO_OPENS.get(name, ("pm",))]
    return pages, skipped


def _request(client: Client, path: str) -> tuple[int, int, str]:
    """(status, queries, error) of a GET, after one request to warm the process's caches."""
    try:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    except Exception as error:  # a view that raises: a 500, reported with the rest
        return 500, 0, f"{type(error).__name__}: {error}"[:200]
    return response.status_code, len(captured), ""


def cpu_time(client: Client, path: str, samples: int) -> float:
    """The median CPU time of this process for one request (bench.run's "CPU ms")."""
    times = []
    for _ in range(samples):
        started = time.process_time()
        client.get(path)
        times.append(time.process_time() - started)
    return statistics.median(times)


def _measure(rows: list[Row], instances: dict, *, large: bool, samples: int) -> None:
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True)
    for row in rows:
        instance = instances[row.page.area]
        user = instance.people.get(row.page.who)
        if user is None:
            row.error = f"no {row.page.who} in this instance"
            continue
        client.force_login(user)
        path = row.page.url(instance)
        status, queries, error = _request(client, path)
        row.error = row.error or error
        if large:
            row.status, row.large = status, queries
            if status != 500 and samples:
                row.cpu = cpu_time(client, path, samples)
        else:
            row.status_small, row.small = status, queries


def walk(*, regional_slug: str, samples: int = CPU_SAMPLES, floor: str, only=None) -> Walk:
    """Build both instances, measure every page in each, and roll everything back."""
    pages, skipped = walk_pages(only)
    rows = [Row(page) for page in pages]
    client = Client(HTTP_HOST="127.0.0.1")
    with transaction.atomic():
        # A bench entry point: it builds data across alliances, outside any request.
        with scopes_disabled():
            alliance, council, seeded, challenge = seeded_objects()
            client.force_login(_someone(alliance, Role.PROGRAMME_MANAGER))
            regional = Alliance.objects.get(slug=regional_slug)
            small_council = (
                LocalAuthority.objects.filter(region__alliances=regional)
                .order_by("gss_code")
                .first()
            )
            national = Alliance.objects.get(slug=NATIONAL_SLUG)
            small = {
                "regional": regional_instance(
                    alliance=regional, council=small_council, n=1, seeded={}
                ),
                "cspc": cspc_instance(alliance=national, n=1),
            }
        _measure(rows, small, large=False, samples=0)
        with scopes_disabled():
            large = {
                "regional": regional_instance(
                    alliance=alliance, council=council, n=MORE, seeded=seeded
                ),
                "cspc": cspc_instance(alliance=national, n=MORE, challenge=challenge),
            }
        _measure(rows, large, large=True, samples=samples)
        client.get(floor)
        floor_cpu = cpu_time(client, floor, max(samples, 1) * 2)
        transaction.set_rollback(True)
    return Walk(rows=rows, skipped=skipped, floor=floor, floor_cpu=floor_cpu)


def table(result: Walk) -> str:
    """One Markdown table: a row per page and person, then the pages not walked."""
    lines = [
        "| page | person | status | queries small | queries large | CPU ms (large) | x floor | |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in result.rows:
        status = str(row.status)
        if row.status_small != row.status:
            status = f"{row.status_small} / {row.status}"
        ratio = row.cpu / result.floor_cpu if result.floor_cpu else 0
        lines.append(
            f"| {row.page.name} | {row.page.who} | {status} | {row.small} | {row.large} "
            f"| {row.cpu * 1000:.1f} | {ratio:.1f} | {'; '.join(row.failures)} |"
        )
    for name, reason in sorted(result.skipped.items()):
        lines.append(f"| {name} | - | skipped: {reason} | | | | | |")
    lines.append(f"| floor `{result.floor}` | pm | | | | {result.floor_cpu * 1000:.1f} | 1.0 | |")
    return "\n".join(lines)


def run_walk(*, regional_slug: str) -> int:
    """bench.run --walk: print the table and the failures; 1 if there are any."""
    # Here: bench.run's floor path; bench.run imports this module only after Django is set up.
    from bench.run import FLOOR_PATH

    result = walk(regional_slug=regional_slug, floor=FLOOR_PATH)
    print()
    print(table(result))
    failures = result.failures
    print()
    if failures:
        print(f"{len(failures)} failure(s):")
        for failure in failures:
            print(f"- {failure}")
        return 1
    print(f"{len(result.rows)} page visits: no 500, no query count that grows with the data.")
    return 0
