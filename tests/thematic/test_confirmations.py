"""Withdrawing a nominated officer asks first: the list links to a page saying what it
means; only its "Yes, withdraw" (confirm=yes) withdraws. A GET changes nothing, a POST
without the confirmation shows the page again, a second POST is harmless, another
alliance's nomination is 404, a member who sees the council's part but may not change it
gets 403 and no link."""

import re

from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import council
from tests.thematic.factories import event, nomination
from tests.thematic.matrix import london_thematic
from thematic.models import Nomination

TOKEN = re.compile(r'name="form_token" value="([A-Za-z0-9_-]+)"')


def urls(world, upcoming, made):
    base = {"alliance": world.em.slug, "event": upcoming.pk}
    return (
        reverse("thematic:nomination_withdraw", kwargs={**base, "nomination": made.pk}),
        reverse("thematic:nominations", kwargs={**base, "gss": council("Derby").gss_code}),
    )


def still_there(pk) -> bool:
    with scopes_disabled():
        return Nomination.objects.filter(pk=pk).exists()


def test_withdraw_page_says_what_it_means_and_changes_nothing(client, world):
    upcoming = event(world.em)
    made = nomination(upcoming, "Derby", full_name="Nia Officer")
    withdraw, back = urls(world, upcoming, made)
    client.force_login(world.organiser)
    assert withdraw in client.get(back).content.decode()
    response = client.get(withdraw)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Withdraw Nia Officer's nomination?" in page
    assert 'name="confirm" value="yes"' in page
    assert f'<a class="govuk-link" href="{back}">Cancel</a>' in page
    assert still_there(made.pk)


def test_post_without_confirm_withdraws_nothing(client, world):
    upcoming = event(world.em)
    made = nomination(upcoming, "Derby", full_name="Nia Officer")
    withdraw, _ = urls(world, upcoming, made)
    client.force_login(world.organiser)
    response = client.post(withdraw)
    assert response.status_code == 200
    assert "Withdraw Nia Officer's nomination?" in response.content.decode()
    assert still_there(made.pk)


def test_confirmed_withdrawal_is_done_once(client, world):
    upcoming = event(world.em)
    made = nomination(upcoming, "Derby", full_name="Nia Officer")
    withdraw, back = urls(world, upcoming, made)
    client.force_login(world.organiser)
    data = {"confirm": "yes", "form_token": TOKEN.findall(client.get(withdraw).text)[0]}
    first, second = client.post(withdraw, data), client.post(withdraw, data)
    assert (first.status_code, first["Location"]) == (302, back)
    assert (second.status_code, second["Location"]) == (302, back)
    assert not still_there(made.pk)


def test_member_who_may_not_change_gets_403_and_no_link(client, world):
    upcoming = event(world.em)
    made = nomination(upcoming, "Derby")
    withdraw, back = urls(world, upcoming, made)
    client.force_login(world.pm)  # sees Derby's officers; they are Derby's to change
    assert withdraw not in client.get(back).content.decode()
    assert client.get(withdraw).status_code == 403
    assert client.post(withdraw, {"confirm": "yes"}).status_code == 403
    assert still_there(made.pk)


def test_another_alliances_nomination_is_404(client, world):
    upcoming = event(world.em)
    london = london_thematic(world)
    client.force_login(world.organiser)
    for event_pk in (upcoming.pk, london["event"]):
        withdraw = reverse(
            "thematic:nomination_withdraw",
            kwargs={
                "alliance": world.em.slug,
                "event": event_pk,
                "nomination": london["nomination"],
            },
        )
        assert client.get(withdraw).status_code == 404
        assert client.post(withdraw, {"confirm": "yes"}).status_code == 404
    assert still_there(london["nomination"])
