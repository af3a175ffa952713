"""A council's self-evaluation: confidential to the council and the alliance's planners,
written section by section (a second save from a stale form is refused with both versions),
signed off and submitted by the DCS, then locked; returned by a planner with comments."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from improvement.models import SectionText, SelfEvaluation, TemplateSection, step_defaults
from improvement.selectors import cycle_year_next, template_of
from improvement.services.cycle import cycle_open
from improvement.services.self_evaluation import (
    section_save,
    self_evaluation_return,
    self_evaluation_submit,
)
from peerchallenge.concurrency import EditConflict, values_version
from peerchallenge.models import Role
from tests.clock import days
from tests.factories import MembershipFactory, UserFactory, council
from tests.forms import date_parts


@pytest.fixture
def cycle(world):
    with scope(alliance=world.em):
        year = cycle_year_next(world.em)
        return cycle_open(
            alliance=world.em, year=year, deadlines=step_defaults(year), opened_by=world.pm
        )


@pytest.fixture
def sections(world, cycle) -> list[TemplateSection]:
    with scope(alliance=world.em):
        return template_of(cycle)


def url(world, cycle, name="self_evaluation", council_name="Derby", **kwargs):
    return reverse(
        f"improvement:{name}",
        kwargs={
            "alliance": world.em.slug,
            "improvement_cycle": cycle.pk,
            "gss": council(council_name).gss_code,
            **kwargs,
        },
    )


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def write_all(world, cycle, sections, who=None, council_name="Derby"):
    with scope(alliance=world.em):
        for section in sections:
            if section.kind != TemplateSection.Kind.DATA:
                section_save(
                    cycle=cycle,
                    council=council(council_name),
                    section=section,
                    text=f"What we know about {section.title.lower()}.",
                    saved_by=who or world.organiser,
                )
        return SelfEvaluation.objects.get(cycle=cycle, council=council(council_name))


def member(world, role, council_name):
    user = UserFactory()
    MembershipFactory(
        alliance=world.em, user=user, role=role, local_authority=council(council_name)
    )
    return user


# Who reads it -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["organiser", "dcs", "pm", "coordinator"])
def test_the_council_and_the_planners_read_it(client, world, cycle, who):
    client.force_login(getattr(world, who))
    response = client.get(url(world, cycle))
    assert response.status_code == 200
    assert f"Self-evaluation {cycle.label}" in text_of(response)


@pytest.mark.parametrize("who", ["tier2", "admin", "leicester_organiser", "leicester_dcs"])
def test_nobody_else_in_the_alliance_reads_it(client, world, cycle, sections, who):
    write_all(world, cycle, sections)
    users = {
        "leicester_organiser": lambda: member(world, Role.LA_ORGANISER, "Leicester"),
        "leicester_dcs": lambda: member(world, Role.DCS, "Leicester"),
    }
    client.force_login(users[who]() if who in users else getattr(world, who))
    for name, extra in [
        ("self_evaluation", {}),
        ("section_edit", {"template_section": sections[0].pk}),
        ("submit", {}),
        ("return", {}),
    ]:
        assert client.get(url(world, cycle, name, **extra)).status_code == 404, name


def test_the_planners_read_but_never_write(client, world, cycle, sections):
    client.force_login(world.pm)
    page = text_of(client.get(url(world, cycle)))
    assert "Write<span" not in page and "Sign off and submit" not in page
    edit = url(world, cycle, "section_edit", template_section=sections[0].pk)
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"text": "Planner's words"}).status_code == 404
    with scopes_disabled():
        assert not SectionText.objects.exists()


def test_looking_writes_nothing(client, world, cycle):
    client.force_login(world.organiser)
    client.get(url(world, cycle))
    with scopes_disabled():
        assert not SelfEvaluation.objects.exists()


# Writing ------------------------------------------------------------------------------------


def test_the_organiser_writes_a_section_and_the_rest_is_kept(client, world, cycle, sections):
    client.force_login(world.organiser)
    page = text_of(client.get(url(world, cycle)))
    assert "Not started" in page
    first, second = sections[:2]
    edit = url(world, cycle, "section_edit", template_section=first.pk)
    form = client.get(edit)
    assert "<h1" in text_of(form) and first.title in text_of(form)
    response = client.post(
        edit,
        {"text": "  Leaders know practice well.  ", "base_version": values_version({"text": ""})},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#section-{first.pk}")
    client.post(
        url(world, cycle, "section_edit", template_section=second.pk),
        {"text": "Front door audits weekly.", "base_version": values_version({"text": ""})},
    )
    page = text_of(client.get(url(world, cycle)))
    assert "Leaders know practice well." in page and "Front door audits weekly." in page
    assert "2 of" in page and "Last saved by Oscar Organiser" in page


def test_two_people_saving_the_same_section_see_both_versions(client, world, cycle, sections):
    first = sections[0]
    edit = url(world, cycle, "section_edit", template_section=first.pk)
    client.force_login(world.organiser)
    stale = client.get(edit).context["form"].initial["base_version"]
    with scope(alliance=world.em):
        section_save(
            cycle=cycle,
            council=council("Derby"),
            section=first,
            text="The DCS's words.",
            saved_by=world.dcs,
        )
    response = client.post(edit, {"text": "The organiser's words.", "base_version": stale})
    assert response.status_code == 200
    page = text_of(response)
    assert "Someone else saved this while you were editing." in page
    assert "The DCS's words." in page and "The organiser's words." in page
    with scopes_disabled():
        assert SectionText.objects.get(section=first).text == "The DCS's words."
    # Having seen both, saving again is deliberate.
    again = response.context["form"].data["base_version"]
    assert (
        client.post(edit, {"text": "Both sets of words.", "base_version": again}).status_code == 302
    )
    with scopes_disabled():
        assert SectionText.objects.get(section=first).text == "Both sets of words."


def test_the_same_words_saved_twice_do_not_conflict(world, cycle, sections):
    with scope(alliance=world.em):
        base = values_version({"text": ""})
        for who in (world.organiser, world.dcs):
            try:
                section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=sections[0],
                    text="Same words",
                    saved_by=who,
                    base_version=base,
                )
            except EditConflict:
                pytest.fail("the same words are not a conflict")
                break
            base = values_version({"text": "Same words"})


# Submitting and returning -------------------------------------------------------------------


def test_only_the_dcs_submits_and_every_section_must_be_written(client, world, cycle, sections):
    client.force_login(world.organiser)
    assert client.get(url(world, cycle, "submit")).status_code == 404
    client.force_login(world.dcs)
    with scope(alliance=world.em):
        section_save(
            cycle=cycle,
            council=council("Derby"),
            section=sections[0],
            text="Some",
            saved_by=world.dcs,
        )
    response = client.post(url(world, cycle, "submit"), {})
    assert response.status_code == 200
    assert "Write every section before submitting. Not written yet:" in text_of(response)
    assert sections[1].title in text_of(response)


def test_the_dcs_signs_off_and_submits_and_it_is_locked(client, world, cycle, sections):
    write_all(world, cycle, sections)
    client.force_login(world.dcs)
    response = client.post(
        url(world, cycle, "submit"),
        {"chief_executive": "", **date_parts("chief_executive_signed_on", days(-1))},
    )
    assert "Enter the name of the person who signed it off" in text_of(response)
    response = client.post(
        url(world, cycle, "submit"),
        {"lead_member": "Cllr Rhea Stone", **date_parts("lead_member_signed_on", days(5))},
    )
    assert "must be today or in the past" in text_of(response)
    response = client.post(
        url(world, cycle, "submit"),
        {
            "chief_executive": "Morgan Vale",
            **date_parts("chief_executive_signed_on", days(-2)),
            "lead_member": "Cllr Rhea Stone",
            **date_parts("lead_member_signed_on", days(-1)),
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(url(world, cycle)))
    assert "Submitted" in page and "Morgan Vale" in page and "Cllr Rhea Stone" in page
    assert "Write<span" not in page and "Change<span" not in page
    # Locked: the organiser's form sends them back, the service refuses.
    client.force_login(world.organiser)
    edit = url(world, cycle, "section_edit", template_section=sections[0].pk)
    assert client.post(edit, {"text": "Late change"}).status_code == 302
    with scope(alliance=world.em), pytest.raises(ValidationError):
        section_save(
            cycle=cycle, council=council("Derby"), section=sections[0], text="x", saved_by=world.dcs
        )
    with scopes_disabled():
        assert "Late change" not in SectionText.objects.get(section=sections[0]).text


def test_submitting_twice_submits_once(world, cycle, sections):
    evaluation = write_all(world, cycle, sections)
    with scope(alliance=world.em):
        first = self_evaluation_submit(evaluation=evaluation, submitted_by=world.dcs)
        again = self_evaluation_submit(evaluation=evaluation, submitted_by=world.organiser)
    assert again.submitted_by == world.dcs and again.submitted_at == first.submitted_at


def test_a_planner_returns_it_with_comments_and_it_opens_again(client, world, cycle, sections):
    evaluation = write_all(world, cycle, sections)
    client.force_login(world.pm)
    assert client.get(url(world, cycle, "return")).status_code == 302  # not submitted yet
    with scope(alliance=world.em):
        self_evaluation_submit(evaluation=evaluation, submitted_by=world.dcs)
    page = text_of(client.get(url(world, cycle)))
    assert "Return it to the council" in page
    response = client.post(url(world, cycle, "return"), {"comment": ""})
    assert "Say what the council should change." in text_of(response)
    response = client.post(
        url(world, cycle, "return"),
        {
            "comment": "Say more about care leavers.",
            f"section_{sections[3].pk}": "Which care leavers are in touch?",
        },
    )
    assert response.status_code == 302
    client.force_login(world.organiser)
    page = text_of(client.get(url(world, cycle)))
    assert "Returned for changes" in page
    assert "Say more about care leavers." in page
    assert "Which care leavers are in touch?" in page
    edit = url(world, cycle, "section_edit", template_section=sections[3].pk)
    assert "Which care leavers are in touch?" in text_of(client.get(edit))
    current = client.get(edit).context["form"].initial["base_version"]
    assert (
        client.post(edit, {"text": "All 212 are in touch.", "base_version": current}).status_code
        == 302
    )
    with scope(alliance=world.em):
        evaluation.refresh_from_db()
        assert evaluation.state == SelfEvaluation.State.RETURNED
        again = self_evaluation_submit(evaluation=evaluation, submitted_by=world.dcs)
        assert again.state == SelfEvaluation.State.SUBMITTED
        # Returning twice is returning once.
        self_evaluation_return(
            evaluation=again, returned_by=world.pm, comment="Once", section_comments={}
        )
        same = self_evaluation_return(
            evaluation=again, returned_by=world.pm, comment="Twice", section_comments={}
        )
        assert same.return_comment == "Once"


# The council's data -----------------------------------------------------------------------------


def test_the_data_section_shows_the_data_packs_flags_and_answers(client, world, cycle, sections):
    """Through the core's council facts: the improvement cycle never imports benchmarking."""
    from io import StringIO

    from django.core.management import call_command

    from benchmarking.selectors import data_pack
    from benchmarking.selectors_flags import real_flags
    from benchmarking.services.flags import flag_answer

    call_command("load_dfe", stdout=StringIO())
    with scope(alliance=world.em):
        flagged = [
            row for row in data_pack(council=council("Derby"), alliance=world.em) if real_flags(row)
        ]
        flag_answer(
            alliance=world.em,
            council=council("Derby"),
            indicator=flagged[0].indicator,
            period=flagged[0].period,
            answer="explained",
            text="A new front door team started that year.",
            answered_by=world.dcs,
        )
    data = next(s for s in sections if s.kind == TemplateSection.Kind.DATA)
    client.force_login(world.organiser)
    page = text_of(client.get(url(world, cycle)))
    assert "From Derby's data pack" in page
    assert f"{flagged[0].indicator.title}, {flagged[0].period}" in page
    assert "Explained: A new front door team started that year." in page
    assert f"{flagged[1].indicator.title}, {flagged[1].period}" in page
    assert "Not answered yet." in page
    edit = text_of(client.get(url(world, cycle, "section_edit", template_section=data.pk)))
    assert "A new front door team started that year." in edit


def test_without_figures_the_data_section_says_so(client, world, cycle):
    client.force_login(world.organiser)
    assert "Derby's data pack has no flags to show here." in text_of(client.get(url(world, cycle)))
