"""Sharing the final report with the council's regional alliance: the sponsor chooses the
audience (the alliance's programme managers and planners, or everyone in it); one rule
(permissions.SHARE_AUDIENCE_ROLES) decides the list, the download, the emails and what the
report page says; the sponsor can stop sharing after a confirmation."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import (
    ReportEvent,
    ReportState,
    ShareAudience,
    Stage,
)
from lga_cspc.permissions import SHARE_AUDIENCE_ROLES
from lga_cspc.services.report import (
    AUDIENCE_MISSING,
    FEEDBACK_REPORT,
    FINAL_TITLE,
    report_share,
    report_unshare,
)
from peerchallenge.models import LocalAuthority, OutboundEmail, Role
from reports.models import ReportVersion
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    ReportVersionFactory,
    UserFactory,
    council,
    region,
)
from tests.lga_cspc import test_report
from tests.lga_cspc.factories import ChallengeFactory, FeedbackReportFactory
from tests.lga_cspc.test_report import errors_of, report_row, to_final, url

# Derby's challenge with its report to write, and its team leader: the report tests' fixtures.
challenge = test_report.challenge
leader = test_report.leader

# The region's shared-reports page, with 1 or many reports: 7 fixed queries (the reports and
# their final versions one each), plus the content-type lookup when its cache is cold.
SHARED_PAGE_QUERIES = 8


@dataclass
class Region:
    alliance: object
    pm: object  # programme manager of East Midlands (a planner)
    coordinator: object  # a planner too
    organiser: object  # Leicester's organiser: another council of the region
    tier2: object  # a Tier 2 group member
    london: object
    london_pm: object


@pytest.fixture
def em(db) -> Region:
    alliance = AllianceFactory(
        name="East Midlands", slug="east-midlands", regions=[region("East Midlands")]
    )
    london = AllianceFactory(name="London", slug="london", regions=[region("London")])

    def member(alliance, role, name, la=None):
        user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}.em@example.org")
        MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
        return user

    return Region(
        alliance=alliance,
        pm=member(alliance, Role.PROGRAMME_MANAGER, "Mina Manager"),
        coordinator=member(alliance, Role.COORDINATOR, "Cora Coordinator"),
        organiser=member(alliance, Role.LA_ORGANISER, "Leo Leicester", council("Leicester")),
        tier2=member(alliance, Role.TIER2_MEMBER, "Tia Tier"),
        london=london,
        london_pm=member(london, Role.PROGRAMME_MANAGER, "Lou London"),
    )


def shared_page(alliance) -> str:
    return reverse("lga_cspc:shared_reports", kwargs={"alliance": alliance.slug})


def download(alliance, challenge) -> str:
    return reverse(
        "lga_cspc:shared_report_download",
        kwargs={"alliance": alliance.slug, "challenge": challenge.pk},
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def share(lga, challenge, audience):
    with scope(alliance=lga.alliance):
        return report_share(challenge=challenge, user=lga.derby_dcs, audience=audience)


def test_every_audience_has_its_roles_said_once():
    assert set(SHARE_AUDIENCE_ROLES) == set(ShareAudience.values)
    assert SHARE_AUDIENCE_ROLES["planners"] == {Role.PROGRAMME_MANAGER, Role.COORDINATOR}
    assert SHARE_AUDIENCE_ROLES["members"] == set(Role)


@pytest.mark.parametrize("audience", ["", "everyone", None])
def test_sharing_needs_an_audience(lga, challenge, leader, em, audience):
    to_final(lga, challenge, leader)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Choose who in the region may read the report"
        ) as excinfo,
    ):
        report_share(challenge=challenge, user=lga.derby_dcs, audience=audience)
    assert errors_of(excinfo) == {"audience": [AUDIENCE_MISSING]}
    assert report_row(challenge).shared_with_region_at is None


def test_the_share_page_asks_who_and_says_so_when_nobody_is_chosen(
    client, lga, challenge, leader, em
):
    to_final(lga, challenge, leader)
    client.force_login(lga.derby_dcs)
    page = client.get(url("report_share", lga, challenge)).content.decode()
    assert "Who in East Midlands may read it?" in page
    assert "Programme managers and planners of East Midlands (2 people)" in page
    assert "Everyone in East Midlands (4 people)" in page
    response = client.post(url("report_share", lga, challenge), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    # In the error summary, and next to the radios.
    assert html.count(AUDIENCE_MISSING) == 2
    assert 'class="govuk-error-message"' in html
    assert response.context["form"].errors == {"audience": [AUDIENCE_MISSING]}
    assert report_row(challenge).shared_with_region_at is None


READS = {
    "planners": {"pm": True, "coordinator": True, "organiser": False, "tier2": False},
    "members": {"pm": True, "coordinator": True, "organiser": True, "tier2": True},
}


@pytest.mark.parametrize("audience", ["planners", "members"])
def test_each_audience_reads_the_report_and_no_one_else(
    client, lga, challenge, leader, em, audience, django_capture_on_commit_callbacks
):
    to_final(lga, challenge, leader, django_capture_on_commit_callbacks)
    client.force_login(lga.derby_dcs)
    response = client.post(url("report_share", lga, challenge), {"audience": audience})
    assert response.status_code == 302
    report = report_row(challenge)
    assert (report.share_audience, report.shared_by) == (audience, lga.derby_dcs)
    for person, reads in READS[audience].items():
        client.force_login(getattr(em, person))
        listed = "Derby" in client.get(shared_page(em.alliance)).content.decode()
        status = client.get(download(em.alliance, challenge)).status_code
        # The list and the download agree, person by person.
        assert (person, listed, status) == (person, reads, 200 if reads else 404)
    # Another alliance's planners: not on their page, and 404 through the region's URL.
    client.force_login(em.london_pm)
    assert "Derby" not in client.get(shared_page(em.london)).content.decode()
    assert client.get(download(em.london, challenge)).status_code == 404
    assert client.get(download(em.alliance, challenge)).status_code == 404


@pytest.mark.parametrize(
    ("audience", "readers"),
    [("planners", ["pm", "coordinator"]), ("members", ["pm", "coordinator", "organiser", "tier2"])],
)
def test_sharing_emails_each_reader_a_link_to_the_shared_reports(
    lga, challenge, leader, em, audience, readers, mailoutbox, django_capture_on_commit_callbacks
):
    to_final(lga, challenge, leader)
    with django_capture_on_commit_callbacks(execute=True):
        share(lga, challenge, audience)
    expected = sorted(getattr(em, person).email for person in readers)
    assert sorted(address for message in mailoutbox for address in message.to) == expected
    assert all(len(message.to) == 1 for message in mailoutbox)  # nobody sees the others
    message = mailoutbox[0]
    assert message.subject == "Derby has shared its peer challenge report with you"
    assert "Dora Derby, for Derby, has shared the final written feedback" in message.body
    assert f"{settings.SITE_URL}{shared_page(em.alliance)}\n" in message.body
    # Nobody in London is told.
    assert em.london_pm.email not in expected
    with scopes_disabled():
        assert OutboundEmail.objects.filter(template="cspc_report_shared").count() == len(readers)


def test_the_report_page_says_who_can_read_it(client, lga, challenge, leader, em):
    to_final(lga, challenge, leader)
    client.force_login(lga.derby_dcs)
    page = client.get(url("report", lga, challenge)).content.decode()
    assert "Not shared: in East Midlands, nobody can read the report." in page
    assert url("report_share", lga, challenge) in page
    share(lga, challenge, "planners")
    page = client.get(url("report", lga, challenge)).content.decode()
    assert "Programme managers and planners of East Midlands (2 people now)" in page
    assert url("report_unshare", lga, challenge) in page
    # The LGA sees with whom; only the sponsor may stop it.
    client.force_login(lga.pm)
    page = client.get(url("report", lga, challenge)).content.decode()
    assert "Programme managers and planners of East Midlands (2 people now)" in page
    assert url("report_unshare", lga, challenge) not in page
    detail = client.get(url("challenge_detail", lga, challenge)).content.decode()
    assert "shared with Programme managers and planners of East Midlands on " in detail


def test_stopping_sharing_asks_first_and_a_second_confirmation_is_harmless(
    client, lga, challenge, leader, em, django_capture_on_commit_callbacks
):
    to_final(lga, challenge, leader, django_capture_on_commit_callbacks)
    share(lga, challenge, "planners")
    client.force_login(lga.derby_dcs)
    unshare = url("report_unshare", lga, challenge)
    page = client.get(unshare).content.decode()
    assert "Stop sharing?" in page
    assert (
        "Programme managers and planners of East Midlands (2 people) will no longer be able to "
        "read or download the final report." in page
    )
    assert report_row(challenge).shared_with_region_at is not None  # a GET changes nothing
    response = client.post(unshare, {})  # no confirmation: asked again
    assert (response.status_code, "Stop sharing?" in response.content.decode()) == (200, True)
    assert report_row(challenge).shared_with_region_at is not None

    response = client.post(unshare, {"confirm": "yes"})
    assert response.status_code == 302
    assert messages_of(response) == ["The final report is no longer shared with the region."]
    report = report_row(challenge)
    assert (report.shared_with_region_at, report.shared_by, report.share_audience) == (
        None,
        None,
        "",
    )
    client.force_login(em.pm)
    assert "Derby" not in client.get(shared_page(em.alliance)).content.decode()
    assert client.get(download(em.alliance, challenge)).status_code == 404

    client.force_login(lga.derby_dcs)
    response = client.post(unshare, {"confirm": "yes"})  # again: nothing to stop
    assert response.status_code == 302
    assert messages_of(response) == [
        "The final report was not shared with the region: nothing changed."
    ]
    assert "The report is not shared" in client.get(unshare).content.decode()
    with scopes_disabled():
        notes = list(
            ReportEvent.objects.filter(report__challenge=challenge)
            .order_by("pk")
            .values_list("note", flat=True)
        )
    assert notes[-2:] == [
        "Shared with the region: Programme managers and planners of East Midlands",
        "Sharing with the region stopped",
    ]
    # The sponsor may share again, with another audience.
    share(lga, challenge, "members")
    client.force_login(em.tier2)
    assert client.get(download(em.alliance, challenge)).status_code == 200


def test_only_the_sponsor_stops_sharing(lga, challenge, leader, em):
    to_final(lga, challenge, leader)
    share(lga, challenge, "members")
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Only the council's sponsor stops sharing the"
        ) as excinfo,
    ):
        report_unshare(challenge=challenge, user=lga.pm)
    assert errors_of(excinfo) == {
        "state": ["Only the council's sponsor stops sharing the report with the region."]
    }
    assert report_row(challenge).shared_with_region_at is not None


@pytest.mark.parametrize("count", [1, 6])
def test_the_shared_reports_page_query_count_stays_constant(
    client, lga, em, count, django_assert_max_num_queries
):
    councils = LocalAuthority.objects.filter(region=region("East Midlands")).order_by("name")
    with scopes_disabled():  # test set-up: reports the councils shared, half with planners
        for number, la in enumerate(councils[:count]):
            earlier = ChallengeFactory(offer=lga.offer, local_authority=la, stage=Stage.CLOSED)
            FeedbackReportFactory(
                alliance=lga.alliance,
                challenge=earlier,
                state=ReportState.FINAL,
                shared_with_region_at=timezone.now(),
                shared_by=lga.derby_dcs,
                share_audience="planners" if number % 2 else "members",
            )
            ReportVersionFactory(
                alliance=lga.alliance,
                report=FEEDBACK_REPORT,
                title=FINAL_TITLE,
                subject=earlier,
                number=1,
                status=ReportVersion.Status.RENDERED,
                rendered_at=timezone.now(),
            )
    for person, listed in ((em.pm, count), (em.tier2, (count + 1) // 2)):
        client.force_login(person)
        with django_assert_max_num_queries(SHARED_PAGE_QUERIES):
            page = client.get(shared_page(em.alliance)).content.decode()
        assert page.count("Download<span") == listed
