"""The cross-tenant matrix: every URL of ours, discovered from the URLconf, filled with
another alliance's ids. A member of a different alliance gets 404; an anonymous visitor is
sent to sign in. A new view joins automatically; a new URL keyword must be taught to
`other_alliance_kwargs` (the test fails until it is)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peerchallenge.models import Role
from tests.factories import MembershipFactory, council
from tests.ondemand.matrix import london_ondemand
from tests.thematic.matrix import london_thematic

# Apps whose URLs are someone else's (and tested there): the Django admin and allauth.
FOREIGN_PREFIXES = ("admin/", "accounts/")
# Ours and public on purpose: the health check, and links whose secret token is the key
# (the invitation, the calendar feed).
PUBLIC_URL_NAMES = {"healthz", "invitation_accept", "calendar_feed"}


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
    london_cycle, london_triad = london_triad_cycle(world)
    return {
        "cycle": london_cycle.pk,
        "triad": london_triad.pk,
        "kloe": world.london_kloe.pk,
        "document": world.london_version.document_id,
        "group": world.london_group.pk,
        "report_version": london_report_version(world).pk,
        "action": world.london_action.pk,
        "version": world.london_version.number,
        "alliance": world.em.slug if own_alliance else world.london.slug,
        "gss": council("Camden").gss_code,
        "membership": world.london_membership.pk,
        "invitation": world.london_invitation.pk,
        "token": "not-a-real-token",
        **london_cspc(world),
        **london_thematic(world),
        **london_ondemand(world),
    }


def london_cspc(world) -> dict:
    """An LGA-offer challenge, with a team member, filed under the other tenant."""
    if not hasattr(world, "london_cspc"):
        import datetime

        from django_scopes import scopes_disabled

        from peerchallenge.models import Session
        from tests.lga_cspc.factories import ChallengeFactory, OfferFactory

        with scopes_disabled():
            challenge = ChallengeFactory(
                offer=OfferFactory(alliance=world.london), local_authority=council("Camden")
            )
            member = challenge.team.create(
                alliance=world.london, user=world.outsider, role="observer", indicative_days=3
            )
            item = challenge.advance_documents.create(
                alliance=world.london, title="Children's Plan", due_date=datetime.date(2027, 4, 1)
            )
            session = Session.objects.create(
                alliance=world.london,
                challenge=challenge,
                kind="interview",
                title="Interview with the DCS",
                starts_at=datetime.datetime(2027, 5, 10, 10, tzinfo=datetime.UTC),
                ends_at=datetime.datetime(2027, 5, 10, 11, tzinfo=datetime.UTC),
            )
            from lga_cspc.models import AccuracyComment, CaseReview, FeedbackReport

            review = CaseReview.objects.create(alliance=world.london, challenge=challenge)
            case = review.cases.create(alliance=world.london, reference="LC-1", source="cin")
            note = challenge.site_notes.create(
                alliance=world.london, kind="emerging_issue", text="Secret"
            )
            report = FeedbackReport.objects.create(alliance=world.london, challenge=challenge)
            comment = AccuracyComment.objects.create(
                alliance=world.london, report=report, section="strengths", paragraph=1, text="x"
            )
        world.london_cspc = {
            "case": case.pk,
            "note": note.pk,
            "comment": comment.pk,
            "offer": challenge.offer_id,
            "challenge": challenge.pk,
            "member": member.pk,
            "item": item.pk,
            "session": session.pk,
        }
    return world.london_cspc


def london_triad_cycle(world):
    """A cycle with a triad in the other alliance (made once per test)."""
    if not hasattr(world, "london_cycle"):
        from peerchallenge.services import kloe_create
        from tests.factories import council as council_named
        from tests.triads.factories import CycleFactory, TriadFactory
        from triads.models import TriadMember

        world.london_cycle = CycleFactory(alliance=world.london)
        world.london_triad = TriadFactory(cycle=world.london_cycle)
        world.london_kloe = kloe_create(
            challenge=world.london_cycle,
            local_authority=council_named("Camden"),
            created_by=world.outsider,
            title="Leaked?",
            question="Must not be seen",
        )
        TriadMember.objects.create(
            alliance=world.london,
            cycle=world.london_cycle,
            triad=world.london_triad,
            council=council_named("Camden"),
        )
        world.london_version = london_document(world)
        london_group_and_action(world)
    return world.london_cycle, world.london_triad


def london_document(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_scopes import scope

    from peerchallenge.services import document_upload
    from tests.factories import council as council_named

    with scope(alliance=world.london):
        return document_upload(
            challenge=world.london_cycle,
            local_authority=council_named("Camden"),
            title="Camden self-evaluation",
            uploaded_by=world.outsider,
            upload=SimpleUploadedFile("self-evaluation.pdf", b"%PDF-1.7\nsecret\n%%EOF\n"),
        )


def london_group_and_action(world):
    import datetime

    from django_scopes import scope

    from peerchallenge.models import Tier2Group
    from peerchallenge.services import action_create
    from tests.factories import council as council_named

    with scope(alliance=world.london):
        world.london_group = Tier2Group.objects.create(alliance=world.london, name="Safeguarding")
        world.london_action = action_create(
            source=world.london_cycle,
            local_authority=council_named("Camden"),
            what="Secret action",
            owner="DCS",
            due_date=datetime.date(2029, 1, 1),
            tier2_group=world.london_group,
            created_by=world.outsider,
        )


def london_report_version(world):
    """A rendered report version about the other alliance (made once per test)."""
    if not hasattr(world, "london_report_version"):
        from django.contrib.contenttypes.models import ContentType

        from reports.models import ReportVersion

        world.london_report_version = ReportVersion.objects.create(
            alliance=world.london,
            report="tests.example",
            title="London report",
            subject_type=ContentType.objects.get_for_model(world.london),
            subject_id=world.london.pk,
            number=1,
            status=ReportVersion.Status.RENDERED,
        )
    return world.london_report_version


ALL = our_url_patterns()
ALLIANCE_URLS = [(route, name) for route, name in ALL if "alliance" in kwarg_names(route)]
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

    with scopes_disabled():
        for alliance, user, what in [
            (world.em, world.pm, "Derby"),
            (world.london, world.outsider, "Camden"),
        ]:
            AccessLog.objects.create(
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
