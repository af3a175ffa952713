"""Downloading a report: the people the report's rules entitle get the PDF and a line in the
access log; everyone else gets 404, whatever the method."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from peerchallenge.models import AccessLog
from reports.models import ReportVersion
from reports.services import report_request

pytestmark = pytest.mark.urls("tests.reports.urls")


def requested(alliance, user, capture, *, execute=True) -> ReportVersion:
    with scope(alliance=alliance), capture(execute=execute):
        version = report_request(identifier="tests.example", subject=alliance, requested_by=user)
    version.refresh_from_db()
    return version


def url(alliance, version) -> str:
    return reverse(
        "reports:report_download",
        kwargs={"alliance": alliance.slug, "report_version": version.pk},
    )


def test_entitled_member_downloads_the_pdf_and_it_is_logged(
    client, world, django_capture_on_commit_callbacks
):
    version = requested(world.em, world.pm, django_capture_on_commit_callbacks)
    client.force_login(world.coordinator)  # a manager: the test rule entitles managers
    response = client.get(url(world.em, version))
    assert response.status_code == 200
    with version.file.open("rb") as file:
        assert b"".join(response.streaming_content) == file.read()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="alliance-summary-east-midlands-riia-version-1.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    with scopes_disabled():
        log = AccessLog.objects.get()
    assert (log.alliance, log.user, log.action, log.object_type, log.object_id) == (
        world.em,
        world.coordinator,
        "download",
        "reports.ReportVersion",
        str(version.pk),
    )
    assert log.object_repr == "Alliance summary (version 1)"


@pytest.mark.parametrize("method", ["get", "post"])
def test_member_the_rules_do_not_entitle_gets_404(
    method, client, world, django_capture_on_commit_callbacks
):
    version = requested(world.em, world.pm, django_capture_on_commit_callbacks)
    client.force_login(world.organiser)  # a member of the alliance, not a manager
    assert getattr(client, method)(url(world.em, version)).status_code == 404
    with scopes_disabled():
        assert AccessLog.objects.count() == 0


def test_member_of_another_alliance_gets_404(client, world, django_capture_on_commit_callbacks):
    version = requested(world.em, world.pm, django_capture_on_commit_callbacks)
    client.force_login(world.outsider)
    assert client.get(url(world.em, version)).status_code == 404
    assert client.get(url(world.london, version)).status_code == 404


def test_other_alliances_version_through_own_alliance_url_gets_404(
    client, world, django_capture_on_commit_callbacks
):
    london_version = requested(world.london, world.outsider, django_capture_on_commit_callbacks)
    assert london_version.status == "rendered"
    client.force_login(world.admin)  # entitled in East Midlands
    assert client.get(url(world.em, london_version)).status_code == 404
    assert client.post(url(world.em, london_version)).status_code == 404


def test_version_not_rendered_yet_gets_404(client, world, django_capture_on_commit_callbacks):
    version = requested(world.em, world.pm, django_capture_on_commit_callbacks, execute=False)
    assert version.status == "pending"
    client.force_login(world.pm)
    assert client.get(url(world.em, version)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, world, django_capture_on_commit_callbacks):
    version = requested(world.em, world.pm, django_capture_on_commit_callbacks)
    response = client.get(url(world.em, version))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url(world.em, version)}"
