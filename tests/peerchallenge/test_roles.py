"""What each role may and may not do inside its own alliance (403 for a member who lacks the
role; the cross-tenant 404s live in tests/test_tenancy_matrix.py)."""

import pytest
from django.urls import reverse

ROLES = ["admin", "pm", "coordinator", "organiser", "dcs", "tier2"]

# page -> roles that may open it
ALLOWED = {
    "alliance_detail": set(ROLES),
    "council_list": set(ROLES),
    "council_detail": set(ROLES),
    "member_list": {"admin", "pm", "coordinator"},
    "member_invite": {"admin"},
    "membership_edit": {"admin"},
    "membership_remove": {"admin"},
    "invitation_cancel": {"admin"},
}


def url_for(name, world):
    from peerchallenge.models import Invitation, Membership
    from tests.factories import InvitationFactory

    kwargs = {"alliance": world.em.slug}
    if name == "council_detail":
        kwargs["gss"] = "E06000015"  # Derby
    if name in {"membership_edit", "membership_remove"}:
        kwargs["membership"] = Membership.objects.with_scopes_disabled().get(user=world.tier2).pk
    if name == "invitation_cancel":
        invitation = InvitationFactory(alliance=world.em, invited_by=world.admin)
        assert Invitation.objects.with_scopes_disabled().filter(pk=invitation.pk).exists()
        kwargs["invitation"] = invitation.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("page", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_role_may_open_page_only_if_allowed(page, role, client, world):
    client.force_login(getattr(world, role))
    response = client.get(url_for(page, world))
    assert response.status_code == (200 if role in ALLOWED[page] else 403)


def test_forbidden_page_explains_itself(client, world):
    client.force_login(world.organiser)
    response = client.get(reverse("member_list", kwargs={"alliance": world.em.slug}))
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


@pytest.mark.parametrize("role", ["pm", "coordinator", "organiser", "dcs", "tier2"])
def test_only_admin_may_post_an_invitation(role, client, world, mailoutbox):
    client.force_login(getattr(world, role))
    response = client.post(
        reverse("member_invite", kwargs={"alliance": world.em.slug}),
        {"full_name": "Nia New", "email": "nia@example.org", "role": "peer_reviewer"},
    )
    assert response.status_code == 403
    assert mailoutbox == []
