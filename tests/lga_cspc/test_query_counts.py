"""The challenge's page answers every person who may open it in a fixed number of queries,
however big the challenge grows (issue 12): more team members, documents, sessions, cases,
report versions and comments add rows to what the page reads, never queries.

Two challenges: one in scoping (the proposal sent, waiting for the sponsor) and one after
the final report (shared with the region, being evaluated), so that every section of the
page has something to show. Each is counted on its own, small and then grown, for each
person: the LGA's planners, the peer challenge manager and a peer on the team, the named
advisers, the council's named sponsor, another DCS of the council and its organiser."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import ReportState, ShareAudience, SiteNote, Stage
from lga_cspc.selectors import challenge_page_queryset
from lga_cspc.services.cases import CASE_REVIEW_REPORT
from lga_cspc.services.documents import checklist_upload
from lga_cspc.services.report import FEEDBACK_REPORT, FINAL_TITLE
from lga_cspc.services.scoping import PROPOSAL_REPORT
from peerchallenge.models import Alliance, Role
from reports.models import ReportVersion
from tests.factories import (
    ActionFactory,
    AllianceFactory,
    MembershipFactory,
    ReportVersionFactory,
    SessionFactory,
    UserFactory,
    council,
)
from tests.lga_cspc.factories import (
    AccuracyCommentFactory,
    AdvanceDocumentFactory,
    CaseFileFactory,
    CaseReviewFactory,
    ChallengeFactory,
    EvaluationFactory,
    FeedbackReportFactory,
    QuestionnaireFactory,
    ScopeElementFactory,
    SiteNoteFactory,
    SubsidyChangeFactory,
    TeamMemberFactory,
)

# The request's own five (session, person, two factors, alliance, roles), then the page's:
# the challenge with its team, the scope, the reports' versions, the counts, the timetable,
# the subsidy's changes and, once the report is shared, the regional alliances.
MAX_QUERIES = 13
# How much each kind of row grows by: enough that one query per row cannot hide.
MORE = 6

# Everyone who may open the page, by the name the tests give them.
WHO = (
    "pm",
    "coordinator",
    "pcm",
    "peer",
    "principal_adviser",
    "cia",
    "sponsor",
    "other_dcs",
    "organiser",
)


def person(lga, page, who: str):
    return {
        "sponsor": lga.derby_dcs,
        "organiser": lga.derby_organiser,
        "other_dcs": page["other_dcs"],
    }.get(who) or getattr(lga, who)


def version(challenge, report: str, *, title: str, number: int, **fields):
    return ReportVersionFactory(
        subject=challenge,
        report=report,
        title=title,
        number=number,
        status=ReportVersion.Status.RENDERED,
        rendered_at=timezone.now(),
        **fields,
    )


def add_rows(lga, challenge, *, first: int, count: int) -> None:
    """`count` more of everything the page shows or counts, numbered from `first`."""
    case_review = challenge.case_review
    report = challenge.feedback_report
    starts = datetime.datetime.combine(
        challenge.onsite_start, datetime.time(9), tzinfo=datetime.UTC
    )
    for number in range(first, first + count):
        peer = UserFactory()
        MembershipFactory(
            alliance=lga.alliance,
            user=peer,
            role=Role.PEER_REVIEWER,
            local_authority=council("Lewisham"),
        )
        member = TeamMemberFactory(
            challenge=challenge, user=peer, charter_accepted_at=timezone.now()
        )
        QuestionnaireFactory(member=member)
        ScopeElementFactory(challenge=challenge, kind="module", name=f"Module {number}")
        AdvanceDocumentFactory(challenge=challenge)
        at = starts + datetime.timedelta(days=number % challenge.days, hours=number % 6)
        session = SessionFactory(
            challenge=challenge,
            title=f"Focus group {number}",
            starts_at=at,
            ends_at=at + datetime.timedelta(hours=1),
        )
        session.peers.add(peer)
        CaseFileFactory(review=case_review, reviewer=peer if number % 2 else None)
        SiteNoteFactory(
            challenge=challenge,
            author=peer,
            kind=SiteNote.Kind.EMERGING_ISSUE,
            shared_with_sponsor_at=timezone.now(),
        )
        AccuracyCommentFactory(report=report, paragraph=number + 1, author=lga.derby_dcs)
        SubsidyChangeFactory(challenge=challenge, changed_by=lga.pm)
        ActionFactory(source=challenge, what=f"Next step {number}")
        version(challenge, PROPOSAL_REPORT, title="Scoping proposal", number=number)
        version(challenge, CASE_REVIEW_REPORT, title="Case record review", number=number)
        version(challenge, FEEDBACK_REPORT, title=FINAL_TITLE, number=number)
        # Another council's challenge, which the page must not read.
        ChallengeFactory(offer=challenge.offer, local_authority=council("Leicester"))
    with scope(alliance=lga.alliance):
        for item in challenge.advance_documents.filter(document__isnull=True)[:count]:
            checklist_upload(
                item=item,
                upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\nplan\n%%EOF\n"),
                uploaded_by=lga.derby_organiser,
            )


def the_challenge(lga, *, after: bool):
    """Derby's challenge, with its people named and one row of each kind the page shows. In
    scoping (the proposal sent, not accepted yet) or, `after`, in its evaluation with the final
    report shared with the region."""
    now = timezone.now()
    fields = {
        "stage": Stage.SCOPING,
        "proposal_sent_at": now - datetime.timedelta(days=2),
        "scoping_meeting_at": now - datetime.timedelta(days=7),
        "focus": "The front door and early help.",
    }
    if after:
        fields.update(
            stage=Stage.EVALUATION,
            onsite_start=timezone.localdate() - datetime.timedelta(weeks=10),
            proposal_accepted_at=now - datetime.timedelta(days=1),
            proposal_accepted_by=lga.derby_dcs,
        )
    challenge = ChallengeFactory(
        offer=lga.offer,
        local_authority=council("Derby"),
        requested_by=lga.derby_dcs,
        request_notes="Our front door.",
        sponsor=lga.derby_dcs,
        organiser=lga.derby_organiser,
        principal_adviser=lga.principal_adviser,
        improvement_adviser=lga.cia,
        confidentiality_required=True,
        **fields,
    )
    TeamMemberFactory(challenge=challenge, user=lga.pcm, role="peer_challenge_manager")
    peer = TeamMemberFactory(challenge=challenge, user=lga.peer, role="team_leader")
    QuestionnaireFactory(member=peer)
    CaseReviewFactory(challenge=challenge, shared_at=now if after else None)
    FeedbackReportFactory(
        challenge=challenge,
        written=True,
        **(
            {
                "state": ReportState.FINAL,
                "shared_with_region_at": now,
                "share_audience": ShareAudience.MEMBERS,
            }
            if after
            else {}
        ),
    )
    if after:
        EvaluationFactory(challenge=challenge, recorded_at=now)
        # The council's region has a regional alliance to share the report with.
        AllianceFactory(kind=Alliance.Kind.REGIONAL, regions=[challenge.local_authority.region])
    add_rows(lga, challenge, first=1, count=1)
    return challenge


@pytest.fixture(
    params=[
        ("scoping", "challenge_detail"),
        ("after", "challenge_detail"),
        ("scoping", "people"),
        ("after", "after"),
        ("scoping", "proposal"),
    ]
)
def page(request, lga):
    stage, name = request.param
    with scopes_disabled():  # a test entry point: the factories write across the scope
        challenge = the_challenge(lga, after=stage == "after")
        other_dcs = UserFactory(full_name="Dev Deputy")
        MembershipFactory(
            alliance=lga.alliance, user=other_dcs, role=Role.DCS, local_authority=council("Derby")
        )
    url = reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk},
    )
    shows_team = name in ("challenge_detail", "people")
    return {"challenge": challenge, "url": url, "other_dcs": other_dcs, "shows_team": shows_team}


def team_rows(response) -> int:
    """The peers on the team: the task list's count on the challenge's page; the rows of
    the team table (its only table with a header cell per row) on the team's own page."""
    html = response.content.decode()
    found = re.search(r"(\d+) peers? on the team", html)
    if found:
        return int(found.group(1))
    return html.count('<th scope="row" class="govuk-table__header">')


@pytest.mark.parametrize("who", WHO)
@pytest.mark.django_db
def test_challenge_page_reads_a_fixed_number_of_queries_for(
    who, client, lga, page, django_assert_max_num_queries
):
    client.force_login(person(lga, page, who))
    client.get(page["url"])  # warms the process's caches: content types, templates
    with django_assert_max_num_queries(MAX_QUERIES):
        small = client.get(page["url"])
    assert small.status_code == 200
    if page["shows_team"]:
        assert team_rows(small) == 3

    with scopes_disabled():  # a test entry point, like the fixture
        add_rows(lga, page["challenge"], first=2, count=MORE)
    with django_assert_max_num_queries(MAX_QUERIES):
        grown = client.get(page["url"])
    assert grown.status_code == 200
    if page["shows_team"]:
        assert team_rows(grown) == 3 + MORE


@pytest.mark.django_db
def test_team_rules_answer_from_the_team_read_with_the_challenge(
    lga, page, django_assert_num_queries
):
    with scope(alliance=lga.alliance):
        challenge = challenge_page_queryset().get(pk=page["challenge"].pk)
        asked = ("lga_cspc.view_challenge", "lga_cspc.draft_report", "lga_cspc.agree_report")
        for user in (lga.pcm, lga.peer, lga.derby_dcs):
            user.has_perm("lga_cspc.view_challenges", lga.alliance)  # reads their roles
        with django_assert_num_queries(0):
            answers = {
                user.full_name: [user.has_perm(perm, challenge) for perm in asked]
                for user in (lga.pcm, lga.peer, lga.derby_dcs)
            }
    assert answers == {
        "Maya Manager": [True, True, False],
        "Pete Peer": [True, False, True],
        "Dora Derby": [True, False, False],
    }
