import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.models import LocalAuthority, Role
from tests.factories import MembershipFactory, UserFactory
from tests.triads.factories import CycleFactory, make_triads
from triads.models import Cycle, Triad, TriadMember
from triads.services.cycles import triad_assign_consultant


def url(name, world, **kwargs):
    return reverse(f"triads:{name}", kwargs={"alliance": world.em.slug, **kwargs})


def em_councils():
    return list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))


@pytest.fixture
def cycle(world):
    return CycleFactory(alliance=world.em, name="March 2028")


ROLES = ["admin", "pm", "coordinator", "organiser", "dcs", "tier2"]
PLANNERS = {"pm", "coordinator"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("cycle_list", set(ROLES)),
        ("cycle_detail", set(ROLES)),
        ("cycle_create", PLANNERS),
        ("cycle_edit", PLANNERS),
        ("triad_arrange", PLANNERS),
        ("triad_consultant", PLANNERS),
    ],
)
def test_role_may_open_triad_page_only_if_allowed(role, page, allowed, client, world, cycle):
    kwargs = {}
    if page != "cycle_list" and page != "cycle_create":
        kwargs["cycle"] = cycle.pk
    if page == "triad_consultant":
        kwargs["triad"] = make_triads(cycle, [em_councils()[:3]])[0].pk
    client.force_login(getattr(world, role))
    expected = 200 if role in allowed else 403
    if page == "triad_consultant" and role in {"admin", "tier2"}:
        expected = 404  # they do not see the triad at all (Derby's people do)
    assert client.get(url(page, world, **kwargs)).status_code == expected


def test_pm_creates_a_cycle_with_default_deadlines(client, world):
    client.force_login(world.pm)
    page = client.get(url("cycle_create", world)).content.decode()
    assert page.count('type="checkbox"') == 10
    assert page.count(" checked") == 10  # every council by default
    response = client.post(
        url("cycle_create", world),
        {
            "name": "Children's social care peer challenge, March 2028",
            "event_date": "2028-03-16",
            "venue": "County Hall, Matlock",
            "councils": [c.pk for c in em_councils()],
        },
    )
    with scopes_disabled():
        created = Cycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("cycle_detail", world, cycle=created.pk)
    assert created.report_due == datetime.date(2028, 4, 27)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"event_date": ""}, "event_date", "Enter the date of the event."),
        (
            {"event_date_day": "30", "event_date_month": "2", "event_date_year": "2028"},
            "event_date",
            "Date of the event must be a real date",
        ),
        ({"templates_due": "2028-03-01"}, "templates_due", "on or after the event"),
        ({"councils": []}, "councils", "Choose the councils taking part."),
        ({"online_link": "not a link at all"}, "online_link", "Enter a full web address"),
    ],
)
def test_cycle_form_bad_input_keeps_what_was_typed(client, world, data, field, message):
    client.force_login(world.pm)
    base = {
        "name": "March 2028 cycle",
        "event_date": "2028-03-16",
        "councils": [c.pk for c in em_councils()],
    }
    response = client.post(url("cycle_create", world), {**base, **data})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert 'value="March 2028 cycle"' in response.content.decode()
    with scopes_disabled():
        assert not Cycle.objects.exists()


def test_arrange_suggests_checks_and_saves(client, world, cycle):
    client.force_login(world.pm)
    page = client.get(url("triad_arrange", world, cycle=cycle.pk)).content.decode()
    assert "This is a suggested grouping" in page
    assert "No council is with a council it shared a triad with before." in page
    form = client.get(url("triad_arrange", world, cycle=cycle.pk)).context["form"]
    data = {name: form.initial[name] for name in form.fields}
    # Check a changed grouping: Derby alone with one other council is refused.
    ids = sorted(data)
    bad = {
        **data,
        **dict.fromkeys(ids[:2], 1),
        **dict.fromkeys(ids[2:5], 2),
        **dict.fromkeys(ids[5:], 3),
    }
    response = client.post(url("triad_arrange", world, cycle=cycle.pk), {**bad, "save": "1"})
    assert response.status_code == 200
    assert "a triad needs 3 councils" in response.content.decode()
    with scopes_disabled():
        assert not TriadMember.objects.exists()
    response = client.post(url("triad_arrange", world, cycle=cycle.pk), {**data, "save": "1"})
    assert response.status_code == 302
    with scopes_disabled():
        sizes = sorted(t.members.count() for t in Triad.objects.filter(cycle=cycle))
    assert sizes == [3, 3, 4]


def test_arrange_shows_repeats_it_could_not_avoid(client, world):
    councils = em_councils()[:4]
    earlier = CycleFactory(
        alliance=world.em, event_date=datetime.date(2026, 3, 12), councils=councils
    )
    make_triads(earlier, [councils])
    cycle = CycleFactory(alliance=world.em, councils=councils)
    client.force_login(world.pm)
    page = client.get(url("triad_arrange", world, cycle=cycle.pk)).content.decode()
    assert "Derby and Derbyshire (1 time before)" in page


def test_assign_consultant(client, world, cycle):
    consultant = UserFactory(full_name="Ruth Consultant")
    MembershipFactory(alliance=world.em, user=consultant, role=Role.CONSULTANT)
    triad = make_triads(cycle, [em_councils()[:3]])[0]
    client.force_login(world.pm)
    response = client.post(
        url("triad_consultant", world, cycle=cycle.pk, triad=triad.pk),
        {"consultant": consultant.pk},
    )
    assert response.status_code == 302
    page = client.get(url("cycle_detail", world, cycle=cycle.pk)).content.decode()
    assert "Ruth Consultant" in page
    response = client.post(
        url("triad_consultant", world, cycle=cycle.pk, triad=triad.pk),
        {"consultant": world.tier2.pk},
    )
    assert "Select a valid choice" in response.context["form"].errors["consultant"][0]


def test_cycle_detail_query_count_is_constant(client, world, django_assert_max_num_queries):
    councils = em_councils()
    small = CycleFactory(alliance=world.em, councils=councils[:3])
    make_triads(small, [councils[:3]])
    big = CycleFactory(alliance=world.em)
    make_triads(big, [councils[:3], councils[3:6], councils[6:]])
    client.force_login(world.pm)
    with django_assert_max_num_queries(14):
        client.get(url("cycle_detail", world, cycle=small.pk))
    with django_assert_max_num_queries(14):
        page = client.get(url("cycle_detail", world, cycle=big.pk)).content.decode()
    assert page.count("Choose consultant") == 3


def test_cycle_list_query_count_is_constant(client, world, django_assert_max_num_queries):
    client.force_login(world.tier2)
    CycleFactory(alliance=world.em)
    with django_assert_max_num_queries(12):
        client.get(url("cycle_list", world))
    for n in range(8):
        CycleFactory(alliance=world.em, event_date=datetime.date(2010 + 2 * n, 3, 1))
    with django_assert_max_num_queries(12):
        page = client.get(url("cycle_list", world)).content.decode()
    assert page.count("/triads/") >= 9


def test_every_page_of_a_triad_is_404_for_a_council_outside_it(client, world, cycle):
    """Not 403: that would say the triad exists. Every URL under the triad, GET and POST."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_scopes import scope

    import triads.urls
    from peerchallenge.services import document_upload, kloe_create

    councils = em_councils()
    inside, outside = councils[:3], councils[3:6]
    triad = make_triads(cycle, [inside, outside])[0]
    derby = inside[0]
    with scope(alliance=world.em):
        kloe = kloe_create(
            challenge=cycle,
            local_authority=derby,
            created_by=world.dcs,
            title="Early help",
            question="How well is step-down working?",
        )
        version = document_upload(
            challenge=cycle,
            local_authority=derby,
            title="Self-evaluation",
            uploaded_by=world.dcs,
            upload=SimpleUploadedFile("self.pdf", b"%PDF-1.7\nx\n%%EOF\n"),
        )
    stranger = UserFactory(full_name="Sam Stranger")
    MembershipFactory(alliance=world.em, user=stranger, role=Role.DCS, local_authority=outside[0])
    values = {
        "cycle": cycle.pk,
        "triad": triad.pk,
        "kloe": kloe.pk,
        "document": version.document_id,
        "version": version.number,
    }
    triad_pages = [
        p for p in triads.urls.urlpatterns if str(p.pattern).startswith(triads.urls.TRIAD)
    ]
    assert {p.name for p in triad_pages} >= {"triad_detail", "triad_consultant", "kloe_edit"}
    client.force_login(stranger)
    for pattern in triad_pages:
        names = pattern.pattern.regex.groupindex
        address = url(pattern.name, world, **{k: v for k, v in values.items() if k in names})
        assert (pattern.name, client.get(address).status_code) == (pattern.name, 404)
        assert (pattern.name, client.post(address).status_code) == (pattern.name, 404)
    client.force_login(world.dcs)  # Derby is inside: the same pages open (or 403 by role)
    assert client.get(url("triad_detail", world, cycle=cycle.pk, triad=triad.pk)).status_code == 200
    consultant = url("triad_consultant", world, cycle=cycle.pk, triad=triad.pk)
    assert client.get(consultant).status_code == 403


@pytest.mark.parametrize("role", ["dcs", "tier2", "consultant"])
def test_cycle_detail_costs_the_same_for_non_planners_whatever_the_triads(role, client, world):
    """Each triad's "may I open it" is answered from what the page loaded once: the
    council's object rule from the prefetched members, the consultant's guardian grants in
    one read for the whole list (not two queries a triad)."""
    councils = em_councils()
    derby = next(c for c in councils if c.name == "Derby")
    others = [c for c in councils if c != derby]
    consultant = UserFactory(full_name="Cai Consultant")
    MembershipFactory(alliance=world.em, user=consultant, role=Role.CONSULTANT)
    person = consultant if role == "consultant" else getattr(world, role)
    counts = []
    for groups in ([[derby, *others[:2]]], [[derby, *others[:2]], others[2:5], others[5:8]]):
        cycle = CycleFactory(alliance=world.em, councils=[c for group in groups for c in group])
        triads = make_triads(cycle, groups)
        with scopes_disabled():
            for triad in triads:
                triad_assign_consultant(triad=triad, consultant=consultant)
        client.force_login(person)
        client.get(url("cycle_detail", world, cycle=cycle.pk))  # the process's caches warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("cycle_detail", world, cycle=cycle.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15
