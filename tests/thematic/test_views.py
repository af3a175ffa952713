"""The thematic pages: who sees what (404 for what is not yours), forms with clear errors,
the summary issued as a PDF, and list pages whose queries do not grow with their rows."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from peerchallenge.models import Role
from reports.models import ReportVersion
from tests.factories import MembershipFactory, UserFactory, council
from tests.forms import date_parts
from tests.thematic.factories import (
    EmergingSummaryFactory,
    SuggestionSupportFactory,
    ThemeSuggestionFactory,
    event,
    group,
    next_steps,
    nomination,
    theme,
)
from thematic.models import (
    Nomination,
    ThematicEvent,
    ThemeSuggestion,
)


def url(world, name, **kwargs):
    return reverse(f"thematic:{name}", kwargs={"alliance": world.em.slug, **kwargs})


def part_url(world, name, held, council_name):
    return url(world, name, event=held.pk, gss=council(council_name).gss_code)


@pytest.fixture
def leicester(world):
    """An organiser of Leicester, another participating council."""
    user = UserFactory(full_name="Lee Leicester", email="lee@example.org")
    MembershipFactory(
        alliance=world.em, user=user, role=Role.LA_ORGANISER, local_authority=council("Leicester")
    )
    return user


@pytest.fixture
def rutland(world):
    """An organiser of Rutland, a council of the alliance not taking part."""
    user = UserFactory(full_name="Ria Rutland", email="ria@example.org")
    MembershipFactory(
        alliance=world.em, user=user, role=Role.LA_ORGANISER, local_authority=council("Rutland")
    )
    return user


def test_theme_list_seeds_the_standard_themes_and_takes_a_suggestion(client, world):
    client.force_login(world.organiser)
    page = client.get(url(world, "theme_list")).content.decode()
    for name in ("Reduction of Harm", "Reforms Implementation", "Abuse and Violence"):
        assert name in page
    response = client.post(
        url(world, "suggestion_create"),
        {"name": "Exploitation outside the home", "reason": "Rising county lines referrals"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        suggestion = ThemeSuggestion.objects.get()
    assert (suggestion.suggested_by, suggestion.council.name) == (world.organiser, "Derby")


def test_a_duplicate_suggestion_is_shown_back_with_its_message(client, world):
    client.force_login(world.organiser)
    client.get(url(world, "theme_list"))
    response = client.post(
        url(world, "suggestion_create"), {"name": "partnership engagement", "reason": "Why"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is already one of the alliance&#x27;s themes." in page
    assert 'value="partnership engagement"' in page  # nothing typed is lost


def test_support_and_decision_flow(client, world):
    with scope(alliance=world.em):
        suggestion = ThemeSuggestionFactory(
            alliance=world.em, name="Exploitation", reason="Rising", suggested_by=world.organiser
        )
    support = url(world, "suggestion_support", suggestion=suggestion.pk)
    client.force_login(world.dcs)
    assert client.post(support).status_code == 302
    client.post(support)
    with scopes_disabled():
        assert suggestion.supports.count() == 1
    page = client.get(url(world, "theme_list")).content.decode()
    assert "You already support this suggestion." in page
    decide = url(world, "suggestion_decide", suggestion=suggestion.pk)
    assert client.get(decide).status_code == 403  # a DCS may not decide
    client.force_login(world.coordinator)
    response = client.post(decide, {"decision": "accept", "note": ""})
    assert "Enter a note explaining the decision." in response.content.decode()
    response = client.post(decide, {"decision": "accept", "note": "Agreed"})
    assert response.status_code == 302
    with scopes_disabled():
        assert ThemeSuggestion.objects.get().theme.name == "Exploitation"


def event_form(world, **overrides):
    with scope(alliance=world.em):
        data = {
            "theme": theme(world.em).pk,
            "date": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
            "start_time": "10:00",
            "end_time": "15:00",
            "format": "online",
            "venue": "",
            "online_link": "https://meet.example.org/harm",
            "councils": [council("Derby").pk, council("Leicester").pk],
            "tier2_group": group(world.em).pk,
        }
    return {**data, **overrides}


def test_pm_schedules_an_event(client, world):
    client.force_login(world.pm)
    response = client.post(url(world, "event_create"), event_form(world))
    with scopes_disabled():
        made = ThematicEvent.objects.get()
    assert response["Location"] == url(world, "event_detail", event=made.pk)
    assert (made.format, made.online_link, made.start_time) == (
        "online",
        "https://meet.example.org/harm",
        datetime.time(10, 0),
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2020-01-01"}, "The date of the event must be today or in the future."),
        ({"format": "in_person"}, "Enter the venue of an in-person event."),
        ({"online_link": ""}, "Enter the meeting link of an online event."),
        ({"start_time": "25:00"}, "Enter a real time the event starts"),
        ({"councils": []}, "Choose the councils taking part."),
    ],
)
def test_event_form_errors_are_clear_and_keep_the_input(client, world, overrides, message):
    client.force_login(world.pm)
    response = client.post(url(world, "event_create"), event_form(world, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "https://meet.example.org/harm" in page or overrides.get("online_link") == ""
    with scopes_disabled():
        assert ThematicEvent.objects.count() == 0


def test_only_planners_schedule(client, world):
    client.force_login(world.organiser)
    assert client.get(url(world, "event_create")).status_code == 403


def test_nominations_are_seen_by_their_council_and_the_planners_only(
    client, world, leicester, rutland
):
    upcoming = event(world.em)
    nomination(upcoming, "Derby", full_name="Nia Derby")
    derby_page = part_url(world, "nominations", upcoming, "Derby")
    client.force_login(world.organiser)
    assert "Nia Derby" in client.get(derby_page).content.decode()
    client.force_login(leicester)  # another participant: not before the summary is issued
    assert client.get(derby_page).status_code == 404
    client.force_login(rutland)  # a council outside the event
    assert client.get(derby_page).status_code == 404
    assert client.get(url(world, "event_detail", event=upcoming.pk)).status_code == 404
    client.force_login(world.pm)
    assert "Nia Derby" in client.get(derby_page).content.decode()
    # A council not taking part has no page, whoever asks.
    assert client.get(part_url(world, "nominations", upcoming, "Rutland")).status_code == 404


def test_organiser_nominates_with_clear_errors(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(world.em)
    page = part_url(world, "nominations", upcoming, "Derby")
    client.force_login(world.organiser)
    response = client.post(
        page, {"full_name": "Nia Officer", "job_role": "Head of service", "email": "nia@"}
    )
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()
    assert 'value="Nia Officer"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page,
            {"full_name": "Nia Officer", "job_role": "Head of service", "email": "nia@example.org"},
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["nia@example.org"]]


def test_someone_else_cannot_nominate_for_derby(client, world, leicester):
    upcoming = event(world.em)
    client.force_login(world.pm)  # sees Derby's page, but it is Derby's to fill
    response = client.post(
        part_url(world, "nominations", upcoming, "Derby"),
        {"full_name": "X", "job_role": "Y", "email": "x@example.org"},
    )
    assert response.status_code == 403


def test_withdrawing_a_nomination(client, world, leicester):
    upcoming = event(world.em)
    made = nomination(upcoming, "Derby")
    withdraw = url(world, "nomination_withdraw", event=upcoming.pk, nomination=made.pk)
    client.force_login(leicester)
    assert client.post(withdraw, {"confirm": "yes"}).status_code == 404
    client.force_login(world.organiser)
    assert client.post(withdraw, {"confirm": "yes"}).status_code == 302
    with scopes_disabled():
        assert Nomination.objects.count() == 0


def test_attendance_shows_who_is_coming_and_who_has_not_nominated(client, world):
    upcoming = event(world.em, councils=("Derby", "Leicester", "Rutland"))
    nomination(upcoming, "Derby", full_name="Nia Derby")
    client.force_login(world.pm)
    page = client.get(url(world, "attendance", event=upcoming.pk)).content.decode()
    assert "1 officer nominated from 3 participating councils." in page
    assert "Not nominated yet: Leicester, Rutland." in page
    client.force_login(world.organiser)
    assert client.get(url(world, "attendance", event=upcoming.pk)).status_code == 403


def test_kloes_are_hidden_until_published(client, world):
    upcoming = event(world.em)
    client.force_login(world.pm)
    kloes = url(world, "event_kloes", event=upcoming.pk)
    client.post(kloes, {"question": "How do we reduce harm outside the home?"})
    client.force_login(world.organiser)
    assert client.get(kloes).status_code == 404
    assert (
        "How do we reduce harm"
        not in client.get(url(world, "event_detail", event=upcoming.pk)).content.decode()
    )
    client.force_login(world.pm)
    assert client.post(kloes, {"publish": "1"}).status_code == 302
    client.force_login(world.organiser)
    assert "How do we reduce harm outside the home?" in client.get(kloes).content.decode()
    assert client.post(kloes, {"question": "Mine"}).status_code == 403


def steps_data(**rows):
    data = {"notes": "Useful day."}
    for n in range(1, 6):
        data |= {f"what_{n}": "", f"owner_{n}": "", **date_parts(f"due_{n}", None)}
    return data | rows


def test_council_submits_next_steps_and_a_late_one_is_marked(client, world):
    held = event(world.em, days_from_today=-20, next_steps_due=timezone.localdate())
    page = part_url(world, "next_steps", held, "Derby")
    client.force_login(world.organiser)
    due = date_parts("due_1", timezone.localdate() + datetime.timedelta(days=90))
    typed = {"what_1": "Audit missing episodes", "owner_1": "Head of service"}
    response = client.post(page, steps_data(**typed, due_1_day="x", due_1_month="3"))
    assert "Next step 1: the date must include a year" in response.content.decode()
    response = client.post(
        page, steps_data(**typed, due_1_day="x", due_1_month="3", due_1_year="2027")
    )
    assert "Next step 1: the date must be a real date" in response.content.decode()
    assert "Audit missing episodes" in response.content.decode()
    response = client.post(
        page, steps_data(what_1="Audit missing episodes", owner_1="Head of service", **due)
    )
    assert response.status_code == 302
    page_text = client.get(page).content.decode()
    assert "Audit missing episodes" in page_text
    assert "Submitted late" not in page_text
    late = event(world.em, days_from_today=-40, next_steps_due=datetime.date(2020, 1, 1))
    client.post(
        part_url(world, "next_steps", late, "Derby"),
        steps_data(what_1="Late but kept", owner_1="DCS", **due),
    )
    assert (
        "Submitted late"
        in client.get(part_url(world, "next_steps", late, "Derby")).content.decode()
    )


def test_other_councils_read_the_next_steps_only_once_the_summary_is_issued(
    client, world, leicester, rutland
):
    held = event(world.em, days_from_today=-5)
    next_steps(held, "Derby", notes="Derby's private notes")
    page = part_url(world, "next_steps", held, "Derby")
    client.force_login(leicester)
    assert client.get(page).status_code == 404
    with scope(alliance=world.em):
        EmergingSummaryFactory(
            alliance=world.em, event=held, emerging_themes="x", issued_at=timezone.now()
        )
    assert "Derby&#x27;s private notes" in client.get(page).content.decode()
    assert client.post(page, steps_data()).status_code == 403
    client.force_login(rutland)
    assert client.get(page).status_code == 404


def test_summary_side_by_side_issued_as_a_pdf_and_the_dcs_told(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    tia = world.tier2
    held = event(world.em, days_from_today=-5, tier2_group=group(world.em, members=[tia]))
    client.force_login(world.organiser)
    client.post(
        part_url(world, "next_steps", held, "Derby"),
        steps_data(
            what_1="Derby maps its panels",
            owner_1="Head of service",
            **date_parts("due_1", timezone.localdate() + datetime.timedelta(days=60)),
        ),
    )
    summary = url(world, "summary", event=held.pk)
    client.force_login(tia)  # the Tier 2 group writes with the coordinator
    page = client.get(summary).content.decode()
    assert "Derby maps its panels" in page and "Not submitted" in page  # Leicester
    client.post(summary, {"emerging_themes": "Exploitation is rising", "save": "1"})
    assert client.post(summary, {"issue": "1"}).status_code == 403
    client.force_login(world.coordinator)
    assert "Exploitation is rising" in client.get(summary).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(summary, {"issue": "1"}).status_code == 302
    with scopes_disabled():
        version = ReportVersion.objects.get()
    assert (version.report, version.status) == ("thematic.summary", "rendered")
    assert [m.to for m in mailoutbox] == [[world.dcs.email]]
    assert (
        mailoutbox[0].subject
        == "The summary of the Reduction of Harm thematic peer challenge is ready"
    )
    client.force_login(world.dcs)
    detail = client.get(url(world, "event_detail", event=held.pk)).content.decode()
    download = reverse(
        "reports:report_download",
        kwargs={"alliance": world.em.slug, "report_version": version.pk},
    )
    assert download in detail
    response = client.get(download)
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(b"".join(response))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Reduction of Harm: emerging themes and next steps" in text
    assert "Exploitation is rising" in text
    assert "Derby maps its panels" in text
    assert "No next steps submitted." in text  # Leicester


def test_issuing_the_same_summary_twice_makes_one_version_and_one_set_of_emails(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """A double click or a resubmitted form: the second issue of unchanged content is
    refused, so there is one version and each DCS is told once. A changed summary may be
    issued again as the next version."""
    held = event(world.em, days_from_today=-5)
    summary = url(world, "summary", event=held.pk)
    client.force_login(world.pm)
    client.post(summary, {"emerging_themes": "Exploitation is rising", "save": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(summary, {"issue": "1"}).status_code == 302
        second = client.post(summary, {"issue": "1"})
    assert second.status_code == 200
    assert (
        "Version 1 of the summary has already been issued with this content."
        in second.content.decode()
    )
    with scopes_disabled():
        assert ReportVersion.objects.count() == 1
    assert [m.to for m in mailoutbox] == [[world.dcs.email]]
    client.post(summary, {"emerging_themes": "Exploitation is rising fast", "save": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(summary, {"issue": "1"}).status_code == 302
    with scopes_disabled():
        assert sorted(ReportVersion.objects.values_list("number", flat=True)) == [1, 2]
    assert len(mailoutbox) == 2


def test_summary_cannot_be_issued_before_it_is_written(client, world):
    held = event(world.em, days_from_today=-5)
    client.force_login(world.pm)
    response = client.post(url(world, "summary", event=held.pk), {"issue": "1"})
    assert "Write the emerging themes before issuing the summary." in response.content.decode()
    client.force_login(world.organiser)
    assert client.get(url(world, "summary", event=held.pk)).status_code == 403


def many_events(world, count):
    for n in range(count):
        made = event(world.em, days_from_today=10 + n, councils=("Derby", "Leicester", "Rutland"))
        nomination(made, "Derby", email=f"n{n}@example.org")


@pytest.mark.parametrize("count", [1, 12])
def test_event_list_queries_do_not_grow(client, world, count, django_assert_max_num_queries):
    many_events(world, count)
    client.force_login(world.organiser)
    with django_assert_max_num_queries(12):
        response = client.get(url(world, "event_list"))
    assert response.content.decode().count("Reduction of Harm") == count


@pytest.mark.parametrize("count", [1, 12])
def test_theme_list_queries_do_not_grow(client, world, count, django_assert_max_num_queries):
    with scope(alliance=world.em):
        for n in range(count):
            suggestion = ThemeSuggestionFactory(
                alliance=world.em, name=f"Theme {n}", reason="r", suggested_by=world.organiser
            )
            SuggestionSupportFactory(alliance=world.em, suggestion=suggestion, user=world.dcs)
    client.force_login(world.dcs)
    client.get(url(world, "theme_list"))  # the first visit seeds the standard themes
    with django_assert_max_num_queries(13):
        response = client.get(url(world, "theme_list"))
    assert response.content.decode().count("You support this") == count


@pytest.mark.parametrize("count", [1, 12])
def test_attendance_and_summary_queries_do_not_grow(
    client, world, count, django_assert_max_num_queries
):
    held = event(world.em, days_from_today=-3, councils=("Derby", "Leicester", "Rutland"))
    for n in range(count):
        nomination(held, ["Derby", "Leicester"][n % 2], email=f"n{n}@example.org")
    with scope(alliance=world.em):
        from peerchallenge.services import action_create

        next_steps(held, "Derby")
        for n in range(count):
            action_create(
                source=held, local_authority=council("Derby"), what=f"Step {n}", owner="O",
                due_date=timezone.localdate(), tier2_group=held.tier2_group, created_by=None,
            )  # fmt: skip
    client.force_login(world.pm)
    with django_assert_max_num_queries(12):
        page = client.get(url(world, "attendance", event=held.pk)).content.decode()
    assert page.count("@example.org</td>") == count
    with django_assert_max_num_queries(16):
        page = client.get(url(world, "summary", event=held.pk)).content.decode()
    # Each row once (its Change and Remove links name it again, for screen readers).
    assert page.count('<td class="govuk-table__cell">Step ') == count
