"""Key lines of enquiry: drafted by a council with its consultant, shared with its triad
only. The within-alliance matrix: a council outside the triad gets 404."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from peerchallenge.models import KeyLineOfEnquiry, LocalAuthority, Role
from peerchallenge.services import kloe_create, kloe_share
from tests.factories import MembershipFactory, UserFactory, council
from tests.triads.factories import CycleFactory, make_triads
from triads.services.cycles import triad_assign_consultant


@pytest.fixture
def setup(world):
    """Triad 1: Derby, Derbyshire, Leicester (consultant Ruth). Triad 2: Lincolnshire and
    others. Derby has a draft and a shared KLOE; Lincolnshire (triad 2) one shared KLOE."""
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(alliance=world.em)
    triad1, triad2, _ = make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    ruth = UserFactory(full_name="Ruth Consultant")
    MembershipFactory(alliance=world.em, user=ruth, role=Role.CONSULTANT)
    with scope(alliance=world.em):
        triad_assign_consultant(triad=triad1, consultant=ruth)

    def person(name, role, la):
        user = UserFactory(full_name=name)
        MembershipFactory(alliance=world.em, user=user, role=role, local_authority=la)
        return user

    people = {
        "derby": world.organiser,  # Derby council organiser
        "derbyshire": person("Dana Derbyshire", Role.LA_ORGANISER, council("Derbyshire")),
        "lincs": person("Lin Lincs", Role.DCS, council("Lincolnshire")),
        "consultant": ruth,
        "pm": world.pm,
        "tier2": world.tier2,
    }
    with scope(alliance=world.em):
        draft = kloe_create(
            challenge=cycle,
            local_authority=council("Derby"),
            created_by=world.organiser,
            title="Early help",
            question="How well does early help reach families?",
        )
        shared = kloe_create(
            challenge=cycle,
            local_authority=council("Derby"),
            created_by=world.organiser,
            title="Care leavers",
            question="What do care leavers say about housing?",
        )
        kloe_share(kloe=shared, shared_by=world.organiser)
        lincs = kloe_create(
            challenge=cycle,
            local_authority=council("Lincolnshire"),
            created_by=people["lincs"],
            title="Workforce",
            question="Why do social workers leave?",
        )
        kloe_share(kloe=lincs, shared_by=people["lincs"])
    return cycle, triad1, triad2, people, {"draft": draft, "shared": shared, "lincs": lincs}


def triad_url(world, cycle, triad, name="triad_detail", **kwargs):
    return reverse(
        f"triads:{name}",
        kwargs={"alliance": world.em.slug, "cycle": cycle.pk, "triad": triad.pk, **kwargs},
    )


# who -> (status of triad 1's page, KLOE titles they read there)
TRIAD1_VIEW = {
    "derby": (200, {"Early help", "Care leavers"}),
    "derbyshire": (200, {"Care leavers"}),
    "consultant": (200, {"Early help", "Care leavers"}),
    "pm": (200, {"Care leavers"}),
    "lincs": (404, set()),  # a council outside the triad
    "tier2": (404, set()),
}


@pytest.mark.parametrize("who", sorted(TRIAD1_VIEW))
def test_triad_page_shows_each_person_what_they_may_read(who, client, world, setup):
    cycle, triad1, _, people, _ = setup
    client.force_login(people[who])
    response = client.get(triad_url(world, cycle, triad1))
    status, titles = TRIAD1_VIEW[who]
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert {t for t in ("Early help", "Care leavers", "Workforce") if t in page} == titles


@pytest.mark.parametrize(
    ("who", "action", "kloe", "status"),
    [
        ("derby", "kloe_edit", "draft", 200),
        ("consultant", "kloe_edit", "draft", 200),
        ("derbyshire", "kloe_edit", "draft", 404),  # a draft of another council: unseen
        ("derbyshire", "kloe_edit", "shared", 403),  # seen, but not theirs to change
        ("pm", "kloe_edit", "shared", 403),
        ("lincs", "kloe_edit", "shared", 404),  # outside the triad
        ("tier2", "kloe_edit", "shared", 404),
        ("consultant", "kloe_comment", "draft", 200),
        ("derbyshire", "kloe_comment", "shared", 403),
    ],
)
def test_kloe_actions_within_the_alliance(who, action, kloe, status, client, world, setup):
    cycle, triad1, _, people, kloes = setup
    client.force_login(people[who])
    url = triad_url(world, cycle, triad1, action, kloe=kloes[kloe].pk)
    assert client.get(url).status_code == status


def test_kloe_through_another_triads_url_is_404(client, world, setup):
    cycle, _, triad2, people, kloes = setup
    client.force_login(people["pm"])
    url = triad_url(world, cycle, triad2, "kloe_edit", kloe=kloes["shared"].pk)
    assert client.get(url).status_code == 404


def test_only_the_council_shares_and_then_the_triad_reads_it(client, world, setup):
    cycle, triad1, _, people, kloes = setup
    share = triad_url(world, cycle, triad1, "kloe_share", kloe=kloes["draft"].pk)
    client.force_login(people["consultant"])
    assert client.post(share).status_code == 403
    client.force_login(people["derbyshire"])
    assert "Early help" not in client.get(triad_url(world, cycle, triad1)).content.decode()
    client.force_login(people["derby"])
    assert client.post(share).status_code == 302
    client.force_login(people["derbyshire"])
    assert "Early help" in client.get(triad_url(world, cycle, triad1)).content.decode()


def test_consultant_edits_and_comments(client, world, setup):
    cycle, triad1, _, people, kloes = setup
    client.force_login(people["consultant"])
    edit = triad_url(world, cycle, triad1, "kloe_edit", kloe=kloes["draft"].pk)
    response = client.post(
        edit, {"title": "Early help reach", "question": "Which families does early help miss?"}
    )
    assert response.status_code == 302
    comment = triad_url(world, cycle, triad1, "kloe_comment", kloe=kloes["draft"].pk)
    assert client.post(comment, {"text": "Bring the audit of step-downs."}).status_code == 302
    client.force_login(people["derby"])
    page = client.get(triad_url(world, cycle, triad1)).content.decode()
    assert "Which families does early help miss?" in page
    assert "Bring the audit of step-downs." in page
    assert "Ruth Consultant" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "Early help", "question": ""}, "question", "Enter the question"),
        ({"title": "", "question": "Why?"}, "title", "Enter a short title."),
    ],
)
def test_kloe_bad_input_keeps_the_text(client, world, setup, data, field, message):
    cycle, triad1, _, people, _ = setup
    client.force_login(people["derby"])
    response = client.post(
        triad_url(world, cycle, triad1, "kloe_create"),
        {**data, "why_it_matters": "Families wait too long"},
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "Families wait too long" in response.content.decode()
    with scopes_disabled():
        assert KeyLineOfEnquiry.objects.count() == 3


def test_consultant_and_planners_cannot_write_a_councils_kloe(client, world, setup):
    cycle, triad1, _, people, _ = setup
    for who in ("consultant", "pm"):
        client.force_login(people[who])
        assert client.get(triad_url(world, cycle, triad1, "kloe_create")).status_code == 403


def test_triad_page_query_count_is_constant(client, world, setup, django_assert_max_num_queries):
    cycle, triad1, _, people, _ = setup
    client.force_login(people["consultant"])
    with django_assert_max_num_queries(22):
        client.get(triad_url(world, cycle, triad1))
    with scope(alliance=world.em):
        for n in range(10):
            kloe = kloe_create(
                challenge=cycle,
                local_authority=council("Derbyshire"),
                created_by=people["derbyshire"],
                title=f"Extra {n}",
                question="Q?",
            )
            kloe_share(kloe=kloe, shared_by=people["derbyshire"])
    with django_assert_max_num_queries(22):
        page = client.get(triad_url(world, cycle, triad1)).content.decode()
    assert "Extra 9" in page


def base_version_of(page: str) -> str:
    import re

    return re.search(r'name="base_version" value="([0-9a-f]+)"', page).group(1)


def test_kloe_update_refuses_a_save_over_a_version_it_did_not_see(world, setup):
    from peerchallenge.concurrency import EditConflict, record_version
    from peerchallenge.services import kloe_update
    from peerchallenge.services.kloes import KLOE_FIELDS

    _, _, _, _, kloes = setup
    kloe = kloes["draft"]
    with scope(alliance=world.em):
        seen = record_version(kloe, KLOE_FIELDS)
        kloe_update(kloe=kloe, base_version=seen, title="Early help", question="Consultant's")
        with pytest.raises(EditConflict) as conflict:
            kloe_update(kloe=kloe, base_version=seen, title="Early help", question="Organiser's")
        saved = KeyLineOfEnquiry.objects.get(pk=kloe.pk)
    assert saved.question == "Consultant's"
    assert ("The line of enquiry", "Consultant's") in conflict.value.theirs
    assert conflict.value.version == record_version(saved, KLOE_FIELDS)


def test_two_people_editing_a_kloe_the_second_sees_both_versions_and_loses_nothing(
    client, world, setup
):
    cycle, triad1, _, people, kloes = setup
    edit = triad_url(world, cycle, triad1, "kloe_edit", kloe=kloes["draft"].pk)
    client.force_login(people["derby"])
    derby_version = base_version_of(client.get(edit).content.decode())
    client.force_login(people["consultant"])
    consultant_version = base_version_of(client.get(edit).content.decode())
    saved = client.post(
        edit,
        {"title": "Early help", "question": "Consultant: which families?",
         "base_version": consultant_version},
    )  # fmt: skip
    assert saved.status_code == 302
    client.force_login(people["derby"])
    mine = {"title": "Early help", "question": "Derby: how fast?", "base_version": derby_version}
    response = client.post(edit, mine)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing." in page
    assert "Their saved version" in page
    assert "Consultant: which families?" in page  # theirs, read-only
    assert "Derby: how fast?</textarea>" in page  # mine, kept in the field
    with scope(alliance=world.em):
        assert KeyLineOfEnquiry.objects.get(pk=kloes["draft"].pk).question == (
            "Consultant: which families?"
        )
    # Having seen both, saving again is deliberate.
    again = client.post(edit, {**mine, "base_version": base_version_of(page)})
    assert again.status_code == 302
    with scope(alliance=world.em):
        assert KeyLineOfEnquiry.objects.get(pk=kloes["draft"].pk).question == "Derby: how fast?"
