"""Error summaries and focus in the browser (issue 15). After the skip link (the address ends
in "#main-content") a form is sent with nothing filled in: the error summary has focus and
the title starts with "Error:"; each of its links moves focus to its input, the first
checkbox or radio of a group included. On the action page, with two forms, the title says
"Error:" too, and after a good update the success banner has focus. axe on every page."""

from django_scopes import scope

from peerchallenge.models import Role
from peerchallenge.services import action_create
from tests import clock
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    Tier2GroupFactory,
    UserFactory,
    council,
    region,
)
from tests.triads.factories import CycleFactory

FOCUSED = """() => {
  const element = document.activeElement;
  return {
    id: element.id,
    tag: element.tagName.toLowerCase(),
    type: element.getAttribute("type") || "",
    classes: [...element.classList],
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def use_skip_link(page) -> None:
    page.get_by_role("link", name="Skip to main content").focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")


def sent_with_errors(page, button: str) -> None:
    """Press the button, wait for the page that comes back with its error summary."""
    page.get_by_role("button", name=button).click()
    # Shown, and its script started: a link clicked before that is followed as a plain
    # fragment, and then the summary's own focus on start takes focus from the field.
    page.locator(".govuk-error-summary[data-govuk-error-summary-init]").wait_for()
    page.wait_for_load_state("load")


def assert_summary_focused(page) -> None:
    assert "govuk-error-summary" in focused(page)["classes"]
    assert "#" not in page.url
    assert page.title().startswith("Error: ")


def summary_link_targets(page) -> list[str]:
    """Click each link of the error summary in turn; the id of the input each one focused."""
    links = page.locator(".govuk-error-summary a")
    reached = []
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href").removeprefix("#")
        link.click()
        active = focused(page)
        assert active["tag"] in {"input", "select", "textarea"}, (link.inner_text(), active)
        assert active["id"] == target, (link.inner_text(), active)
        reached.append(target)
    return reached


def person(alliance, email, name, role, council_name=None):
    user = UserFactory(email=email, full_name=name)
    MembershipFactory(
        alliance=alliance,
        user=user,
        role=role,
        local_authority=council(council_name) if council_name else None,
    )
    return user


def east_midlands():
    return AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )


def test_checkboxes_and_other_fields_each_summary_link_focuses_its_input(new_page, site):
    alliance = east_midlands()
    pm = person(alliance, "pat@example.org", "Pat Manager", Role.PROGRAMME_MANAGER)

    page = new_page()
    sign_in(page, pm)
    page.goto("/a/east-midlands/triads/new/")
    assert_accessible(page)
    boxes = page.locator('input[name="councils"]')
    assert boxes.count() > 1
    assert boxes.first.get_attribute("id") == "id_councils"
    for index in range(boxes.count()):  # all the alliance's councils come ticked
        boxes.nth(index).uncheck()
    use_skip_link(page)
    sent_with_errors(page, "Save cycle")
    assert_summary_focused(page)
    assert_accessible(page)

    page.get_by_role("link", name="Choose the councils taking part.").click()
    assert focused(page) == {
        "id": "id_councils",
        "tag": "input",
        "type": "checkbox",
        "classes": ["govuk-checkboxes__input"],
    }
    assert summary_link_targets(page) == ["id_name", "id_event_date", "id_councils"]


def test_radios_summary_link_focuses_the_first_radio(new_page, site):
    alliance = east_midlands()
    dcs = person(alliance, "dora@example.org", "Dora Derby", Role.DCS, "Derby")

    page = new_page()
    sign_in(page, dcs)
    page.goto("/a/east-midlands/ondemand/request/")
    assert_accessible(page)
    use_skip_link(page)
    sent_with_errors(page, "Continue")
    assert_summary_focused(page)
    assert_accessible(page)

    page.get_by_role("link", name="Choose one or two days.").click()
    assert focused(page)["id"] == "id_days"
    assert page.get_by_label("One day").evaluate("input => input === document.activeElement")
    assert "id_days" in summary_link_targets(page)


def derby_action_monitored_by(alliance, member):
    """An agreed action of Derby's, from a triad event some months ago, on a Tier 2 board
    `member` sits on: its page has two forms (a progress update, a monitoring note)."""
    cycle = CycleFactory(alliance=alliance, name="Spring event", event_date=clock.days(-260))
    with scope(alliance=alliance):
        group = Tier2GroupFactory(alliance=alliance, name="Safeguarding")
        group.members.add(member)
        return action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Audit step-down decisions",
            owner="Head of service",
            due_date=clock.days(-150),
            tier2_group=group,
            created_by=member,
        )


def test_action_page_with_two_forms_error_title_and_focus(new_page, site):
    alliance = east_midlands()
    member = person(alliance, "tia@example.org", "Tia Tier", Role.TIER2_MEMBER)
    MembershipFactory(
        alliance=alliance, user=member, role=Role.LA_ORGANISER, local_authority=council("Derby")
    )
    action = derby_action_monitored_by(alliance, member)
    url = f"/a/east-midlands/actions/{action.pk}/"

    page = new_page()
    sign_in(page, member)
    page.goto(url)
    assert page.get_by_role("button", name="Add update").count() == 1
    assert page.get_by_role("button", name="Add monitoring note").count() == 1
    assert not page.title().startswith("Error:")
    use_skip_link(page)
    sent_with_errors(page, "Add monitoring note")
    assert_summary_focused(page)
    assert page.title().startswith("Error: Action of Derby")
    assert_accessible(page)
    assert summary_link_targets(page) == ["id_monitoring-note"]

    page.get_by_label("Monitoring note").fill("Ask Derby for the audit at the next meeting.")
    page.get_by_role("button", name="Add monitoring note").click()
    page.get_by_text("Update added.").wait_for()
    page.wait_for_load_state("load")
    assert "govuk-notification-banner" in focused(page)["classes"]
    assert not page.title().startswith("Error:")
    assert_accessible(page)


def test_a_fragment_left_in_the_address_gives_way_to_the_summary_and_banner(new_page, site):
    """A form sent before our script gave it an action (or any address that keeps the
    fragment): the page that comes back still has "#main-content"; the summary, then the
    banner, takes focus all the same."""
    alliance = east_midlands()
    member = person(alliance, "tia@example.org", "Tia Tier", Role.TIER2_MEMBER)
    action = derby_action_monitored_by(alliance, member)

    page = new_page()
    sign_in(page, member)
    page.goto(f"/a/east-midlands/actions/{action.pk}/")
    use_skip_link(page)
    without_action = (
        "() => document.querySelectorAll('main form').forEach(f => f.removeAttribute('action'))"
    )
    page.evaluate(without_action)
    sent_with_errors(page, "Add monitoring note")
    assert_summary_focused(page)

    use_skip_link(page)
    page.evaluate(without_action)
    page.get_by_label("Monitoring note").fill("Ask Derby for the audit at the next meeting.")
    page.get_by_role("button", name="Add monitoring note").click()
    page.get_by_text("Update added.").wait_for()
    page.wait_for_load_state("load")
    assert "govuk-notification-banner" in focused(page)["classes"]
    assert "#" not in page.url
