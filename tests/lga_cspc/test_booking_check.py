"""The booking's "Check your answers" page (peerchallenge.views.check_answers): "Continue"
keeps the answers in the session, the check page shows them with the subsidy, "Change"
brings every answer back, and "Request this peer challenge" books once."""

import re

import pytest
from django.core import signing
from django.urls import reverse
from django_scopes import scopes_disabled

from lga_cspc.models import Challenge, Offer
from peerchallenge.dates import weekday_text
from peerchallenge.models import Alliance
from tests import clock
from tests.factories import AllianceFactory, council, ofsted_judged
from tests.forms import date_parts, shows_date
from tests.lga_cspc.factories import OfferFactory


def url(lga, name, **kwargs):
    return reverse(f"lga_cspc:{name}", kwargs={"alliance": lga.alliance.slug, **kwargs})


def answers(lga, **overrides):
    return {
        "offer": lga.offer.pk,
        "council": council("Leicester").pk,
        **date_parts("onsite_start", clock.days(150)),
        "days": "4",
        "request_notes": "Our front door\nand early help",
        **overrides,
    }


def challenges() -> int:
    with scopes_disabled():
        return Challenge.objects.count()


def continue_to_check(client, lga, **overrides):
    response = client.post(url(lga, "challenge_book"), answers(lga, **overrides))
    assert (response.status_code, response["Location"]) == (302, url(lga, "challenge_book_check"))


def summary_rows(page: str) -> list[tuple[str, str, str]]:
    """(question, answer, the Change link's href and hidden words) of each summary row."""
    return [
        (key, re.sub(r"\s+", " ", value.replace("<br>", " ")).strip(), change)
        for key, value, change in re.findall(
            r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
            r'<dd class="govuk-summary-list__value">(.*?)</dd>\s*'
            r'(?:<dd class="govuk-summary-list__actions">(.*?)</dd>)?',
            page,
            re.S,
        )
    ]


def test_check_page_shows_every_answer_the_subsidy_and_the_warning(client, lga):
    ofsted_judged(council("Leicester"), "inadequate", clock.days(-400))
    client.force_login(lga.pm)
    soon = clock.days(40)
    continue_to_check(client, lga, **date_parts("onsite_start", soon))
    assert challenges() == 0  # nothing booked yet
    response = client.get(url(lga, "challenge_book_check"))
    page = response.content.decode()
    change = url(lga, "challenge_book") + "?change=1"
    assert response.status_code == 200
    assert summary_rows(page) == [
        (
            "Peer challenge or diagnostic",
            "Children&#x27;s Services Peer Challenge",
            f'<a class="govuk-link" href="{change}#id_offer">Change<span '
            'class="govuk-visually-hidden"> the offer</span></a>',
        ),
        (
            "Council",
            "Leicester",
            f'<a class="govuk-link" href="{change}#id_council">Change<span '
            'class="govuk-visually-hidden"> the council</span></a>',
        ),
        (
            "First on-site day",
            weekday_text(soon),
            f'<a class="govuk-link" href="{change}#id_onsite_start">Change<span '
            'class="govuk-visually-hidden"> the first on-site day</span></a>',
        ),
        (
            "On-site days",
            "4 days",
            f'<a class="govuk-link" href="{change}#id_days">Change<span '
            'class="govuk-visually-hidden"> the number of on-site days</span></a>',
        ),
        (
            "What the peer team should look at",
            "Our front door and early help",
            f'<a class="govuk-link" href="{change}#id_request_notes">Change<span '
            'class="govuk-visually-hidden"> what the peer team should look at</span></a>',
        ),
    ]
    assert "LGA subsidy: 100%" in page
    assert "less than three months away" in page
    main = page[page.index("<main") : page.index("</main>")]
    assert main.count('class="govuk-button"') == 1
    assert ">Request this peer challenge</button>" in page


def test_a_dcs_cannot_change_the_council_on_the_check_page(client, lga):
    client.force_login(lga.derby_dcs)
    continue_to_check(client, lga)  # Leicester's id in the body: ignored, Derby's own
    rows = summary_rows(client.get(url(lga, "challenge_book_check")).content.decode())
    assert rows[1] == ("Council", "Derby", "")


def test_change_brings_back_every_answer(client, lga):
    client.force_login(lga.pm)
    continue_to_check(client, lga)
    response = client.get(url(lga, "challenge_book") + "?change=1")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" not in page
    assert f'<option value="{lga.offer.pk}" selected>' in page
    assert f'<option value="{council("Leicester").pk}" selected>' in page
    assert shows_date(page, "onsite_start", clock.days(150))
    assert 'name="days" value="4"' in page
    assert "Our front door\nand early help</textarea>" in page
    # Without ?change=1 the question starts afresh.
    assert not shows_date(
        client.get(url(lga, "challenge_book")).content.decode(), "onsite_start", clock.days(150)
    )


def test_a_changed_answer_replaces_the_kept_one(client, lga):
    client.force_login(lga.pm)
    continue_to_check(client, lga)
    continue_to_check(client, lga, days="3")
    client.post(url(lga, "challenge_book_check"))
    with scopes_disabled():
        assert list(Challenge.objects.values_list("days", flat=True)) == [3]


def test_bad_answers_stay_on_the_question_with_the_errors(client, lga):
    client.force_login(lga.pm)
    response = client.post(
        url(lga, "challenge_book"), answers(lga, **date_parts("onsite_start", clock.days(-3)))
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_onsite_start">The first on-site day must be in the future.</a>' in page
    assert "Our front door\nand early help</textarea>" in page
    # Nothing was kept: the check page sends the person to the question.
    response = client.get(url(lga, "challenge_book_check"))
    assert (response.status_code, response["Location"]) == (302, url(lga, "challenge_book"))


def test_an_offer_closed_before_sending_shows_the_question_with_the_error(client, lga):
    client.force_login(lga.pm)
    continue_to_check(client, lga)
    with scopes_disabled():
        Offer.objects.filter(pk=lga.offer.pk).update(is_active=False)
    response = client.post(url(lga, "challenge_book_check"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_offer">This offer is not open for booking: choose another.</a>' in page
    # Every other answer kept, and the form goes back to the question page.
    assert shows_date(page, "onsite_start", clock.days(150))
    assert "Our front door\nand early help</textarea>" in page
    assert f'action="{url(lga, "challenge_book")}"' in page
    assert challenges() == 0
    # The check page, opened again, sends the person to change the answers.
    response = client.get(url(lga, "challenge_book_check"))
    assert response["Location"] == url(lga, "challenge_book") + "?change=1"


def test_a_repeated_request_books_once(client, lga):
    client.force_login(lga.pm)
    continue_to_check(client, lga)
    first = client.post(url(lga, "challenge_book_check"))
    second = client.post(url(lga, "challenge_book_check"), follow=True)
    with scopes_disabled():
        challenge = Challenge.objects.get()
    detail = url(lga, "challenge_detail", challenge=challenge.pk)
    assert first["Location"] == detail
    assert second.redirect_chain[0] == (detail, 302)
    assert "This form was already sent, so it was not sent again." in second.content.decode()
    assert challenges() == 1
    # The answers were cleared: the check page has nothing to show.
    response = client.get(url(lga, "challenge_book_check"))
    assert response["Location"] == url(lga, "challenge_book")


def test_no_answers_kept_sends_the_check_page_to_the_question(client, lga):
    client.force_login(lga.pm)
    for method in (client.get, client.post):
        response = method(url(lga, "challenge_book_check"))
        assert (response.status_code, response["Location"]) == (302, url(lga, "challenge_book"))
    assert challenges() == 0


def test_the_check_page_keeps_the_booking_permission(client, lga):
    client.force_login(lga.peer)
    assert client.get(url(lga, "challenge_book_check")).status_code == 403
    assert client.post(url(lga, "challenge_book_check")).status_code == 403


def kept(client, lga, user, answers_kept: dict) -> None:
    """Answers in the session as the question page keeps them (signed for this alliance and
    person), e.g. tampered with or from elsewhere."""
    session = client.session
    name = f"check_answers:lga_cspc.booking:{lga.alliance.pk}"
    session[name] = signing.dumps({"answers": answers_kept}, salt=f"{name}:{user.pk}")
    session.save()


@pytest.mark.parametrize("tampered", ["offer", "council"])
def test_another_alliances_offer_or_a_council_not_booked_for_is_refused(client, lga, tampered):
    other = AllianceFactory(slug="other-national", kind=Alliance.Kind.NATIONAL, regions=[])
    other_offer = OfferFactory(alliance=other, name="Other national's secret offer")
    client.force_login(lga.leicester_dcs)
    draft = {
        "offer": str(lga.offer.pk),
        "council": str(council("Leicester").pk),
        "onsite_start": clock.days(150).isoformat(),
        "days": "4",
        "request_notes": "",
    }
    if tampered == "offer":
        draft["offer"] = str(other_offer.pk)
    else:
        # A DCS's council is fixed to their own: a kept id of another council is not used.
        draft["council"] = str(council("Derby").pk)
    kept(client, lga, lga.leicester_dcs, draft)
    response = client.get(url(lga, "challenge_book_check"))
    if tampered == "offer":
        assert response["Location"] == url(lga, "challenge_book") + "?change=1"
        page = client.get(response["Location"]).content.decode()
        assert "This offer is not open for booking: choose another." in page
        assert "secret offer" not in page
        assert client.post(url(lga, "challenge_book_check")).status_code == 200
        assert challenges() == 0
    else:
        assert "Derby" not in response.content.decode()
        client.post(url(lga, "challenge_book_check"))
        with scopes_disabled():
            assert Challenge.objects.get().local_authority == council("Leicester")


def test_answers_kept_in_one_alliance_are_nothing_in_another(client, lga):
    client.force_login(lga.pm)
    continue_to_check(client, lga)
    session = client.session
    name = f"check_answers:lga_cspc.booking:{lga.alliance.pk}"
    # The same signed answers under another alliance's name, or altered, are not read.
    other = AllianceFactory(slug="other-national", kind=Alliance.Kind.NATIONAL, regions=[])
    session[f"check_answers:lga_cspc.booking:{other.pk}"] = session[name]
    session[name] = session[name][:-2] + "xx"
    session.save()
    response = client.get(url(lga, "challenge_book_check"))
    assert response["Location"] == url(lga, "challenge_book")


def test_opening_the_pages_does_not_change_the_kept_answers(client, lga):
    client.force_login(lga.pm)
    continue_to_check(client, lga)
    name = f"check_answers:lga_cspc.booking:{lga.alliance.pk}"
    before = client.session[name]
    client.get(url(lga, "challenge_book_check"))
    client.get(url(lga, "challenge_book") + "?change=1")
    assert client.session[name] == before
    assert challenges() == 0


def test_the_question_has_one_button_continue(client, lga):
    client.force_login(lga.pm)
    page = client.get(url(lga, "challenge_book")).content.decode()
    form = page[page.index('<form method="post" action="') :]
    form = form[: form.index("</form>")]
    assert form.count("<button") == 1
    assert '<button type="submit" class="govuk-button" data-module="govuk-button">Continue' in form
