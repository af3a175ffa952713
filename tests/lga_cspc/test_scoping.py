"""Scoping a CSPC: the meeting, advisers, focus and dates; the scope with its lines of
enquiry; the proposal PDF sent to the sponsor, who accepts it."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from lga_cspc.calendar import cspc_scoping_events
from lga_cspc.data import focus_areas as catalogue
from lga_cspc.models import CaseFile, Challenge, ScopeElement, Stage, TeamRole
from lga_cspc.services.cases import cases_add
from lga_cspc.services.scoping import (
    challenge_probes,
    proposal_accept,
    proposal_send,
    scope_save,
    scoping_save,
)
from lga_cspc.views.scoping import scoping_detail_context
from reports.models import ReportVersion
from reports.permissions import DOWNLOAD_REPORT
from tests.factories import council
from tests.forms import date_parts
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory
from tests.peerchallenge.test_calendar import ics_events, new_feed_url

FOCUS = "How well the front door and early help keep teenagers safe from exploitation."
EARLY_HELP = "Early help"
FRONT_DOOR = "Front door"


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def challenge(lga):
    return ChallengeFactory(offer=lga.offer, onsite_start=in_days(120))


def url(name, lga, challenge):
    return reverse(
        f"lga_cspc:{name}", kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk}
    )


def scoping_data(lga, **overrides):
    data = {
        **date_parts("scoping_date", in_days(14)),
        "scoping_time": "14:30",
        "scoping_location": "Council House, Derby",
        "principal_adviser": str(lga.principal_adviser.pk),
        "improvement_adviser": str(lga.cia.pk),
        "focus": FOCUS,
        **date_parts("onsite_start", in_days(120)),
        "days": "4",
        "team_needed": "A DCS as team leader and three senior operational managers.",
        "documents_required": "Children's Plan\nSelf-evaluation",
        "confidentiality_required": "on",
        "case_lists": ["cin", "cp"],
    }
    for name, value in overrides.items():  # a date goes in as its three boxes
        data |= date_parts(name, value) if isinstance(value, datetime.date) else {name: value}
    return data


def save_scoping(lga, challenge, **overrides):
    arguments = {
        "scoping_meeting_at": timezone.now() + datetime.timedelta(days=14),
        "scoping_location": "Council House, Derby",
        "principal_adviser": lga.principal_adviser,
        "improvement_adviser": lga.cia,
        "focus": FOCUS,
        "onsite_start": in_days(120),
        "days": 4,
        "team_needed": "A DCS and three senior managers",
        "documents_required": "Children's Plan",
        "confidentiality_required": False,
    } | overrides
    with scope(alliance=lga.alliance):
        return scoping_save(challenge=challenge, user=lga.pm, **arguments)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def probes_by_element(challenge) -> dict[str, list[str]]:
    with scopes_disabled():
        result: dict[str, list[str]] = {}
        for kloe in challenge_probes(challenge=challenge):
            result.setdefault(kloe.title, []).append(kloe.question)
        return result


# Services -----------------------------------------------------------------------------------


def test_scoping_save_records_the_meeting_and_moves_a_requested_challenge_to_scoping(
    lga, challenge
):
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(stage=Stage.REQUESTED)
        challenge.refresh_from_db()
    save_scoping(lga, challenge)
    with scopes_disabled():
        challenge.refresh_from_db()
        names = list(ScopeElement.objects.filter(challenge=challenge).values_list("name", "kind"))
    assert challenge.stage == Stage.SCOPING
    assert (challenge.focus, challenge.principal_adviser, challenge.improvement_adviser) == (
        FOCUS,
        lga.principal_adviser,
        lga.cia,
    )
    assert names == [(name, "core") for name in catalogue.CORE_NAMES]
    assert probes_by_element(challenge) == {
        element.name: list(element.default_probes) for element in catalogue.CORE_ELEMENTS
    }


def test_scoping_save_refuses_a_past_first_day_and_days_outside_1_to_10(lga, challenge):
    with pytest.raises(
        ValidationError, match="The first on-site day must be today or in the"
    ) as error:
        save_scoping(lga, challenge, onsite_start=in_days(-1), days=11)
    assert error.value.message_dict == {
        "onsite_start": ["The first on-site day must be today or in the future."],
        "days": ["The on-site phase must last between 1 and 10 days."],
    }
    with pytest.raises(
        ValidationError, match="The on-site phase must last between 1 and 10 days"
    ) as error:
        save_scoping(lga, challenge, days=0)
    assert error.value.message_dict == {
        "days": ["The on-site phase must last between 1 and 10 days."]
    }


def test_scoping_save_refuses_an_adviser_without_the_advisers_role(lga, challenge):
    with pytest.raises(
        ValidationError, match="Choose one of the LGA's principal advisers"
    ) as error:
        save_scoping(lga, challenge, principal_adviser=lga.pcm, improvement_adviser=lga.peer)
    assert error.value.message_dict == {
        "principal_adviser": ["Choose one of the LGA's principal advisers."],
        "improvement_adviser": ["Choose one of the LGA's children's improvement advisers."],
    }


def test_scope_save_adds_a_module_with_default_probes_and_removing_it_deletes_them(lga, challenge):
    with scope(alliance=lga.alliance):
        change = scope_save(challenge=challenge, user=lga.pm, modules=[EARLY_HELP], probes={})
    assert (change.added, change.removed) == ([EARLY_HELP], [])
    assert probes_by_element(challenge)[EARLY_HELP] == list(
        catalogue.BY_NAME[EARLY_HELP].default_probes
    )
    with scope(alliance=lga.alliance):
        change = scope_save(challenge=challenge, user=lga.pm, modules=[FRONT_DOOR], probes={})
        kinds = list(ScopeElement.objects.filter(challenge=challenge).values_list("kind", "name"))
    assert (change.added, change.removed) == ([FRONT_DOOR], [EARLY_HELP])
    assert EARLY_HELP not in probes_by_element(challenge)
    assert kinds == [("core", name) for name in catalogue.CORE_NAMES] + [("module", FRONT_DOOR)]


def test_scope_save_keeps_the_rows_of_probes_it_edits(lga, challenge):
    core = catalogue.CORE_NAMES[0]
    with scope(alliance=lga.alliance):
        scope_save(challenge=challenge, user=lga.pm, modules=[], probes={})
        first_pk = challenge_probes(challenge=challenge).filter(title=core).first().pk
        scope_save(
            challenge=challenge,
            user=lga.pm,
            modules=[],
            probes={core: ["How is the vision shared with partners?", "A second probe"]},
        )
        kloes = list(challenge_probes(challenge=challenge).filter(title=core))
    assert [(k.question, k.local_authority.name, k.created_by) for k in kloes] == [
        ("How is the vision shared with partners?", "Derby", lga.pm),
        ("A second probe", "Derby", lga.pm),
    ]
    assert kloes[0].pk == first_pk


def test_scope_save_refuses_more_than_four_modules_and_empty_probes(lga, challenge):
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match=re.escape("Choose at most 4 thematic modules: you chose 5. A")
        ) as error,
    ):
        scope_save(
            challenge=challenge,
            user=lga.pm,
            modules=list(catalogue.MODULE_NAMES[:5]),
            probes={catalogue.CORE_NAMES[1]: []},
        )
    assert error.value.message_dict == {
        "modules": [
            "Choose at most 4 thematic modules: you chose 5. A peer challenge must stay "
            "tightly focused to fit the on-site days."
        ],
        "probes_core_practice": [
            f"Enter at least one line of enquiry for “{catalogue.CORE_NAMES[1]}”, one a line."
        ],
    }
    with scopes_disabled():
        assert not ScopeElement.objects.filter(challenge=challenge).exists()


def test_proposal_send_refuses_until_meeting_focus_and_core_elements_are_recorded(lga, challenge):
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Schedule the scoping meeting before sending the"
        ) as error,
    ):
        proposal_send(challenge=challenge, user=lga.pm)
    assert sorted(error.value.message_dict) == ["elements", "focus", "scoping_date"]
    with scopes_disabled():
        assert not ReportVersion.objects.exists()


def test_proposal_accept_refuses_before_any_version(lga, challenge):
    save_scoping(lga, challenge)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="There is no scoping proposal to accept yet: the"
        ) as error,
    ):
        proposal_accept(challenge=challenge, user=lga.derby_dcs)
    assert error.value.messages == [
        "There is no scoping proposal to accept yet: the LGA programme manager sends it after "
        "the scoping meeting."
    ]


# When scoping settles -----------------------------------------------------------------------


def test_scoping_stays_open_while_cases_are_added(lga, challenge):
    """Adding the first case (the case record review) does not settle the scoping; only a
    list cases came from must stay."""
    save_scoping(lga, challenge, case_lists=["cin", "cp"])
    with scope(alliance=lga.alliance):
        cases_add(challenge=challenge, references=["CP-1001"], source="cp", user=lga.pm)
    with scopes_disabled():
        challenge.refresh_from_db()
    assert challenge.stage == Stage.CASE_REVIEW
    save_scoping(lga, challenge, focus="A sharper focus.", case_lists=["cp", "cla"])
    with scope(alliance=lga.alliance):
        scope_save(challenge=challenge, user=lga.pm, modules=[EARLY_HELP], probes={})
    with scopes_disabled():
        challenge.refresh_from_db()
    assert (challenge.focus, challenge.case_lists) == ("A sharper focus.", ["cp", "cla"])


@pytest.mark.parametrize(
    ("stage", "onsite_in", "message"),
    [
        (
            Stage.ON_SITE,
            3,
            "This peer challenge is at the stage “On site”: its scoping can no longer be changed.",
        ),
    ],
)
def test_scoping_settles_once_the_challenge_is_on_site(
    client, lga, challenge, stage, onsite_in, message
):
    save_scoping(lga, challenge)
    with scopes_disabled():  # test set-up: the days have come
        Challenge.objects.filter(pk=challenge.pk).update(
            stage=stage, onsite_start=in_days(onsite_in)
        )
        challenge.refresh_from_db()
    with pytest.raises(
        ValidationError, match="This peer challenge is at the stage “On site”"
    ) as error:
        save_scoping(lga, challenge, onsite_start=in_days(onsite_in), focus="Changed")
    assert error.value.messages == [message]
    with scope(alliance=lga.alliance):
        context = scoping_detail_context(challenge=challenge, user=lga.pm)
    assert context["scoping_can_manage"] is False


# Case lists ---------------------------------------------------------------------------------


def test_a_booked_challenge_has_no_case_list_until_scoping_agrees_them(lga):
    with scopes_disabled():
        # Raw on purpose: the point is the model's default (ChallengeFactory agrees every list).
        booked = Challenge.objects.create(
            alliance=lga.alliance,
            offer=lga.offer,
            local_authority=council("Derby"),
            onsite_start=in_days(120),
            days=4,
        )
    assert booked.case_lists == []


def test_case_lists_stay_as_they_are_unless_scoping_gives_them(lga, challenge):
    assert challenge.case_lists == list(CaseFile.Source.values)
    save_scoping(lga, challenge)  # no lists given: left as they are
    with scopes_disabled():
        challenge.refresh_from_db()
    assert challenge.case_lists == list(CaseFile.Source.values)
    save_scoping(lga, challenge, case_lists=["cp", "cin", "cp"])
    with scopes_disabled():
        challenge.refresh_from_db()
    assert challenge.case_lists == ["cp", "cin"]


@pytest.mark.parametrize(
    ("case_lists", "message"),
    [
        ([], "Choose at least one list the cases for the case record review come from."),
        (["cp", "gossip"], "Choose the case lists from the list."),
    ],
)
def test_scoping_save_refuses_no_case_list_or_an_unknown_one(lga, challenge, case_lists, message):
    with pytest.raises(ValidationError, match=re.escape(message)) as error:
        save_scoping(lga, challenge, case_lists=case_lists)
    assert error.value.message_dict == {"case_lists": [message]}
    with scopes_disabled():
        challenge.refresh_from_db()
    assert (challenge.focus, challenge.case_lists) == ("", list(CaseFile.Source.values))


def test_a_list_cases_came_from_may_not_be_dropped(lga, challenge):
    with scope(alliance=lga.alliance):
        cases_add(challenge=challenge, references=["CP-1001"], source="cp", user=lga.pm)
    with scopes_disabled():  # test set-up: a challenge moved back to preparation
        Challenge.objects.filter(pk=challenge.pk).update(stage=Stage.PREPARATION)
        challenge.refresh_from_db()
    with pytest.raises(
        ValidationError, match="Cases from Child protection are already on the"
    ) as error:
        save_scoping(lga, challenge, case_lists=["cin", "cla"])
    assert error.value.message_dict == {
        "case_lists": [
            "Cases from Child protection are already on the case record review: keep that list."
        ]
    }


# The scoping meeting: emails and calendar feeds ---------------------------------------------

MEETING = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC)  # 10:00 in London


def test_the_meeting_is_emailed_to_the_sponsor_and_the_named_advisers_once_committed(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():  # test set-up: the council named its sponsor
        Challenge.objects.filter(pk=challenge.pk).update(sponsor=lga.derby_dcs)
        challenge.refresh_from_db()
    with django_capture_on_commit_callbacks() as callbacks:
        save_scoping(lga, challenge, scoping_meeting_at=MEETING)
    assert mailoutbox == []  # nothing until the meeting is saved
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [
        ["dora.lga@example.org"],
        ["ciaran.lga@example.org"],
        ["priya.lga@example.org"],
    ]
    link = f"{settings.SITE_URL}{url('challenge_detail', lga, challenge)}"
    for message in mailoutbox:
        assert message.subject == (
            "Scoping meeting arranged: Children's Services Peer Challenge in Derby, "
            "Monday 1 March 2027, 10:00"
        )
        assert "Petra Programme has arranged the scoping meeting" in message.body
        assert "When: Monday 1 March 2027, 10:00\nWhere: Council House, Derby\n" in message.body
        assert "LGA principal adviser: Priya Principal" in message.body
        assert "Children's improvement adviser: Ciaran Adviser" in message.body
        assert link in message.body
        assert f'href="{link}"' in message.alternatives[0][0]


def test_the_meeting_is_emailed_again_only_when_it_moves(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save_scoping(lga, challenge, scoping_meeting_at=MEETING, principal_adviser=None)
    # No sponsor named yet: the council's DCS hears; no principal adviser is named.
    assert [m.to for m in mailoutbox] == [["dora.lga@example.org"], ["ciaran.lga@example.org"]]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        save_scoping(lga, challenge, scoping_meeting_at=MEETING, focus="A new focus")
    assert mailoutbox == []  # the same meeting
    later = MEETING + datetime.timedelta(hours=4)
    with django_capture_on_commit_callbacks(execute=True):
        save_scoping(lga, challenge, scoping_meeting_at=later)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ciaran.lga@example.org",
        "dora.lga@example.org",
        "priya.lga@example.org",
    ]
    assert {m.subject for m in mailoutbox} == {
        "Scoping meeting moved: Children's Services Peer Challenge in Derby, "
        "Monday 1 March 2027, 14:00"
    }
    assert "has moved. It now takes place:" in mailoutbox[0].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        save_scoping(lga, challenge, scoping_meeting_at=None)
    assert mailoutbox == []  # no meeting to tell of


def test_the_meeting_is_in_the_calendars_of_whoever_scopes_the_challenge(lga, challenge):
    with scopes_disabled():  # test set-up: the council named its sponsor
        Challenge.objects.filter(pk=challenge.pk).update(sponsor=lga.derby_dcs)
        challenge.refresh_from_db()
    save_scoping(lga, challenge, scoping_meeting_at=MEETING)
    people = (
        "pm",
        "derby_dcs",
        "cia",
        "principal_adviser",
        "coordinator",
        "pcm",
        "peer",
        "derby_organiser",
        "leicester_dcs",
    )
    with scope(alliance=lga.alliance):
        events = {name: cspc_scoping_events(getattr(lga, name)) for name in people}
    (event,) = events["pm"]
    assert (event.uid, event.title, event.day, event.starts_at, event.ends_at) == (
        f"lga-cspc-scoping-{challenge.pk}",
        "Scoping meeting (Derby peer challenge)",
        datetime.date(2027, 3, 1),
        MEETING,
        MEETING + datetime.timedelta(hours=2),
    )
    assert event.description == (
        "Scoping meeting of the Children's Services Peer Challenge. Where: Council House, Derby."
    )
    assert event.path == url("challenge_detail", lga, challenge)
    assert {name: len(found) for name, found in events.items()} == {
        "pm": 1,
        "derby_dcs": 1,
        "cia": 1,
        "principal_adviser": 1,
        "coordinator": 0,
        "pcm": 0,
        "peer": 0,
        "derby_organiser": 0,
        "leicester_dcs": 0,
    }
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(stage=Stage.WITHDRAWN)
    with scope(alliance=lga.alliance):
        assert cspc_scoping_events(lga.cia) == []


def test_the_meeting_is_in_the_calendar_feed(client, lga, challenge):
    """Through the feed with the providers the apps registered."""
    save_scoping(lga, challenge, scoping_meeting_at=MEETING)
    feed = new_feed_url(client, lga.cia)
    client.logout()  # calendar apps are not signed in
    response = client.get(feed)
    assert response.status_code == 200
    [event] = [
        e for e in ics_events(response.content.decode()) if e["UID"].startswith("lga-cspc-scoping-")
    ]
    assert event == {
        "UID": f"lga-cspc-scoping-{challenge.pk}@peerchallenge",
        "DTSTART": MEETING,
        "DTEND": MEETING + datetime.timedelta(hours=2),
        "SUMMARY": "Scoping meeting (Derby peer challenge)",
        "DESCRIPTION": "Scoping meeting of the Children's Services Peer Challenge. Where: Council "
        "House, Derby.",
        "URL": f"{settings.SITE_URL}{url('challenge_detail', lga, challenge)}",
    }
    assert event["DTSTART"].tzinfo.key == "Europe/London"  # 10:00, GMT in March


def test_the_scoping_feed_provider_queries_do_not_grow(lga, django_assert_max_num_queries):
    for n in range(6):
        challenge = ChallengeFactory(offer=lga.offer, onsite_start=in_days(120 + n))
        save_scoping(lga, challenge, scoping_meeting_at=MEETING + datetime.timedelta(days=n))
    with scope(alliance=lga.alliance), django_assert_max_num_queries(1):
        events = cspc_scoping_events(lga.cia)
    assert [event.day for event in events] == [
        datetime.date(2027, 3, 1) + datetime.timedelta(days=n) for n in range(6)
    ]


# Views --------------------------------------------------------------------------------------


def test_pm_saves_the_scoping_page(client, lga, challenge):
    client.force_login(lga.pm)
    page = client.get(url("scoping", lga, challenge))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert 'for="id_focus"' in html
    assert "Priya Principal" in html and "Ciaran Adviser" in html
    assert "Maya Manager" not in html  # not an adviser

    response = client.post(url("scoping", lga, challenge), scoping_data(lga))
    assert response.status_code == 302
    assert response.url == url("proposal", lga, challenge)
    assert messages_of(response) == ["Scoping saved."]
    with scopes_disabled():
        challenge.refresh_from_db()
    meeting = timezone.localtime(challenge.scoping_meeting_at)
    assert (meeting.date(), meeting.strftime("%H:%M")) == (in_days(14), "14:30")
    assert challenge.scoping_location == "Council House, Derby"
    assert challenge.confidentiality_required is True
    assert challenge.documents_required == "Children's Plan\nSelf-evaluation"
    assert challenge.case_lists == ["cin", "cp"]
    page = client.get(url("scoping", lga, challenge))
    assert page.context["form"]["case_lists"].value() == ["cin", "cp"]


def test_the_scoping_page_offers_every_case_list_none_ticked_and_needs_one(client, lga, challenge):
    with scopes_disabled():  # a challenge as booked: scoping has agreed no list yet
        Challenge.objects.filter(pk=challenge.pk).update(case_lists=[])
    client.force_login(lga.pm)
    form = client.get(url("scoping", lga, challenge)).context["form"]
    assert form.fields["case_lists"].choices == CaseFile.Source.choices
    assert form["case_lists"].value() == []
    assert "checked" not in str(form["case_lists"])
    data = scoping_data(lga)
    del data["case_lists"]
    response = client.post(url("scoping", lga, challenge), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "case_lists": ["Choose at least one list the cases for the case record review come from."]
    }


def test_scoping_page_refuses_a_past_date_and_keeps_what_was_typed(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(
        url("scoping", lga, challenge),
        scoping_data(lga, onsite_start=in_days(-3), days="12"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        '<a href="#id_onsite_start">The first on-site day must be today or in the future.</a>'
        in html
    )
    assert "The on-site phase must last between 1 and 10 days." in html
    assert FOCUS in html
    assert "<title>Error: " in html
    with scopes_disabled():
        challenge.refresh_from_db()
    assert challenge.focus == ""


def test_scoping_page_refuses_a_date_without_a_time(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(url("scoping", lga, challenge), scoping_data(lga, scoping_time=""))
    assert response.status_code == 200
    assert "Enter the time of the scoping meeting, like 14:30." in response.content.decode()


def test_scope_page_shows_core_elements_and_refuses_more_than_four_modules(client, lga, challenge):
    client.force_login(lga.pm)
    page = client.get(url("scope_elements", lga, challenge)).content.decode()
    for name in catalogue.CORE_NAMES:
        assert f'for="id_{catalogue.field_key(name)}"' in page
    assert page.count('type="checkbox"') == len(catalogue.MODULE_NAMES)

    response = client.post(
        url("scope_elements", lga, challenge),
        {"modules": list(catalogue.MODULE_NAMES[:5]), "probes_core_practice": "My own probe"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose at most 4 thematic modules: you chose 5." in html
    assert "My own probe" in html
    with scopes_disabled():
        assert not ScopeElement.objects.filter(challenge=challenge).exists()


def test_scope_page_saves_two_modules_and_warns_about_one(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(
        url("scope_elements", lga, challenge), {"modules": [EARLY_HELP, FRONT_DOOR]}
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        f"Scope saved. Added {EARLY_HELP}, {FRONT_DOOR} with its usual lines of enquiry: "
        "change them below if needed."
    ]
    page = client.get(url("scope_elements", lga, challenge)).content.decode()
    assert 'for="id_probes_early_help"' in page
    data = {
        "modules": [EARLY_HELP],
        "probes_early_help": "Is early help reaching teenagers?\n\n  Who refers?  ",
    }
    response = client.post(url("scope_elements", lga, challenge), data)
    assert response.status_code == 302
    assert messages_of(response) == [
        f"Scope saved. Removed {FRONT_DOOR} and its lines of enquiry.",
        "You chose 1 thematic module: a peer challenge typically has 2. Check this is what was "
        "agreed.",
    ]
    probes = probes_by_element(challenge)
    assert probes[EARLY_HELP] == ["Is early help reaching teenagers?", "Who refers?"]
    assert FRONT_DOOR not in probes


def test_send_without_focus_shows_the_error_on_the_scoping_form(client, lga, challenge):
    save_scoping(lga, challenge, focus="")
    client.force_login(lga.pm)
    response = client.post(url("proposal_send", lga, challenge))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#id_focus">Record the agreed focus before sending the proposal.</a>' in html
    assert "Council House, Derby" in html  # the recorded values are shown
    with scopes_disabled():
        assert not ReportVersion.objects.exists()
    assert client.get(url("proposal_send", lga, challenge)).status_code == 405


def test_sponsor_accept_before_any_version_is_refused_with_a_message(client, lga, challenge):
    save_scoping(lga, challenge)
    client.force_login(lga.derby_dcs)
    response = client.post(url("proposal_accept", lga, challenge))
    assert response.status_code == 302
    assert messages_of(response) == [
        "There is no scoping proposal to accept yet: the LGA programme manager sends it after "
        "the scoping meeting."
    ]
    with scopes_disabled():
        challenge.refresh_from_db()
    assert (challenge.stage, challenge.proposal_accepted_at) == (Stage.SCOPING, None)


def test_proposal_pdf_is_emailed_to_the_dcs_and_accepted_by_the_sponsor(
    client, lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(lga.pm)
    assert client.post(url("scoping", lga, challenge), scoping_data(lga)).status_code == 302
    assert (
        client.post(
            url("scope_elements", lga, challenge),
            {"modules": [EARLY_HELP, FRONT_DOOR]},
        ).status_code
        == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("proposal_send", lga, challenge))
    assert response.status_code == 302
    assert messages_of(response)[-1] == (
        "Version 1 of the scoping proposal is being produced. The sponsor will be emailed to "
        "accept it when it is ready."
    )
    with scopes_disabled():
        version = ReportVersion.objects.get()
        challenge.refresh_from_db()
        assert (version.number, version.status, version.report) == (
            1,
            "rendered",
            "lga_cspc.scoping_proposal",
        )
        with version.file.open("rb") as file:
            reader = PdfReader(io.BytesIO(file.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert challenge.proposal_sent_at is not None
    assert "exploitation" in text and "front door and early help keep teenagers" in text
    assert "How timely and proportionate are decisions at the front door?" in text
    assert "Children's Plan" in text
    assert "Derby" in text
    assert "Case lists for the case record review Child in need, Child protection" in text

    assert [m.to for m in mailoutbox] == [[lga.derby_dcs.email]]
    assert mailoutbox[0].subject == (
        "[Action required] Accept the scoping proposal for Children's Services Peer Challenge "
        "in Derby"
    )

    # The sponsor sees the download link and the accept button; the download works.
    with scope(alliance=lga.alliance):
        context = scoping_detail_context(challenge=challenge, user=lga.derby_dcs)
    html = render_to_string(
        "lga_cspc/_detail_scoping.html",
        {"alliance": lga.alliance, "challenge": challenge, **context},
        request=RequestFactory().get("/"),
    )
    download = reverse("reports:report_download", args=[lga.alliance.slug, version.pk])
    assert download in html
    assert url("proposal_accept", lga, challenge) in html
    client.force_login(lga.derby_dcs)
    assert client.get(download).status_code == 200

    response = client.post(url("proposal_accept", lga, challenge))
    assert response.status_code == 302
    assert messages_of(response)[-1] == (
        "Scoping proposal accepted. The LGA will now assemble the peer team."
    )
    with scopes_disabled():
        challenge.refresh_from_db()
    assert (challenge.stage, challenge.proposal_accepted_by) == (Stage.PREPARATION, lga.derby_dcs)
    # Accepting drew up the advance documents checklist from the scope, each document once
    # ("Children's Plan" was asked for at scoping and is one of the manual's).
    with scopes_disabled():
        titles = list(challenge.advance_documents.values_list("title", flat=True))
    assert len(titles) == 10 and titles.count("Children's Plan") == 1

    # Sending again clears the acceptance.
    with scope(alliance=lga.alliance):
        proposal_send(challenge=challenge, user=lga.pm)
    with scopes_disabled():
        challenge.refresh_from_db()
    assert (challenge.proposal_accepted_at, challenge.proposal_accepted_by) == (None, None)


def test_the_proposal_may_be_downloaded_by_the_council_and_advisers_but_not_peers(
    lga, challenge, django_capture_on_commit_callbacks
):
    save_scoping(lga, challenge)
    with scopes_disabled():
        TeamMemberFactory(
            alliance=lga.alliance,
            challenge=challenge,
            user=lga.peer,
            role=TeamRole.SENIOR_MANAGER,
            indicative_days=5,
        )
    with scope(alliance=lga.alliance), django_capture_on_commit_callbacks(execute=True):
        proposal_send(challenge=challenge, user=lga.pm)
    with scopes_disabled():
        version = ReportVersion.objects.get()
    people = (
        "pm",
        "coordinator",
        "principal_adviser",
        "cia",
        "derby_dcs",
        "derby_organiser",
        "peer",
        "leicester_dcs",
        "pcm",
    )
    with scope(alliance=lga.alliance):
        allowed = {name: getattr(lga, name).has_perm(DOWNLOAD_REPORT, version) for name in people}
    assert allowed == {
        "pm": True,
        "coordinator": True,
        "principal_adviser": True,
        "cia": True,
        "derby_dcs": True,
        "derby_organiser": True,
        "peer": False,
        "leicester_dcs": False,
        "pcm": False,
    }
    with scope(alliance=lga.alliance):
        context = scoping_detail_context(challenge=challenge, user=lga.peer)
    assert (context["scoping_versions"], context["scoping_can_accept"]) == ([], False)


# Who may open what --------------------------------------------------------------------------

SCOPING_PAGES = [
    ("get", "scoping"),
    ("post", "scoping"),
    ("get", "scope_elements"),
    ("post", "scope_elements"),
    ("post", "proposal_send"),
    ("post", "proposal_accept"),
]


@pytest.mark.parametrize(("method", "page"), SCOPING_PAGES)
@pytest.mark.parametrize("person", ["peer", "leicester_dcs", "cia"])
def test_people_who_may_not_see_the_challenge_get_404(client, lga, challenge, method, page, person):
    client.force_login(getattr(lga, person))
    response = getattr(client, method)(url(page, lga, challenge))
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "page"), SCOPING_PAGES)
@pytest.mark.parametrize("person", ["derby_organiser", "named_cia"])
def test_people_who_see_the_challenge_but_may_not_scope_it_get_403(
    client, lga, challenge, method, page, person
):
    if person == "named_cia":  # the named CIA sees the challenge but does not scope it
        with scopes_disabled():
            Challenge.objects.filter(pk=challenge.pk).update(improvement_adviser=lga.cia)
        user = lga.cia
    else:
        user = lga.derby_organiser
    client.force_login(user)
    response = getattr(client, method)(url(page, lga, challenge))
    assert response.status_code == 403


@pytest.mark.parametrize("person", ["pm", "coordinator"])
def test_planners_may_not_accept_on_the_councils_behalf(client, lga, challenge, person):
    client.force_login(getattr(lga, person))
    assert client.post(url("proposal_accept", lga, challenge)).status_code == 403
    assert client.get(url("scoping", lga, challenge)).status_code == 200


def test_scoping_pages_query_count_does_not_grow_with_modules(
    client, lga, challenge, django_assert_max_num_queries
):
    client.force_login(lga.pm)
    with django_assert_max_num_queries(10):
        assert client.get(url("scoping", lga, challenge)).status_code == 200
    with scope(alliance=lga.alliance):
        scope_save(
            challenge=challenge,
            user=lga.pm,
            modules=list(catalogue.MODULE_NAMES[:4]),
            probes={},
        )
    with django_assert_max_num_queries(10):
        assert client.get(url("scope_elements", lga, challenge)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("scoping", lga, challenge)).status_code == 200
