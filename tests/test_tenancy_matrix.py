"""The cross-tenant matrix: every URL of ours, discovered from the URLconf, filled with
another alliance's ids. A member of a different alliance gets 404; an anonymous visitor is
sent to sign in. A new view joins automatically; a new URL keyword must be taught to
`other_alliance_kwargs` (the test fails until it is)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peerchallenge.models import Role
from tests.factories import MembershipFactory, council
from tests.lga_cspc.factories import lga as lga  # the fixture, for the national pair

# Apps whose URLs are someone else's (and tested there): the Django admin and allauth.
FOREIGN_PREFIXES = ("admin/", "accounts/")
# Ours and public on purpose: the health check, links whose secret token is the key (the
# invitation, the calendar feed), and the service's own pages (accessibility statement...).
PUBLIC_URL_NAMES = {
    "healthz",
    "invitation_accept",
    "calendar_feed",
    "service_accessibility",
    "service_cookies",
    "service_privacy",
    "service_contact",
}


def our_url_patterns():
    """(route, name) for every named URL pattern we serve, walking includes."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and not route.startswith(FOREIGN_PREFIXES)
            ):
                found.append((route, namespace + pattern.name))

    walk(get_resolver().url_patterns)
    return found


def kwarg_names(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def other_alliance_kwargs(world, *, own_alliance: bool) -> dict:
    """Values for every URL keyword, taken from the London alliance (the other tenant)."""
    if not hasattr(world, "london_ids"):
        world.london_ids = tenant_ids(
            world.london,
            user=world.outsider,
            council_name="Camden",
            membership=world.london_membership,
            invitation=world.london_invitation,
        )
    return {
        **world.london_ids,
        "alliance": world.em.slug if own_alliance else world.london.slug,
        "token": "not-a-real-token",
    }


def own_alliance_kwargs(world) -> dict:
    """The same keywords filled with East Midlands' own objects, about Derby (whose
    organiser and DCS are in `world`): what the positive control opens."""
    if not hasattr(world, "em_ids"):
        from django_scopes import scopes_disabled

        from peerchallenge.models import Membership
        from tests.factories import InvitationFactory

        with scopes_disabled():
            membership = Membership.objects.get(alliance=world.em, user=world.dcs)
        world.em_ids = tenant_ids(
            world.em,
            user=world.admin,
            council_name="Derby",
            membership=membership,
            invitation=InvitationFactory(alliance=world.em, invited_by=world.admin),
        )
    return {**world.em_ids, "alliance": world.em.slug, "token": "not-a-real-token"}


def tenant_ids(alliance, *, user, council_name: str, membership, invitation) -> dict:
    """URL keyword -> the pk of one object of each kind filed under `alliance`, about the
    council `council_name`, made by `user` (a member of `alliance`)."""
    from tests.benchmarking.matrix import benchmarking_ids
    from tests.improvement.matrix import improvement_ids
    from tests.ondemand.matrix import ondemand_ids
    from tests.thematic.matrix import thematic_ids

    others = {"Camden": "Hackney", "Derby": "Leicester"}
    triads = triad_ids(alliance, user=user, council_name=council_name)
    return {
        **triads,
        "report_version": report_version_of(alliance, cycle_id=triads["cycle"]).pk,
        "gss": council(council_name).gss_code,
        "membership": membership.pk,
        "invitation": invitation.pk,
        **{
            key: value
            for key, value in cspc_ids(alliance, user=user, council_name=council_name).items()
            if key != "version"  # the triad document's version number serves every URL
        },
        **thematic_ids(alliance, (council_name, others[council_name])),
        **ondemand_ids(alliance, council_name=council_name, lead=user),
        **benchmarking_ids(alliance, user=user),
        **improvement_ids(alliance, council_name=council_name, other_name=others[council_name]),
    }


def cspc_ids(alliance, *, user, council_name: str, team_role: str = "observer") -> dict:
    """An LGA-offer challenge of `council_name`, with `user` on its team (as `team_role`)
    and one object of each kind, filed under `alliance`."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_scopes import scope, scopes_disabled

    from lga_cspc.services.documents import checklist_upload
    from tests.factories import SessionFactory
    from tests.lga_cspc.factories import (
        AccuracyCommentFactory,
        AdvanceDocumentFactory,
        CaseFileFactory,
        CaseReviewFactory,
        ChallengeFactory,
        FeedbackReportFactory,
        OfferFactory,
        SiteNoteFactory,
        TeamMemberFactory,
    )

    with scopes_disabled():
        challenge = ChallengeFactory(
            offer=OfferFactory(alliance=alliance), local_authority=council(council_name)
        )
        member = TeamMemberFactory(
            challenge=challenge, user=user, role=team_role, indicative_days=3
        )
        item = AdvanceDocumentFactory(
            challenge=challenge,
            title="Children's Plan",
            due_date=challenge.onsite_start - datetime.timedelta(weeks=6),
        )
        session = SessionFactory(
            alliance=alliance,
            challenge=challenge,
            kind="interview",
            title="Interview with the DCS",
            starts_at=datetime.datetime.combine(
                challenge.onsite_start, datetime.time(10), tzinfo=datetime.UTC
            ),
            ends_at=datetime.datetime.combine(
                challenge.onsite_start, datetime.time(11), tzinfo=datetime.UTC
            ),
        )
        review = CaseReviewFactory(alliance=alliance, challenge=challenge)
        case = CaseFileFactory(review=review, reference="LC-1", source="cin")
        note = SiteNoteFactory(challenge=challenge, kind="emerging_issue", text="Secret")
        report = FeedbackReportFactory(alliance=alliance, challenge=challenge)
        comment = AccuracyCommentFactory(
            alliance=alliance, report=report, section="strengths", paragraph=1, text="x"
        )
    with scope(alliance=alliance):
        upload = checklist_upload(
            item=item,
            upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\nplan\n%%EOF\n"),
            uploaded_by=user,
        )
    return {
        "version": upload.number,
        "case": case.pk,
        "note": note.pk,
        "comment": comment.pk,
        "offer": challenge.offer_id,
        "challenge": challenge.pk,
        "member": member.pk,
        "item": item.pk,
        "session": session.pk,
    }


def triad_ids(alliance, *, user, council_name: str) -> dict:
    """A cycle with a triad of `council_name`, a KLOE and a document about it, a tier 2 group
    and an action from the cycle, filed under `alliance`."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_scopes import scope

    from peerchallenge.services import action_create, document_upload, kloe_create
    from tests.factories import Tier2GroupFactory
    from tests.triads.factories import CycleFactory, TriadFactory, TriadMemberFactory

    cycle = CycleFactory(alliance=alliance)
    triad = TriadFactory(cycle=cycle)
    kloe = kloe_create(
        challenge=cycle,
        local_authority=council(council_name),
        created_by=user,
        title="Leaked?",
        question="Must not be seen",
    )
    TriadMemberFactory(alliance=alliance, cycle=cycle, triad=triad, council=council(council_name))
    with scope(alliance=alliance):
        version = document_upload(
            challenge=cycle,
            local_authority=council(council_name),
            title=f"{council_name} self-evaluation",
            uploaded_by=user,
            upload=SimpleUploadedFile("self-evaluation.pdf", b"%PDF-1.7\nsecret\n%%EOF\n"),
        )
        group = Tier2GroupFactory(alliance=alliance, name="Safeguarding")
        action = action_create(
            source=cycle,
            local_authority=council(council_name),
            what="Secret action",
            owner="DCS",
            due_date=datetime.date(2029, 1, 1),
            tier2_group=group,
            created_by=user,
        )
    return {
        "cycle": cycle.pk,
        "triad": triad.pk,
        "kloe": kloe.pk,
        "document": version.document_id,
        "version": version.number,
        "group": group.pk,
        "action": action.pk,
    }


def report_version_of(alliance, *, cycle_id: int):
    """A rendered triad summary of the cycle, stored as a (tiny) PDF."""
    from django.core.files.base import ContentFile
    from django_scopes import scopes_disabled

    from reports.models import ReportVersion
    from tests.factories import ReportVersionFactory
    from triads.models import Cycle

    with scopes_disabled():  # a test entry point: the cycle is read back by its id
        cycle = Cycle.objects.get(pk=cycle_id)
    version = ReportVersionFactory(
        alliance=alliance,
        report="triads.summary",
        title=f"{alliance.name} report",
        subject=cycle,
        number=1,
        status=ReportVersion.Status.RENDERED,
    )
    version.file.save("summary.pdf", ContentFile(b"%PDF-1.7\nsummary\n%%EOF\n"))
    return version


# Pages of a regional alliance that the LGA's offer serves (reports shared with the region).
CSPC_REGIONAL = {"lga_cspc:shared_reports", "lga_cspc:shared_report_download"}
ALL = our_url_patterns()
ALLIANCE_URLS = [(route, name) for route, name in ALL if "alliance" in kwarg_names(route)]
CSPC_URLS = [
    (route, name)
    for route, name in ALLIANCE_URLS
    if name.startswith("lga_cspc:") and name not in CSPC_REGIONAL
]
OBJECT_URLS = [(route, name) for route, name in ALLIANCE_URLS if len(kwarg_names(route)) > 1]


def test_discovery_finds_the_alliance_pages():
    names = {name for _route, name in ALLIANCE_URLS}
    assert {"council_list", "member_list", "member_invite", "membership_edit"} <= names
    assert "access_log" in names
    assert {"triads:cycle_detail", "triads:triad_arrange", "triads:triad_consultant"} <= names


@pytest.mark.parametrize(("route", "name"), ALL)
def test_every_url_keyword_is_known_to_the_matrix(route, name, world):
    unknown = set(kwarg_names(route)) - set(other_alliance_kwargs(world, own_alliance=False))
    assert unknown == set(), f"teach the matrix the keyword(s) {unknown} of {name}"


@pytest.mark.parametrize(("route", "name"), ALLIANCE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_member_of_another_alliance_gets_404(route, name, method, client, world):
    client.force_login(world.admin)  # the strongest role in East Midlands
    kwargs = {
        k: v
        for k, v in other_alliance_kwargs(world, own_alliance=False).items()
        if k in kwarg_names(route)
    }
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 404


@pytest.mark.parametrize(("route", "name"), OBJECT_URLS)
def test_own_alliance_url_with_other_alliances_ids_gets_404(route, name, client, world):
    names = kwarg_names(route)
    client.force_login(world.admin)
    kwargs = {
        k: v for k, v in other_alliance_kwargs(world, own_alliance=True).items() if k in names
    }
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize(("route", "name"), ALL)
def test_anonymous_visitor_is_sent_to_sign_in(route, name, client, world):
    kwargs = {
        k: v
        for k, v in other_alliance_kwargs(world, own_alliance=True).items()
        if k in kwarg_names(route)
    }
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    if name in PUBLIC_URL_NAMES:
        assert response.status_code in {200, 404}  # public, and reveals nothing without a token
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


# The positive control: each alliance page opened by a member of the owning alliance who may
# open it, with that alliance's own ids, answers (200, or a redirect that is not to sign-in).
# Without it a view that 404s for everyone would pass the matrix above. Who of `world` opens
# each page (the programme manager opens most; the LGA's own pages are opened between two
# national alliances below, `CSPC_WHO_OPENS`):
EM_WHO_OPENS = {
    "admin": {
        "member_invite",
        "membership_edit",
        "membership_remove",
        "access_log",
        "alliance_logo",
        "alliance_logo_remove",
        "tier2_group_create",
        "invitation_cancel",
        "ondemand:reviewer_respond",  # the admin is the review's lead reviewer
        "ondemand:findings",
        "ondemand:findings_issue",
        "ondemand:recommendation_remove",
    },
    "organiser": {  # Derby's organiser: their council's KLOEs, nominations and reviews
        "triads:kloe_create",
        "triads:kloe_edit",
        "triads:kloe_share",
        "triads:document_upload",
        "triads:kloe_comment",
        "thematic:nomination_withdraw",
        "ondemand:review_request",
        "ondemand:review_request_check",  # with no answers kept, sent to the question
        "ondemand:review_answer",
        "ondemand:recommendation_respond",
        "improvement:section_edit",
        "improvement:scrutiny_comment",  # as Leicester's scrutinising council
        "improvement:scrutiny_moderation",
        "improvement:scrutiny_reply",  # to Leicester's scrutiny of Derby's
        "improvement:priority_add",
        "improvement:priority_change",
        "improvement:priority_remove",
        "improvement:challenge_comment",  # as Leicester's plan's challenger
        "improvement:challenge_moderation",
        "improvement:challenge_reply",  # to Leicester's challenge of Derby's plan
        "improvement:evidence_attach",
    },
    "dcs": {
        "improvement:submit",
        "improvement:plan_submit",
    },  # Derby's DCS signs off Derby's self-evaluation
}
# Actions with no GET (405): the positive control posts to them instead, with an empty form.
POST_ONLY = {
    "improvement:scrutiny_assign",
    "improvement:regional_plan_issue",
    "improvement:needs_import",
    "improvement:match_broker",
    "improvement:challenge_assign",
    "benchmarking:framework_start",
    "benchmarking:import_confirm",
    "benchmarking:import_cancel",
    "benchmarking:quarter_publish",
    "benchmarking:data_pack_pdf",
    "benchmarking:grid_csv",
    "benchmarking:grid_xlsx",
    "benchmarking:grid_pdf",
    "improvement_plan_pdf_prepare",
    "triads:kloe_share",
    "ondemand:activities_agree",
    "ondemand:findings_issue",
    "reports:report_retry",
    "lga_cspc:proposal_send",
    "lga_cspc:proposal_accept",
    "lga_cspc:site_note_share",
    "lga_cspc:report_step",
    "lga_cspc:report_comment",
    "lga_cspc:report_comment_resolve",
}
EM_URLS = [
    (route, name)
    for route, name in ALLIANCE_URLS
    if not name.startswith("lga_cspc:") or name in CSPC_REGIONAL
]


# The LGA's own pages, between two national alliances: who of the `lga` fixture opens each
# (its programme manager, unless named here).
CSPC_WHO_OPENS = {
    # The booking's check page: with no answers kept, it sends them to the question.
    "lga_cspc:challenge_book_check": "pm",
    "lga_cspc:charter": "pcm",  # the peer challenge manager's own charter on the team
    "lga_cspc:questionnaire": "pcm",
    "lga_cspc:report_comment_resolve": "pcm",
    "lga_cspc:proposal_accept": "derby_dcs",  # the sponsor
    "lga_cspc:report_comment": "derby_dcs",
    "lga_cspc:report_share": "derby_dcs",
    "lga_cspc:report_unshare": "derby_dcs",
}


def em_who_opens(name: str) -> str:
    for role, names in EM_WHO_OPENS.items():
        if name in names:
            return role
    return "pm"


def derby_report_shared_with_the_region(world, kwargs: dict) -> dict:
    """A national alliance's challenge of Derby whose final report Derby shared with its
    region's planners: what the regional shared-report download serves."""
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from lga_cspc.models import ReportState, ShareAudience
    from lga_cspc.services.report import FEEDBACK_REPORT, FINAL_TITLE
    from peerchallenge.models import Alliance
    from reports.models import ReportVersion
    from tests.factories import AllianceFactory, ReportVersionFactory
    from tests.lga_cspc.factories import ChallengeFactory, FeedbackReportFactory, OfferFactory

    with scopes_disabled():
        national = AllianceFactory(slug="national", kind=Alliance.Kind.NATIONAL, regions=[])
        challenge = ChallengeFactory(offer=OfferFactory(alliance=national))
        FeedbackReportFactory(
            alliance=national,
            challenge=challenge,
            state=ReportState.FINAL,
            shared_with_region_at=timezone.now(),
            share_audience=ShareAudience.PLANNERS,
        )
        version = ReportVersionFactory(
            alliance=national,
            report=FEEDBACK_REPORT,
            title=FINAL_TITLE,
            subject=challenge,
            number=1,
            status=ReportVersion.Status.RENDERED,
        )
        version.file.save("final.pdf", ContentFile(b"%PDF-1.7\nfinal\n%%EOF\n"))
    return {**kwargs, "challenge": challenge.pk}


def findings_issued(world, kwargs: dict) -> dict:
    """The review's findings issued: when its council answers the recommendations."""
    from django_scopes import scopes_disabled

    from ondemand.models import Review, Status

    with scopes_disabled():
        Review.objects.filter(pk=kwargs["review"]).update(status=Status.FINDINGS_ISSUED)
    return kwargs


def lead_accepted(world, kwargs: dict) -> dict:
    """The lead reviewer (the admin) accepted: who records the findings."""
    from django_scopes import scopes_disabled

    from ondemand.models import Reviewer

    with scopes_disabled():
        Reviewer.objects.filter(pk=kwargs["reviewer"]).update(response="accepted")
    return kwargs


def derby_scrutinises_leicester(world, kwargs):
    from tests.improvement.matrix import derby_scrutinises_leicester as made

    return made(world, kwargs)


def leicester_moderated_derby(world, kwargs):
    from tests.improvement.matrix import leicester_moderated_derby as made

    return made(world, kwargs)


def derby_challenges_leicester(world, kwargs):
    from tests.improvement.matrix import derby_challenges_leicester as made

    return made(world, kwargs)


def derbys_evidence(world, kwargs):
    from tests.improvement.matrix import derbys_evidence as made

    return made(world, kwargs)


def leicester_challenged_derby(world, kwargs):
    from tests.improvement.matrix import leicester_challenged_derby as made

    return made(world, kwargs)


# Pages that answer only in a later state than the one `own_alliance_kwargs` makes.
def em_has_a_logo(world, kwargs: dict) -> dict:
    """East Midlands with a logo: what the logo's preview serves (to any member)."""
    from django.core.files.base import ContentFile

    from tests.peerchallenge.test_alliance_logo import png

    world.em.report_logo.save("logo", ContentFile(png()))
    return kwargs


EM_STATE = {
    "alliance_logo_image": em_has_a_logo,
    "alliance_logo_remove": em_has_a_logo,
    "improvement:scrutiny_comment": derby_scrutinises_leicester,
    "improvement:scrutiny_moderation": derby_scrutinises_leicester,
    "improvement:scrutiny_reply": leicester_moderated_derby,
    "improvement:challenge_comment": derby_challenges_leicester,
    "improvement:challenge_moderation": derby_challenges_leicester,
    "improvement:challenge_reply": leicester_challenged_derby,
    "improvement:evidence_download": derbys_evidence,
    "lga_cspc:shared_report_download": derby_report_shared_with_the_region,
    "ondemand:recommendation_respond": findings_issued,
    "ondemand:findings": lead_accepted,
    "ondemand:findings_issue": lead_accepted,
    "ondemand:recommendation_remove": lead_accepted,
}


def assert_answers(response, url: str, who: str):
    """Not 403/404/405 and not the sign-in page: the page itself, or where it sends you."""
    assert response.status_code in {200, 302}, f"{url} gave {who} {response.status_code}"
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("account_login")), url


def test_every_alliance_page_has_someone_who_opens_it():
    listed = set().union(*EM_WHO_OPENS.values(), EM_STATE, POST_ONLY, CSPC_WHO_OPENS)
    names = {name for _route, name in ALLIANCE_URLS}
    assert listed - names == set(), "the table names pages that no longer exist"
    em = {name for _route, name in EM_URLS}
    cspc = {name for _route, name in CSPC_URLS}
    assert em | cspc == names
    assert em & cspc == set()


@pytest.mark.parametrize(("route", "name"), EM_URLS)
def test_member_of_the_owning_alliance_who_may_opens_the_page(route, name, client, world):
    who = em_who_opens(name)
    client.force_login(getattr(world, who))
    kwargs = own_alliance_kwargs(world)
    kwargs = EM_STATE.get(name, lambda _world, same: same)(world, kwargs)
    url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in kwarg_names(route)})
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert_answers(response, url, who)


def test_nonexistent_alliance_and_foreign_alliance_look_the_same(client, world):
    client.force_login(world.admin)
    foreign = client.get(reverse("council_list", kwargs={"alliance": world.london.slug}))
    missing = client.get(reverse("council_list", kwargs={"alliance": "no-such-alliance"}))
    assert foreign.status_code == missing.status_code == 404


def test_membership_in_both_alliances_opens_both(client, world):
    MembershipFactory(alliance=world.london, user=world.tier2, role=Role.PEER_REVIEWER)
    client.force_login(world.tier2)
    for alliance in (world.em, world.london):
        response = client.get(reverse("council_list", kwargs={"alliance": alliance.slug}))
        assert response.status_code == 200


def test_access_log_other_alliance_404_member_without_the_role_403_lines_stay_home(client, world):
    """The access log by the house rule: London's admin gets 404 for East Midlands' log, an
    East Midlands planner 403; each admin sees only their own alliance's lines."""
    from django_scopes import scopes_disabled

    from peerchallenge.models import AccessLog
    from tests.factories import AccessLogFactory

    with scopes_disabled():
        for alliance, user, what in [
            (world.em, world.pm, "Derby"),
            (world.london, world.outsider, "Camden"),
        ]:
            AccessLogFactory(
                alliance=alliance,
                user=user,
                action=AccessLog.Action.DOWNLOAD,
                object_type="peerchallenge.LocalAuthority",
                object_id=str(council(what).pk),
                object_repr=what,
            )
    em_log = reverse("access_log", kwargs={"alliance": world.em.slug})
    london_log = reverse("access_log", kwargs={"alliance": world.london.slug})
    client.force_login(world.outsider)
    assert client.get(em_log).status_code == 404
    london_page = client.get(london_log).content.decode()
    assert "Camden&#x27;s improvement plan" in london_page
    assert "Derby" not in london_page
    client.force_login(world.pm)
    assert client.get(em_log).status_code == 403
    client.force_login(world.admin)
    assert client.get(london_log).status_code == 404
    em_page = client.get(em_log).content.decode()
    assert "Derby&#x27;s improvement plan" in em_page
    assert "Camden" not in em_page


@pytest.fixture
def nationals(lga):
    """The LGA's challenge of Derby (its peer challenge manager on the team), and another
    national alliance with its own challenge of Derby: one object of each kind in both."""
    from peerchallenge.models import Alliance
    from tests.factories import AllianceFactory, UserFactory

    other = AllianceFactory(
        name="Other national", slug="other-national", kind=Alliance.Kind.NATIONAL, regions=[]
    )
    other_pm = UserFactory(full_name="Nora National", email="nora@example.org")
    MembershipFactory(alliance=other, user=other_pm, role=Role.PROGRAMME_MANAGER)
    lga_ids = cspc_ids(
        lga.alliance, user=lga.pcm, council_name="Derby", team_role="peer_challenge_manager"
    )
    other_ids = cspc_ids(other, user=other_pm, council_name="Derby")
    return {
        "lga": {**lga_ids, "alliance": lga.alliance.slug},
        "other": {**other_ids, "alliance": other.slug},
        "other_own_slug": {**other_ids, "alliance": lga.alliance.slug},
    }


def cspc_url(route: str, name: str, kwargs: dict) -> str:
    return reverse(name, kwargs={k: v for k, v in kwargs.items() if k in kwarg_names(route)})


@pytest.mark.parametrize(("route", "name"), CSPC_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_lga_member_gets_404_for_another_national_alliances_pages(
    route, name, method, client, lga, nationals
):
    client.force_login(lga.pm)  # the strongest role in the LGA
    response = getattr(client, method)(cspc_url(route, name, nationals["other"]))
    assert response.status_code == 404
    if len(kwarg_names(route)) > 1:  # the LGA's own address, the other alliance's ids
        response = getattr(client, method)(cspc_url(route, name, nationals["other_own_slug"]))
        assert response.status_code == 404


@pytest.mark.parametrize(("route", "name"), CSPC_URLS)
def test_lga_member_who_may_opens_the_lgas_own_page(route, name, client, lga, nationals):
    who = CSPC_WHO_OPENS.get(name, "pm")
    client.force_login(getattr(lga, who))
    url = cspc_url(route, name, nationals["lga"])
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert_answers(response, url, who)
