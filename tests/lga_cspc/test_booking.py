"""Booking an LGA peer challenge from the catalogue: the subsidy by Ofsted judgement, the
three-month warning, the catalogue the programme manager edits, and who sees what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import Challenge, Offer, Stage
from lga_cspc.services.booking import challenge_book, lead_time_warning, subsidy_for
from peerchallenge.models import LocalAuthority
from tests import clock
from tests.factories import council, ofsted_judged
from tests.lga_cspc.factories import ChallengeFactory, OfferFactory, TeamMemberFactory


def url(lga, name, **kwargs):
    return reverse(f"lga_cspc:{name}", kwargs={"alliance": lga.alliance.slug, **kwargs})


def graded(name, grade):
    la = council(name)
    ofsted_judged(la, grade, clock.days(-400))
    return la


@pytest.mark.parametrize(
    ("grade", "percent", "words"),
    [
        ("inadequate", 100, "Full LGA subsidy"),
        ("requires_improvement", 50, "funds 50%"),
        ("good", 0, "No subsidy"),
        ("outstanding", 0, "No subsidy"),
    ],
)
def test_subsidy_follows_the_latest_ofsted_judgement(lga, grade, percent, words):
    got, reason = subsidy_for(offer=lga.offer, council=graded("Derby", grade))
    assert got == percent and words in reason


def test_a_funding_note_overrides_the_judgement(lga):
    funded = OfferFactory(
        alliance=lga.alliance, fully_funded=True, funding_note="Fully funded by the DfE"
    )
    assert subsidy_for(offer=funded, council=graded("Derby", "good")) == (
        100,
        "Fully funded by the DfE",
    )


def test_no_judgement_on_record_means_agreed_at_scoping(lga):
    la = council("Derby")
    assert subsidy_for(offer=lga.offer, council=la)[0] == 0


def test_lead_time_warning_under_three_months():
    today = timezone.localdate()
    assert "less than three months" in lead_time_warning(today + datetime.timedelta(days=30))
    assert lead_time_warning(today + datetime.timedelta(days=120)) == ""


def test_booking_refuses_a_past_date_and_a_length_outside_the_offer(lga):
    from django.core.exceptions import ValidationError

    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="The first on-site day must be in the future"
        ) as error,
    ):
        challenge_book(
            alliance=lga.alliance,
            offer=lga.offer,
            local_authority=council("Derby"),
            onsite_start=timezone.localdate() - datetime.timedelta(days=1),
            days=9,
            requested_by=lga.derby_dcs,
        )
    assert set(error.value.message_dict) == {"onsite_start", "days"}


def book(lga, person, council_name):
    with scope(alliance=lga.alliance):
        return challenge_book(
            alliance=lga.alliance,
            offer=lga.offer,
            local_authority=council(council_name),
            onsite_start=timezone.localdate() + datetime.timedelta(days=120),
            days=4,
            requested_by=person,
        )


def test_challenge_book_refuses_a_dcs_booking_for_another_council(lga):
    from django.core.exceptions import ValidationError

    with pytest.raises(
        ValidationError, match="You may only book a peer challenge for your own"
    ) as error:
        book(lga, lga.derby_dcs, "Leicester")
    assert error.value.message_dict == {
        "council": ["You may only book a peer challenge for your own council, not Leicester."]
    }
    with scopes_disabled():
        assert not Challenge.objects.exists()


def test_challenge_book_refuses_a_dcs_of_another_alliance_only(lga):
    """Derby's DCS in a regional alliance is no DCS of the LGA: nothing to book for."""
    from django.core.exceptions import PermissionDenied

    from peerchallenge.models import Alliance, Role
    from tests.factories import AllianceFactory, MembershipFactory

    MembershipFactory(
        alliance=AllianceFactory(name="East Midlands", kind=Alliance.Kind.REGIONAL),
        user=lga.peer,
        role=Role.DCS,
        local_authority=council("Derby"),
    )
    with pytest.raises(PermissionDenied):
        book(lga, lga.peer, "Derby")
    with scopes_disabled():
        assert not Challenge.objects.exists()


def test_challenge_book_lets_the_dcs_book_their_own_and_planners_any(lga):
    own = book(lga, lga.derby_dcs, "Derby")
    for_leicester = book(lga, lga.coordinator, "Leicester")
    assert (own.local_authority.name, own.requested_by) == ("Derby", lga.derby_dcs)
    assert (for_leicester.local_authority.name, for_leicester.requested_by) == (
        "Leicester",
        lga.coordinator,
    )


def test_dcs_continues_checks_then_requests_for_own_council_only(client, lga):
    graded("Derby", "requires_improvement")
    client.force_login(lga.derby_dcs)
    page = client.get(url(lga, "challenge_book")).content.decode()
    assert "For Derby." in page and "Leicester" not in page
    soon = timezone.localdate() + datetime.timedelta(days=40)
    data = {
        "offer": lga.offer.pk,
        # Another council's id in a tampered form is ignored: a DCS books for their council.
        "council": council("Leicester").pk,
        "onsite_start": soon.isoformat(),
        "days": "4",
        "request_notes": "Our front door",
    }
    response = client.post(url(lga, "challenge_book"), data)
    assert response.status_code == 302
    assert response["Location"] == url(lga, "challenge_book_check")
    page = client.get(url(lga, "challenge_book_check")).content.decode()
    assert "LGA subsidy: 50%" in page
    assert "less than three months away" in page
    assert "Our front door" in page and "Derby" in page and "Leicester" not in page
    with scopes_disabled():
        assert not Challenge.objects.exists()
    response = client.post(url(lga, "challenge_book_check"))
    with scopes_disabled():
        challenge = Challenge.objects.get()
    assert challenge.local_authority == council("Derby")
    assert response.url == url(lga, "challenge_detail", challenge=challenge.pk)
    assert challenge.stage == Stage.REQUESTED and challenge.subsidy_percent == 50
    assert challenge.requested_by == lga.derby_dcs
    assert (challenge.onsite_start, challenge.days, challenge.request_notes) == (
        soon,
        4,
        "Our front door",
    )


def test_bad_booking_input_keeps_what_was_typed(client, lga):
    client.force_login(lga.pm)
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    data = {
        "offer": lga.offer.pk,
        "council": council("Derby").pk,
        "onsite_start": past,
        "days": "4",
        "request_notes": "Keep me",
    }
    page = client.post(url(lga, "challenge_book"), data).content.decode()
    assert "There is a problem" in page
    assert "The first on-site day must be in the future." in page
    assert "Keep me" in page
    impossible = {"onsite_start_day": "31", "onsite_start_month": "2", "onsite_start_year": "2027"}
    page = client.post(url(lga, "challenge_book"), {**data, **impossible})
    assert "First on-site day must be a real date" in page.content.decode()
    with scopes_disabled():
        assert not Challenge.objects.exists()


def test_programme_manager_edits_the_catalogue(client, lga):
    client.force_login(lga.pm)
    response = client.post(
        url(lga, "offer_create"),
        {"name": "SEND Peer Challenge", "min_days": "4", "max_days": "4", "is_active": "on"},
    )
    assert response.status_code == 302
    page = client.post(
        url(lga, "offer_create"),
        {"name": "send peer challenge", "min_days": "4", "max_days": "3"},
    ).content.decode()
    assert "already has an offer with this name" in page
    assert "at least the shortest" in page
    with scopes_disabled():
        offer = Offer.objects.get(name="SEND Peer Challenge")
    client.post(
        url(lga, "offer_edit", offer=offer.pk),
        {"name": "SEND Peer Challenge", "min_days": "4", "max_days": "4", "funding_note": "DfE"},
    )
    offer.refresh_from_db()
    assert offer.funding_note == "DfE" and not offer.is_active
    client.force_login(lga.derby_dcs)
    assert client.get(url(lga, "offer_create")).status_code == 403
    assert "SEND Peer Challenge" in client.get(url(lga, "offer_list")).content.decode()


def test_standard_catalogue_loads_into_an_empty_one(client, lga):
    with scopes_disabled():
        Offer.objects.all().delete()
    client.force_login(lga.pm)
    client.post(url(lga, "offer_list"))
    page = client.get(url(lga, "offer_list")).content.decode()
    assert "Corporate Parenting diagnostic" in page and "Fully funded by the DfE" in page
    client.post(url(lga, "offer_list"))  # twice: refused, nothing doubled
    with scopes_disabled():
        assert Offer.objects.count() == 7


@pytest.fixture
def challenges(lga):
    with scopes_disabled():
        derby = ChallengeFactory(offer=lga.offer)
        leicester = ChallengeFactory(offer=lga.offer, local_authority=council("Leicester"))
        TeamMemberFactory(challenge=derby, user=lga.peer, role="senior_manager", indicative_days=6)
        leicester.principal_adviser = lga.principal_adviser
        leicester.save()
    return derby, leicester


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("pm", {"Derby", "Leicester"}),
        ("coordinator", {"Derby", "Leicester"}),
        ("derby_dcs", {"Derby"}),
        ("derby_organiser", {"Derby"}),
        ("leicester_dcs", {"Leicester"}),
        ("peer", {"Derby"}),  # on Derby's team only
        ("principal_adviser", {"Leicester"}),  # named on Leicester's
        ("cia", set()),
        ("pcm", set()),
    ],
)
def test_who_sees_which_challenge(client, lga, challenges, who, sees):
    client.force_login(getattr(lga, who))
    page = client.get(url(lga, "challenge_list")).content.decode()
    listed = {name for name in ("Derby", "Leicester") if f">{name}<span" in page}
    assert listed == sees
    for challenge in challenges:
        status = client.get(url(lga, "challenge_detail", challenge=challenge.pk)).status_code
        assert status == (200 if challenge.local_authority.name in sees else 404)


def test_the_lga_pages_do_not_exist_in_a_regional_alliance(client, world):
    client.force_login(world.pm)
    assert client.get(reverse("lga_cspc:challenge_list", args=[world.em.slug])).status_code == 404


def test_list_query_count_is_constant(client, lga, django_assert_max_num_queries):
    client.force_login(lga.pm)
    names = list(LocalAuthority.objects.order_by("name").values_list("name", flat=True)[:30])
    with scopes_disabled():
        for name in names[:2]:
            ChallengeFactory(offer=lga.offer, local_authority=council(name))
    with django_assert_max_num_queries(12):
        client.get(url(lga, "challenge_list"))
    with scopes_disabled():
        for name in names[2:]:
            ChallengeFactory(offer=lga.offer, local_authority=council(name))
    with django_assert_max_num_queries(12):
        page = client.get(url(lga, "challenge_list")).content.decode()
    assert "30 peer challenges" in page


def test_home_asks_the_right_people(client, lga):
    from django.utils import timezone as tz

    with scopes_disabled():
        requested = ChallengeFactory(offer=lga.offer, stage=Stage.REQUESTED)
        sent = ChallengeFactory(
            offer=lga.offer, local_authority=council("Leicester"), proposal_sent_at=tz.now()
        )
        TeamMemberFactory(challenge=sent, user=lga.peer, role="observer", indicative_days=4)
    client.force_login(lga.pm)
    page = client.get(reverse("home")).content.decode()
    assert (
        "Arrange the scoping meeting for the Children&#x27;s Services Peer Challenge in Derby"
        in page
    )
    client.force_login(lga.leicester_dcs)
    page = client.get(reverse("home")).content.decode()
    assert "Read and accept the scoping proposal" in page and "Derby" not in page
    client.force_login(lga.derby_dcs)
    assert "scoping proposal" not in client.get(reverse("home")).content.decode()
    client.force_login(lga.peer)
    assert "Accept the peer charter" in client.get(reverse("home")).content.decode()
    assert requested.pk
