"""Ids posted in form bodies, tried across tenants: every form that takes the id of another
object (a council, a person, a group, a theme, an offer, a session...) refuses the other
alliance's id with an error on that field (or 404), and writes nothing. The same body with
the alliance's own id is accepted (the positive control: the body is otherwise valid, so
the refusal is the id's)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm
from django.test.utils import ContextList
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.models import Invitation, Membership, Role, Tier2Group
from tests import clock
from tests.factories import MembershipFactory, SessionFactory, UserFactory, council
from tests.forms import date_parts
from tests.lga_cspc.factories import CaseFileFactory, CaseReviewFactory, TeamMemberFactory
from tests.lga_cspc.factories import lga as lga  # the fixture, for the national pair
from tests.thematic.factories import group, theme


@dataclass
class Case:
    url: str
    who: object  # the member of the owning alliance who posts
    body: Callable[[int], dict]  # the form body, with the id under test
    field: str  # the form field that carries the id
    own: int  # an id of the posting alliance
    other: int  # the same kind of object, of another alliance
    state: Callable[[], object]  # what a successful post changes
    # A question page whose answers are sent from a check page (views.check_answers): the
    # check page's URL, posted to after the question.
    send: str = ""


def rows(model, **filters) -> Callable[[], int]:
    def count() -> int:
        with scopes_disabled():
            return model.objects.filter(**filters).count()

    return count


def form_errors(response) -> dict:
    """Field -> errors of every bound form on the page."""
    contexts = response.context if isinstance(response.context, ContextList) else []
    errors: dict = {}
    for context in contexts or [response.context]:
        for layer in context:
            for value in layer.values():
                if isinstance(value, BaseForm) and value.is_bound:
                    for field, messages in value.errors.items():
                        name = field.removeprefix(f"{value.prefix}-") if value.prefix else field
                        errors.setdefault(name, []).extend(messages)
    return errors


def em(name: str, world, **kwargs) -> str:
    return reverse(name, kwargs={"alliance": world.em.slug, **kwargs})


def member(alliance, role, name, la=None):
    user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}.ids@example.org")
    MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
    return user


# The core ---------------------------------------------------------------------------------


def invitation_council(world) -> Case:
    return Case(
        url=em("member_invite", world),
        who=world.admin,
        body=lambda pk: {
            "full_name": "Nia Newcomer",
            "email": "nia@example.org",
            "role": Role.DCS,
            "local_authority": pk,
        },
        field="local_authority",
        own=council("Derby").pk,
        other=council("Camden").pk,  # London's council
        state=rows(Invitation, alliance=world.em),
    )


def membership_council(world) -> Case:
    with scopes_disabled():
        membership = Membership.objects.get(alliance=world.em, user=world.tier2)

    def state():
        with scopes_disabled():
            return Membership.objects.values_list("role", "local_authority").get(pk=membership.pk)

    return Case(
        url=em("membership_edit", world, membership=membership.pk),
        who=world.admin,
        body=lambda pk: {"role": Role.LA_ORGANISER, "local_authority": pk},
        field="local_authority",
        own=council("Derby").pk,
        other=council("Camden").pk,
        state=state,
    )


def tier2_group_members(world) -> Case:
    return Case(
        url=em("tier2_group_create", world),
        who=world.admin,
        body=lambda pk: {"name": "Placements", "members": [pk]},
        field="members",
        own=world.tier2.pk,
        other=world.outsider.pk,  # London's admin
        state=rows(Tier2Group),
    )


# Triads -----------------------------------------------------------------------------------


def organiser_of_two_councils(world):
    """Derby's organiser is Leicester's DCS too: with one council, the forms drop the field
    (and file under that council whatever is posted)."""
    MembershipFactory(
        alliance=world.em, user=world.organiser, role=Role.DCS, local_authority=council("Leicester")
    )
    return world.organiser


def em_cycle(world):
    from tests.triads.factories import CycleFactory, make_triads

    cycle = CycleFactory(alliance=world.em, event_date=clock.days(60))
    (triad,) = make_triads(cycle, [[council("Derby"), council("Leicester")]])
    return cycle, triad


def cycle_councils(world) -> Case:
    from triads.models import Cycle

    return Case(
        url=em("triads:cycle_create", world),
        who=world.pm,
        body=lambda pk: {
            "name": "Spring triads",
            **date_parts("event_date", clock.days(90)),
            "venue": "Derby Council House",
            "councils": [pk, council("Leicester").pk, council("Nottingham").pk],
        },
        field="councils",
        own=council("Derby").pk,
        other=council("Camden").pk,
        state=rows(Cycle),
    )


def triad_consultant(world) -> Case:
    from triads.models import Triad

    cycle, triad = em_cycle(world)

    def state():
        with scopes_disabled():
            return Triad.objects.get(pk=triad.pk).consultant_id

    return Case(
        url=em("triads:triad_consultant", world, cycle=cycle.pk, triad=triad.pk),
        who=world.pm,
        body=lambda pk: {"consultant": pk},
        field="consultant",
        own=member(world.em, Role.CONSULTANT, "Connie Consultant").pk,
        other=member(world.london, Role.CONSULTANT, "Lionel Londoner").pk,
        state=state,
    )


def kloe_council(world) -> Case:
    from peerchallenge.models import KeyLineOfEnquiry

    cycle, triad = em_cycle(world)
    return Case(
        url=em("triads:kloe_create", world, cycle=cycle.pk, triad=triad.pk),
        who=organiser_of_two_councils(world),
        body=lambda pk: {
            "council": pk,
            "title": "Early help",
            "question": "Do families get help early enough?",
        },
        field="council",
        own=council("Derby").pk,
        other=council("Camden").pk,
        state=rows(KeyLineOfEnquiry),
    )


def document_council(world) -> Case:
    from peerchallenge.models import Document

    cycle, triad = em_cycle(world)
    return Case(
        url=em("triads:document_upload", world, cycle=cycle.pk, triad=triad.pk),
        who=organiser_of_two_councils(world),
        body=lambda pk: {
            "council": pk,
            "title": "Self-evaluation",
            "file": SimpleUploadedFile("self-evaluation.pdf", b"%PDF-1.7\nx\n%%EOF\n"),
        },
        field="council",
        own=council("Derby").pk,
        other=council("Camden").pk,
        state=rows(Document),
    )


def template_action_group(world) -> Case:
    from peerchallenge.models import Action

    cycle, _triad = em_cycle(world)
    return Case(
        url=em("triads:event_template", world, cycle=cycle.pk, gss=council("Derby").gss_code),
        who=world.organiser,
        body=lambda pk: {
            "add_action": "1",
            "action-what": "Audit the front door",
            "action-owner": "Head of service",
            "action-due_date": clock.days(120).isoformat(),
            "action-tier2_group": pk,
        },
        field="tier2_group",
        own=group(world.em).pk,
        other=group(world.london).pk,
        state=rows(Action),
    )


def support_offer_council(world) -> Case:
    from triads.models import SupportOffer

    cycle, _triad = em_cycle(world)
    return Case(
        url=em("triads:summary", world, cycle=cycle.pk),
        who=world.pm,
        body=lambda pk: {
            "add_support": "1",
            "support-from_council": pk,
            "support-to_council": council("Leicester").pk,
            "support-topic": "Reducing agency staff",
        },
        field="from_council",
        own=council("Derby").pk,
        other=council("Camden").pk,
        state=rows(SupportOffer),
    )


# Thematic ---------------------------------------------------------------------------------


def event_body(world, **ids) -> dict:
    return {
        "theme": theme(world.em).pk,
        **date_parts("date", clock.days(60)),
        "start_time": "09:30",
        "end_time": "13:00",
        "format": "in_person",
        "venue": "Leicester City Hall",
        "councils": [council("Derby").pk, council("Leicester").pk],
        "tier2_group": group(world.em).pk,
        **ids,
    }


def thematic_case(world, field: str, own: int, other: int) -> Case:
    from thematic.models import ThematicEvent

    return Case(
        url=em("thematic:event_create", world),
        who=world.pm,
        body=lambda pk: event_body(world, **{field: [pk] if field == "councils" else pk}),
        field=field,
        own=own,
        other=other,
        state=rows(ThematicEvent),
    )


def event_theme(world) -> Case:
    return thematic_case(world, "theme", theme(world.em).pk, theme(world.london).pk)


def event_councils(world) -> Case:
    return thematic_case(world, "councils", council("Derby").pk, council("Camden").pk)


def event_group(world) -> Case:
    return thematic_case(world, "tier2_group", group(world.em).pk, group(world.london).pk)


# On demand --------------------------------------------------------------------------------


def review_council(world) -> Case:
    from ondemand.models import Review

    return Case(
        url=em("ondemand:review_request", world),
        who=world.organiser,
        body=lambda pk: {
            "local_authority": pk,
            "service_area": "Front door",
            "primary_kloe": "Right help, right time?",
            "why_now": "Contacts are up.",
            **date_parts("preferred_start", clock.days(20)),
            "days": "1",
        },
        field="local_authority",
        own=council("Derby").pk,
        other=council("Camden").pk,
        state=rows(Review),
        send=em("ondemand:review_request_check", world),
    )


def review_person(world) -> Case:
    from ondemand.models import Reviewer
    from tests.ondemand.factories import planning_review

    review = planning_review(world.em)
    return Case(
        url=em("ondemand:team", world, review=review.pk),
        who=world.pm,
        body=lambda pk: {"person": pk, "role": "officer"},
        field="person",
        own=member(world.em, Role.PEER_REVIEWER, "Lena Leicester", council("Leicester")).pk,
        other=member(world.london, Role.PEER_REVIEWER, "Cam Camden", council("Camden")).pk,
        state=rows(Reviewer, review=review),
    )


def schedule_peers(world) -> Case:
    from peerchallenge.models import Session
    from tests.ondemand.factories import on_team, planning_review

    review = planning_review(world.em)
    own = member(world.em, Role.PEER_REVIEWER, "Lena Leicester", council("Leicester"))
    on_team(review, own)
    other = member(world.london, Role.PEER_REVIEWER, "Cam Camden", council("Camden"))
    return Case(
        url=em("ondemand:schedule", world, review=review.pk),
        who=world.pm,
        body=lambda pk: {
            "day": review.start_date.isoformat(),
            "starts_at": "10:30",
            "ends_at": "11:30",
            "kind": "interview",
            "title": "Interview with the DCS",
            "room": "room 1",
            "peers": [pk],
        },
        field="peers",
        own=own.pk,
        other=other.pk,
        state=rows(Session),
    )


def recommendation_group(world) -> Case:
    from ondemand.models import Status
    from peerchallenge.models import Action
    from tests.ondemand.factories import RecommendationFactory, planning_review

    review = planning_review(world.em, status=Status.FINDINGS_ISSUED)
    with scopes_disabled():
        recommendation = RecommendationFactory(
            alliance=world.em, review=review, text="Strengthen the front door"
        )
    return Case(
        url=em(
            "ondemand:recommendation_respond",
            world,
            review=review.pk,
            recommendation=recommendation.pk,
        ),
        who=world.organiser,
        body=lambda pk: {
            "accept": "yes",
            "what": "Review the front door",
            "owner": "Head of service",
            **date_parts("due_date", clock.days(90)),
            "tier2_group": pk,
        },
        field="tier2_group",
        own=group(world.em).pk,
        other=group(world.london).pk,
        state=rows(Action),
    )


# The LGA's offer, between two national alliances ---------------------------------------


@dataclass
class Nationals:
    lga: object  # the `lga` fixture
    challenge: object  # the LGA's challenge of Derby, its peer on the team
    other: object  # another national alliance
    other_offer: object
    other_dcs: object  # Derby's DCS there
    other_peer: object
    other_session: object  # a session of the other alliance's challenge of Derby


@pytest.fixture
def nationals(lga) -> Nationals:
    from lga_cspc.models import TeamRole
    from peerchallenge.models import Alliance
    from tests.factories import AllianceFactory
    from tests.lga_cspc.factories import ChallengeFactory, OfferFactory

    other = AllianceFactory(slug="other-national", kind=Alliance.Kind.NATIONAL, regions=[])
    with scopes_disabled():
        challenge = ChallengeFactory(offer=lga.offer)
        TeamMemberFactory(
            challenge=challenge, user=lga.peer, role=TeamRole.SENIOR_MANAGER, indicative_days=3
        )
        other_offer = OfferFactory(alliance=other)
        other_challenge = ChallengeFactory(offer=other_offer)
        other_peer = member(other, Role.PEER_REVIEWER, "Nat Peer", council("Lewisham"))
        TeamMemberFactory(
            challenge=other_challenge,
            user=other_peer,
            role=TeamRole.SENIOR_MANAGER,
            indicative_days=3,
        )
        other_session = SessionFactory(
            alliance=other,
            challenge=other_challenge,
            kind="interview",
            title="Interview",
            starts_at=datetime.datetime.combine(
                other_challenge.onsite_start, datetime.time(10), tzinfo=datetime.UTC
            ),
            ends_at=datetime.datetime.combine(
                other_challenge.onsite_start, datetime.time(11), tzinfo=datetime.UTC
            ),
        )
    return Nationals(
        lga=lga,
        challenge=challenge,
        other=other,
        other_offer=other_offer,
        other_dcs=member(other, Role.DCS, "Dina Derby", council("Derby")),
        other_peer=other_peer,
        other_session=other_session,
    )


def lga_url(name: str, n: Nationals, **kwargs) -> str:
    return reverse(f"lga_cspc:{name}", kwargs={"alliance": n.lga.alliance.slug, **kwargs})


def booking_offer(n: Nationals) -> Case:
    from lga_cspc.models import Challenge

    return Case(
        url=lga_url("challenge_book", n),
        who=n.lga.pm,
        body=lambda pk: {
            "offer": pk,
            "council": council("Leicester").pk,
            **date_parts("onsite_start", clock.days(120)),
            "days": "4",
            "request_notes": "Our front door",
        },
        field="offer",
        own=n.lga.offer.pk,
        other=n.other_offer.pk,
        state=rows(Challenge),
        send=lga_url("challenge_book_check", n),
    )


def team_person(n: Nationals) -> Case:
    from lga_cspc.models import TeamMember

    own = member(n.lga.alliance, Role.PEER_REVIEWER, "Lou Lambeth", council("Lambeth"))
    return Case(
        url=lga_url("team", n, challenge=n.challenge.pk),
        who=n.lga.pm,
        body=lambda pk: {"person": pk, "role": "senior_manager", "indicative_days": "5"},
        field="person",
        own=own.pk,
        other=n.other_peer.pk,
        state=rows(TeamMember, challenge=n.challenge),
    )


def contacts_sponsor(n: Nationals) -> Case:
    from lga_cspc.models import Challenge

    def state():
        with scopes_disabled():
            return Challenge.objects.get(pk=n.challenge.pk).sponsor_id

    return Case(
        url=lga_url("contacts", n, challenge=n.challenge.pk),
        who=n.lga.pm,
        body=lambda pk: {"sponsor": pk, "organiser": n.lga.derby_organiser.pk},
        field="sponsor",
        own=n.lga.derby_dcs.pk,
        other=n.other_dcs.pk,
        state=state,
    )


def timetable_peers(n: Nationals) -> Case:
    from peerchallenge.models import Session

    return Case(
        url=lga_url("timetable", n, challenge=n.challenge.pk),
        who=n.lga.pm,
        body=lambda pk: {
            "day": n.challenge.onsite_start.isoformat(),
            "starts_at": "10:30",
            "ends_at": "11:30",
            "kind": "interview",
            "title": "Interview with the DCS",
            "room": "room 1",
            "peers": [pk],
        },
        field="peers",
        own=n.lga.peer.pk,
        other=n.other_peer.pk,
        state=rows(Session, alliance=n.lga.alliance),
    )


def site_note_session(n: Nationals) -> Case:
    from lga_cspc.models import SiteNote

    with scopes_disabled():
        own = SessionFactory(
            alliance=n.lga.alliance,
            challenge=n.challenge,
            kind="interview",
            title="Interview",
            starts_at=datetime.datetime.combine(
                n.challenge.onsite_start, datetime.time(10), tzinfo=datetime.UTC
            ),
            ends_at=datetime.datetime.combine(
                n.challenge.onsite_start, datetime.time(11), tzinfo=datetime.UTC
            ),
        )
    return Case(
        url=lga_url("site_log", n, challenge=n.challenge.pk),
        who=n.lga.peer,
        body=lambda pk: {"kind": "emerging_issue", "text": "Caseloads are high", "session": pk},
        field="session",
        own=own.pk,
        other=n.other_session.pk,
        state=rows(SiteNote),
    )


def case_reviewer(n: Nationals) -> Case:
    from lga_cspc.models import CaseFile

    with scopes_disabled():
        review = CaseReviewFactory(alliance=n.lga.alliance, challenge=n.challenge)
        case = CaseFileFactory(review=review, reference="C-1", source="cin")

    def state():
        with scopes_disabled():
            return CaseFile.objects.get(pk=case.pk).reviewer_id

    return Case(
        url=lga_url("case_review", n, challenge=n.challenge.pk),
        who=n.lga.pm,
        body=lambda pk: {"assign": "1", f"reviewer_{case.pk}": pk},
        field=f"reviewer_{case.pk}",
        own=n.lga.peer.pk,
        other=n.other_peer.pk,
        state=state,
    )


def scoping_adviser(n: Nationals) -> Case:
    from lga_cspc.models import Challenge

    def state():
        with scopes_disabled():
            return Challenge.objects.get(pk=n.challenge.pk).principal_adviser_id

    return Case(
        url=lga_url("scoping", n, challenge=n.challenge.pk),
        who=n.lga.pm,
        body=lambda pk: {
            **date_parts("scoping_date", clock.days(14)),
            "scoping_time": "14:30",
            "scoping_location": "Council House, Derby",
            "principal_adviser": pk,
            "improvement_adviser": n.lga.cia.pk,
            "focus": "Early help and the front door.",
            **date_parts("onsite_start", clock.days(120)),
            "days": "4",
            "team_needed": "A DCS as team leader.",
            "documents_required": "Children's Plan",
            "case_lists": ["cin", "cp"],
        },
        field="principal_adviser",
        own=n.lga.principal_adviser.pk,
        other=member(n.other, Role.PRINCIPAL_ADVISER, "Pam National").pk,
        state=state,
    )


LGA_CASES = {
    "scoping principal adviser": scoping_adviser,
    "booking offer": booking_offer,
    "team person": team_person,
    "contacts sponsor": contacts_sponsor,
    "timetable peers": timetable_peers,
    "site note session": site_note_session,
    "case reviewer": case_reviewer,
}


CASES = {
    "invitation council": invitation_council,
    "membership council": membership_council,
    "tier 2 group members": tier2_group_members,
    "cycle councils": cycle_councils,
    "triad consultant": triad_consultant,
    "KLOE council": kloe_council,
    "document council": document_council,
    "event template action's tier 2 group": template_action_group,
    "support offer council": support_offer_council,
    "thematic event theme": event_theme,
    "thematic event councils": event_councils,
    "thematic event tier 2 group": event_group,
    "on-demand review council": review_council,
    "on-demand team person": review_person,
    "on-demand session peers": schedule_peers,
    "on-demand recommendation's tier 2 group": recommendation_group,
}


def assert_refused(response, case: Case, before, client):
    if response.status_code != 404:
        assert response.status_code == 200
        assert case.field in form_errors(response), form_errors(response)
    if case.send:  # nothing was kept to send
        assert client.post(case.send).status_code == 302
    assert case.state() == before


def post_and_send(client, case: Case, pk: int):
    response = client.post(case.url, case.body(pk))
    if case.send and response.status_code == 302:
        assert response["Location"] == case.send
        response = client.post(case.send)
    return response


@pytest.mark.parametrize("name", CASES)
def test_another_alliances_id_in_the_body_is_refused_and_nothing_written(name, client, world):
    case = CASES[name](world)
    client.force_login(case.who)
    before = case.state()
    assert_refused(client.post(case.url, case.body(case.other)), case, before, client)


@pytest.mark.parametrize("name", CASES)
def test_own_alliances_id_in_the_same_body_is_accepted(name, client, world):
    case = CASES[name](world)
    client.force_login(case.who)
    before = case.state()
    response = post_and_send(client, case, case.own)
    assert response.status_code == 302, form_errors(response)
    assert case.state() != before


@pytest.mark.parametrize("name", LGA_CASES)
def test_another_national_alliances_id_is_refused_and_nothing_written(name, client, nationals):
    case = LGA_CASES[name](nationals)
    client.force_login(case.who)
    before = case.state()
    assert_refused(client.post(case.url, case.body(case.other)), case, before, client)


@pytest.mark.parametrize("name", LGA_CASES)
def test_the_lgas_own_id_in_the_same_body_is_accepted(name, client, nationals):
    case = LGA_CASES[name](nationals)
    client.force_login(case.who)
    before = case.state()
    response = post_and_send(client, case, case.own)
    assert response.status_code == 302, form_errors(response)
    assert case.state() != before
