"""The thematic offer's rules, service by service, with the bad input the issue lists."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from peerchallenge.models import Action
from tests.factories import Tier2GroupFactory, council
from tests.thematic.factories import ThemeFactory, event, group, next_steps, nomination, theme
from thematic.models import STANDARD_THEMES, NextSteps, Nomination, ThematicEvent, Theme
from thematic.services.events import event_kloe_add, event_kloes_publish, event_schedule
from thematic.services.next_steps import next_steps_submit
from thematic.services.nominations import nomination_add
from thematic.services.themes import (
    suggestion_create,
    suggestion_decide,
    suggestion_support,
    themes_ensure_standard,
)

TODAY = timezone.localdate


@pytest.fixture
def em(world):
    with scope(alliance=world.em):
        yield world


def messages_of(error) -> dict:
    return error.value.message_dict


def test_standard_themes_are_seeded_once_whatever_the_case(em):
    ThemeFactory(alliance=em.em, name="reduction of harm")
    themes_ensure_standard(alliance=em.em)
    themes_ensure_standard(alliance=em.em)
    names = sorted(t.name for t in Theme.objects.filter(alliance=em.em))
    assert names == sorted(["reduction of harm", *STANDARD_THEMES[1:]])


def test_suggestion_duplicating_a_theme_is_refused_case_insensitively(em):
    themes_ensure_standard(alliance=em.em)
    with pytest.raises(
        ValidationError, match="“Abuse and Violence” is already one of the"
    ) as error:
        suggestion_create(
            alliance=em.em, name="  ABUSE and  violence ", reason="x", suggested_by=em.organiser
        )
    assert messages_of(error) == {
        "name": ["“Abuse and Violence” is already one of the alliance's themes."]
    }


def test_suggestion_duplicating_an_open_suggestion_is_refused(em):
    suggestion_create(
        alliance=em.em, name="Exploitation", reason="Rising", suggested_by=em.organiser
    )
    with pytest.raises(ValidationError, match="“Exploitation” has already been suggested") as error:
        suggestion_create(alliance=em.em, name="exploitation", reason="Yes", suggested_by=em.dcs)
    assert messages_of(error) == {
        "name": ["“Exploitation” has already been suggested: support that suggestion instead."]
    }


def test_suggestion_needs_a_name_and_a_reason(em):
    with pytest.raises(ValidationError, match="Enter the theme you suggest") as error:
        suggestion_create(alliance=em.em, name=" ", reason="", suggested_by=em.organiser)
    assert set(messages_of(error)) == {"name", "reason"}


def test_support_once_each_and_never_ones_own(em):
    suggestion = suggestion_create(
        alliance=em.em, name="Exploitation", reason="Rising", suggested_by=em.organiser
    )
    with pytest.raises(ValidationError, match="You made this suggestion"):
        suggestion_support(suggestion=suggestion, user=em.organiser)
    suggestion_support(suggestion=suggestion, user=em.dcs)
    with pytest.raises(ValidationError, match="You already support this suggestion"):
        suggestion_support(suggestion=suggestion, user=em.dcs)
    assert suggestion.supports.count() == 1


def test_accepting_creates_the_theme_and_declining_does_not(em):
    accepted = suggestion_create(
        alliance=em.em, name="Exploitation", reason="Rising", suggested_by=em.organiser
    )
    declined = suggestion_create(
        alliance=em.em, name="Parking", reason="Why not", suggested_by=em.dcs
    )
    suggestion_decide(
        suggestion=accepted, accept=True, note="Agreed by the board", decided_by=em.pm
    )
    suggestion_decide(suggestion=declined, accept=False, note="Out of scope", decided_by=em.pm)
    assert list(Theme.objects.filter(alliance=em.em).values_list("name", flat=True)) == [
        "Exploitation"
    ]
    accepted.refresh_from_db()
    assert (accepted.status, accepted.decision_note, accepted.theme.name) == (
        "accepted",
        "Agreed by the board",
        "Exploitation",
    )
    with pytest.raises(ValidationError, match="already been decided"):
        suggestion_decide(suggestion=declined, accept=True, note="Changed mind", decided_by=em.pm)
    # A declined suggestion's name is free to be suggested again.
    suggestion_create(alliance=em.em, name="parking", reason="Again", suggested_by=em.dcs)


def test_a_decision_needs_a_note(em):
    suggestion = suggestion_create(
        alliance=em.em, name="Exploitation", reason="Rising", suggested_by=em.organiser
    )
    with pytest.raises(ValidationError, match="Enter a note explaining the decision") as error:
        suggestion_decide(suggestion=suggestion, accept=True, note=" ", decided_by=em.pm)
    assert messages_of(error) == {"note": ["Enter a note explaining the decision."]}


def test_the_suggester_is_emailed_the_decision_and_its_note(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    accepted = suggestion_create(
        alliance=em.em, name="Exploitation", reason="Rising", suggested_by=em.organiser
    )
    declined = suggestion_create(
        alliance=em.em, name="Parking", reason="Why not", suggested_by=em.dcs
    )
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_decide(
            suggestion=accepted, accept=True, note="Agreed by the board", decided_by=em.pm
        )
        suggestion_decide(
            suggestion=declined, accept=False, note="Out of scope for 2026", decided_by=em.pm
        )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["oscar@example.org"], "Your suggested theme “Exploitation” has been accepted"),
        (["dee@example.org"], "Your suggested theme “Parking” has been declined"),
    ]
    yes, no = mailoutbox
    assert (
        "East Midlands RIIA has accepted your suggestion of “Exploitation” as a theme for "
        "thematic peer challenges. It is now one of the alliance's themes." in yes.body
    )
    assert "The note with the decision:\nAgreed by the board\n" in yes.body
    assert "East Midlands RIIA has declined your suggestion of “Parking”" in no.body
    assert "It is now one of the alliance's themes." not in no.body
    assert "The note with the decision:\nOut of scope for 2026\n" in no.body
    assert "Out of scope for 2026" in no.alternatives[0][0]
    assert "/a/east-midlands/thematic/themes/" in no.body


def test_no_email_when_the_suggester_is_gone(em, mailoutbox, django_capture_on_commit_callbacks):
    suggestion = suggestion_create(
        alliance=em.em, name="Exploitation", reason="Rising", suggested_by=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_decide(suggestion=suggestion, accept=False, note="No", decided_by=em.pm)
    assert mailoutbox == []


def schedule(em, **overrides):
    values = {
        "alliance": em.em,
        "theme": theme(em.em),
        "date": TODAY() + datetime.timedelta(days=30),
        "start_time": datetime.time(9, 30),
        "end_time": datetime.time(16, 30),
        "format": "in_person",
        "venue": "Leicester City Hall",
        "online_link": "https://meet.example.org/x",
        "councils": [council("Derby"), council("Leicester")],
        "tier2_group": group(em.em),
        "created_by": em.pm,
    }
    return event_schedule(**{**values, **overrides})


def test_schedule_keeps_the_place_of_the_format_and_defaults_the_deadlines(em):
    made = schedule(em)
    assert (made.venue, made.online_link) == ("Leicester City Hall", "")
    assert made.nominations_due == made.date - datetime.timedelta(weeks=2)
    assert made.next_steps_due == made.date + datetime.timedelta(weeks=2)
    assert sorted(c.name for c in made.councils.all()) == ["Derby", "Leicester"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": datetime.date(2020, 1, 1)}, "date", "today or in the future"),
        ({"venue": ""}, "venue", "Enter the venue of an in-person event."),
        ({"format": "online", "online_link": ""}, "online_link", "Enter the meeting link"),
        ({"end_time": datetime.time(9, 0)}, "end_time", "The event must end after it starts."),
        ({"councils": []}, "councils", "Choose the councils taking part."),
    ],
)
def test_schedule_refuses_bad_input(em, overrides, field, message):
    with pytest.raises(ValidationError, match=re.escape(message)) as error:
        schedule(em, **overrides)
    assert message in " ".join(messages_of(error)[field])
    assert ThematicEvent.objects.count() == 0


def test_schedule_refuses_another_alliances_councils_group_and_theme(em):
    with scope(alliance=em.london):
        london_group = Tier2GroupFactory(alliance=em.london, name="London group")
    with pytest.raises(ValidationError, match="Choose one of the alliance's themes") as error:
        schedule(
            em,
            councils=[council("Camden")],
            tier2_group=london_group,
            theme=theme(em.london, "Secret"),
        )
    assert messages_of(error) == {
        "theme": ["Choose one of the alliance's themes."],
        "councils": ["Choose councils of this alliance."],
        "tier2_group": ["Choose the Tier 2 group that owns the theme."],
    }


def test_nomination_invites_the_officer_once_saved(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    with django_capture_on_commit_callbacks(execute=True):
        made = nomination_add(
            event=upcoming,
            council=council("Derby"),
            full_name="Nia Officer",
            job_role="Head of exploitation",
            email="nia@example.org",
            nominated_by=em.organiser,
        )
    assert [m.to for m in mailoutbox] == [["nia@example.org"]]
    assert mailoutbox[0].subject == (
        f"You are invited to the Reduction of Harm thematic peer challenge on "
        f"{upcoming.date.day} {upcoming.date:%B %Y}"
    )
    assert "Derby has nominated you" in mailoutbox[0].body
    made.refresh_from_db()
    assert made.invited_at is not None


@pytest.mark.parametrize(
    ("council_name", "email", "field", "message"),
    [
        ("Derby", "not-an-address", "email", "Enter an email address in the correct format"),
        ("Derby", "nia@", "email", "Enter an email address in the correct format"),
        ("Rutland", "nia@example.org", "council", "This council is not taking part"),
        ("Derby", "ALREADY@example.org", "email", "already nominated"),
    ],
)
def test_nomination_refuses_bad_input(em, mailoutbox, council_name, email, field, message):
    upcoming = event(em.em)
    nomination(upcoming, "Leicester", email="already@example.org")
    with pytest.raises(ValidationError, match=message) as error:
        nomination_add(
            event=upcoming,
            council=council(council_name),
            full_name="Nia Officer",
            job_role="Head of service",
            email=email,
            nominated_by=em.organiser,
        )
    assert message in " ".join(messages_of(error)[field])
    assert Nomination.objects.filter(event=upcoming).count() == 1
    assert mailoutbox == []


def test_publishing_kloes_emails_participants_and_nominees_once(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    nomination(upcoming, "Leicester", email="lee@example.org")
    with pytest.raises(ValidationError, match="Add at least one line of enquiry"):
        event_kloes_publish(event=upcoming)
    event_kloe_add(event=upcoming, question="How do partners share risk about harm outside home?")
    with django_capture_on_commit_callbacks(execute=True):
        event_kloes_publish(event=upcoming)
    # Derby's organiser and DCS (the world's council people), and Leicester's nominee.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "dee@example.org",
        "lee@example.org",
        "oscar@example.org",
    ]
    assert "How do partners share risk" in mailoutbox[0].body
    with pytest.raises(ValidationError, match="already published"):
        event_kloes_publish(event=upcoming)


def rows(*items):
    return [{"what": w, "owner": o, "due_date": d} for w, o, d in items]


def test_next_steps_become_actions_of_the_events_group(em):
    held = event(em.em, days_from_today=-3)
    steps = next_steps_submit(
        event=held,
        council=council("Derby"),
        rows=rows(
            ("Map contextual safeguarding panels", "Head of service", TODAY()),
            ("", "", None),  # an empty row is ignored
            ("Train the front door on exploitation", "Principal social worker", TODAY()),
        ),
        notes="We learnt a lot from Leicester.",
        submitted_by=em.organiser,
    )
    assert steps.is_late is False
    actions = Action.objects.filter(
        source_type=ContentType.objects.get_for_model(ThematicEvent), source_id=held.pk
    ).order_by("pk")
    assert [(a.what, a.local_authority.name, a.tier2_group_id) for a in actions] == [
        ("Map contextual safeguarding panels", "Derby", held.tier2_group_id),
        ("Train the front door on exploitation", "Derby", held.tier2_group_id),
    ]


def test_next_steps_after_the_deadline_are_kept_and_marked_late(em):
    held = event(em.em, days_from_today=-30, next_steps_due=TODAY() - datetime.timedelta(days=10))
    steps = next_steps_submit(
        event=held,
        council=council("Derby"),
        rows=rows(("Audit return interviews", "Team manager", TODAY())),
        notes="",
        submitted_by=em.organiser,
    )
    assert steps.is_late is True
    assert NextSteps.objects.get().pk == steps.pk


def test_next_steps_with_a_bad_row_save_nothing(em):
    held = event(em.em, days_from_today=-3)
    with pytest.raises(
        ValidationError, match=re.escape("Next step 2: Enter who owns the action (a name or")
    ) as error:
        next_steps_submit(
            event=held,
            council=council("Derby"),
            rows=rows(("Good row", "Owner", TODAY()), ("No owner", "", TODAY())),
            notes="",
            submitted_by=em.organiser,
        )
    assert error.value.messages == ["Next step 2: Enter who owns the action (a name or a role)."]
    assert (NextSteps.objects.count(), Action.objects.count()) == (0, 0)


def test_next_steps_refused_before_the_event_twice_or_for_a_council_not_taking_part(em):
    upcoming = event(em.em)
    one = rows(("Something", "Owner", TODAY() + datetime.timedelta(days=60)))
    with pytest.raises(ValidationError, match="after the event"):
        next_steps_submit(
            event=upcoming, council=council("Derby"), rows=one, notes="", submitted_by=em.dcs
        )
    held = event(em.em, days_from_today=-3)
    with pytest.raises(ValidationError, match="not taking part"):
        next_steps_submit(
            event=held, council=council("Rutland"), rows=one, notes="", submitted_by=em.dcs
        )
    next_steps(held, "Derby")
    with pytest.raises(ValidationError, match="already been submitted"):
        next_steps_submit(
            event=held, council=council("Derby"), rows=one, notes="", submitted_by=em.dcs
        )
