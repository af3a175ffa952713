"""Every state-changing POST is idempotent against a double click or a resubmitted form:
each POST form carries a one-time token (peerchallenge.form_tokens); the second POST with it
is sent to the first one's result and does not do the work again."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from ondemand.models import Review
from peerchallenge.models import FormSubmission, Invitation
from peerchallenge.tasks import form_tokens_purge
from tests.factories import FormSubmissionFactory, council
from thematic.models import ThemeSuggestion

TOKEN = re.compile(r'name="form_token" value="([A-Za-z0-9_-]+)"')


def token_of(page: str) -> str:
    tokens = TOKEN.findall(page)
    assert tokens, "no form token on the page"
    return tokens[0]


def test_post_forms_carry_a_fresh_token_and_get_forms_none(client, world):
    client.force_login(world.admin)
    invite = reverse("member_invite", kwargs={"alliance": world.em.slug})
    first, second = client.get(invite).content.decode(), client.get(invite).content.decode()
    assert first.count('name="csrfmiddlewaretoken"') == first.count('name="form_token"') >= 1
    assert token_of(first) != token_of(second)
    councils = client.get(reverse("council_list", kwargs={"alliance": world.em.slug}))
    page = councils.content.decode()
    get_form = page[
        page.index('<form method="get"') : page.index("</form>", page.index('<form method="get"'))
    ]
    assert "form_token" not in get_form


def test_invitation_sent_twice_makes_one_invitation_and_one_email(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    invite = reverse("member_invite", kwargs={"alliance": world.em.slug})
    data = {
        "full_name": "Nia Newcomer",
        "email": "nia@example.org",
        "role": "programme_manager",
        "local_authority": "",
        "form_token": token_of(client.get(invite).content.decode()),
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(invite, data)
        second = client.post(invite, data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert "This form was already sent, so it was not sent again." in second.content.decode()
    with scopes_disabled():
        assert Invitation.objects.filter(email="nia@example.org").count() == 1
    assert [m.to for m in mailoutbox] == [["nia@example.org"]]


def test_theme_suggestion_sent_twice_is_made_once(client, world):
    client.force_login(world.organiser)
    themes = reverse("thematic:theme_list", kwargs={"alliance": world.em.slug})
    create = reverse("thematic:suggestion_create", kwargs={"alliance": world.em.slug})
    token = token_of(client.get(themes).content.decode())
    data = {"name": "Exploitation outside the home", "reason": "County lines", "form_token": token}
    assert client.post(create, data).status_code == 302
    assert client.post(create, data).status_code == 302
    with scopes_disabled():
        assert ThemeSuggestion.objects.count() == 1


def ondemand_request(world) -> dict:
    return {
        "local_authority": council("Derby").pk,
        "service_area": "Front door",
        "primary_kloe": "Right help, right time?",
        "why_now": "Contacts are up.",
        "preferred_start": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "days": "1",
    }


def test_ondemand_request_sent_twice_is_one_review(client, world):
    client.force_login(world.dcs)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    check = reverse("ondemand:review_request_check", kwargs={"alliance": world.em.slug})
    token = token_of(client.get(url).content.decode())
    assert client.post(url, {**ondemand_request(world), "form_token": token})["Location"] == check
    data = {"form_token": token_of(client.get(check).content.decode())}
    first, second = client.post(check, data), client.post(check, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"]
    with scope(alliance=world.em):
        assert Review.objects.count() == 1


def test_a_form_shown_again_with_errors_may_be_sent_again_with_the_same_token(client, world):
    client.force_login(world.dcs)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    token = token_of(client.get(url).content.decode())
    invalid = client.post(url, {"service_area": "Front door", "form_token": token})
    assert invalid.status_code == 200
    assert FormSubmission.objects.filter(token=token).exists() is False
    valid = client.post(url, {**ondemand_request(world), "form_token": token})
    check = reverse("ondemand:review_request_check", kwargs={"alliance": world.em.slug})
    assert (valid.status_code, valid["Location"]) == (302, check)
    assert client.post(check).status_code == 302
    with scope(alliance=world.em):
        assert Review.objects.count() == 1


def test_a_replay_while_the_first_is_being_done_is_told_it_was_sent(client, world, settings):
    settings.PEERCHALLENGE_FORM_TOKEN_WAIT_SECONDS = 0
    client.force_login(world.dcs)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    FormSubmissionFactory(token="x" * 32, user=world.dcs, path=url)  # in progress
    response = client.post(url, {"service_area": "Front door", "form_token": "x" * 32})
    assert response.status_code == 409
    assert "This form was already sent" in response.content.decode()
    with scope(alliance=world.em):
        assert Review.objects.count() == 0


def test_someone_elses_token_is_not_followed_to_their_result(client, world, settings):
    settings.PEERCHALLENGE_FORM_TOKEN_WAIT_SECONDS = 0
    FormSubmissionFactory(
        token="y" * 32, user=world.pm, path="/", result_url="/a/east-midlands/secret/"
    )
    client.force_login(world.dcs)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    response = client.post(url, {"form_token": "y" * 32})
    assert response.status_code == 409
    assert "/secret/" not in response.content.decode()


@pytest.mark.django_db
def test_purge_forgets_tokens_older_than_the_setting(settings):
    settings.PEERCHALLENGE_FORM_TOKEN_DAYS = 7
    old = FormSubmissionFactory(token="o" * 32, path="/")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    FormSubmissionFactory(token="n" * 32, path="/")
    assert form_tokens_purge.delay().get() == 1
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["n" * 32]


def test_the_purge_runs_daily_from_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["form-tokens-purge"]["task"] == (
        "peerchallenge.form_tokens.purge"
    )
