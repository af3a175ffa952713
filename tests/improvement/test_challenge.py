"""The peer challenge of the development plans (Scrutiny with stage "plan"): pairings copied
from the self-evaluations' scrutiny or made by hand; a challenging council comments priority
by priority once the plan is submitted and records its moderation note; the council replies;
home pages and reminders ask it; the board counts it."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from improvement.models import DevelopmentPlan, Scrutiny, step_defaults
from improvement.obligations import obligations
from improvement.selectors import board_rows, cycle_year_next
from improvement.services.cycle import cycle_open
from improvement.services.plan import plan_submit, priority_add
from improvement.services.scrutiny import (
    challenge_pairs_copy,
    moderation_save,
    reply_save,
    scrutiny_add,
)
from peerchallenge.concurrency import values_version
from peerchallenge.models import Role
from tests.clock import days
from tests.factories import MembershipFactory, UserFactory, council

PLAN = Scrutiny.Stage.PLAN


@pytest.fixture
def cycle(world):
    with scope(alliance=world.em):
        year = cycle_year_next(world.em)
        return cycle_open(
            alliance=world.em, year=year, deadlines=step_defaults(year), opened_by=world.pm
        )


@pytest.fixture
def leicester(world):
    user = UserFactory(full_name="Lena Leicester", email="lena@example.org")
    MembershipFactory(
        alliance=world.em, user=user, role=Role.LA_ORGANISER, local_authority=council("Leicester")
    )
    return user


@pytest.fixture
def priority(world, cycle):
    with scope(alliance=world.em):
        return priority_add(
            cycle=cycle,
            council=council("Derby"),
            title="Placement sufficiency",
            what="Open two more local homes.",
            owner="Head of service",
            due_date=days(200),
        )


@pytest.fixture
def challenge(world, cycle, priority):
    with scope(alliance=world.em):
        return scrutiny_add(
            cycle=cycle,
            council=council("Derby"),
            scrutineer=council("Leicester"),
            assigned_by=world.pm,
            stage=PLAN,
        )


def submit(world):
    with scope(alliance=world.em):
        plan_submit(plan=DevelopmentPlan.objects.get(), submitted_by=world.dcs, tier2_group=None)


def plan_url(world, cycle, name="plan", **kwargs):
    return reverse(
        f"improvement:{name}",
        kwargs={
            "alliance": world.em.slug,
            "improvement_cycle": cycle.pk,
            "gss": council("Derby").gss_code,
            **kwargs,
        },
    )


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_the_plans_are_paired_as_the_self_evaluations(client, world, cycle):
    with scope(alliance=world.em):
        for scrutineer in ("Leicester", "Rutland"):
            scrutiny_add(
                cycle=cycle,
                council=council("Derby"),
                scrutineer=council(scrutineer),
                assigned_by=world.pm,
            )
    client.force_login(world.pm)
    page = reverse(
        "improvement:challenge", kwargs={"alliance": world.em.slug, "improvement_cycle": cycle.pk}
    )
    assert "Pair them as for the self-evaluations" in text_of(client.get(page))
    client.post(f"{page}assign/")
    with scope(alliance=world.em):
        assert challenge_pairs_copy(cycle=cycle, assigned_by=world.pm) == 0  # made once
    with scopes_disabled():
        assert set(
            Scrutiny.objects.filter(stage=PLAN).values_list("scrutineer__name", flat=True)
        ) == {"Leicester", "Rutland"}
    assert "Who challenges whom" in text_of(client.get(page))


def test_the_challenger_comments_once_the_plan_is_submitted(
    client, world, cycle, priority, challenge, leicester
):
    client.force_login(leicester)
    assert client.get(plan_url(world, cycle)).status_code == 404  # a draft: not theirs yet
    submit(world)
    page = text_of(client.get(plan_url(world, cycle)))
    assert "Placement sufficiency" in page and "Comment as Leicester" in page
    comment = plan_url(
        world, cycle, "challenge_comment", scrutiny=challenge.pk, priority=priority.pk
    )
    assert "Open two more local homes." in text_of(client.get(comment))
    response = client.post(
        comment, {"text": "Which homes, and when?", "base_version": values_version({"text": ""})}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#priority-{priority.pk}")
    note = plan_url(world, cycle, "challenge_moderation", scrutiny=challenge.pk)
    client.post(
        note,
        {
            "note": "Owned and dated; sufficiency needs a measure.",
            "base_version": values_version({"moderation_note": ""}),
        },
    )
    client.force_login(world.organiser)
    page = text_of(client.get(plan_url(world, cycle)))
    assert "Leicester's comment:" in page and "Which homes, and when?" in page
    assert "sufficiency needs a measure" in page
    reply = plan_url(world, cycle, "challenge_reply", scrutiny=challenge.pk)
    assert (
        client.post(
            reply, {"reply": "We will add one.", "base_version": values_version({"reply": ""})}
        ).status_code
        == 302
    )
    assert "We will add one." in text_of(client.get(plan_url(world, cycle)))
    # Not theirs: Derby does not comment on its own plan; Leicester does not reply for Derby.
    assert client.get(comment).status_code == 404
    client.force_login(leicester)
    assert client.get(reply).status_code == 404


def test_what_is_asked_and_the_board(world, cycle, priority, challenge, leicester):
    def titles(user):
        with scopes_disabled():
            found = obligations(alliances=[world.em.pk], today=cycle.opened_at.date(), user=user)
        return [o.title for o in found if not o.done and "self-evaluation" not in o.title]

    assert titles(leicester) == []
    submit(world)
    assert titles(leicester) == [f"Challenge Derby's development plan for {cycle.label}"]
    with scope(alliance=world.em):
        moderation_save(scrutiny=challenge, note="Good.", user=leicester)
    assert "Reply to Leicester's challenge of Derby's development plan" in titles(world.organiser)
    with scope(alliance=world.em):
        reply_save(scrutiny=challenge, reply="Thanks.", user=world.organiser)
    assert titles(world.organiser) == []
    with scope(alliance=world.em):
        rows = {row.council.name: row for row in board_rows(cycle)}
    assert (rows["Derby"].challenges, rows["Derby"].challenged) == (1, 1)


def test_the_challenge_reminder(world, cycle, priority, challenge):
    submit(world)
    today = cycle.opened_at.date()
    with scopes_disabled():
        found = obligations(
            alliances=[world.em.pk],
            today=today,
            reminder_days={"challenge_due": (cycle.challenge_due - today).days},
        )
    assert [o.kind for o in found] == ["improvement.challenge"]
    assert found[0].reminders["challenge_due"].startswith("Leicester's challenge of Derby's")
