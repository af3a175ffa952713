"""The council's sponsor shares the final LGA report with the region, each person in their
own browser: the sponsor must choose the audience (an error when none is chosen), chooses
the regional alliance's programme managers and planners, and the report page says who reads
it; a planner of the region is emailed, finds the report on the shared-reports page and
downloads it; a Tier 2 member of the same alliance does not see it; the sponsor stops
sharing after a confirmation. axe runs on every page."""

import datetime
import re

from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from lga_cspc.models import FeedbackReport, Offer, Stage
from lga_cspc.services.catalogue import catalogue_load_standard
from lga_cspc.services.report import (
    report_agree,
    report_close_accuracy,
    report_issue_draft,
    report_issue_final,
    report_save,
    report_sign_off,
    report_submit_qa,
)
from peerchallenge.models import Alliance, Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory


def test_the_sponsor_shares_the_final_report_with_the_regions_planners(new_page, site, mailoutbox):
    lga = AllianceFactory(
        name="Local Government Association",
        short_name="LGA",
        slug="lga",
        kind=Alliance.Kind.NATIONAL,
        regions=[],
    )
    em = AllianceFactory(
        name="East Midlands", slug="east-midlands", regions=[region("East Midlands")]
    )
    derby = council("Derby")

    def person(alliance, email, name, role, la=None):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
        return user

    pm = person(lga, "petra.pm@example.org", "Petra Programme", Role.PROGRAMME_MANAGER)
    pa = person(lga, "pia.pa@example.org", "Pia Principal", Role.PRINCIPAL_ADVISER)
    cia = person(lga, "cai.cia@example.org", "Cai Adviser", Role.IMPROVEMENT_ADVISER)
    pcm = person(lga, "maya.pcm@example.org", "Maya Manager", Role.CONSULTANT)
    leader = person(lga, "tara.lead@example.org", "Tara Leader", Role.PEER_REVIEWER)
    dcs = person(lga, "dora.dcs@example.org", "Dora Derby", Role.DCS, derby)
    planner = person(em, "mina.em@example.org", "Mina Midlands", Role.PROGRAMME_MANAGER)
    tier2 = person(em, "tia.em@example.org", "Tia Tier", Role.TIER2_MEMBER)

    # The report, written, assured and issued after an on-site visit that is over.
    today = timezone.localdate()
    with scopes_disabled():
        catalogue_load_standard(alliance=lga)
        challenge = ChallengeFactory(
            alliance=lga,
            offer=Offer.objects.get(alliance=lga, name="Children's Services Peer Challenge"),
            local_authority=derby,
            stage=Stage.REPORT,
            onsite_start=today - datetime.timedelta(days=40),
            days=3,
            sponsor=dcs,
            principal_adviser=pa,
            improvement_adviser=cia,
            case_lists=[],  # none agreed, the model default (the factory agrees every list)
        )
        TeamMemberFactory(
            challenge=challenge, user=pcm, role="peer_challenge_manager", indicative_days=9
        )
        TeamMemberFactory(challenge=challenge, user=leader, role="team_leader", indicative_days=7)
    with scope(alliance=lga):
        report_save(
            challenge=challenge,
            user=pcm,
            executive_summary="Leaders know their services well.",
            strengths="Social workers know their children well.",
            areas_for_development="Supervision is not always recorded.",
            recommendations="Strengthen the recording of management oversight.",
        )
        report_agree(challenge=challenge, user=leader)
        report_submit_qa(challenge=challenge, user=pcm)
        for user in (pm, pa, cia):
            report_sign_off(challenge=challenge, user=user)
        report_issue_draft(challenge=challenge, user=pcm, today=today)
        closes = FeedbackReport.objects.get(challenge=challenge).accuracy_closes_on
        report_close_accuracy(
            challenge=challenge, user=pcm, today=closes + datetime.timedelta(days=1)
        )
        report_issue_final(challenge=challenge, user=pm, today=closes + datetime.timedelta(days=1))
    report_url = f"/a/lga/cspc/{challenge.pk}/report/"

    # 1. The sponsor shares: an audience must be chosen; the page then says who reads it.
    sponsor = new_page()
    sign_in(sponsor, dcs)
    sponsor.goto(report_url)
    sponsor.get_by_text("Not shared: in East Midlands, nobody can read the report.").wait_for()
    assert_accessible(sponsor)
    sponsor.get_by_role("button", name="Share the final report with the region").click()
    sponsor.get_by_role("heading", name="Who in East Midlands may read it?").wait_for()
    assert_accessible(sponsor)
    sponsor.get_by_role("button", name="Share the final report").click()
    sponsor.get_by_text("There is a problem").wait_for()
    assert_accessible(sponsor)
    sponsor.get_by_label("Programme managers and planners of East Midlands (1 person)").check()
    sponsor.get_by_role("button", name="Share the final report").click()
    sponsor.get_by_text(
        "Programme managers and planners of East Midlands (1 person now)"
    ).wait_for()
    assert_accessible(sponsor)
    assert [m.to for m in mailoutbox if "shared its peer challenge report" in m.subject] == [
        [planner.email]
    ]

    # 2. The region's planner follows the navigation to the report and downloads it.
    reader = new_page()
    sign_in(reader, planner)
    reader.goto("/a/east-midlands/")
    reader.get_by_role("link", name="Shared LGA reports").click()
    reader.get_by_role("rowheader", name="Derby").wait_for()
    assert_accessible(reader)
    with reader.expect_download() as download:
        reader.get_by_role("link", name=re.compile("Download the final report of Derby")).click()
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Social workers know their children well." in re.sub(r"\s+", " ", text)

    # 3. A Tier 2 member of the same alliance is not in the audience.
    other = new_page()
    sign_in(other, tier2)
    other.goto("/a/east-midlands/cspc/shared/")
    other.get_by_text("No council in the region has shared a peer challenge report").wait_for()
    assert_accessible(other)

    # 4. The sponsor stops sharing, after being told who loses access.
    sponsor.get_by_role("link", name="Stop sharing the report with the region").click()
    sponsor.get_by_role("heading", name="Stop sharing?").wait_for()
    sponsor.get_by_text(
        re.compile("Programme managers and planners of East Midlands \\(1 person\\) will no")
    ).wait_for()
    assert_accessible(sponsor)
    sponsor.get_by_role("button", name="Yes, stop sharing").click()
    sponsor.get_by_text("The final report is no longer shared with the region.").wait_for()
    assert_accessible(sponsor)
    reader.goto("/a/east-midlands/cspc/shared/")
    reader.get_by_text("No council in the region has shared a peer challenge report").wait_for()
