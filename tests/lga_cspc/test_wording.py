"""What the LGA's pages say: lengths, roles and confirmations read as plain English."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from lga_cspc.models import Offer, Stage
from tests.factories import council
from tests.lga_cspc.factories import (
    ChallengeFactory,
    OfferFactory,
    QuestionnaireFactory,
    TeamMemberFactory,
)


@pytest.mark.parametrize(
    ("min_days", "max_days", "words"),
    [
        (1, 5, "1 to 5 days"),
        (3, 4, "3 or 4 days"),
        (1, 2, "1 day or 2 days"),
        (1, 1, "1 day"),
        (4, 4, "4 days"),
    ],
)
def test_offer_length_reads_as_english(min_days, max_days, words):
    assert Offer(min_days=min_days, max_days=max_days).length_display == words


def test_bespoke_offer_is_shown_as_a_range(client, lga):
    with scopes_disabled():
        OfferFactory(alliance=lga.alliance, name="Bespoke package", min_days=1, max_days=5)
    client.force_login(lga.derby_dcs)
    page = client.get(reverse("lga_cspc:offer_list", kwargs={"alliance": "lga"})).content.decode()
    assert "1 to 5 days" in page and "1 or 5 days" not in page


def test_questionnaire_keeps_the_team_leaders_acronyms(client, lga):
    challenge = ChallengeFactory(
        offer=lga.offer,
        onsite_start=timezone.localdate() - datetime.timedelta(days=30),
        stage=Stage.EVALUATION,
    )
    with scopes_disabled():
        place = TeamMemberFactory(
            challenge=challenge, user=lga.peer, role="team_leader", indicative_days=6
        )
        QuestionnaireFactory(alliance=lga.alliance, member=place)
    client.force_login(lga.peer)
    page = client.get(
        reverse(
            "lga_cspc:questionnaire",
            kwargs={"alliance": "lga", "challenge": challenge.pk, "member": place.pk},
        )
    ).content.decode()
    assert "as team leader (DCS or AD)." in page
    assert "dcs or ad" not in page


def booking(lga):
    return {
        "offer": lga.offer.pk,
        "council": council("Derby").pk,
        "onsite_start": (timezone.localdate() + datetime.timedelta(days=120)).isoformat(),
        "days": "4",
        "request_notes": "",
    }


def book_through_the_check_page(client, lga):
    """Continue from the question, then request it from the check page."""
    question = reverse("lga_cspc:challenge_book", kwargs={"alliance": "lga"})
    assert client.post(question, booking(lga)).status_code == 302
    return client.post(
        reverse("lga_cspc:challenge_book_check", kwargs={"alliance": "lga"}), follow=True
    )


def test_the_programme_managers_own_booking_is_not_sent_to_themselves(client, lga):
    client.force_login(lga.pm)
    response = book_through_the_check_page(client, lga)
    page = response.content.decode()
    assert "sent to the LGA" not in page
    assert (
        "The Children&#x27;s Services Peer Challenge in Derby is booked as requested. Next, "
        "arrange the scoping meeting with the council&#x27;s sponsor." in page
    )


def test_a_dcs_booking_is_sent_to_the_programme_manager(client, lga):
    client.force_login(lga.derby_dcs)
    response = book_through_the_check_page(client, lga)
    assert "was sent to the LGA&#x27;s programme manager" in response.content.decode()
