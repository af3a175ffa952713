"""A report never stays "being prepared" for ever: the version row is the durable record,
the reaper queues again what the broker lost or a dead worker left, a broker that is away
when a report is asked for is said honestly, failures are shown, and the person who asked
may try again."""

from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from kombu.exceptions import OperationalError

from reports.models import ReportVersion
from reports.services import (
    LEASE,
    MAX_ATTEMPTS,
    QUEUE_STALE,
    UNQUEUED_GRACE,
    report_claim,
    report_request,
)
from reports.tasks import reap, render

pytestmark = pytest.mark.urls("tests.reports.urls")

BROKER_DOWN = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def requested(world, capture, *, execute=True, identifier="tests.example") -> ReportVersion:
    with scope(alliance=world.em), capture(execute=execute):
        version = report_request(identifier=identifier, subject=world.em, requested_by=world.pm)
    return fresh(version)


def fresh(version) -> ReportVersion:
    with scopes_disabled():
        return ReportVersion.objects.get(pk=version.pk)


def age(version, **fields) -> None:
    """Move the version's times into the past, as if the clock had run on."""
    with scopes_disabled():
        ReportVersion.objects.filter(pk=version.pk).update(**fields)


def test_queued_version_records_when_it_was_handed_to_the_broker(
    world, django_capture_on_commit_callbacks
):
    with mock.patch("reports.tasks.render.apply_async") as apply_async:
        version = requested(world, django_capture_on_commit_callbacks)
    apply_async.assert_called_once_with((version.pk,))
    assert (version.status, version.queued_at is not None, version.attempts) == ("pending", True, 0)
    assert version.state_note == "queued"


def test_worker_death_mid_render_is_reaped_and_rendered(world, django_capture_on_commit_callbacks):
    with mock.patch("reports.tasks.render.apply_async"):
        version = requested(world, django_capture_on_commit_callbacks)
    # A worker takes it, then dies (killed, out of memory): its lease is left behind.
    with scopes_disabled():
        claimed = report_claim(version_id=version.pk)
    assert (claimed.status, claimed.attempts) == ("rendering", 1)
    # While the lease is live, the reaper leaves it and a redelivered message does nothing.
    assert reap() == {"requeued": 0, "failed": 0}
    assert render(version.pk) is None
    assert fresh(version).status == "rendering"

    age(version, started_at=timezone.now() - LEASE - timedelta(seconds=1))
    assert reap() == {"requeued": 1, "failed": 0}  # tasks run in-process here: rendered now
    version = fresh(version)
    assert (version.status, version.attempts, version.started_at) == ("rendered", 2, None)
    assert version.pages >= 2


def test_a_render_that_keeps_dying_is_marked_failed(world, django_capture_on_commit_callbacks):
    with mock.patch("reports.tasks.render.apply_async"):
        version = requested(world, django_capture_on_commit_callbacks)
    age(
        version,
        status=ReportVersion.Status.RENDERING,
        attempts=MAX_ATTEMPTS,
        started_at=timezone.now() - LEASE - timedelta(seconds=1),
    )
    assert reap() == {"requeued": 0, "failed": 1}
    version = fresh(version)
    assert (version.status, version.state_note) == ("failed", "could not be produced")
    assert version.error == (
        "The rendering stopped before it finished 3 times (the worker died or ran out of time)."
    )
    # A message Redis redelivers later does not start it again either.
    assert render(version.pk) is None
    assert fresh(version).status == "failed"


def test_broker_down_when_asked_leaves_it_queued_and_the_reaper_hands_it_over(
    world, django_capture_on_commit_callbacks
):
    with mock.patch("reports.tasks.render.apply_async", side_effect=BROKER_DOWN):
        version = requested(world, django_capture_on_commit_callbacks)  # no error for the asker
    assert (version.status, version.queued_at) == ("pending", None)
    assert version.state_note == "queued, it will be produced when the report service is back"

    # Within the grace the request's own hook may still be running: left alone.
    assert reap() == {"requeued": 0, "failed": 0}
    age(version, requested_at=timezone.now() - UNQUEUED_GRACE - timedelta(seconds=1))
    # Still down: the reaper tries, fails quietly, and tries again next time.
    with mock.patch("reports.tasks.render.apply_async", side_effect=BROKER_DOWN):
        assert reap() == {"requeued": 0, "failed": 0}
    assert fresh(version).queued_at is None
    # Back: produced.
    assert reap() == {"requeued": 1, "failed": 0}
    assert fresh(version).status == "rendered"


def test_a_message_the_broker_lost_is_queued_again(world, django_capture_on_commit_callbacks):
    with mock.patch("reports.tasks.render.apply_async"):  # accepted, then lost
        version = requested(world, django_capture_on_commit_callbacks)
    with mock.patch("reports.tasks.render.apply_async") as apply_async:
        assert reap() == {"requeued": 0, "failed": 0}
        age(version, queued_at=timezone.now() - QUEUE_STALE - timedelta(seconds=1))
        assert reap() == {"requeued": 1, "failed": 0}
    apply_async.assert_called_once_with((version.pk,))


def test_every_render_has_a_soft_and_a_hard_time_limit():
    # The soft limit stops the render and records the failure; the hard one kills a render
    # that ignores it, whose expired lease the reaper then finds (LEASE is longer).
    assert (render.soft_time_limit, render.time_limit) == (100, 120)
    assert LEASE.total_seconds() > render.time_limit
    assert (render.acks_late, render.reject_on_worker_lost) == (True, True)


def test_a_render_out_of_time_is_marked_failed_and_said_so(
    world, django_capture_on_commit_callbacks
):
    with mock.patch("reports.pdf.html_to_pdf", side_effect=SoftTimeLimitExceeded()):
        version = requested(world, django_capture_on_commit_callbacks)
    assert (version.status, version.started_at) == ("failed", None)
    assert version.error == "The rendering took longer than 100 seconds and was stopped."


def test_a_report_too_long_to_render_fails_at_once_and_says_so(
    world, django_capture_on_commit_callbacks
):
    with (
        mock.patch("reports.services.REPORT_HTML_MAX_CHARS", 100),
        mock.patch("reports.pdf.html_to_pdf", side_effect=AssertionError("not reached")),
    ):
        version = requested(world, django_capture_on_commit_callbacks)
    assert (version.status, version.started_at) == ("failed", None)
    assert version.error.startswith("ReportTooLong: The report holds ")
    assert version.error.endswith(
        "characters, more than the 100 a report may have; shorten the longest texts."
    )


def retry_url(alliance, version) -> str:
    return reverse(
        "reports:report_retry", kwargs={"alliance": alliance.slug, "report_version": version.pk}
    )


@pytest.fixture
def failed(world, django_capture_on_commit_callbacks) -> ReportVersion:
    with mock.patch("reports.pdf.html_to_pdf", side_effect=SoftTimeLimitExceeded()):
        return requested(world, django_capture_on_commit_callbacks)


def test_the_person_who_asked_tries_a_failed_version_again(
    client, world, failed, django_capture_on_commit_callbacks
):
    client.force_login(world.pm)
    back = "/a/east-midlands/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(world.em, failed), {"next": back})
    assert (response.status_code, response["Location"]) == (302, back)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Version 1 of the alliance summary is being produced again. Refresh the page in a minute."
    ]
    version = fresh(failed)
    assert (version.status, version.error, version.attempts) == ("rendered", "", 1)


def test_try_again_with_the_broker_down_says_it_is_queued(
    client, world, failed, django_capture_on_commit_callbacks
):
    client.force_login(world.pm)
    with (
        mock.patch("reports.tasks.render.apply_async", side_effect=BROKER_DOWN),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(retry_url(world.em, failed), {"next": "https://example.org/"})
    # Somewhere else is not a place to go back to.
    assert (response.status_code, response["Location"]) == (302, "/a/east-midlands/")
    # Still queued for the reaper to hand over.
    version = fresh(failed)
    assert (version.status, version.queued_at, version.error) == ("pending", None, "")


def test_try_again_is_only_for_the_person_who_asked(client, world, failed):
    client.force_login(world.admin)
    assert client.post(retry_url(world.em, failed)).status_code == 403
    client.force_login(world.outsider)
    assert client.post(retry_url(world.em, failed)).status_code == 404
    client.force_login(world.pm)
    assert client.get(retry_url(world.em, failed)).status_code == 405
    assert fresh(failed).status == "failed"


def test_the_version_state_shows_try_again_to_the_person_who_asked_only(rf, world, failed):
    from django.template.loader import render_to_string

    request = rf.get("/a/east-midlands/triads/")
    request.user = world.pm
    html = render_to_string(
        "reports/_version_state.html", {"version": failed, "alliance": world.em}, request=request
    )
    assert "could not be produced" in html
    assert retry_url(world.em, failed) in html
    assert 'name="next" value="/a/east-midlands/triads/"' in html
    request.user = world.admin
    html = render_to_string(
        "reports/_version_state.html", {"version": failed, "alliance": world.em}, request=request
    )
    assert ("could not be produced" in html, "Try again" in html) == (True, False)
