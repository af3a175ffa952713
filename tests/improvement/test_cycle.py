"""The improvement cycle: opening it with its deadlines, the self-evaluation template, the
board of every council's progress."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from improvement.models import Cycle, TemplateSection, step_defaults
from improvement.selectors import board_rows, cycle_year_next, template_of
from improvement.services.cycle import (
    cycle_deadlines_change,
    cycle_open,
    section_add,
    section_change,
    section_remove,
)
from improvement.template_default import DEFAULT_SECTIONS
from tests.clock import TODAY, days
from tests.factories import council
from tests.forms import date_parts
from tests.improvement.factories import SectionTextFactory, SelfEvaluationFactory
from tests.lga_cspc.factories import lga as lga  # the fixture


def year_next(world, **kwargs):
    with scope(alliance=world.em):
        return cycle_year_next(world.em, **kwargs)


def open_cycle(world, year=None, **deadlines):
    year = year or year_next(world)
    with scope(alliance=world.em):
        return cycle_open(
            alliance=world.em,
            year=year,
            deadlines={**step_defaults(year), **deadlines},
            opened_by=world.pm,
        )


def url(world, name, **kwargs):
    return reverse(f"improvement:{name}", kwargs={"alliance": world.em.slug, **kwargs})


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


# Opening the cycle -----------------------------------------------------------------------


def test_the_year_to_open_follows_the_autumn(world):
    assert year_next(world, today=TODAY.replace(month=10, day=1)) == TODAY.year
    assert year_next(world, today=TODAY.replace(month=3, day=1)) == TODAY.year - 1


def test_a_cycle_opens_with_the_seeds_months_and_the_default_template(world):
    cycle = open_cycle(world)
    assert cycle.self_evaluation_due.month == 12
    assert cycle.menu_due.month == 4 and cycle.menu_due.year == cycle.year + 1
    assert cycle.regional_plan_due.month == 6
    with scope(alliance=world.em):
        sections = template_of(cycle)
    assert [s.title for s in sections] == [title for title, _g, _k in DEFAULT_SECTIONS]
    assert sections[0].title == (
        "The impact of leaders on social work practice with children and families"
    )
    assert "plans for the next 12 months" in sections[0].guidance
    kinds = {s.title: s.kind for s in sections}
    assert kinds["Areas for development"] == TemplateSection.Kind.AREAS
    assert kinds["Your data"] == TemplateSection.Kind.DATA
    assert year_next(world) is None  # this year's is open


def test_opening_twice_gives_one_cycle(world):
    year = year_next(world)
    assert open_cycle(world, year) == open_cycle(world, year)
    with scopes_disabled():
        assert Cycle.objects.count() == 1
        assert TemplateSection.objects.count() == len(DEFAULT_SECTIONS)


def test_next_years_cycle_copies_this_years_template(world):
    year = year_next(world)
    first = open_cycle(world, year=year - 1)
    with scope(alliance=world.em):
        section_add(cycle=first, title="Early help", guidance="How early?", kind="text")
    second = open_cycle(world, year=year)
    with scope(alliance=world.em):
        assert template_of(second)[-1].title == "Early help"
        assert len(template_of(second)) == len(DEFAULT_SECTIONS) + 1


def test_the_deadlines_must_be_in_order(world):
    year = year_next(world)
    with pytest.raises(ValidationError) as refused:
        open_cycle(world, menu_due=step_defaults(year)["self_evaluation_due"])
    assert "menu_due" in refused.value.message_dict
    cycle = open_cycle(world)
    with scope(alliance=world.em), pytest.raises(ValidationError):
        cycle_deadlines_change(
            cycle=cycle,
            deadlines={**step_defaults(year), "scrutiny_due": days(-400)},
        )


def test_the_lga_does_not_run_the_cycle(client, lga):
    with scope(alliance=lga.alliance), pytest.raises(ValidationError):
        cycle_open(
            alliance=lga.alliance, year=2026, deadlines=step_defaults(2026), opened_by=lga.pm
        )
    client.force_login(lga.pm)
    page = reverse("improvement:cycle", kwargs={"alliance": lga.alliance.slug})
    assert client.get(page).status_code == 404
    assert "Improvement cycle" not in text_of(client.get("/"))


def test_the_programme_manager_opens_the_cycle_in_the_browser(client, world):
    client.force_login(world.pm)
    page = text_of(client.get(url(world, "cycle")))
    assert "No cycle has been opened yet." in page
    year = year_next(world)
    label = f"{year}-{(year + 1) % 100:02}"
    assert f"Open the {label} cycle" in page
    form = client.get(url(world, "cycle_open"))
    assert (
        form.context["form"].initial["self_evaluation_due"]
        == step_defaults(year)["self_evaluation_due"]
    )
    data = {field: day.isoformat() for field, day in step_defaults(year).items()}
    response = client.post(url(world, "cycle_open"), {**data, "menu_due": "2020-01-01"})
    assert response.status_code == 200
    assert "“Menu of support” must be on or after" in text_of(response)
    impossible = {"plan_due_day": "31", "plan_due_month": "2", "plan_due_year": "2027"}
    response = client.post(url(world, "cycle_open"), {**data, **impossible})
    assert "must be a real date" in text_of(response)
    with scopes_disabled():
        assert not Cycle.objects.exists()  # nothing opened by a refused form
    response = client.post(url(world, "cycle_open"), data)
    assert response.status_code == 302
    page = text_of(client.get(url(world, "cycle")))
    assert f"Improvement cycle {label}" in page
    assert "Every council's progress" in page
    assert f"Open the {label} cycle" not in page
    # Opening again sends them back to the cycle.
    assert client.get(url(world, "cycle_open")).status_code == 302


@pytest.mark.parametrize("who", ["organiser", "dcs", "tier2", "admin"])
def test_only_planners_open_it(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(url(world, "cycle")).status_code == 200
    assert "Open the" not in text_of(client.get(url(world, "cycle")))
    assert client.get(url(world, "cycle_open")).status_code == 403


def test_every_member_follows_the_steps_and_a_councils_people_find_their_own(client, world):
    cycle = open_cycle(world)
    client.force_login(world.organiser)
    page = text_of(client.get(url(world, "cycle")))
    assert "Self-evaluations submitted" in page
    assert f"Derby's self-evaluation {cycle.label}" in page
    assert "Every council's progress" not in page
    client.force_login(world.tier2)
    page = text_of(client.get(url(world, "cycle")))
    assert "Self-evaluations submitted" in page
    assert "self-evaluation " + cycle.label not in page


def test_the_nav_has_the_cycle(client, world):
    client.force_login(world.tier2)
    assert url(world, "cycle") in text_of(
        client.get(reverse("alliance_detail", kwargs={"alliance": world.em.slug}))
    )


# The template ------------------------------------------------------------------------------


def test_the_template_changes_until_the_first_submission(world):
    cycle = open_cycle(world)
    with scope(alliance=world.em):
        added = section_add(cycle=cycle, title=" Early help ", guidance="", kind="text")
        assert (added.title, added.position) == ("Early help", len(DEFAULT_SECTIONS) + 1)
        with pytest.raises(ValidationError) as refused:
            section_add(cycle=cycle, title="early HELP", guidance="", kind="text")
        assert "already has a section" in str(refused.value)
        section_change(section=added, title="Early help", guidance="g", kind="text", position=1)
        assert [s.title for s in template_of(cycle)][:2] == [
            "Early help",
            DEFAULT_SECTIONS[0][0],
        ]
        assert [s.position for s in template_of(cycle)] == list(range(1, len(DEFAULT_SECTIONS) + 2))
        section_remove(section=added)
        assert len(template_of(cycle)) == len(DEFAULT_SECTIONS)
        assert [s.position for s in template_of(cycle)] == list(range(1, len(DEFAULT_SECTIONS) + 1))
    with scopes_disabled():
        evaluation = SelfEvaluationFactory(cycle=cycle, council=council("Derby"))
        first = template_of(cycle)[0]
        SectionTextFactory(self_evaluation=evaluation, section=first)
    with scope(alliance=world.em):
        with pytest.raises(ValidationError) as refused:
            section_remove(section=first)
        assert "1 council has written in" in str(refused.value)
    with scopes_disabled():
        evaluation.submitted_at = evaluation.started_at
        evaluation.state = "submitted"
        evaluation.save()
    with scope(alliance=world.em), pytest.raises(ValidationError) as refused:
        section_add(cycle=cycle, title="Late", guidance="", kind="text")
    assert "can no longer change" in str(refused.value)


def test_the_template_pages(client, world):
    cycle = open_cycle(world)
    client.force_login(world.pm)
    template = url(world, "template", improvement_cycle=cycle.pk)
    page = text_of(client.get(template))
    assert "Add a section" in page and "Areas for development, one a line" in page
    add = url(world, "section_add", improvement_cycle=cycle.pk)
    response = client.post(add, {"title": "", "kind": "text"})
    assert "Enter the section's heading." in text_of(response)
    response = client.post(add, {"title": "Strengths", "kind": "text"})
    assert "The template already has a section “Strengths”." in text_of(response)
    assert (
        client.post(add, {"title": "Early help", "guidance": "", "kind": "text"}).status_code == 302
    )
    with scope(alliance=world.em):
        added = template_of(cycle)[-1]
    change = url(world, "section_change", improvement_cycle=cycle.pk, template_section=added.pk)
    response = client.post(change, {"title": "Early help", "kind": "text", "position": "99"})
    assert f"Enter {len(DEFAULT_SECTIONS) + 1} or less" in text_of(response)
    response = client.post(change, {"title": "Early help", "kind": "text", "position": "2"})
    assert response.status_code == 302
    with scope(alliance=world.em):
        assert template_of(cycle)[1].title == "Early help"
    remove = url(world, "section_remove", improvement_cycle=cycle.pk, template_section=added.pk)
    assert "Yes, remove it" in text_of(client.get(remove))
    client.post(remove, {})  # without the confirmation nothing happens
    with scope(alliance=world.em):
        assert len(template_of(cycle)) == len(DEFAULT_SECTIONS) + 1
    assert client.post(remove, {"confirm": "yes"}).status_code == 302
    with scope(alliance=world.em):
        assert len(template_of(cycle)) == len(DEFAULT_SECTIONS)


def test_the_deadlines_page(client, world):
    cycle = open_cycle(world)
    client.force_login(world.coordinator)
    page = url(world, "deadlines", improvement_cycle=cycle.pk)
    data = {field: day.isoformat() for field, day in [(f, d) for f, _l, d in cycle.deadlines()]}
    moved = cycle.self_evaluation_due.replace(day=12)
    assert (
        client.post(page, {**data, **date_parts("self_evaluation_due", moved)}).status_code == 302
    )
    cycle.refresh_from_db()
    assert cycle.self_evaluation_due == moved


# The board ----------------------------------------------------------------------------------


def test_the_board_shows_each_council_and_what_is_late(client, world):
    cycle = open_cycle(world, self_evaluation_due=days(-1))
    with scopes_disabled():
        derby = SelfEvaluationFactory(cycle=cycle, council=council("Derby"))
        SectionTextFactory(self_evaluation=derby, section=template_of(cycle)[0])
        SelfEvaluationFactory(
            cycle=cycle,
            council=council("Leicester"),
            state="submitted",
            submitted_at=derby.started_at,
        )
    with scope(alliance=world.em):
        rows = {row.council.name: row for row in board_rows(cycle)}
    assert len(rows) == 10
    assert (rows["Derby"].state_label, rows["Derby"].written, rows["Derby"].late) == (
        "Draft",
        1,
        True,
    )
    assert (rows["Leicester"].state_label, rows["Leicester"].late) == ("Submitted", False)
    assert (rows["Rutland"].state_label, rows["Rutland"].late) == ("Not started", True)
    client.force_login(world.admin)
    page = text_of(client.get(url(world, "board", improvement_cycle=cycle.pk)))
    assert "1 of 10 self-evaluations submitted" in page
    assert "9 late." in page
    # The admin sees progress, not the councils' texts: no links to them.
    assert "/councils/" not in page.split("Councils by step")[1]
    client.force_login(world.pm)
    page = text_of(client.get(url(world, "board", improvement_cycle=cycle.pk)))
    assert (
        url(world, "self_evaluation", improvement_cycle=cycle.pk, gss=council("Derby").gss_code)
        in page
    )


def test_the_board_costs_the_same_whatever_the_councils(
    client, world, django_assert_max_num_queries
):
    from peerchallenge.models import Role
    from tests.factories import MembershipFactory, UserFactory

    cycle = open_cycle(world)
    client.force_login(world.pm)
    board = url(world, "board", improvement_cycle=cycle.pk)
    client.get(board)
    with django_assert_max_num_queries(12):
        client.get(board)
    with scopes_disabled():
        for name in ("Leicester", "Nottingham", "Rutland", "Lincolnshire"):
            evaluation = SelfEvaluationFactory(cycle=cycle, council=council(name))
            for section in template_of(cycle)[:3]:
                SectionTextFactory(self_evaluation=evaluation, section=section)
    MembershipFactory(
        alliance=world.em,
        user=UserFactory(),
        role=Role.LA_ORGANISER,
        local_authority=council("Leicester"),
    )
    with django_assert_max_num_queries(12):
        assert client.get(board).status_code == 200


@pytest.mark.parametrize("who", ["organiser", "dcs", "tier2"])
def test_the_board_is_for_the_alliances_managers(client, world, who):
    cycle = open_cycle(world)
    client.force_login(getattr(world, who))
    assert client.get(url(world, "board", improvement_cycle=cycle.pk)).status_code == 403
