"""Demo data: East Midlands' improvement cycles. Last year's is complete: every council's
self-evaluation submitted and scrutinised, the menu of support brokered with each match
completed and its impact recorded, and the regional development plan issued (its PDF made
in-process, as the demo runs tasks). This year's is under way: its deadlines are the usual
ones, except the self-evaluations', due in twelve days from the day the demo is seeded (the
later steps kept in order after it). Derby's organiser has written three sections;
Leicester, Nottingham and Rutland have submitted (Rutland with its chief executive's and
lead member's sign-off); Lincolnshire's was returned with comments; the others have not
started. The councils are paired for peer scrutiny from the suggested groups, and
Rutland's first scrutinising council has commented and recorded its moderation note.
Rutland's development plan is submitted (three priorities, now agreed actions); Nottingham's
is a draft. On the menu, Leicester's and Rutland's offers, the submitted self-evaluations'
areas for development as needs, and Leicester's offer brokered to Rutland, waiting for both
directors. Idempotent: nothing is done when a cycle exists."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from peerchallenge.demo import COUNCIL_PEOPLE, email_for
from peerchallenge.models import Alliance, LocalAuthority, Tier2Group, User

from .models import (
    STEPS,
    CollectiveResponse,
    Cycle,
    Scrutiny,
    SupportNeed,
    SupportOffer,
    TemplateSection,
    step_defaults,
)
from .selectors import template_of
from .services.cycle import cycle_open
from .services.menu import (
    match_broker,
    match_complete,
    match_decide,
    needs_from_self_evaluations,
    offer_add,
)
from .services.plan import plan_submit, priority_add
from .services.regional_plan import introduction_save, regional_plan_issue, response_add
from .services.scrutiny import (
    comment_save,
    moderation_save,
    scrutiny_groups_assign,
    scrutiny_suggest,
)
from .services.self_evaluation import (
    section_save,
    self_evaluation_return,
    self_evaluation_submit,
)

PM = "Priya Shah"
# Council -> (organiser, DCS), as peerchallenge.demo seeds them.
WRITERS = {
    "Derby": ("Liam Hartley", "Fiona Calder"),
    "Leicester": ("Joanne Pratt", "Amrit Sandhu"),
    "Nottingham": ("Sophie Gallagher", "Paul Ekwueme"),
    "Rutland": ("Hannah Dyer", "Simon Thackeray"),
    "Lincolnshire": ("Emma Tranter", "Martin Crossley"),
}
TEXTS = {
    TemplateSection.Kind.STRENGTHS: "Stable, experienced front door team\n"
    "Strong partnership with health in the MASH\nCare leavers' local offer co-produced",
    TemplateSection.Kind.AREAS: "Timeliness of initial health assessments\n"
    "Management oversight in long-term teams\nPlacement sufficiency for older children",
}
AREA_TEXT = (
    "Monthly practice audits, moderated with partners, show {what} is consistently good, "
    "with clear management oversight. We know this from audit findings, performance data and "
    "what children and families tell us. Over the next 12 months we will embed reflective "
    "supervision and tighten our response to repeat referrals."
)


def seed(*, stdout) -> None:
    alliance = Alliance.objects.filter(slug="east-midlands").first()
    pm = User.objects.filter(email=email_for(name=PM)).first()
    if alliance is None or pm is None:
        return
    # Seeding is an entry point outside any request: it enters the alliance's scope.
    with scope(alliance=alliance):
        if Cycle.objects.filter(alliance=alliance).exists():
            return
        today = timezone.localdate()
        year = today.year if today.month >= 7 else today.year - 1
        _seed_last_year(alliance=alliance, pm=pm, year=year - 1)
        cycle = cycle_open(
            alliance=alliance, year=year, deadlines=_deadlines(year, today), opened_by=pm
        )
        sections = template_of(cycle)
        for name, (organiser_name, dcs_name) in WRITERS.items():
            council = LocalAuthority.objects.filter(name=name).first()
            organiser = User.objects.filter(email=email_for(name=organiser_name)).first()
            dcs = User.objects.filter(email=email_for(name=dcs_name)).first()
            if council is None or organiser is None or dcs is None:
                continue
            written = sections[:3] if name == "Derby" else sections
            for section in written:
                if section.kind == TemplateSection.Kind.DATA:
                    continue
                text = TEXTS.get(section.kind) or AREA_TEXT.format(what=section.title.lower())
                evaluation = section_save(
                    cycle=cycle, council=council, section=section, text=text, saved_by=organiser
                ).self_evaluation
            if name == "Derby":
                continue
            signed = today - datetime.timedelta(days=3)
            self_evaluation_submit(
                evaluation=evaluation,
                submitted_by=dcs,
                **(
                    {
                        "chief_executive": "Alex Morrow",
                        "chief_executive_signed_on": signed,
                        "lead_member": "Cllr Bernadette Quinn",
                        "lead_member_signed_on": signed,
                    }
                    if name == "Rutland"
                    else {}
                ),
            )
            if name == "Lincolnshire":
                self_evaluation_return(
                    evaluation=evaluation,
                    returned_by=pm,
                    comment="Thank you. Please say more about how you know the impact of "
                    "your practice with care leavers, and add last year's audit findings.",
                    section_comments={
                        sections[3].pk: "Which care leavers are you in touch with, and how "
                        "do you know their experience?"
                    },
                )
        _seed_scrutiny(cycle=cycle, pm=pm, sections=sections)
        _seed_plans(cycle=cycle, today=today)
        _seed_menu(cycle=cycle, pm=pm)
    stdout.write(f"Improvement cycle {cycle.label}: East Midlands' self-evaluations under way.")


def _seed_scrutiny(*, cycle, pm, sections) -> None:
    """The suggested groups made into pairings; on Rutland's submitted self-evaluation, the
    first scrutinising council has commented and recorded its moderation note (Rutland's
    reply is waiting on its people's home page)."""
    scrutiny_groups_assign(cycle=cycle, groups=scrutiny_suggest(cycle), assigned_by=pm)
    rutland = LocalAuthority.objects.filter(name="Rutland").first()
    scrutiny = (
        Scrutiny.objects.filter(cycle=cycle, council=rutland)
        .select_related("scrutineer")
        .order_by("scrutineer__name")
        .first()
    )
    if scrutiny is None:
        return
    # The scrutinising council's organiser, as peerchallenge.demo seeds them.
    writer_name = next(
        (o for _a, name, _d, o in COUNCIL_PEOPLE if name == scrutiny.scrutineer.name), ""
    )
    writer = User.objects.filter(email=email_for(name=writer_name)).first()
    comment_save(
        scrutiny=scrutiny,
        section=sections[2],
        text="A clear account of practice in care. How do you know children's experience "
        "has improved, beyond the audit scores?",
        written_by=writer or pm,
    )
    moderation_save(
        scrutiny=scrutiny,
        note="Rutland knows its services well and evidences most judgements. The areas for "
        "development match what the data pack shows; the plans for care leavers need "
        "measures of impact.",
        user=writer or pm,
    )


PRIORITIES = [
    (
        "Management oversight in long-term teams",
        "Monthly supervision audits in every long-term team, moderated across teams, with "
        "findings reported to the practice quality board.",
        "Head of service, long-term teams",
        120,
    ),
    (
        "Placement sufficiency for older children",
        "Open two more local children's homes for young people aged 14 to 17 and recruit ten "
        "foster carers for teenagers.",
        "Head of service, children in care",
        270,
    ),
    (
        "Timeliness of initial health assessments",
        "Agree a joint target with the integrated care board and report weekly on every "
        "child waiting more than 20 working days.",
        "Designated nurse for children in care",
        90,
    ),
]


def _seed_plans(*, cycle, today) -> None:
    """Rutland's development plan submitted (its three priorities now agreed actions on its
    improvement plan, followed by the alliance's first Tier 2 group if there is one);
    Nottingham's drafted with one priority."""
    group = Tier2Group.objects.filter(alliance=cycle.alliance).order_by("pk").first()
    for name, count, submit in (("Rutland", 3, True), ("Nottingham", 1, False)):
        council = LocalAuthority.objects.filter(name=name).first()
        dcs = User.objects.filter(email=email_for(name=WRITERS[name][1])).first()
        if council is None or dcs is None:
            continue
        for title, what, owner, later in PRIORITIES[:count]:
            priority = priority_add(
                cycle=cycle,
                council=council,
                title=title,
                what=what,
                owner=owner,
                due_date=today + datetime.timedelta(days=later),
            )
        if submit:
            plan_submit(plan=priority.plan, submitted_by=dcs, tier2_group=group)


# Last year's areas for development and offers, by council (invented, believable).
LAST_YEAR = {
    "Derby": ("Placement sufficiency for older children", "Early help"),
    "Derbyshire": ("Care leavers in suitable accommodation", "Care leavers"),
    "Leicester": ("Reflective supervision in long-term teams", "Placement sufficiency"),
    "Leicestershire": ("Placement sufficiency closer to home", "Care leavers"),
    "Lincolnshire": (
        "Exploitation screening at the front door",
        "Reflective and restorative supervision",
    ),
    "North Northamptonshire": (
        "Reflective supervision for new managers",
        "Front door and assessment",
    ),
    "Nottingham": ("Quality of care plans", "Exploitation of vulnerable young people"),
    "Nottinghamshire": (
        "Exploitation of vulnerable young people",
        "Care planning and audit moderation",
    ),
    "Rutland": ("Care leavers in education and work", "Workforce and caseloads"),
    "West Northamptonshire": ("Workforce stability and caseloads", "Early help"),
}


def _people_of(name: str) -> tuple:
    """The council's (organiser, DCS), as peerchallenge.demo seeds them."""
    found = next(((o, d) for _a, n, d, o in COUNCIL_PEOPLE if n == name), None)
    if found is None:
        return None, None
    organiser, dcs = found
    return (
        User.objects.filter(email=email_for(name=organiser)).first(),
        User.objects.filter(email=email_for(name=dcs)).first(),
    )


def _seed_last_year(*, alliance, pm, year: int) -> None:
    """Last year's cycle, complete: every council's self-evaluation submitted and
    scrutinised, its development plan submitted, the menu of support brokered and its
    matches completed with their impact, and the regional development plan issued (its PDF
    made by the worker, in-process in the demo)."""
    cycle = cycle_open(alliance=alliance, year=year, deadlines=step_defaults(year), opened_by=pm)
    sections = template_of(cycle)
    councils = {c.name: c for c in LocalAuthority.objects.filter(name__in=LAST_YEAR)}
    for name, (area, _strength) in LAST_YEAR.items():
        organiser, dcs = _people_of(name)
        council = councils.get(name)
        if council is None or organiser is None or dcs is None:
            continue
        for section in sections:
            if section.kind == TemplateSection.Kind.DATA:
                continue
            text = (
                area
                if section.kind == TemplateSection.Kind.AREAS
                else AREA_TEXT.format(what=section.title.lower())
            )
            evaluation = section_save(
                cycle=cycle, council=council, section=section, text=text, saved_by=organiser
            ).self_evaluation
        self_evaluation_submit(evaluation=evaluation, submitted_by=dcs)
    scrutiny_groups_assign(cycle=cycle, groups=scrutiny_suggest(cycle), assigned_by=pm)
    for scrutiny in Scrutiny.objects.filter(cycle=cycle).select_related("council"):
        moderation_save(
            scrutiny=scrutiny,
            note=f"{scrutiny.council.name} knows its services well; the evidence for its "
            "areas for development is clear.",
            user=pm,
        )
    needs_from_self_evaluations(cycle=cycle, created_by=pm)
    offers = {}
    for name, (_area, strength) in LAST_YEAR.items():
        council = councils.get(name)
        if council is None:
            continue
        offers[name] = offer_add(
            cycle=cycle,
            council=council,
            theme=strength,
            kind=SupportOffer.Kind.SINGLE,
            title=f"{name}'s practice in {strength.lower()}",
            description="Two practice days and a shadowing visit.",
            capacity=2,
            evidence=SupportOffer.Evidence.PRACTICE,
            evidence_text=f"Named as good practice in {name}'s last peer challenge report.",
            created_by=pm,
        )
    for need in SupportNeed.objects.filter(cycle=cycle).select_related("council"):
        offer = next(
            (
                o
                for o in offers.values()
                if o.theme == need.theme and o.council_id != need.council_id
            ),
            None,
        )
        if offer is None:
            continue
        try:
            match = match_broker(need=need, offer=offer, brokered_by=pm)
        except ValidationError:
            continue  # that offer is full
        for side in ("receiving", "offering"):
            match_decide(match=match, side=side, accepts=True, reason="", decided_by=pm)
        match_complete(
            match=match,
            impact=f"{need.council.name} has adopted {offer.council.name}'s approach; its "
            "audits show the difference.",
        )
    for theme, kind, title, owner in (
        (
            "Reflective and restorative supervision",
            CollectiveResponse.Kind.SEMINAR,
            "Regional seminar on reflective supervision",
            "Regional principal social workers' network",
        ),
        (
            "Placement sufficiency",
            CollectiveResponse.Kind.TASK_AND_FINISH,
            "Sufficiency task-and-finish group",
            "Regional commissioning group",
        ),
        (
            "Exploitation of vulnerable young people",
            CollectiveResponse.Kind.HOSTED_VISIT,
            "Hosted visit on exploitation screening",
            "Regional safeguarding leads",
        ),
    ):
        response_add(
            cycle=cycle,
            theme=theme,
            kind=kind,
            title=title,
            description="",
            owner=owner,
            starts_on=cycle.regional_plan_due + datetime.timedelta(days=60),
            ends_on=cycle.regional_plan_due + datetime.timedelta(days=180),
        )
    introduction_save(
        cycle=cycle,
        introduction="Drawn from the ten councils' self-evaluations, their peer scrutiny and "
        "development plans, this plan sets out the region's shared priorities for the year, "
        "its collective response, and the support councils are giving each other.",
    )
    regional_plan_issue(cycle=cycle, issued_by=pm)


def _seed_menu(*, cycle, pm) -> None:
    """This year's menu: the submitted self-evaluations' areas for development as needs,
    two offers, and one match waiting for both councils' answers."""
    needs_from_self_evaluations(cycle=cycle, created_by=pm)
    leicester = LocalAuthority.objects.filter(name="Leicester").first()
    rutland = LocalAuthority.objects.filter(name="Rutland").first()
    if leicester is None or rutland is None:
        return
    sufficiency = offer_add(
        cycle=cycle,
        council=leicester,
        theme="Placement sufficiency",
        kind=SupportOffer.Kind.SINGLE,
        title="Our sufficiency strategy, with two workshops",
        description="How we opened three local homes in two years.",
        capacity=2,
        evidence=SupportOffer.Evidence.DATA,
        evidence_text="Placement stability better than all ten statistical neighbours.",
        created_by=pm,
    )
    offer_add(
        cycle=cycle,
        council=rutland,
        theme="Care leavers",
        kind=SupportOffer.Kind.PRACTICE,
        title="A practice-sharing visit to our care leavers' hub",
        description="",
        capacity=3,
        evidence=SupportOffer.Evidence.OFSTED,
        evidence_text="Care leavers' services judged outstanding at the last inspection.",
        created_by=pm,
    )
    need = SupportNeed.objects.filter(
        cycle=cycle, council=rutland, theme="Placement sufficiency"
    ).first()
    if need is not None:  # waiting for both councils' directors, on their home pages
        match_broker(need=need, offer=sufficiency, brokered_by=pm)


def _deadlines(year: int, today: datetime.date) -> dict[str, datetime.date]:
    """The usual dates, the self-evaluations' due in twelve days, each later step on or
    after the one before."""
    deadlines = step_defaults(year)
    deadlines["self_evaluation_due"] = today + datetime.timedelta(days=12)
    previous = None
    for field, _label, _default in STEPS:
        if previous is not None and deadlines[field] < previous:
            deadlines[field] = previous + datetime.timedelta(days=28)
        previous = deadlines[field]
    return deadlines
