"""Email reminders of stage deadlines: who gets which reminder on which day, once; when they
stop; the alliance's settings; the log the planners read."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

import peerchallenge.reminders
from peerchallenge.models import (
    ActionStatus,
    OutboundEmail,
    ReminderLog,
    ReminderScan,
    ReminderSetting,
    Role,
)
from peerchallenge.obligations import obligations
from peerchallenge.reminders import (
    reminder_key,
    reminder_settings_of,
    reminder_settings_save,
    reminders_queue,
)
from peerchallenge.services import action_create, kloe_create, kloe_share
from peerchallenge.tasks import reminders_scan
from tests.factories import (
    MembershipFactory,
    OutboundEmailFactory,
    ReminderScanFactory,
    UserFactory,
    council,
)
from tests.outbox import deliver_queued
from tests.triads.factories import CycleFactory, EventTemplateFactory, make_triads

EVENT = datetime.date(2028, 3, 16)
KLOES_DUE = datetime.date(2028, 2, 17)  # 4 weeks before the event
TEMPLATES_DUE = datetime.date(2028, 3, 23)  # 1 week after
DAY = datetime.timedelta(days=1)


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused by smtp.example.org")


@pytest.fixture
def cycle(world):
    """Derby, Nottingham and Leicester in a triad; Nottingham has an organiser too. London
    runs a cycle with the same deadlines, whose people must hear nothing from East Midlands."""
    cycle = CycleFactory(alliance=world.em, name="Spring 2028", event_date=EVENT)
    make_triads(cycle, [[council("Derby"), council("Nottingham"), council("Leicester")]])
    world.notts = UserFactory(full_name="Nia Notts", email="nia@example.org")
    MembershipFactory(
        alliance=world.em,
        user=world.notts,
        role=Role.LA_ORGANISER,
        local_authority=council("Nottingham"),
    )
    world.london_cycle = CycleFactory(alliance=world.london, name="London 2028", event_date=EVENT)
    make_triads(world.london_cycle, [[council("Camden"), council("Hackney"), council("Islington")]])
    return cycle


def send(world, today, alliance=None):
    """The day's scan, then the outbox's delivery; how many reminders the scan queued."""
    alliance = alliance or world.em
    with scope(alliance=alliance):
        queued = reminders_queue(alliance=alliance, today=today)
    deliver_queued()
    return queued


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def logs(world):
    with scope(alliance=world.em):
        return list(ReminderLog.objects.filter(alliance=world.em).order_by("recipient__email"))


def test_kloe_reminder_goes_to_the_councils_people_seven_days_before(world, cycle, mailoutbox):
    assert send(world, KLOES_DUE - 8 * DAY) == 0
    assert mailoutbox == []

    assert send(world, KLOES_DUE - 7 * DAY) == 3

    assert recipients(mailoutbox) == ["dee@example.org", "nia@example.org", "oscar@example.org"]
    derby = next(m for m in mailoutbox if m.to == ["oscar@example.org"])
    assert derby.subject == (
        "[Action required] Share Derby's key lines of enquiry for Spring 2028 by 17 February 2028"
    )
    assert "Dear Oscar Organiser," in derby.body
    assert "It is due by 17 February 2028." in derby.body
    with scope(alliance=world.em):
        triad = cycle.triads.get()
    link = f"http://127.0.0.1:8000/a/east-midlands/triads/{cycle.pk}/triads/{triad.pk}/"
    assert link in derby.body
    html = derby.alternatives[0][0]
    assert "Share Derby&#x27;s key lines of enquiry" in html
    assert [(log.recipient.email, log.status, log.kind) for log in logs(world)] == [
        ("dee@example.org", "sent", "kloes_due"),
        ("nia@example.org", "sent", "kloes_due"),
        ("oscar@example.org", "sent", "kloes_due"),
    ]


def test_running_twice_sends_once(world, cycle, mailoutbox):
    assert send(world, KLOES_DUE - 7 * DAY) == 3
    assert send(world, KLOES_DUE - 7 * DAY) == 0
    assert send(world, KLOES_DUE - 6 * DAY) == 0  # the next day's scan: already sent
    assert len(mailoutbox) == 3
    assert len(logs(world)) == 3


def test_reminders_are_written_in_batches_of_constant_cost(world, cycle, mailoutbox, monkeypatch):
    """Two inserts and a read a batch, whatever the number of reminders in it: batches of 2
    for the 3 reminders cost what one batch of 3 would, plus one batch."""
    monkeypatch.setattr(peerchallenge.reminders, "BATCH", 2)
    with scope(alliance=world.em), CaptureQueriesContext(connection) as queries:
        assert reminders_queue(alliance=world.em, today=KLOES_DUE - 7 * DAY) == 3
    inserts = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("INSERT") and "peerchallenge_reminderscan" not in q["sql"]
    ]
    assert len(inserts) == 4  # emails and log rows, for each of the two batches
    assert all("ON CONFLICT DO NOTHING" in sql for sql in inserts)
    deliver_queued()
    assert len(mailoutbox) == 3 and len(logs(world)) == 3


def test_a_reminder_a_racing_scan_wrote_first_is_left_to_it(world, cycle, mailoutbox):
    """Another scan took one reminder's outbox key between this scan's read of the log and
    its insert: this one writes the other two, and no log row of its own for that one."""
    day = KLOES_DUE - 7 * DAY
    with scope(alliance=world.em):
        member = cycle.members.select_related("council").get(council=council("Derby"))
        key = reminder_key(
            kind="kloes_due",
            subject_type_id=ContentType.objects.get_for_model(member).pk,
            subject_id=member.pk,
            recipient_id=world.dcs.pk,
            due_date=cycle.kloes_due,
        )
        OutboundEmailFactory(alliance=world.em, dedupe_key=key, to=["dee@example.org"])
        assert reminders_queue(alliance=world.em, today=day) == 2
        assert OutboundEmail.objects.filter(dedupe_key=key).count() == 1
    assert world.dcs not in [log.recipient for log in logs(world)]
    assert len(logs(world)) == 2


def test_a_missed_day_is_caught_up_until_the_deadline_but_not_after(world, cycle, mailoutbox):
    assert send(world, KLOES_DUE + DAY) == 0
    assert send(world, KLOES_DUE) == 3
    assert len(mailoutbox) == 3


def test_kloe_reminder_stops_once_the_council_has_shared(world, cycle, mailoutbox):
    with scope(alliance=world.em):
        draft = kloe_create(
            challenge=cycle,
            local_authority=council("Nottingham"),
            created_by=world.notts,
            title="Draft",
            question="Not shared yet",
        )
        kloe = kloe_create(
            challenge=cycle,
            local_authority=council("Derby"),
            created_by=world.organiser,
            title="Edge of care",
            question="How well do we support families?",
        )
        kloe_share(kloe=kloe, shared_by=world.organiser)

    send(world, KLOES_DUE - 7 * DAY)

    assert draft.shared_at is None
    assert recipients(mailoutbox) == ["nia@example.org"]  # Derby has shared; Nottingham not


def test_other_alliance_hears_only_of_its_own_cycle(world, cycle, mailoutbox):
    send(world, KLOES_DUE - 7 * DAY, alliance=world.london)

    assert recipients(mailoutbox) == [world.london_membership.user.email]
    assert mailoutbox[0].subject == (
        "[Action required] Share Camden's key lines of enquiry for London 2028 by 17 February 2028"
    )


def test_template_reminder_two_days_before_until_completed(world, cycle, mailoutbox):
    EventTemplateFactory(
        alliance=world.em,
        cycle=cycle,
        local_authority=council("Nottingham"),
        completed_at=timezone.now(),
    )
    EventTemplateFactory(  # started, not complete: still reminded
        alliance=world.em, cycle=cycle, local_authority=council("Derby"), next_steps="Draft"
    )
    assert send(world, TEMPLATES_DUE - 3 * DAY) == 0

    assert send(world, TEMPLATES_DUE - 2 * DAY) == 2

    assert recipients(mailoutbox) == ["dee@example.org", "oscar@example.org"]
    assert mailoutbox[0].subject == (
        "[Action required] Complete Derby's event-day template for Spring 2028 by 23 March 2028"
    )
    assert f"/a/east-midlands/triads/{cycle.pk}/councils/E06000015/template/" in (
        mailoutbox[0].body
    )


@pytest.fixture
def action(world, cycle):
    with scope(alliance=world.em):
        return action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Recruit two social work team managers",
            owner="Head of service",
            due_date=datetime.date(2028, 9, 1),
            tier2_group=None,
            created_by=world.pm,
        )


def test_action_due_reminder_seven_days_before(world, action, mailoutbox):
    assert send(world, datetime.date(2028, 8, 24)) == 0

    assert send(world, datetime.date(2028, 8, 25)) == 2

    assert recipients(mailoutbox) == ["dee@example.org", "oscar@example.org"]
    assert mailoutbox[0].subject == (
        "[Action required] Derby's agreed action is due by 1 September 2028: "
        "Recruit two social work team managers"
    )
    assert f"/a/east-midlands/actions/{action.pk}/" in mailoutbox[0].body


def test_action_overdue_reminder_once_the_day_after(world, action, mailoutbox):
    send(world, datetime.date(2028, 8, 25))  # the "due" reminder
    mailoutbox.clear()
    assert send(world, datetime.date(2028, 9, 1)) == 0  # due today: not overdue yet

    assert send(world, datetime.date(2028, 9, 2)) == 2
    assert send(world, datetime.date(2028, 9, 3)) == 0

    assert recipients(mailoutbox) == ["dee@example.org", "oscar@example.org"]
    assert mailoutbox[0].subject == (
        "[Action required] Derby's agreed action was due on 1 September 2028: "
        "Recruit two social work team managers"
    )
    assert "It was due on 1 September 2028." in mailoutbox[0].body


def test_a_scan_that_did_not_run_for_days_catches_up_the_overdue_reminders(
    world, action, mailoutbox
):
    """The reminder's day was 2 September; the scans of the days after did not run. The
    next one, ten days later, still sends it: it looks at every day since the last scan."""
    send(world, datetime.date(2028, 8, 31))  # the last scan before: the "due" reminder
    mailoutbox.clear()
    assert send(world, datetime.date(2028, 9, 12)) == 2
    assert send(world, datetime.date(2028, 9, 13)) == 0


def test_an_alliances_first_scan_catches_up_everything_overdue(world, action, mailoutbox):
    assert send(world, datetime.date(2029, 3, 1)) == 2  # six months overdue, never scanned
    assert "was due on 1 September 2028" in mailoutbox[0].subject


def test_an_action_overdue_before_the_last_scan_is_not_looked_at_again(world, action):
    """Its reminder day came before the alliance's last finished scan: the day's scan does
    not even load it, however many such actions there are."""
    today = datetime.date(2028, 9, 20)
    with scope(alliance=world.em):
        ReminderScanFactory(alliance=world.em, scanned_on=today - DAY)
        found = obligations(
            alliances=[world.em.pk], today=today, reminder_days={"action_overdue": 1}
        )
        assert [o for o in found if o.subject == action] == []
    with scope(alliance=world.em):
        ReminderScan.objects.filter(alliance=world.em).update(scanned_on=datetime.date(2028, 9, 1))
        found = obligations(
            alliances=[world.em.pk], today=today, reminder_days={"action_overdue": 1}
        )
        assert [o.subject for o in found] == [action]


def test_the_scan_records_its_day_and_never_moves_it_back(world, cycle):
    send(world, KLOES_DUE - 7 * DAY)
    send(world, KLOES_DUE - 9 * DAY)  # an earlier day, by hand
    with scope(alliance=world.em):
        assert ReminderScan.objects.get(alliance=world.em).scanned_on == KLOES_DUE - 7 * DAY


def test_action_reminders_stop_once_complete(world, action, mailoutbox):
    action.status = ActionStatus.COMPLETE
    action.save()

    assert send(world, datetime.date(2028, 8, 25)) == 0
    assert send(world, datetime.date(2028, 9, 2)) == 0
    assert mailoutbox == []


def test_a_disabled_kind_sends_nothing(world, cycle, action, mailoutbox):
    with scope(alliance=world.em):
        reminder_settings_save(alliance=world.em, values={"kloes_due": (7, False)})

    assert send(world, KLOES_DUE - 7 * DAY) == 0
    assert mailoutbox == []
    assert send(world, datetime.date(2028, 8, 25)) == 2  # other kinds still go


def test_custom_days_are_respected(world, cycle, action, mailoutbox):
    with scope(alliance=world.em):
        reminder_settings_save(
            alliance=world.em, values={"kloes_due": (14, True), "action_overdue": (5, True)}
        )

    assert send(world, KLOES_DUE - 15 * DAY) == 0
    assert send(world, KLOES_DUE - 14 * DAY) == 3
    mailoutbox.clear()
    send(world, datetime.date(2028, 8, 25))  # the "due" reminder, default 7 days
    mailoutbox.clear()
    assert send(world, datetime.date(2028, 9, 5)) == 0
    assert send(world, datetime.date(2028, 9, 6)) == 2


def test_a_failed_send_is_logged_and_retried_with_backoff(world, cycle, mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.peerchallenge.test_reminders.FailingBackend"
    assert send(world, KLOES_DUE - 7 * DAY) == 3  # queued, whatever the mail server does
    failed = logs(world)
    assert [(log.status, log.attempts) for log in failed] == [("queued", 1)] * 3
    assert failed[0].error == "ConnectionRefusedError: Connection refused by smtp.example.org"
    assert failed[0].sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send(world, KLOES_DUE - 7 * DAY) == 0  # queued once; not due again for a minute
    assert mailoutbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert deliver_queued() == 3
        assert send(world, KLOES_DUE - 6 * DAY) == 0

    assert recipients(mailoutbox) == ["dee@example.org", "nia@example.org", "oscar@example.org"]
    assert [(log.status, log.attempts, log.error) for log in logs(world)] == [("sent", 2, "")] * 3


def test_the_daily_task_scans_every_alliance_once(world, cycle, mailoutbox):
    with time_machine.travel(datetime.datetime(2028, 2, 10, 7, 0, tzinfo=datetime.UTC)):
        assert reminders_scan.delay().get() == 4
        assert reminders_scan.delay().get() == 0
        assert mailoutbox == []  # the scan only queues
        assert deliver_queued() == 4

    assert recipients(mailoutbox) == sorted(
        [
            "dee@example.org",
            "nia@example.org",
            "oscar@example.org",
            world.london_membership.user.email,
        ]
    )


# --- the log and the settings pages ------------------------------------------------------


def log_url(world):
    return reverse("reminder_log", kwargs={"alliance": world.em.slug})


def settings_url(world):
    return reverse("reminder_settings", kwargs={"alliance": world.em.slug})


def test_planners_see_every_send_in_the_log(client, world, cycle, mailoutbox):
    send(world, KLOES_DUE - 7 * DAY)
    for person in (world.pm, world.coordinator, world.admin):
        client.force_login(person)
        response = client.get(log_url(world))
        assert response.status_code == 200
        page = response.content.decode()
        assert "3 reminders" in page
        assert page.count("Share Derby&#x27;s key lines of enquiry for Spring 2028") == 2
        assert page.count("Key lines of enquiry due") == 3
        assert "oscar@example.org" in page
        assert "Camden" not in page  # London's reminders stay in London


def test_council_people_may_not_read_the_log(client, world, cycle):
    for person in (world.organiser, world.dcs, world.tier2):
        client.force_login(person)
        assert client.get(log_url(world)).status_code == 403
        assert client.get(settings_url(world)).status_code == 403


def test_log_query_count_is_constant(client, world, cycle, django_assert_max_num_queries):
    client.force_login(world.pm)
    send(world, KLOES_DUE - 7 * DAY)
    with django_assert_max_num_queries(12):
        assert client.get(log_url(world)).status_code == 200
    for i in range(60):
        person = UserFactory(email=f"extra{i}@example.org", mfa=False)
        MembershipFactory(
            alliance=world.em, user=person, role=Role.DCS, local_authority=council("Leicester")
        )
    send(world, KLOES_DUE - 6 * DAY)
    with django_assert_max_num_queries(12):
        page = client.get(log_url(world)).content.decode()
    assert "63 reminders, showing 1 to 50" in page


def test_settings_show_each_kind_with_its_defaults(client, world):
    client.force_login(world.pm)
    page = client.get(settings_url(world)).content.decode()
    for label in (
        "Key lines of enquiry due",
        "Event-day template due",
        "Agreed action due",
        "Agreed action overdue",
    ):
        assert label in page
    assert 'name="kloes_due_days" value="7"' in page
    assert 'name="template_due_days" value="2"' in page
    assert 'name="action_overdue_days" value="1"' in page


# The kinds this file is about; other offers' kinds (registered for regional alliances too)
# are posted at their defaults and left out of the comparisons.
CORE_AND_TRIAD_KINDS = {"kloes_due", "template_due", "action_due", "action_overdue"}


def other_kinds_at_default(alliance) -> dict:
    with scope(alliance=alliance):
        settings = reminder_settings_of(alliance=alliance)
    data = {}
    for setting in settings:
        if setting.kind.key not in CORE_AND_TRIAD_KINDS:
            data[f"{setting.kind.key}_days"] = str(setting.kind.default_days)
            data[f"{setting.kind.key}_enabled"] = "on"
    return data


def valid_post(alliance, **changes):
    data = {
        **other_kinds_at_default(alliance),
        "kloes_due_days": "10",
        "kloes_due_enabled": "on",
        "template_due_days": "2",
        "template_due_enabled": "on",
        "action_due_days": "7",
        "action_overdue_days": "3",
        "action_overdue_enabled": "on",
    }
    data.update(changes)
    return data


def test_settings_are_saved(client, world):
    client.force_login(world.admin)
    response = client.post(settings_url(world), valid_post(world.em))
    assert response.status_code == 302
    with scope(alliance=world.em):
        saved = {
            s.kind: (s.days, s.enabled)
            for s in ReminderSetting.objects.filter(
                alliance=world.em, kind__in=CORE_AND_TRIAD_KINDS
            )
        }
    assert saved == {
        "kloes_due": (10, True),
        "template_due": (2, True),
        "action_due": (7, False),
        "action_overdue": (3, True),
    }


@pytest.mark.parametrize(
    ("days", "error"),
    [
        ("-1", "Enter a number of days from 0 to 120."),
        ("121", "Enter a number of days from 0 to 120."),
        ("a week", "Enter the number of days as a whole number, like 7."),
        ("", "Enter the number of days before the due date."),
    ],
)
def test_bad_days_get_a_clear_error_and_nothing_is_lost(client, world, days, error):
    client.force_login(world.pm)
    response = client.post(settings_url(world), valid_post(world.em, template_due_days=days))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count(error) == 2  # in the summary and beside the field
    assert 'name="kloes_due_days" value="10"' in page  # what was typed elsewhere stays
    with scope(alliance=world.em):
        assert not ReminderSetting.objects.filter(alliance=world.em).exists()


def test_coordinator_reads_the_log_but_may_not_change_settings(client, world):
    client.force_login(world.coordinator)
    assert client.get(log_url(world)).status_code == 200
    assert client.get(settings_url(world)).status_code == 403
    assert client.post(settings_url(world), valid_post(world.em)).status_code == 403
