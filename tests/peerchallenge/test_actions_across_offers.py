"""Agreed actions across every offer: the Tier 2 board's offer and theme filters, its count
per RAG status per council and its export; the improvement plan's offer headings, summary
and PDF."""

import csv
import datetime
import io
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from peerchallenge.models import AccessLog, Action, Role
from peerchallenge.selectors import BoardFilters, RagCount, tier2_board_rag_counts
from peerchallenge.services import action_create, action_record_progress
from peerchallenge.views import councils as councils_views
from reports.models import ReportVersion
from reports.tasks import render
from tests.clock import TODAY
from tests.factories import MembershipFactory, Tier2GroupFactory, UserFactory, council
from tests.thematic.factories import event as thematic_event
from tests.triads.factories import CycleFactory
from thematic.models import ThematicEvent
from triads.models import Cycle

PAST = TODAY - datetime.timedelta(days=30)
FUTURE = TODAY + datetime.timedelta(days=90)
ALL_FOUR = {
    "Audit step-down decisions",
    "Recruit two team managers",
    "Map exploitation hotspots",
    "Joint training on harm outside the home",
}


def act(world, source, what, la, due, status="green", group=None):
    with scope(alliance=world.em):
        action = action_create(
            source=source,
            local_authority=council(la),
            what=what,
            owner="Head of service",
            due_date=due,
            tier2_group=group,
            created_by=world.organiser,
        )
        action.status = status
        action.save()
    return action


@pytest.fixture
def offers(world):
    """Actions from two offers (a triad cycle and a thematic event on a theme) on one
    Tier 2 group's board, and one on another group's that must not show."""
    cycle = CycleFactory(
        alliance=world.em, name="March 2026", event_date=datetime.date(2026, 3, 12)
    )
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
        group.members.add(world.tier2)
        other = Tier2GroupFactory(alliance=world.em, name="Workforce")
    with scopes_disabled():
        harm = thematic_event(world.em, theme_name="Reduction of Harm", tier2_group=group)
    act(world, cycle, "Audit step-down decisions", "Derby", PAST, "amber", group)
    act(world, cycle, "Recruit two team managers", "Rutland", FUTURE, "green", group)
    act(world, harm, "Map exploitation hotspots", "Derby", FUTURE, "red", group)
    act(
        world, harm, "Joint training on harm outside the home", "Leicester", PAST, "complete", group
    )
    act(world, cycle, "Workforce plan", "Derby", FUTURE, "green", other)
    return cycle, harm, group


def board(client, world, group, **query):
    url = reverse("tier2_board", kwargs={"alliance": world.em.slug, "group": group.pk})
    return client.get(url, query)


def shown(response) -> set[str]:
    page = response.content.decode()
    return {what for what in ALL_FOUR | {"Workforce plan"} if what in page}


def type_id(model) -> str:
    return str(ContentType.objects.get_for_model(model).pk)


# The board's filters ---------------------------------------------------------------------


def test_board_filters_by_offer(client, world, offers):
    _, _, group = offers
    client.force_login(world.tier2)
    triads = board(client, world, group, offer=type_id(Cycle))
    assert shown(triads) == {"Audit step-down decisions", "Recruit two team managers"}
    thematic = board(client, world, group, offer=type_id(ThematicEvent))
    assert shown(thematic) == {
        "Map exploitation hotspots",
        "Joint training on harm outside the home",
    }
    page = thematic.content.decode()
    thematic_id = type_id(ThematicEvent)
    assert f'<option value="{thematic_id}" selected>Thematic peer challenge</option>' in page


def test_board_filters_by_theme_and_offers_the_theme_filter(client, world, offers):
    _, _, group = offers
    client.force_login(world.tier2)
    response = board(client, world, group, theme="Reduction of Harm")
    assert shown(response) == {
        "Map exploitation hotspots",
        "Joint training on harm outside the home",
    }
    assert response.context["themes"] == ["Reduction of Harm"]
    assert '<option value="Reduction of Harm" selected>' in response.content.decode()


def test_board_without_themes_has_no_theme_filter(client, world):
    cycle = CycleFactory(alliance=world.em)
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
        group.members.add(world.tier2)
    act(world, cycle, "Audit step-down decisions", "Derby", PAST, "amber", group)
    client.force_login(world.tier2)
    response = board(client, world, group)
    page = response.content.decode()
    assert response.context["themes"] == []
    assert 'id="filter-theme"' not in page
    assert 'id="filter-offer"' in page


@pytest.mark.parametrize(
    "query",
    [
        {"offer": "abc"},
        {"offer": "999999"},
        {"theme": "No such theme"},
        {"status": "purple"},
        {"council": "Derby"},
        {"overdue": "yes"},
        {"source": "junk"},
        {"source": "1:x"},
        {"page": "9999"},
    ],
)
def test_bad_filter_values_are_ignored(client, world, offers, query):
    _, _, group = offers
    client.force_login(world.tier2)
    response = board(client, world, group, **query)
    assert response.status_code == 200
    assert response.context["filters"] == BoardFilters()
    assert response.context["page"].paginator.count == 4


def test_board_source_column_names_the_offer(client, world, offers):
    _, harm, group = offers
    client.force_login(world.tier2)
    response = board(client, world, group)
    labels = {
        action.what: (action.source_label.offer, action.source_label.name)
        for action in response.context["page"].object_list
    }
    assert labels["Audit step-down decisions"] == ("Triad peer challenge", "March 2026")
    assert labels["Map exploitation hotspots"] == ("Thematic peer challenge", str(harm))
    page = response.content.decode()
    assert '<optgroup label="Thematic peer challenge">' in page
    assert '<optgroup label="Triad peer challenge">' in page


# Count per RAG status per council --------------------------------------------------------


def test_board_counts_each_rag_status_per_council(client, world, offers):
    _, _, group = offers
    client.force_login(world.tier2)
    response = board(client, world, group)
    counts = {row.council_name: row.counts for row in response.context["rag_counts"]}
    assert counts == {
        "Derby": RagCount(amber=1, red=1, overdue=1),
        "Leicester": RagCount(complete=1),  # past its date but complete: not overdue
        "Rutland": RagCount(green=1),
    }
    assert response.context["rag_total"] == RagCount(green=1, amber=1, red=1, complete=1, overdue=1)
    page = response.content.decode()
    assert 'Derby<span class="govuk-visually-hidden"> improvement plan</span>' in page


def test_board_counts_follow_the_filters(client, world, offers):
    _, _, group = offers
    client.force_login(world.tier2)
    response = board(client, world, group, offer=type_id(Cycle))
    counts = {row.council_name: row.counts for row in response.context["rag_counts"]}
    assert counts == {"Derby": RagCount(amber=1, overdue=1), "Rutland": RagCount(green=1)}
    response = board(client, world, group, overdue="1")
    counts = {row.council_name: row.counts for row in response.context["rag_counts"]}
    assert counts == {"Derby": RagCount(amber=1, overdue=1)}


def test_rag_counts_are_one_aggregate_query(world, offers):
    _, _, group = offers
    filters = BoardFilters(theme="Reduction of Harm", offer=type_id(ThematicEvent))
    with scope(alliance=world.em), CaptureQueriesContext(connection) as queries:
        rows = tier2_board_rag_counts(group=group, filters=filters)
    assert [(row.council_name, row.counts) for row in rows] == [
        ("Derby", RagCount(red=1)),
        ("Leicester", RagCount(complete=1)),
    ]
    assert len(queries) == 1
    assert "GROUP BY" in queries[0]["sql"] and "FILTER (WHERE" in queries[0]["sql"]


# Export -----------------------------------------------------------------------------------


def exported(client, world, group, name, **filters) -> bytes:
    """The export with these filters, as the worker makes it and the person downloads it."""
    url = reverse(name, args=[world.em.slug, group.pk]) + "?" + urlencode(filters)
    with mock.patch("reports.tasks.render.apply_async"):  # nothing rendered in the request
        assert client.post(url).status_code == 302
    with scopes_disabled():
        version = ReportVersion.objects.order_by("-pk").first()
    render(version.pk)
    download = reverse(
        "reports:report_download", kwargs={"alliance": world.em.slug, "report_version": version.pk}
    )
    return b"".join(client.get(download).streaming_content)


def test_export_has_the_offer_and_honours_the_filters(client, world, offers):
    _, harm, group = offers
    client.force_login(world.tier2)
    response = exported(
        client, world, group, "tier2_export", theme="Reduction of Harm", status="red"
    )
    rows = list(csv.reader(io.StringIO(response.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Offer", "Source"]
    assert [(row[0], row[1], row[-2], row[-1]) for row in rows[1:]] == [
        ("Derby", "Map exploitation hotspots", "Thematic peer challenge", str(harm))
    ]


def test_xlsx_export_has_the_offer(client, world, offers):
    from openpyxl import load_workbook

    _, _, group = offers
    client.force_login(world.tier2)
    response = exported(client, world, group, "tier2_export_xlsx", offer=type_id(Cycle))
    rows = [
        [c.value for c in row] for row in load_workbook(io.BytesIO(response)).active.iter_rows()
    ]
    assert rows[0][-2:] == ["Offer", "Source"]
    assert sorted((row[1], row[-2], row[-1]) for row in rows[1:]) == [
        ("Audit step-down decisions", "Triad peer challenge", "March 2026"),
        ("Recruit two team managers", "Triad peer challenge", "March 2026"),
    ]


# Query counts -----------------------------------------------------------------------------


# Signing in, the group, the page of actions and its count, the counts per council, the
# councils, the sources (one query per kind) and the themes; none of them per action.
BOARD_QUERIES = 19


def add_many(world, sources, group, n):
    councils = ["Derby", "Leicester", "Rutland", "Nottingham", "Lincolnshire"]
    with scope(alliance=world.em):
        for i in range(n):
            action = action_create(
                source=sources[i % len(sources)],
                local_authority=council(councils[i % len(councils)]),
                what=f"Extra action {i}",
                owner="Owner",
                due_date=PAST if i % 3 else FUTURE,
                tier2_group=group,
                created_by=world.organiser,
            )
            if i % 3 == 0:
                action_record_progress(
                    action=action, author=world.organiser, note="Moving", status="red"
                )


@pytest.mark.parametrize(
    "query",
    [{}, {"offer": "CYCLE", "status": "red"}, {"theme": "Reduction of Harm", "overdue": "1"}],
)
def test_board_query_count_does_not_grow_with_actions(
    client, world, offers, django_assert_max_num_queries, query
):
    cycle, harm, group = offers
    query = {k: type_id(Cycle) if v == "CYCLE" else v for k, v in query.items()}
    client.force_login(world.tier2)
    with django_assert_max_num_queries(BOARD_QUERIES):
        before = board(client, world, group, **query).context["page"].paginator.count
    more = [cycle, harm, CycleFactory(alliance=world.em, name="March 2028")]
    with scopes_disabled():
        more.append(
            thematic_event(
                world.em, theme_name="Reduction of Harm", tier2_group=group, days_from_today=-60
            )
        )
    add_many(world, more, group, 120)
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = board(client, world, group, **query)
    after = response.context["page"].paginator.count
    assert after >= before + 20  # each filter keeps a good part of the 120 new actions
    assert len(response.context["page"].object_list) == min(after, 50)


# The improvement plan ---------------------------------------------------------------------


def plan_url(world, name="improvement_plan", la="Derby"):
    return reverse(name, kwargs={"alliance": world.em.slug, "gss": council(la).gss_code})


def test_plan_groups_by_source_under_the_offers_name(client, world, offers):
    _, harm, _ = offers
    client.force_login(world.dcs)  # Derby
    response = client.get(plan_url(world))
    page = response.content.decode()
    headings = [group.heading for group in response.context["groups"]]
    assert sorted(headings) == [
        f"Thematic peer challenge — Thematic event: {harm}",
        "Triad peer challenge — Cycle: March 2026",
    ]
    for heading in headings:
        assert heading in page
    # Derby's three actions, whoever monitors them: its plan is all of them.
    assert response.context["counts"] == RagCount(green=1, amber=1, red=1, overdue=1)
    assert "Workforce plan" in page and "Recruit two team managers" not in page


# The plan's PDF: prepared by the worker, never in a web request ---------------------------

NO_PDF_IN_A_REQUEST = AssertionError("WeasyPrint was called in a web request")


def prepare(client, world, la="Derby"):
    """Press "Prepare a PDF": the on-commit hand-over to the worker is captured, not run, so
    nothing renders in the request (the test runs the worker's task itself)."""
    return client.post(plan_url(world, "improvement_plan_pdf_prepare", la=la))


def plan_pdfs(world, la="Derby"):
    from peerchallenge.selectors import improvement_plan_pdfs

    with scope(alliance=world.em):
        return list(improvement_plan_pdfs(alliance=world.em, council=council(la)))


def pdf_text(version) -> str:
    from pypdf import PdfReader

    with version.file.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_preparing_the_plan_pdf_never_renders_in_the_request(
    client, world, offers, django_capture_on_commit_callbacks
):
    client.force_login(world.tier2)
    with (
        mock.patch("reports.pdf.html_to_pdf", side_effect=NO_PDF_IN_A_REQUEST),
        django_capture_on_commit_callbacks(execute=False) as handed_over,
    ):
        response = prepare(client, world)
        page = client.get(plan_url(world)).content.decode()
        old = client.get(plan_url(world, "improvement_plan_pdf"))
    assert (response.status_code, response["Location"]) == (302, plan_url(world))
    assert len(handed_over) == 1  # the worker's task, queued once the request commits
    [version] = plan_pdfs(world)
    assert (version.status, version.number, version.requested_by) == ("pending", 1, world.tier2)
    assert "A PDF of the plan is being prepared. Refresh this page in a minute" in page
    assert "Prepare a PDF of the plan" not in page  # no second request while it is
    # The old address of the PDF leads to the plan page and renders nothing.
    assert (old.status_code, old["Location"]) == (302, plan_url(world))


def test_the_worker_renders_the_plan_pdf_with_the_actions(
    client, world, offers, django_capture_on_commit_callbacks
):
    _, harm, _ = offers
    act(world, harm, "Progress the =formula-looking note", "Derby", FUTURE)
    client.force_login(world.tier2)
    page = client.get(plan_url(world)).content.decode()
    assert "Prepare a PDF of the plan</button>" in page
    with django_capture_on_commit_callbacks(execute=False):
        prepare(client, world)
    [version] = plan_pdfs(world)
    render(version.pk)  # the worker
    [version] = plan_pdfs(world)
    assert version.status == "rendered"
    assert version.filename.startswith("Improvement plan - Derby - ")
    text = pdf_text(version)
    assert "Improvement plan of Derby" in text
    assert "Triad peer challenge — Cycle: March 2026" in text
    for what in ["Audit step-down decisions", "Map exploitation hotspots", "Workforce plan"]:
        assert what in text
    assert "Progress the =formula-looking note" in text
    # Each action's owner, due date and status on lines of its own, after what it is.
    due = FUTURE.strftime("%-d %B %Y")
    assert (
        f"Progress the =formula-looking note Owner: Head of service. Due by {due}. "
        "Status: \N{BLACK CIRCLE} Green: On track. No update yet." in text
    )
    # The counts' ratings as words and symbols too, never colour alone.
    assert "\N{BLACK CIRCLE} Green: On track" in text and "\N{BLACK SQUARE} Red: Off track" in text
    assert "Recruit two team managers" not in text  # Rutland's
    download = reverse(
        "reports:report_download",
        kwargs={"alliance": world.em.slug, "report_version": version.pk},
    )
    page = client.get(plan_url(world)).content.decode()
    assert f'<a class="govuk-link" href="{download}">Download the improvement plan' in page
    assert "Prepare a new PDF of the plan as it stands" in page
    response = client.get(download)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Cache-Control"] == "private, no-store"
    with scopes_disabled():
        log = AccessLog.objects.get()
    assert (log.action, log.user) == ("download", world.tier2)


def test_a_second_press_while_the_pdf_is_prepared_queues_nothing(
    client, world, offers, django_capture_on_commit_callbacks
):
    client.force_login(world.tier2)
    with django_capture_on_commit_callbacks(execute=False):
        prepare(client, world)
    client.force_login(world.pm)
    with django_capture_on_commit_callbacks(execute=False) as handed_over:
        prepare(client, world)
    assert handed_over == []
    assert [v.number for v in plan_pdfs(world)] == [1]


def test_old_plan_pdfs_do_not_pile_up(client, world, offers, django_capture_on_commit_callbacks):
    from peerchallenge.services.plans import PLAN_PDFS_KEPT

    client.force_login(world.tier2)
    files = []
    for _ in range(PLAN_PDFS_KEPT + 2):
        with django_capture_on_commit_callbacks(execute=True):
            prepare(client, world)  # tasks run in-process here: the worker's render too
        newest = plan_pdfs(world)[0]
        assert newest.status == "rendered"
        files.append(newest.file.name)
    kept = plan_pdfs(world)
    assert [v.number for v in kept] == [5, 4, 3]  # numbers are never reused
    storage = kept[0].file.storage
    assert [storage.exists(name) for name in files] == [False, False, True, True, True]


def test_a_plan_pdf_out_of_time_says_so_and_try_again_prepares_it(
    client, world, offers, django_capture_on_commit_callbacks
):
    from celery.exceptions import SoftTimeLimitExceeded

    client.force_login(world.dcs)  # Derby's own
    with (
        mock.patch("reports.pdf.html_to_pdf", side_effect=SoftTimeLimitExceeded()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        prepare(client, world)  # tasks run in-process here: the render runs out of time
    [failed] = plan_pdfs(world)
    assert (failed.status, failed.error) == (
        "failed",
        "The rendering took longer than 100 seconds and was stopped.",
    )
    client.get(plan_url(world))  # the message of the press, shown once
    page = client.get(plan_url(world)).content.decode()
    assert "The PDF could not be prepared." in page
    assert ">Try again</button>" in page
    assert "being prepared" not in page  # not stuck
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, world)
    assert [(v.number, v.status) for v in plan_pdfs(world)] == [(2, "rendered"), (1, "failed")]


def test_another_councils_people_get_404_for_the_plan_pdf(
    client, world, offers, django_capture_on_commit_callbacks
):
    client.force_login(world.tier2)
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, world)
    [derby] = plan_pdfs(world)
    stranger = UserFactory()
    MembershipFactory(
        alliance=world.em, user=stranger, role=Role.DCS, local_authority=council("Rutland")
    )
    client.force_login(stranger)
    download = reverse(
        "reports:report_download", kwargs={"alliance": world.em.slug, "report_version": derby.pk}
    )
    assert client.get(download).status_code == 404
    assert client.get(plan_url(world, "improvement_plan_pdf")).status_code == 404
    assert prepare(client, world).status_code == 404
    assert [v.number for v in plan_pdfs(world)] == [1]
    with django_capture_on_commit_callbacks(execute=True):
        assert prepare(client, world, la="Rutland").status_code == 302
    [rutland] = plan_pdfs(world, la="Rutland")
    assert rutland.status == "rendered"
    with scopes_disabled():
        assert AccessLog.objects.count() == 0


def test_plan_query_count_does_not_grow_with_actions(
    client, world, offers, django_assert_max_num_queries, monkeypatch
):
    name = "improvement_plan"
    cycle, harm, group = offers
    client.force_login(world.pm)
    url = plan_url(world, name)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    add_many(world, [cycle, harm], group, 60)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    monkeypatch.setattr(councils_views, "PLAN_PAGE_SIZE", 5)  # a page after the first
    with django_assert_max_num_queries(12):
        response = client.get(url + "?page=2")
    assert len(response.context["page"].object_list) == 5


def plan_page(client, url, page=None):
    response = client.get(url, {"page": page} if page is not None else {})
    assert response.status_code == 200
    return response.context, response.content.decode()


def test_a_long_plan_is_read_a_page_at_a_time_with_every_action_counted(
    client, world, offers, monkeypatch
):
    """A page of PLAN_PAGE_SIZE actions in the plan's order (by source, then due date); a
    source's group begun on the page before says "continued"; the counts are the whole
    plan's; a page number that is not one shows the first or the last page."""
    monkeypatch.setattr(councils_views, "PLAN_PAGE_SIZE", 3)
    cycle, _, _ = offers
    client.force_login(world.dcs)  # Derby
    with scope(alliance=world.em):
        amber_before = Action.objects.filter(local_authority=council("Derby"), status="amber")
        amber_before = amber_before.count()
        for n in range(4):
            act(world, cycle, f"Cycle action {n}", "Derby", FUTURE, status="amber")
        derby = list(Action.objects.filter(local_authority=council("Derby")))
    url = plan_url(world)
    first, html = plan_page(client, url)
    everything = sorted(derby, key=lambda a: (a.source_type_id, a.source_id, a.due_date, a.pk))
    assert first["counts"].total == len(everything) == first["page"].paginator.count
    assert first["counts"].amber == amber_before + 4
    shown = [a.pk for group in first["groups"] for a in group.actions]
    assert shown == [a.pk for a in everything[:3]]
    assert f"Actions 1 to 3 of {len(everything)}" in html
    assert 'aria-label="Pages of actions in the plan"' in html
    second, html = plan_page(client, url, 2)
    shown = [a.pk for group in second["groups"] for a in group.actions]
    assert shown == [a.pk for a in everything[3:6]]
    same_source = (everything[2].source_type_id, everything[2].source_id) == (
        everything[3].source_type_id,
        everything[3].source_id,
    )
    assert second["groups"][0].heading.endswith(" (continued)") == same_source
    assert not first["groups"][0].continued
    last = (len(everything) - 1) // 3 + 1
    # Django's get_page: not a number, the first page; out of range, the last.
    assert plan_page(client, url, "abc")[0]["page"].number == 1
    for wrong in ("0", "-1", "999"):
        assert plan_page(client, url, wrong)[0]["page"].number == last
