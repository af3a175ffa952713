"""Tier 2 boards: the actions a group monitors, filters, notes, export; an action's page."""

import csv
import datetime
import io
from unittest import mock

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from peerchallenge.models import AccessLog, ActionUpdate, Role
from peerchallenge.services import action_create
from reports.models import ReportVersion
from tests.factories import MembershipFactory, Tier2GroupFactory, UserFactory, council
from tests.triads.factories import CycleFactory


@pytest.fixture
def board(world):
    cycle = CycleFactory(
        alliance=world.em, name="March 2026", event_date=datetime.date(2026, 3, 12)
    )
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
        group.members.add(world.tier2)
        other = Tier2GroupFactory(alliance=world.em, name="Workforce")

        def act(what, la, due, status="green", grp=group):
            action = action_create(
                source=cycle,
                local_authority=council(la),
                what=what,
                owner="Head of service",
                due_date=due,
                tier2_group=grp,
                created_by=world.organiser,
            )
            action.status = status
            action.save()
            return action

        actions = {
            "late": act("=HYPERLINK(evil)", "Derby", datetime.date(2026, 6, 1), "amber"),
            "future": act("Recruit two team managers", "Rutland", datetime.date(2027, 6, 1)),
            "done": act(
                "Publish the neglect strategy", "Derby", datetime.date(2026, 5, 1), "complete"
            ),
            "elsewhere": act("Workforce plan", "Derby", datetime.date(2027, 1, 1), grp=other),
        }
    return cycle, group, other, actions


def board_url(world, group, **query):
    url = reverse("tier2_board", kwargs={"alliance": world.em.slug, "group": group.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_member_sees_the_groups_actions_only(client, world, board):
    _, group, other, _ = board
    client.force_login(world.tier2)
    page = client.get(board_url(world, group)).content.decode()
    assert "3 actions" in page
    assert "Workforce plan" not in page
    assert client.get(board_url(world, other)).status_code == 404  # not their group


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"overdue": "1"}, {"=HYPERLINK(evil)"}),
        ({"status": "complete"}, {"Publish the neglect strategy"}),
        ({"council": "COUNCIL_RUTLAND"}, {"Recruit two team managers"}),
    ],
)
def test_board_filters(client, world, board, query, expected):
    _, group, _, _ = board
    if query.get("council"):
        query["council"] = council("Rutland").pk
    client.force_login(world.tier2)
    page = client.get(board_url(world, group, **query)).content.decode()
    shown = {
        w
        for w in ("=HYPERLINK(evil)", "Recruit two team managers", "Publish the neglect strategy")
        if w in page
    }
    assert shown == expected


def export(client, world, group, name="tier2_export", query=""):
    """Press an export button on the board, then run the worker's task (the request only
    queues it); the person's export, downloaded."""
    from reports.tasks import render

    url = reverse(name, args=[world.em.slug, group.pk]) + (f"?{query}" if query else "")
    with mock.patch("reports.tasks.render.apply_async"):  # nothing rendered in the request
        response = client.post(url)
    assert response.status_code == 302
    with scopes_disabled():
        version = ReportVersion.objects.order_by("-pk").first()
    render(version.pk)
    version.refresh_from_db()
    download = reverse(
        "reports:report_download",
        kwargs={"alliance": world.em.slug, "report_version": version.pk},
    )
    return version, client.get(download)


def test_export_csv_is_safe_and_logged(client, world, board):
    _, group, _, _ = board
    client.force_login(world.tier2)
    _, response = export(client, world, group)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Council", "Action", "Owner"]
    assert len(rows) == 4
    assert ["Derby", "'=HYPERLINK(evil)"] in [row[:2] for row in rows]  # no formula runs
    with scopes_disabled():
        assert list(AccessLog.objects.order_by("pk").values_list("action", flat=True)) == [
            "export",
            "download",
        ]


def test_the_board_shows_the_export_being_prepared_then_its_download(
    client, world, board, django_capture_on_commit_callbacks
):
    from reports.tasks import render

    _, group, _, _ = board
    client.force_login(world.tier2)
    board_url = reverse("tier2_board", args=[world.em.slug, group.pk])
    with django_capture_on_commit_callbacks(execute=False) as handed_over:
        response = client.post(
            reverse("tier2_export", args=[world.em.slug, group.pk]) + "?overdue=1", follow=True
        )
        client.post(reverse("tier2_export", args=[world.em.slug, group.pk]) + "?overdue=1")
    page = response.content.decode()
    assert response.redirect_chain == [(board_url + "?overdue=1", 302)]
    assert "Your CSV export of 1 action is being prepared." in page
    assert "Tier 2 actions (CSV), asked for" in page and ": queued." in page
    assert len(handed_over) == 1  # the second press found the first still queued
    with scopes_disabled():
        [version] = ReportVersion.objects.all()
    render(version.pk)
    page = client.get(board_url).content.decode()
    assert "Download Tier 2 actions (CSV), asked for" in page
    # Another member of the group sees the board but not this person's export.
    other = UserFactory(full_name="Uma Other")
    MembershipFactory(alliance=world.em, user=other, role=Role.TIER2_MEMBER)
    group.members.add(other)
    client.force_login(other)
    assert "Download Tier 2 actions" not in client.get(board_url).content.decode()
    download = reverse(
        "reports:report_download",
        kwargs={"alliance": world.em.slug, "report_version": version.pk},
    )
    assert client.get(download).status_code == 404


def test_the_old_export_address_leads_to_the_board_and_makes_nothing(client, world, board):
    _, group, _, _ = board
    client.force_login(world.tier2)
    response = client.get(reverse("tier2_export", args=[world.em.slug, group.pk]) + "?status=red")
    board_url = reverse("tier2_board", args=[world.em.slug, group.pk])
    assert (response.status_code, response["Location"]) == (302, board_url + "?status=red")
    with scopes_disabled():
        assert not ReportVersion.objects.exists()


def test_export_of_zero_rows_explains_itself(client, world, board):
    _, group, _, _ = board
    client.force_login(world.tier2)
    url = reverse("tier2_export", args=[world.em.slug, group.pk]) + "?status=red"
    response = client.post(url, follow=True)
    assert "There are no actions to export with these filters." in response.content.decode()
    with scopes_disabled():
        assert not ReportVersion.objects.exists()


def test_member_adds_a_monitoring_note_and_the_council_an_update(client, world, board):
    _, _, _, actions = board
    url = reverse("action_detail", args=[world.em.slug, actions["late"].pk])
    client.force_login(world.tier2)
    page = client.get(url).content.decode()
    assert "Add a monitoring note" in page and "Post a progress update" not in page
    assert (
        client.post(
            url, {"monitoring-note": "Ask for the audit", "monitoring_submit": "1"}
        ).status_code
        == 302
    )
    client.force_login(world.organiser)  # Derby
    response = client.post(
        url, {"progress-status": "red", "progress-note": "Delayed", "progress_submit": "1"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        kinds = list(ActionUpdate.objects.values_list("kind", "status"))
        actions["late"].refresh_from_db()
    assert sorted(kinds) == [("monitoring", ""), ("progress", "red")]
    assert actions["late"].status == "red"


def test_empty_note_is_refused(client, world, board):
    _, _, _, actions = board
    client.force_login(world.tier2)
    url = reverse("action_detail", args=[world.em.slug, actions["late"].pk])
    response = client.post(url, {"monitoring-note": "", "monitoring_submit": "1"})
    assert response.status_code == 200
    assert "Enter an update." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("tier2", 200),
        ("organiser", 200),
        ("pm", 200),
        ("dcs", 200),
    ],
)
def test_who_opens_an_action(client, world, board, who, status):
    _, _, _, actions = board
    client.force_login(getattr(world, who))
    assert (
        client.get(reverse("action_detail", args=[world.em.slug, actions["late"].pk])).status_code
        == status
    )


def test_other_councils_and_non_members_get_404(client, world, board):
    from peerchallenge.models import Role
    from tests.factories import MembershipFactory, UserFactory

    _, _, _, actions = board
    stranger = UserFactory()
    MembershipFactory(
        alliance=world.em, user=stranger, role=Role.DCS, local_authority=council("Lincolnshire")
    )
    client.force_login(stranger)
    assert (
        client.get(reverse("action_detail", args=[world.em.slug, actions["late"].pk])).status_code
        == 404
    )


def test_board_query_count_is_constant(client, world, board, django_assert_max_num_queries):
    """At most 15 (the floor's 4 included): the page's count comes with the counts by
    council, and the page's source labels with the filter's. After one request has warmed
    the process's caches (content types), as a running server's are."""
    cycle, group, _, _ = board
    client.force_login(world.tier2)
    client.get(board_url(world, group))
    with django_assert_max_num_queries(15):
        client.get(board_url(world, group))
    with scope(alliance=world.em):
        for i in range(40):
            action_create(
                source=cycle,
                local_authority=council("Leicester"),
                what=f"Extra {i}",
                owner="X",
                due_date=datetime.date(2027, 1, 1),
                tier2_group=group,
                created_by=world.organiser,
            )
    with django_assert_max_num_queries(15):
        page = client.get(board_url(world, group)).content.decode()
    assert "43 actions" in page
    with django_assert_max_num_queries(15):
        page = client.get(board_url(world, group) + "?page=2&overdue=1").content.decode()


def test_admin_creates_a_group(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("tier2_group_create", args=[world.em.slug]),
        {"name": "Safeguarding", "members": [world.tier2.pk]},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("tier2_group_create", args=[world.em.slug]), {"name": "Safeguarding"}
    )
    assert "There is already a group with this name." in response.content.decode()


def test_export_xlsx_has_the_filtered_rows(client, world, board):
    from openpyxl import load_workbook

    _, group, _, _ = board
    client.force_login(world.tier2)
    _, response = export(client, world, group, "tier2_export_xlsx", "overdue=1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Council", "Action"]
    assert [row[:2] for row in rows[1:]] == [["Derby", "'=HYPERLINK(evil)"]]


def test_board_sources_are_one_row_per_source(world, board):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peerchallenge.selectors import tier2_board_sources

    _, group, _, _ = board
    with scope(alliance=world.em), CaptureQueriesContext(connection) as queries:
        options = tier2_board_sources(group=group)
    assert [label for _, label in options] == ["March 2026"]
    assert "DISTINCT" in queries[0]["sql"]
    assert "due_date" not in queries[0]["sql"]  # the ordering no longer widens the DISTINCT
