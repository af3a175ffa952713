"""Lost updates on the triad's long forms: the summary report (the programme manager and
the cycle's consultant) and a council's next steps (its organiser and its DCS). The second
to save sees both versions and loses nothing."""

import pytest
from django.urls import reverse
from django_scopes import scope

from peerchallenge.concurrency import EditConflict, values_version
from peerchallenge.models import LocalAuthority
from tests.edit_conflict import two_people_edit
from tests.factories import UserFactory
from tests.triads.factories import CycleFactory, make_triads
from triads.models import CycleSummary
from triads.selectors import summary_texts
from triads.services.cycles import triad_assign_consultant
from triads.services.summary import summary_save


@pytest.fixture
def setup(world):
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(alliance=world.em, name="March cycle")
    triads = make_triads(cycle, [em[:3], em[3:6]])
    consultant = UserFactory(full_name="Cai Consultant", email="cai@example.org")
    with scope(alliance=world.em):
        from peerchallenge.models import Role
        from tests.factories import MembershipFactory

        MembershipFactory(alliance=world.em, user=consultant, role=Role.CONSULTANT)
        triad_assign_consultant(triad=triads[0], consultant=consultant)
    return cycle, triads, consultant


def texts(cycle, triads, overview):
    return {
        "overview": overview,
        "recommendations": "Share the neglect toolkit.",
        "save": "1",
        **{f"triad_{t.pk}": f"Triad {t.number} met." for t in triads},
    }


def test_two_people_editing_the_summary_the_second_sees_both_and_loses_nothing(
    client, world, setup
):
    cycle, triads, consultant = setup
    url = reverse("triads:summary", kwargs={"alliance": world.em.slug, "cycle": cycle.pk})

    def saved():
        with scope(alliance=world.em):
            return CycleSummary.objects.get(cycle=cycle).overview

    page = two_people_edit(
        client,
        url,
        first=world.pm,
        second=consultant,
        mine=texts(cycle, triads, "PM: a strong cycle."),
        theirs=texts(cycle, triads, "Consultant: workforce was the theme."),
        my_text="PM: a strong cycle.",
        their_text="Consultant: workforce was the theme.",
        saved=saved,
    )
    assert "<title>Error: Summary report" in page


def test_summary_save_refuses_a_version_it_did_not_see_and_keeps_the_sections(world, setup):
    cycle, triads, _ = setup
    with scope(alliance=world.em):
        seen = values_version(summary_texts(cycle=cycle, triads=triads))
        sections = {t.pk: "" for t in triads}
        summary_save(
            cycle=cycle, overview="", recommendations="", base_version=seen,
            triad_texts={**sections, triads[1].pk: "The consultant's section"},
        )  # fmt: skip
        with pytest.raises(EditConflict) as conflict:
            summary_save(
                cycle=cycle, overview="Mine", recommendations="", base_version=seen,
                triad_texts=sections,
            )  # fmt: skip
        assert summary_texts(cycle=cycle, triads=triads)[f"triad_{triads[1].pk}"] == (
            "The consultant's section"
        )
    assert (str(triads[1]), "The consultant's section") in conflict.value.theirs


def test_two_people_editing_a_councils_next_steps_the_second_sees_both(client, world):
    from tests.factories import council
    from triads.models import EventTemplate

    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(alliance=world.em)
    make_triads(cycle, [em[:3], em[3:6]])
    url = reverse(
        "triads:event_template",
        kwargs={"alliance": world.em.slug, "cycle": cycle.pk, "gss": council("Derby").gss_code},
    )

    def saved():
        with scope(alliance=world.em):
            return EventTemplate.objects.get(cycle=cycle).next_steps

    two_people_edit(
        client,
        url,
        first=world.organiser,  # Derby
        second=world.dcs,  # Derby
        mine={"steps-next_steps": "Organiser: audit step-down.", "submit": "1"},
        theirs={"steps-next_steps": "DCS: brief the lead member.", "submit": "1"},
        my_text="Organiser: audit step-down.",
        their_text="DCS: brief the lead member.",
        saved=saved,
    )
