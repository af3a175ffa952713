"""A request body past Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB; or more than
DATA_UPLOAD_MAX_NUMBER_FIELDS fields) is answered with the GOV.UK 400 page "What you sent was
too long", not Django's bare "Bad Request (400)", and nothing is saved."""

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.models import Invitation

TOO_LONG = '<h1 class="govuk-heading-l">What you sent was too long</h1>'


def invite_url(world) -> str:
    return reverse("member_invite", kwargs={"alliance": world.em.slug})


def invitations() -> int:
    with scopes_disabled():
        return Invitation.objects.count()


def test_a_body_past_the_limit_gets_the_too_long_page(client, world):
    before = invitations()
    client.force_login(world.admin)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        invite_url(world), {"email": "ann@example.org", "role": "peer", "message": huge}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>What you sent was too long \u2013 Peer Challenge</title>" in page
    assert TOO_LONG in page
    assert "Nothing was saved." in page
    assert invitations() == before


def test_a_url_encoded_body_past_the_limit_gets_the_too_long_page(world):
    # With CSRF checks on, the CSRF middleware reads the body first, before sign-in has run.
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    client.get(invite_url(world))  # the CSRF cookie
    body = "message=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        invite_url(world), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert TOO_LONG in response.content.decode()


def test_too_many_fields_gets_the_too_long_page(client, world):
    client.force_login(world.admin)
    fields = {f"field_{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(invite_url(world), fields)
    assert response.status_code == 400
    assert TOO_LONG in response.content.decode()


def test_another_bad_request_gets_the_plain_page(client, world):
    response = client.get("/", HTTP_HOST="not-ours.example.org")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, there is a problem with what was sent" in page
    assert "too long" not in page
