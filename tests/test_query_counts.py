"""Every page a signed-in person uses answers in at most `MAX_QUERIES` queries, and the
count does not grow with the data (issue 12).

The walk reuses the cross-tenant matrix (tests/test_tenancy_matrix.py): its pages, who may
open each and the ids of one object of each kind. Each GET page is opened once to warm the
process's caches (content types, permissions), counted on a second request, then counted
again after the alliance's data has grown around the very objects the page shows (the same
cycle, event, review and challenge, the same council and Tier 2 group), so an N+1 shows. The
data grows once per test and every page is measured before and after it.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lga_cspc.models import CaseReview, Challenge, FeedbackReport
from lga_cspc.services.documents import checklist_upload
from ondemand.models import Review
from peerchallenge.models import Action, Document, KeyLineOfEnquiry, Role
from tests.clock import at, days
from tests.factories import (
    AccessLogFactory,
    ActionFactory,
    ActionUpdateFactory,
    DocumentVersionFactory,
    InvitationFactory,
    KeyLineOfEnquiryFactory,
    KloeCommentFactory,
    MembershipFactory,
    ReportVersionFactory,
    SessionFactory,
    Tier2GroupFactory,
    UserFactory,
    council,
)
from tests.lga_cspc.factories import (
    AccuracyCommentFactory,
    AdvanceDocumentFactory,
    CaseFileFactory,
    ChallengeFactory,
    ScopeElementFactory,
    SiteNoteFactory,
    TeamMemberFactory,
)
from tests.lga_cspc.factories import lga as lga  # the fixture
from tests.ondemand.factories import (
    ActivityFactory,
    RecommendationFactory,
    RequestNoteFactory,
    on_team,
    planning_review,
)
from tests.ondemand.matrix import ondemand_ids
from tests.test_tenancy_matrix import (
    CSPC_URLS,
    CSPC_WHO_OPENS,
    EM_STATE,
    EM_URLS,
    POST_ONLY,
    cspc_url,
    em_who_opens,
    kwarg_names,
    own_alliance_kwargs,
)
from tests.test_tenancy_matrix import nationals as nationals  # the fixture
from tests.thematic.factories import (
    EventKloeFactory,
    NominationFactory,
    SuggestionSupportFactory,
    ThematicEventFactory,
    ThemeSuggestionFactory,
    next_steps,
)
from tests.triads.factories import (
    CycleFactory,
    EventTemplateFactory,
    TriadFactory,
    TriadMemberFactory,
    TriadSummaryFactory,
)
from thematic.models import ThematicEvent, Theme
from triads.models import Cycle, Triad

MAX_QUERIES = 15
# How much each kind of row grows by: enough that one query per row cannot hide.
MORE = 6
MORE_ACTIONS = 40

# Pages of the personal area (no alliance in the address) that every member uses.
PERSONAL_PAGES = ("home", "calendar_settings")

# Pages (and the person who opens them) known to exceed the target, with the counts measured
# (small, grown) and why; the walk fails if one of them gets worse, and when one is fixed (so
# the entry is removed). Each is constant in the data: the count is over 15, not growing.
EXEMPT: dict[tuple[str, str], tuple[int, int, str]] = {}


def count_queries(client, url: str) -> int:
    client.get(url)  # warm the process's caches: content types, permissions, templates
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def measure(client, pages) -> dict:
    counts = {}
    for name, who, user, url in pages:
        client.force_login(user)
        counts[(name, who)] = count_queries(client, url)
    return counts


def judge(pages, small: dict, grown: dict) -> None:
    """One table of every page, and the pages that break the rule, in one failure."""
    rows, broken = [], []
    for name, who, _user, _url in pages:
        before, after = small[(name, who)], grown[(name, who)]
        rows.append(f"{name:45} {who:10} {before:5} {after:5}")
        exempt = EXEMPT.get((name, who))
        if exempt is not None:
            if after <= before and after <= MAX_QUERIES:
                broken.append(f"{name} ({who}): now {before}/{after}, remove it from EXEMPT")
            elif before > exempt[0] or after > exempt[1]:
                broken.append(f"{name} ({who}): {before}/{after}, worse than {exempt[:2]}")
        elif after > before or after > MAX_QUERIES:
            broken.append(f"{name} ({who}): {before} queries, {after} with more data")
    table = "\n".join([f"{'page':45} {'person':10} small grown", *rows])
    print(table)
    assert broken == [], "\n".join([*broken, table])


def em_pages(world) -> list[tuple[str, str, object, str]]:
    """(page, person's role in `world`, the person, url) for every GET page of East
    Midlands and the personal pages of the people who open them."""
    kwargs = own_alliance_kwargs(world)
    # A page that answers only in a later state gets a review of its own in that state, so
    # the state does not change what the other pages show.
    states = {
        change: change(
            world, {**kwargs, **ondemand_ids(world.em, council_name="Derby", lead=world.admin)}
        )
        for change in set(EM_STATE.values())
    }
    pages = []
    for route, name in EM_URLS:
        if name in POST_ONLY:
            continue
        who = em_who_opens(name)
        state = states[EM_STATE[name]] if name in EM_STATE else kwargs
        url = reverse(name, kwargs={k: v for k, v in state.items() if k in kwarg_names(route)})
        pages.append((name, who, getattr(world, who), url))
    for name in PERSONAL_PAGES:
        for who in ("pm", "organiser", "admin"):
            pages.append((name, who, getattr(world, who), reverse(name)))
    return pages


def seed_em(world, ids: dict) -> None:
    """One of each kind the matrix's world lacks, so that the small count is of pages with a
    row in every list (a prefetch Django skips for an empty list is not a growth)."""
    with scopes_disabled():  # a test entry point: the pages' objects read back by id
        kloe = KeyLineOfEnquiry.objects.get(pk=ids["kloe"])
        shared = KeyLineOfEnquiryFactory(cycle=kloe.challenge, shared_at=at(-1))
        KloeCommentFactory(kloe=shared, author=world.pm)
        review = Review.objects.get(pk=ids["review"])
        starts = datetime.datetime.combine(review.first_day, datetime.time(8), tzinfo=datetime.UTC)
        session = SessionFactory(
            challenge=review, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=50)
        )
        session.peers.add(world.admin)
        # The triad's consultant, who has drafts to read (the matrix's KLOE is one).
        consultant = UserFactory()
        MembershipFactory(alliance=world.em, user=consultant, role=Role.CONSULTANT)
        Triad.objects.filter(pk=ids["triad"]).update(consultant=consultant)
        AccessLogFactory(alliance=world.em, user=world.pm)
        action = Action.objects.get(pk=ids["action"])
        ActionFactory(source=action.source, tier2_group=action.tier2_group, due_date=days(-3))


def grow_em(world, ids: dict) -> None:
    """More of everything East Midlands holds, around the objects the pages show."""
    em = world.em
    derby, leicester = council("Derby"), council("Leicester")
    others = [
        council(name)
        for name in (
            "Leicestershire",
            "Lincolnshire",
            "Nottingham",
            "Nottinghamshire",
            "Derbyshire",
            "Rutland",
        )
    ]
    with scopes_disabled():  # a test entry point: the pages' objects read back by id
        cycle = Cycle.objects.get(pk=ids["cycle"])
        triad = Triad.objects.get(pk=ids["triad"])
        action = Action.objects.get(pk=ids["action"])
        document = Document.objects.get(pk=ids["document"])
        kloe = KeyLineOfEnquiry.objects.get(pk=ids["kloe"])
        event = ThematicEvent.objects.get(pk=ids["event"])
        review = Review.objects.get(pk=ids["review"])
        theme = Theme.objects.get(pk=ids["theme"])
        group = action.tier2_group

        # Members: more people in each role, some of them Tier 2 members of the group.
        people = []
        for number in range(MORE):
            for role, la in (
                (Role.PEER_REVIEWER, others[number % len(others)]),
                (Role.LA_ORGANISER, others[number % len(others)]),
                (Role.DCS, others[number % len(others)]),
                (Role.TIER2_MEMBER, None),
                (Role.CONSULTANT, None),
            ):
                user = UserFactory()
                MembershipFactory(alliance=em, user=user, role=role, local_authority=la)
                people.append(user)
            InvitationFactory(alliance=em, invited_by=world.admin)
        group.members.add(*people[3::5], world.tier2)
        groups = [group, *(Tier2GroupFactory(alliance=em) for _ in range(MORE))]

        # Triads: the cycle's other councils in more triads, their KLOEs, comments,
        # documents, templates and summaries; Derby's triad gets a fourth member.
        TriadMemberFactory(triad=triad, council=leicester)
        for start in range(0, len(others), 2):
            more = TriadFactory(cycle=cycle, consultant=people[4 + 5 * start])
            for la in others[start : start + 2]:
                TriadMemberFactory(triad=more, council=la)
            TriadSummaryFactory(triad=more)
        TriadSummaryFactory(triad=triad)
        for la in [derby, leicester, *others]:
            for shared in (True, False):
                made = KeyLineOfEnquiryFactory(
                    cycle=cycle,
                    local_authority=la,
                    shared_at=at(-1) if shared else None,
                )
                KloeCommentFactory(kloe=made, author=world.pm)
            EventTemplateFactory(cycle=cycle, local_authority=la)
            DocumentVersionFactory(document__cycle=cycle, document__local_authority=la)
        for _ in range(MORE):
            KloeCommentFactory(kloe=kloe, author=world.organiser)
        for number in range(2, MORE + 2):
            DocumentVersionFactory(document=document, number=number)
        for number in range(2, MORE + 2):
            ReportVersionFactory(subject=cycle, number=number)

        # Older years: earlier cycles of the alliance, with triads, KLOEs and actions.
        for years_ago in range(1, MORE):
            old = CycleFactory(
                alliance=em,
                event_date=days(-365 * years_ago),
                kloes_due=days(-365 * years_ago - 28),
                templates_due=days(-365 * years_ago + 7),
                report_due=days(-365 * years_ago + 42),
            )
            old_triad = TriadFactory(cycle=old)
            for la in (derby, leicester, others[0]):
                TriadMemberFactory(triad=old_triad, council=la)
            KeyLineOfEnquiryFactory(cycle=old, local_authority=derby, shared_at=at(-400))
            ActionFactory(source=old, local_authority=derby, tier2_group=group)

        # Agreed actions: many more on the same council and Tier 2 group, with updates; some
        # overdue, of other councils and groups too.
        for number in range(MORE_ACTIONS):
            overdue = number % 3 == 0
            more = ActionFactory(
                source=cycle,
                local_authority=derby if number % 4 else others[number % len(others)],
                tier2_group=groups[number % len(groups)] if overdue else group,
                due_date=days(-1 - number) if overdue else days(30 + number),
            )
            ActionUpdateFactory(action=more, author=world.organiser)
        for _ in range(MORE):
            ActionUpdateFactory(action=action, author=world.organiser)

        # The timetable: more sessions of the cycle and of the review.
        for number in range(MORE):
            SessionFactory(challenge=cycle, title=f"Session {number}")
            starts = datetime.datetime.combine(
                review.first_day, datetime.time(9 + number), tzinfo=datetime.UTC
            )
            session = SessionFactory(
                challenge=review,
                title=f"Review session {number}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=50),
            )
            session.peers.add(world.admin, *people[number * 5 : number * 5 + 2])

        # Thematic: more events of the theme, nominations and next steps on this one, its
        # KLOEs, and more suggestions with support.
        event.councils.add(*others)
        for la in [council("Derby"), leicester, *others]:
            for _ in range(2):
                NominationFactory(event=event, council=la)
        for la in others:
            next_steps(event, la.name)
        for _ in range(MORE):
            EventKloeFactory(event=event)
            more_event = ThematicEventFactory(
                alliance=em, theme=theme, tier2_group=group, councils=[derby, *others[:3]]
            )
            NominationFactory(event=more_event, council=derby)
            suggestion = ThemeSuggestionFactory(alliance=em)
            for user in people[:3]:
                SuggestionSupportFactory(suggestion=suggestion, user=user)

        # On demand: more reviews of Derby and others, and this review's team, activities,
        # recommendations and notes.
        for la in [derby, *others[:MORE]]:
            more_review = planning_review(em, local_authority=la)
            on_team(more_review, people[4], role="lead")
        for number, user in enumerate(people[: MORE * 5 : 5]):
            on_team(review, user, role="officer", response="accepted" if number % 2 else "invited")
        for _ in range(MORE):
            ActivityFactory(review=review)
            RecommendationFactory(review=review)
            RequestNoteFactory(review=review, author=world.organiser)


@pytest.mark.django_db
def test_every_regional_page_answers_in_few_queries_whatever_the_data(client, world):
    pages = em_pages(world)
    seed_em(world, own_alliance_kwargs(world))
    small = measure(client, pages)
    grow_em(world, own_alliance_kwargs(world))
    grown = measure(client, pages)
    judge(pages, small, grown)


def grow_cspc(lga, ids: dict) -> None:
    """More of everything the LGA holds, around its challenge of Derby."""
    with scopes_disabled():  # a test entry point: the pages' objects read back by id
        challenge = Challenge.objects.get(pk=ids["challenge"])
        case_review = CaseReview.objects.get(challenge=challenge)
        report = FeedbackReport.objects.get(challenge=challenge)
        people = []
        for number in range(MORE):
            user = UserFactory()
            MembershipFactory(
                alliance=lga.alliance,
                user=user,
                role=Role.PEER_REVIEWER,
                local_authority=council("Lewisham"),
            )
            people.append(user)
            TeamMemberFactory(challenge=challenge, user=user)
            AdvanceDocumentFactory(challenge=challenge)
            CaseFileFactory(review=case_review)
            SiteNoteFactory(challenge=challenge, author=user)
            AccuracyCommentFactory(report=report, paragraph=number + 2)
            ScopeElementFactory(challenge=challenge, kind="module", name=f"Module {number}")
            starts = datetime.datetime.combine(
                challenge.onsite_start, datetime.time(12), tzinfo=datetime.UTC
            ) + datetime.timedelta(days=number % challenge.days)
            session = SessionFactory(
                challenge=challenge,
                title=f"Focus group {number}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=1),
            )
            session.peers.add(user)
            ChallengeFactory(offer=challenge.offer, local_authority=council("Leicester"))
    with scope(alliance=lga.alliance):
        for item in challenge.advance_documents.all()[:MORE]:
            checklist_upload(
                item=item,
                upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\nplan\n%%EOF\n"),
                uploaded_by=lga.pcm,
            )


@pytest.mark.django_db
def test_every_lga_page_answers_in_few_queries_whatever_the_data(client, lga, nationals):
    ids = nationals["lga"]
    pages = []
    for route, name in CSPC_URLS:
        if name in POST_ONLY:
            continue
        who = CSPC_WHO_OPENS.get(name, "pm")
        pages.append((name, who, getattr(lga, who), cspc_url(route, name, ids)))
    for name in PERSONAL_PAGES:
        for who in ("pm", "pcm", "derby_dcs"):
            pages.append((name, who, getattr(lga, who), reverse(name)))
    small = measure(client, pages)
    grow_cspc(lga, ids)
    grown = measure(client, pages)
    judge(pages, small, grown)
