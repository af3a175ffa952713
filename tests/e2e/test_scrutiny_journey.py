"""Peer scrutiny in the browser: the programme manager pairs the councils from the suggested
groups; a scrutinising council's organiser finds Derby's submitted self-evaluation on the
home page, comments on a section and records the moderation note; Derby's organiser reads
them and replies. axe on every page."""

from django_scopes import scope

from improvement.models import Scrutiny, TemplateSection, step_defaults
from improvement.selectors import cycle_year_next, template_of
from improvement.services.cycle import cycle_open
from improvement.services.self_evaluation import section_save, self_evaluation_submit
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region


def test_a_self_evaluation_scrutinised_and_answered(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    organiser = UserFactory(email="oscar@example.org", full_name="Oscar Organiser")
    MembershipFactory(
        alliance=alliance, user=organiser, role=Role.LA_ORGANISER, local_authority=council("Derby")
    )
    with scope(alliance=alliance):
        year = cycle_year_next(alliance)
        cycle = cycle_open(
            alliance=alliance, year=year, deadlines=step_defaults(year), opened_by=pm
        )
        for section in template_of(cycle):
            if section.kind != TemplateSection.Kind.DATA:
                evaluation = section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=section,
                    text=f"Derby on {section.title.lower()}.",
                    saved_by=organiser,
                ).self_evaluation
        self_evaluation_submit(evaluation=evaluation, submitted_by=organiser)

    page = new_page()
    sign_in(page, pm)
    page.goto("/a/east-midlands/improvement/")
    page.get_by_role("link", name="Who scrutinises whom").click()
    page.get_by_role("heading", name="Suggested groups").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Use these groups").click()
    page.get_by_text("pairings made").wait_for()
    assert_accessible(page)

    with scope(alliance=alliance):
        scrutineer_council = (
            Scrutiny.objects.filter(cycle=cycle, council=council("Derby"))
            .select_related("scrutineer")
            .first()
            .scrutineer
        )
    scrutineer = UserFactory(email="sam@example.org", full_name="Sam Scrutineer")
    MembershipFactory(
        alliance=alliance,
        user=scrutineer,
        role=Role.LA_ORGANISER,
        local_authority=scrutineer_council,
    )
    peer = new_page()
    sign_in(peer, scrutineer)
    peer.get_by_role("link", name=f"Scrutinise Derby's self-evaluation for {cycle.label}").click()
    peer.get_by_role("heading", name=f"Self-evaluation {cycle.label}").wait_for()
    assert_accessible(peer)
    peer.get_by_role("link", name=f"Comment as {scrutineer_council.name} on “Strengths”").click()
    assert_accessible(peer)
    peer.get_by_label(f"{scrutineer_council.name}'s comment on “Strengths”").fill(
        "Convincing; which partners would agree?"
    )
    peer.get_by_role("button", name="Save the comment").click()
    peer.get_by_text("The comment on “Strengths” is saved.").wait_for()
    peer.get_by_role("link", name="Record the moderation note").click()
    peer.get_by_role("button", name="Save the moderation note").click()
    peer.locator(".govuk-error-summary").wait_for()
    assert "Write the moderation note." in peer.locator(".govuk-error-summary").inner_text()
    assert_accessible(peer)
    peer.get_by_label(f"{scrutineer_council.name}'s moderation note").fill(
        "Derby knows its practice well; the evidence on care leavers is thin."
    )
    peer.get_by_role("button", name="Save the moderation note").click()
    peer.get_by_text("The moderation note is saved.").wait_for()
    assert_accessible(peer)

    writer = new_page()
    sign_in(writer, organiser)
    writer.get_by_role(
        "link", name=f"Reply to {scrutineer_council.name}'s scrutiny of Derby's self-evaluation"
    ).click()
    text = writer.locator("main").inner_text()
    assert "Convincing; which partners would agree?" in text
    assert "the evidence on care leavers is thin" in text
    writer.get_by_role("link", name=f"Reply to {scrutineer_council.name}").click()
    assert_accessible(writer)
    writer.get_by_label(f"Derby's reply to {scrutineer_council.name}").fill(
        "We will add the care leavers' survey."
    )
    writer.get_by_role("button", name="Save the reply").click()
    writer.get_by_text("Your reply is saved.").wait_for()
    assert "We will add the care leavers' survey." in writer.locator("main").inner_text()
    assert_accessible(writer)
