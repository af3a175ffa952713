"""axe on the LGA peer challenge pages the journeys do not reach: the catalogue's offer
form, the conflicts of interest page, a timetable session's change and removal pages, a
case's removal page, the on-site log (the team's and the sponsor's shared view), the
presentation outline, and the regional alliance's shared reports. The data is set up
through the services; four people sign in once each, and each page gets the one
interaction that shows its other state (an error summary, a confirmation)."""

import datetime

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import CaseFile, ReportState, SiteNote, Stage
from lga_cspc.services.cases import case_findings_save, cases_add
from lga_cspc.services.onsite import site_note_add, site_note_share
from lga_cspc.services.report import FEEDBACK_REPORT, FINAL_TITLE
from lga_cspc.services.timetable import timetable_session_save
from peerchallenge.models import Role, SessionKind
from reports.models import ReportVersion
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    ReportVersionFactory,
    UserFactory,
    council,
    region,
)
from tests.lga_cspc.factories import (
    ChallengeFactory,
    FeedbackReportFactory,
    TeamMemberFactory,
    lga,  # noqa: F401  (the fixture)
)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def error_summary(page) -> str:
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    return summary.inner_text()


def test_cspc_pages_outside_the_journeys_are_accessible(site, lga, new_page):  # noqa: F811
    with scopes_disabled():  # test set-up
        challenge = ChallengeFactory(
            offer=lga.offer,
            stage=Stage.PREPARATION,
            sponsor=lga.derby_dcs,
            organiser=lga.derby_organiser,
            principal_adviser=lga.principal_adviser,
            improvement_adviser=lga.cia,
        )
        TeamMemberFactory(
            challenge=challenge, user=lga.peer, role="peer_challenge_manager", indicative_days=6
        )
    day1 = challenge.onsite_start
    with scope(alliance=lga.alliance):

        def session(title, start, end, kind=SessionKind.INTERVIEW):
            return timetable_session_save(
                challenge=challenge,
                kind=kind,
                title=title,
                starts_at=start,
                ends_at=end,
                peers=[lga.peer],
                room="Room 2",
                user=lga.derby_organiser,
            )

        overview = session("Overview", at(day1, 9), at(day1, 9, 20), SessionKind.OVERVIEW)
        interview = session("Interview with the DCS", at(day1, 10), at(day1, 11))
        reviewed, _ = cases_add(
            challenge=challenge,
            references=["DY-1001", "DY-1002"],
            source=challenge.case_lists[0],
            user=lga.peer,
        )
        case_findings_save(case=reviewed, user=lga.peer, quality=CaseFile.Quality.MIXED)
        issue = site_note_add(
            challenge=challenge,
            author=lga.peer,
            kind=SiteNote.Kind.EMERGING_ISSUE,
            title="Thresholds at the front door",
            text="Referrals wait two days for a decision.\n\nManagers know.",
            session=overview,
            for_presentation=True,
        )
        site_note_share(note=issue, user=lga.peer)
        site_note_add(
            challenge=challenge,
            author=lga.peer,
            kind=SiteNote.Kind.STRENGTH,
            text="Social workers know their children well.",
            for_presentation=True,
        )
    # Two final reports Derby and Leicester shared with the East Midlands: one rendered (a
    # download link), one still being prepared.
    east_midlands = AllianceFactory(
        name="East Midlands", slug="east-midlands", regions=[region("East Midlands")]
    )
    emma = UserFactory(full_name="Emma Midlands", email="emma.em@example.org")
    MembershipFactory(alliance=east_midlands, user=emma, role=Role.PEER_REVIEWER)
    with scopes_disabled():  # test set-up
        for la, rendered in (("Derby", True), ("Leicester", False)):
            earlier = ChallengeFactory(
                offer=lga.offer,
                local_authority=council(la),
                stage=Stage.CLOSED,
                onsite_start=datetime.date(2025, 11, 3),
            )
            FeedbackReportFactory(
                alliance=lga.alliance,
                challenge=earlier,
                state=ReportState.FINAL,
                shared_with_region_at=timezone.now(),
                shared_by=lga.derby_dcs,
                share_audience="members",  # Emma, a peer reviewer there, reads them
            )
            if rendered:
                ReportVersionFactory(
                    alliance=lga.alliance,
                    report=FEEDBACK_REPORT,
                    title=FINAL_TITLE,
                    subject=earlier,
                    number=1,
                    status=ReportVersion.Status.RENDERED,
                    rendered_at=timezone.now(),
                )
    base = f"/a/lga/cspc/{challenge.pk}"

    # The peer: conflicts (refused empty, then declared), the case removal page (a reviewed
    # case warns its findings go too), the team's log (a note refused empty) and the
    # presentation outline.
    pete = new_page()
    sign_in(pete, lga.peer)
    pete.goto("/a/lga/cspc/conflicts/")
    assert_accessible(pete)
    pete.get_by_role("button", name="Declare conflict").click()
    assert "Choose the council." in error_summary(pete)
    assert_accessible(pete)
    pete.get_by_label("Council").select_option(label="Lewisham")
    pete.get_by_label("Reason").fill("I work there")
    pete.get_by_role("button", name="Declare conflict").click()
    pete.get_by_text("Conflict of interest with Lewisham declared.").wait_for()
    assert_accessible(pete)

    pete.goto(f"{base}/cases/{reviewed.pk}/delete/")
    pete.get_by_text("its recorded findings will be removed too").wait_for()
    assert_accessible(pete)
    pete.get_by_role("button", name="Yes, remove").click()
    pete.get_by_text("Case DY-1001 removed from the review.").wait_for()

    pete.goto(f"{base}/on-site/")
    pete.get_by_role("heading", name="Thresholds at the front door").first.wait_for()
    assert_accessible(pete)
    pete.get_by_role("button", name="Add note").click()
    assert "Enter the note." in error_summary(pete)
    assert_accessible(pete)
    pete.goto(f"{base}/on-site/presentation/")
    pete.get_by_text("Social workers know their children well.").wait_for()
    assert_accessible(pete)

    # The programme manager: the catalogue's offer form, new (refused empty) and changed;
    # everyone's conflicts of interest.
    petra = new_page()
    sign_in(petra, lga.pm)
    petra.goto("/a/lga/cspc/catalogue/new/")
    assert_accessible(petra)
    petra.get_by_label("Name").fill("")
    petra.get_by_label("Shortest on-site length (days)").fill("")
    petra.get_by_role("button", name="Save offer").click()
    assert "Enter the offer's name." in error_summary(petra)
    assert_accessible(petra)
    petra.goto(f"/a/lga/cspc/catalogue/{lga.offer.pk}/edit/")
    petra.get_by_role("heading", name=f"Change {lga.offer.name}").wait_for()
    assert_accessible(petra)
    petra.goto("/a/lga/cspc/conflicts/")
    petra.get_by_role("heading", name="Everyone's declarations").wait_for()
    assert petra.get_by_role("row", name="Pete Peer Lewisham I work there").count() == 1
    assert_accessible(petra)

    # The council's sponsor: the emerging issues shared with them; a session changed
    # (refused without a title) and another removed.
    dora = new_page()
    sign_in(dora, lga.derby_dcs)
    dora.goto(f"{base}/on-site/")
    dora.get_by_role("heading", name="Emerging issues: no surprises").wait_for()
    assert dora.get_by_text("Social workers know their children well.").count() == 0
    dora.get_by_text("Referrals wait two days for a decision.").wait_for()
    assert_accessible(dora)

    dora.goto(f"{base}/timetable/{interview.pk}/edit/")
    assert_accessible(dora)
    dora.get_by_label("Title").fill("")
    dora.get_by_role("button", name="Save session").click()
    assert "Enter the session's title." in error_summary(dora)
    assert_accessible(dora)
    dora.goto(f"{base}/timetable/{interview.pk}/delete/")
    assert_accessible(dora)
    dora.get_by_role("button", name="Yes, remove").click()
    dora.get_by_text("“Interview with the DCS” removed from the timetable.").wait_for()
    assert_accessible(dora)

    # The regional alliance: the final reports its councils shared.
    em = new_page()
    sign_in(em, emma)
    em.goto("/a/east-midlands/cspc/shared/")
    em.get_by_role("link", name="Download the final report of Derby", exact=False).wait_for()
    assert em.get_by_text("Being prepared").count() == 1
    assert_accessible(em)
