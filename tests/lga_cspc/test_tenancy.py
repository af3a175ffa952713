"""The CSPC pages between two national alliances: the LGA's people, with the strongest LGA
role, get 404 for every CSPC URL filled with the other national alliance's ids."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.models import Alliance
from tests.factories import AllianceFactory, SessionFactory, UserFactory, council
from tests.lga_cspc.factories import (
    AdvanceDocumentFactory,
    CaseFileFactory,
    ChallengeFactory,
    OfferFactory,
    SiteNoteFactory,
    TeamMemberFactory,
)
from tests.test_tenancy_matrix import ALLIANCE_URLS, kwarg_names

CSPC_URLS = [(route, name) for route, name in ALLIANCE_URLS if name.startswith("lga_cspc:")]


def test_the_cspc_urls_are_discovered():
    assert len(CSPC_URLS) >= 10


def _one_of_each(alliance, challenge) -> dict:
    from tests.lga_cspc.factories import (
        AccuracyCommentFactory,
        CaseReviewFactory,
        FeedbackReportFactory,
    )

    review = CaseReviewFactory(alliance=alliance, challenge=challenge)
    case = CaseFileFactory(review=review, reference="C-1", source="cin")
    note = SiteNoteFactory(challenge=challenge, kind="emerging_issue", text="x")
    report = FeedbackReportFactory(alliance=alliance, challenge=challenge)
    comment = AccuracyCommentFactory(
        alliance=alliance, report=report, section="strengths", paragraph=1, text="x"
    )
    return {"case": case.pk, "note": note.pk, "comment": comment.pk}


@pytest.fixture
def other_ids(lga):
    other = AllianceFactory(slug="other-national", kind=Alliance.Kind.NATIONAL, regions=[])
    with scopes_disabled():
        challenge = ChallengeFactory(
            offer=OfferFactory(alliance=other), local_authority=council("Derby")
        )
        member = TeamMemberFactory(
            challenge=challenge, user=UserFactory(), role="observer", indicative_days=3
        )
        item = AdvanceDocumentFactory(
            challenge=challenge,
            title="Children's Plan",
            due_date=challenge.onsite_start - datetime.timedelta(weeks=6),
        )
        session = SessionFactory(
            alliance=other,
            challenge=challenge,
            kind="interview",
            title="Interview",
            starts_at=datetime.datetime.combine(
                challenge.onsite_start, datetime.time(10), tzinfo=datetime.UTC
            ),
            ends_at=datetime.datetime.combine(
                challenge.onsite_start, datetime.time(11), tzinfo=datetime.UTC
            ),
        )
        extra = _one_of_each(other, challenge)
    return {
        **extra,
        "offer": challenge.offer_id,
        "challenge": challenge.pk,
        "member": member.pk,
        "item": item.pk,
        "session": session.pk,
        "version": 1,
    }


@pytest.mark.parametrize(("route", "name"), [u for u in CSPC_URLS if len(kwarg_names(u[0])) > 1])
@pytest.mark.parametrize("who", ["pm", "derby_dcs"])
def test_other_national_alliances_ids_give_404(route, name, who, client, lga, other_ids):
    client.force_login(getattr(lga, who))
    kwargs = {"alliance": lga.alliance.slug, **other_ids}
    target = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in kwarg_names(route)})
    assert client.get(target).status_code == 404
    assert client.post(target).status_code == 404


@pytest.fixture
def derby_ids(lga):
    """Derby's challenge with one of everything, and a peer on its team."""
    with scopes_disabled():
        challenge = ChallengeFactory(offer=lga.offer)
        member = TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
        item = AdvanceDocumentFactory(
            challenge=challenge,
            title="Children's Plan",
            due_date=challenge.onsite_start - datetime.timedelta(weeks=6),
        )
        session = SessionFactory(
            alliance=lga.alliance,
            challenge=challenge,
            kind="interview",
            title="Interview",
            starts_at=datetime.datetime.combine(
                challenge.onsite_start, datetime.time(10), tzinfo=datetime.UTC
            ),
            ends_at=datetime.datetime.combine(
                challenge.onsite_start, datetime.time(11), tzinfo=datetime.UTC
            ),
        )
        extra = _one_of_each(lga.alliance, challenge)
    return {
        **extra,
        "challenge": challenge.pk,
        "member": member.pk,
        "item": item.pk,
        "session": session.pk,
        "version": 1,
    }


CHALLENGE_URLS = [u for u in CSPC_URLS if "challenge" in kwarg_names(u[0])]


@pytest.mark.parametrize(("route", "name"), CHALLENGE_URLS)
@pytest.mark.parametrize("who", ["leicester_dcs", "peer", "cia", "principal_adviser"])
def test_nobody_outside_the_challenge_reaches_any_of_its_pages(
    route, name, who, client, lga, derby_ids
):
    """Another council's sponsor, a peer not on the team and advisers not named on it get
    404 for every page of Derby's challenge, read or write."""
    client.force_login(getattr(lga, who))
    kwargs = {"alliance": lga.alliance.slug, **derby_ids}
    target = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in kwarg_names(route)})
    assert client.get(target).status_code == 404
    assert client.post(target).status_code == 404
