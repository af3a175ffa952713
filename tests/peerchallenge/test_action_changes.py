"""Changing and removing agreed actions: who may, what is kept (history, the reason), and
that a removed action leaves every plan, board, count and reminder."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from peerchallenge.models import Action, Role
from peerchallenge.overview import overdue_actions
from peerchallenge.reminders import reminders_queue
from peerchallenge.selectors import BoardFilters, action_history, improvement_plan, tier2_board
from peerchallenge.services import (
    ActionRemoved,
    action_change,
    action_create,
    action_fingerprint,
    action_record_progress,
    action_remove,
)
from tests.clock import TODAY, days
from tests.factories import MembershipFactory, Tier2GroupFactory, UserFactory, council
from tests.forms import date_parts
from tests.triads.factories import CycleFactory

AGREED = days(-20)


@pytest.fixture
def plan(world):
    """Derby's action agreed at a triad event 20 days ago, monitored by Safeguarding, and
    Leicester's, which Derby's people must not touch."""
    cycle = CycleFactory(alliance=world.em, name="Autumn cycle", event_date=AGREED)
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
        group.members.add(world.tier2)

        def agree(what, la, due):
            return action_create(
                source=cycle,
                local_authority=council(la),
                what=what,
                owner="Head of service",
                due_date=due,
                tier2_group=group,
                created_by=world.organiser,
                not_before=AGREED,
            )

        derby = agree("Audit step-down decisions", "Derby", days(60))
        leicester = agree("Recruit two team managers", "Leicester", days(90))
    return cycle, group, derby, leicester


def url(world, name, action, alliance=None):
    return reverse(name, args=[(alliance or world.em).slug, action.pk])


def change(world, action, **values):
    data = {"what": action.what, "owner": action.owner, "due_date": action.due_date}
    data.update(values)
    with scope(alliance=world.em):
        return action_change(action=action, changed_by=world.pm, **data)


# Services ----------------------------------------------------------------------------------


def test_change_saves_the_new_values_and_says_what_changed(world, plan):
    _, _, action, _ = plan
    changed = change(world, action, owner="Sam Lee", due_date=days(100))
    assert changed == ["owner", "due_date"]
    with scope(alliance=world.em):
        saved = Action.objects.get(pk=action.pk)
    assert (saved.what, saved.owner, saved.due_date) == (
        "Audit step-down decisions",
        "Sam Lee",
        days(100),
    )


def test_change_with_nothing_new_writes_no_history(world, plan):
    _, _, action, _ = plan
    assert change(world, action) == []
    assert action.history.count() == 1


def test_history_reads_as_a_timeline(world, plan):
    _, _, action, _ = plan
    old_due, new_due = action.due_date, days(100)
    change(world, action, due_date=new_due)
    change(world, action, owner="Sam Lee", what="Audit every step-down decision")
    with scope(alliance=world.em):
        action_remove(action=action, removed_by=world.dcs, reason="Agreed twice")
    texts = [entry.text for entry in action_history(action=action)]
    assert texts == [
        "Removed by Dee Director. Reason: Agreed twice",
        "Owner changed from Head of service to Sam Lee by Pat Manager",
        "Wording changed from “Audit step-down decisions” to “Audit every step-down decision”"
        " by Pat Manager",
        f"Due date changed from {old_due.day} {old_due:%B %Y} to {new_due.day} {new_due:%B %Y}"
        " by Pat Manager",
        "Recorded by Oscar Organiser",
    ]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"what": "  "}, "what", "Enter what the council will do."),
        ({"owner": ""}, "owner", "Enter who owns the action (a name or a role)."),
        ({"due_date": None}, "due_date", "Enter the date the action is due by."),
        (
            {"due_date": days(-21)},
            "due_date",
            f"The due date must be on or after {AGREED.day} {AGREED:%B %Y}, the day it was agreed.",
        ),
    ],
)
def test_change_refuses_bad_values_and_keeps_the_action(world, plan, values, field, message):
    _, _, action, _ = plan
    with pytest.raises(ValidationError, match=re.escape(message)) as error:
        change(world, action, **values)
    assert error.value.message_dict == {field: [message]}
    with scope(alliance=world.em):
        assert Action.objects.get(pk=action.pk).due_date == days(60)


def test_due_date_may_move_back_to_the_day_it_was_agreed(world, plan):
    _, _, action, _ = plan
    assert change(world, action, due_date=AGREED) == ["due_date"]


def test_an_unchanged_due_date_before_today_stays_acceptable(world, plan):
    """An action accepted without a rule (no `not_before`) keeps its due date when only its
    owner changes."""
    cycle, group, _, _ = plan
    with scope(alliance=world.em):
        late = action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Old action",
            owner="X",
            due_date=days(-90),
            tier2_group=group,
            created_by=world.pm,
        )
    assert late.agreed_on == days(-90)
    assert change(world, late, owner="Y") == ["owner"]


def test_change_over_someone_elses_newer_change_is_refused(world, plan):
    _, _, action, _ = plan
    loaded = action_fingerprint(action)
    change(world, action, owner="Sam Lee")  # someone else, first
    with (
        pytest.raises(
            ValidationError, match="Someone else changed this action while you were"
        ) as error,
        scope(alliance=world.em),
    ):
        action_change(
            action=action,
            what=action.what,
            owner="Kim Park",
            due_date=action.due_date,
            changed_by=world.dcs,
            fingerprint=loaded,
        )
    assert error.value.messages == [
        "Someone else changed this action while you were editing it. "
        "Check the action as it is now and make your change again."
    ]
    action.refresh_from_db()
    assert action.owner == "Sam Lee"


def test_remove_needs_a_reason(world, plan):
    _, _, action, _ = plan
    with (
        pytest.raises(ValidationError, match="Enter why the action is being removed") as error,
        scope(alliance=world.em),
    ):
        action_remove(action=action, removed_by=world.pm, reason="   ")
    assert error.value.message_dict == {"reason": ["Enter why the action is being removed."]}
    action.refresh_from_db()
    assert action.removed_at is None


def test_remove_is_a_soft_delete_and_a_second_time_changes_nothing(world, plan):
    _, _, action, _ = plan
    with scope(alliance=world.em):
        assert action_remove(action=action, removed_by=world.pm, reason="Replaced") is True
        assert action_remove(action=action, removed_by=world.dcs, reason="Again") is False
        assert not Action.objects.filter(pk=action.pk).exists()
        kept = Action.all_objects.get(pk=action.pk)
    assert (kept.removed_by, kept.removal_reason, kept.removed_at.date()) == (
        world.pm,
        "Replaced",
        TODAY,
    )
    assert kept.history.count() == 2


def test_a_removed_action_takes_no_changes_or_updates(world, plan):
    _, _, action, _ = plan
    with scope(alliance=world.em):
        action_remove(action=action, removed_by=world.pm, reason="Replaced")
    with pytest.raises(ActionRemoved):
        change(world, action, owner="Sam Lee")
    with (
        pytest.raises(ValidationError, match="This action has been removed: it takes no more"),
        scope(alliance=world.em),
    ):
        action_record_progress(action=action, author=world.organiser, note="Done")


def test_a_removed_action_leaves_plans_boards_counts_and_reminders(world, plan, mailoutbox):
    _, group, action, _ = plan
    change(world, action, due_date=AGREED)  # overdue now
    with scope(alliance=world.em):
        assert overdue_actions(alliance=world.em, today=TODAY).total == 1
        action_remove(action=action, removed_by=world.pm, reason="Replaced")
        # As the next request loads it (the cached counts are keyed by its actions' state).
        world.em.refresh_from_db()
        plan_actions = [
            a.pk
            for g in improvement_plan(alliance=world.em, council=council("Derby"))
            for a in g.actions
        ]
        board = [a.pk for a in tier2_board(group=group, filters=BoardFilters())]
        late = overdue_actions(alliance=world.em, today=TODAY)
        sent = reminders_queue(alliance=world.em, today=TODAY)
    assert plan_actions == []
    assert action.pk not in board
    assert late.total == 0
    assert sent == 0
    assert mailoutbox == []


# Views ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("pm", 200),
        ("coordinator", 200),
        ("organiser", 200),  # Derby's
        ("dcs", 200),  # Derby's
        ("tier2", 403),  # sees the action, monitors it, does not rewrite it
        ("admin", 403),  # manages people, not plans
    ],
)
@pytest.mark.parametrize("name", ["action_change", "action_remove"])
def test_who_may_change_or_remove(client, world, plan, who, status, name):
    _, _, action, _ = plan
    client.force_login(getattr(world, who))
    assert client.get(url(world, name, action)).status_code == status
    page = client.get(url(world, "action_detail", action)).content.decode()
    assert ("Remove this action" in page) == (status == 200)
    assert (url(world, "action_change", action) in page) == (status == 200)


@pytest.mark.parametrize("name", ["action_detail", "action_change", "action_remove"])
def test_another_councils_people_and_another_alliance_get_404(client, world, plan, name):
    _, _, derby, leicester = plan
    client.force_login(world.organiser)  # Derby's
    assert client.get(url(world, name, leicester)).status_code == 404
    assert client.post(url(world, name, leicester), {"reason": "x"}).status_code == 404
    client.force_login(world.outsider)  # London
    assert client.get(url(world, name, derby, alliance=world.london)).status_code == 404
    with scopes_disabled():
        assert Action.all_objects.filter(removed_at__isnull=False).count() == 0


def test_organiser_changes_the_due_date_and_the_page_shows_the_history(client, world, plan):
    _, _, action, _ = plan
    client.force_login(world.organiser)
    form = client.get(url(world, "action_change", action)).context["form"]
    new_due = days(120)
    response = client.post(
        url(world, "action_change", action),
        {
            "what": action.what,
            "owner": "Sam Lee",
            **date_parts("due_date", new_due),
            "fingerprint": form.initial["fingerprint"],
        },
    )
    assert response.status_code == 302
    assert response.url == url(world, "action_detail", action)
    page = client.get(response.url).content.decode()
    old = days(60)
    assert (
        f"Due date changed from {old.day} {old:%B %Y} to {new_due.day} {new_due:%B %Y}"
        " by Oscar Organiser"
    ) in page
    assert "Owner changed from Head of service to Sam Lee by Oscar Organiser" in page


@pytest.mark.parametrize(
    ("due_date", "message"),
    [
        ("2027-02-31", "The due date must be a real date"),
        ("", "Enter the date the action is due by."),
        (
            days(-30).isoformat(),
            f"The due date must be on or after {AGREED.day} {AGREED:%B %Y}, the day it was agreed.",
        ),
    ],
)
def test_bad_due_date_is_shown_next_to_the_field(client, world, plan, due_date, message):
    _, _, action, _ = plan
    client.force_login(world.pm)
    response = client.post(
        url(world, "action_change", action),
        {"what": "New wording", "owner": "Sam Lee", "due_date": due_date},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "New wording" in page  # nothing typed is lost
    action.refresh_from_db()
    assert (action.what, action.due_date) == ("Audit step-down decisions", days(60))


def test_stale_form_is_refused_with_a_message(client, world, plan):
    _, _, action, _ = plan
    client.force_login(world.pm)
    form = client.get(url(world, "action_change", action)).context["form"]
    change(world, action, owner="Someone first")
    response = client.post(
        url(world, "action_change", action),
        {
            "what": action.what,
            "owner": "Someone second",
            **date_parts("due_date", action.due_date),
            "fingerprint": form.initial["fingerprint"],
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this action while you were editing it." in (
        response.content.decode()
    )
    action.refresh_from_db()
    assert action.owner == "Someone first"


def test_remove_without_a_reason_is_refused(client, world, plan):
    _, _, action, _ = plan
    client.force_login(world.dcs)
    response = client.post(url(world, "action_remove", action), {"reason": ""})
    assert response.status_code == 200
    assert "Enter why the action is being removed." in response.content.decode()
    action.refresh_from_db()
    assert action.removed_at is None


def test_remove_with_a_reason_takes_it_off_the_plan(client, world, plan):
    _, _, action, _ = plan
    client.force_login(world.dcs)
    response = client.post(url(world, "action_remove", action), {"reason": "Agreed twice"})
    plan_url = reverse("improvement_plan", args=[world.em.slug, council("Derby").gss_code])
    assert (response.status_code, response.url) == (302, plan_url)
    page = client.get(plan_url).content.decode()
    assert "Action removed from Derby&#x27;s improvement plan." in page
    assert "Audit step-down decisions" not in page
    # A second click changes nothing and says so.
    again = client.post(url(world, "action_remove", action), {"reason": "Again"}, follow=True)
    assert "This action has already been removed." in again.content.decode()
    action.refresh_from_db()
    assert action.removal_reason == "Agreed twice"


def test_removed_action_page_is_for_those_who_may_change_only(client, world, plan):
    _, _, action, _ = plan
    with scope(alliance=world.em):
        action_remove(action=action, removed_by=world.pm, reason="Agreed twice")
    client.force_login(world.dcs)
    page = client.get(url(world, "action_detail", action)).content.decode()
    assert "Agreed action (removed)" in page
    assert "by Pat Manager. Reason: Agreed twice" in page
    assert "Post a progress update" not in page and "Remove this action" not in page
    assert client.get(url(world, "action_change", action)).status_code == 302
    client.force_login(world.tier2)
    assert client.get(url(world, "action_detail", action)).status_code == 404


def test_plan_shows_change_links_to_those_who_may_only(client, world, plan):
    _, _, action, _ = plan
    plan_url = reverse("improvement_plan", args=[world.em.slug, council("Derby").gss_code])
    client.force_login(world.organiser)
    assert url(world, "action_remove", action) in client.get(plan_url).content.decode()
    consultant = UserFactory(full_name="Cy Consultant", email="cy@example.org")
    MembershipFactory(alliance=world.em, user=consultant, role=Role.CONSULTANT)
    client.force_login(consultant)
    page = client.get(plan_url).content.decode()
    assert "Audit step-down decisions" in page
    assert url(world, "action_remove", action) not in page
