"""Pages, bad input (clear messages next to the field, nothing lost) and query counts."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.models import Invitation, Membership, Role
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region


def em_url(name, world, **kwargs):
    return reverse(name, kwargs={"alliance": world.em.slug, **kwargs})


# --- home ---------------------------------------------------------------------------------


def test_home_lists_my_alliances_and_roles(client, world):
    MembershipFactory(alliance=world.london, user=world.dcs, role=Role.PEER_REVIEWER)
    client.force_login(world.dcs)
    page = client.get(reverse("home")).content.decode()
    assert "East Midlands RIIA" in page and "London alliance" in page
    assert "Director of children&#x27;s services / sponsor" in page
    assert "Derby" in page and "Peer reviewer" in page
    assert "Nothing needs you right now" in page


def test_home_query_count_does_not_grow_with_alliances(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.pm)
    with CaptureQueriesContext(connection) as one_alliance:
        assert client.get(reverse("home")).status_code == 200
    # A budget for the whole page: each offer's "what needs you now" costs a few queries.
    assert len(one_alliance) <= 16
    for n in range(6):
        MembershipFactory(alliance=AllianceFactory(name=f"Extra {n}"), user=world.pm)
    with django_assert_max_num_queries(len(one_alliance)):
        page = client.get(reverse("home")).content.decode()
    assert "Extra 5" in page


# --- councils -----------------------------------------------------------------------------


def test_council_list_shows_the_alliances_councils_only(client, world):
    client.force_login(world.tier2)
    page = client.get(em_url("council_list", world)).content.decode()
    assert page.count('href="/a/east-midlands/councils/E') == 10
    assert "Nottinghamshire" in page and "E10000024" in page
    assert "Camden" not in page


def test_council_list_query_count_is_constant(client, world, django_assert_max_num_queries):
    lga = AllianceFactory(name="LGA", kind="national")
    MembershipFactory(alliance=lga, user=world.pm)
    client.force_login(world.pm)
    with django_assert_max_num_queries(10):
        small = client.get(em_url("council_list", world))
    with django_assert_max_num_queries(10):
        large = client.get(reverse("council_list", kwargs={"alliance": lga.slug}))
    assert small.content.decode().count("/councils/E") == 10
    assert large.content.decode().count("/councils/E") == 153


def test_council_list_filters_by_region_and_name(client, world):
    lga = AllianceFactory(name="LGA", kind="national")
    MembershipFactory(alliance=lga, user=world.pm)
    client.force_login(world.pm)
    url = reverse("council_list", kwargs={"alliance": lga.slug})
    page = client.get(url, {"region": "london", "q": "cam"}).content.decode()
    assert "Camden" in page and "Derby" not in page


def test_council_outside_the_alliance_is_404(client, world):
    client.force_login(world.pm)
    assert client.get(em_url("council_detail", world, gss="E09000007")).status_code == 404


# --- members and invitations --------------------------------------------------------------


def test_member_list_query_count_is_constant(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    with django_assert_max_num_queries(14):
        assert client.get(em_url("member_list", world)).status_code == 200
    for n in range(70):
        MembershipFactory(
            alliance=world.em,
            role=Role.PEER_REVIEWER,
            user=UserFactory(mfa=False, full_name=f"Zed {n:02d}"),
        )
    with django_assert_max_num_queries(14):
        page = client.get(em_url("member_list", world), {"page": 2}).content.decode()
    assert "Zed 69" in page


def test_invite_sends_an_email_and_lists_the_invitation(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            em_url("member_invite", world),
            {
                "full_name": "Nia New",
                "email": "nia@example.org",
                "role": "dcs",
                "local_authority": council("Leicester").pk,
            },
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "East Midlands RIIA" in mailoutbox[0].subject
    page = client.get(em_url("member_list", world)).content.decode()
    assert "nia@example.org" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"full_name": "", "email": "n@example.org", "role": "coordinator"},
            "full_name",
            "Enter the person's full name.",
        ),
        (
            {"full_name": "Nia", "email": "not-an-email", "role": "coordinator"},
            "email",
            "Enter an email address in the correct format",
        ),
        (
            {"full_name": "Nia", "email": "n@example.org", "role": "dcs"},
            "local_authority",
            "Choose the council this person works for.",
        ),
        (
            {"full_name": "Nia", "email": "n@example.org", "role": "overlord"},
            "role",
            "Select a valid choice",
        ),
        (
            {"full_name": "Pat", "email": "pat@example.org", "role": "programme_manager"},
            "email",
            "already has that role",
        ),
    ],
)
def test_invite_bad_input_keeps_what_was_typed(client, world, mailoutbox, data, field, message):
    client.force_login(world.admin)
    response = client.post(em_url("member_invite", world), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'value="{data["email"]}"' in page  # nothing typed is lost
    assert mailoutbox == []


def test_invite_refuses_a_council_of_another_alliance(client, world):
    client.force_login(world.admin)
    response = client.post(
        em_url("member_invite", world),
        {
            "full_name": "Nia",
            "email": "n@example.org",
            "role": "dcs",
            "local_authority": council("Camden").pk,
        },
    )
    assert "Select a valid choice" in response.context["form"].errors["local_authority"][0]


def test_change_role(client, world):
    client.force_login(world.admin)
    with scopes_disabled():
        membership = Membership.objects.get(user=world.tier2)
    response = client.post(
        em_url("membership_edit", world, membership=membership.pk),
        {"role": "la_organiser", "local_authority": council("Rutland").pk},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.local_authority.name) == ("la_organiser", "Rutland")


def test_change_role_bad_input(client, world):
    client.force_login(world.admin)
    with scopes_disabled():
        membership = Membership.objects.get(user=world.admin)
    response = client.post(
        em_url("membership_edit", world, membership=membership.pk), {"role": "coordinator"}
    )
    assert response.status_code == 200
    assert "at least one admin" in response.context["form"].errors["role"][0]
    membership.refresh_from_db()
    assert membership.role == Role.ALLIANCE_ADMIN


def test_remove_membership(client, world):
    client.force_login(world.admin)
    with scopes_disabled():
        membership = Membership.objects.get(user=world.tier2)
    url = em_url("membership_remove", world, membership=membership.pk)
    assert "Tia Tier" in client.get(url).content.decode()
    # A POST that did not come from the confirmation page's button shows the page again.
    response = client.post(url)
    assert response.status_code == 200
    assert "Yes, remove" in response.content.decode()
    with scopes_disabled():
        assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    with scopes_disabled():
        assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_last_admin_is_refused_with_a_message(client, world):
    client.force_login(world.admin)
    with scopes_disabled():
        membership = Membership.objects.get(user=world.admin)
    response = client.post(
        em_url("membership_remove", world, membership=membership.pk), {"confirm": "yes"}
    )
    assert response.status_code == 400
    assert "at least one admin" in response.content.decode()


def test_cancel_invitation(client, world):
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(alliance=world.em, invited_by=world.admin)
    client.force_login(world.admin)
    url = em_url("invitation_cancel", world, invitation=invitation.pk)
    response = client.post(url)  # not from the confirmation page's button
    assert "Yes, cancel the invitation" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    assert client.post(url, {"confirm": "yes"}).status_code == 404


# --- accepting an invitation --------------------------------------------------------------


@pytest.fixture
def invitation(world):
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(
        alliance=world.em,
        email="nia@example.org",
        full_name="Nia New",
        role=Role.DCS,
        local_authority=council("Lincolnshire"),
        invited_by=world.admin,
    )
    return invitation


def test_accept_creates_account_and_sends_to_two_factor_setup(client, invitation):
    token = invitation.token
    url = reverse("invitation_accept", args=[token])
    page = client.get(url).content.decode()
    assert "East Midlands RIIA" in page and "Lincolnshire" in page
    response = client.post(
        url,
        {"full_name": "Nia New", "password1": "a very long pass", "password2": "a very long pass"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200  # no second password
    with scopes_disabled():
        assert Membership.objects.get(user__email="nia@example.org").role == Role.DCS


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"full_name": "Nia", "password1": "short", "password2": "short"},
            "password1",
            "too short",
        ),
        (
            {"full_name": "Nia", "password1": "a very long pass", "password2": "another long one"},
            "password2",
            "do not match",
        ),
        (
            {"full_name": "", "password1": "a very long pass", "password2": "a very long pass"},
            "full_name",
            "Enter your full name.",
        ),
    ],
)
def test_accept_bad_input(client, invitation, data, field, message):
    response = client.post(reverse("invitation_accept", args=[invitation.token]), data)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    with scopes_disabled():
        assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_used_or_unknown_invitation_link_is_refused(client, invitation):
    url = reverse("invitation_accept", args=[invitation.token])
    data = {"full_name": "Nia", "password1": "a very long pass", "password2": "a very long pass"}
    assert client.post(url, data).status_code == 302
    client.logout()
    response = client.get(url)
    assert response.status_code == 404
    assert "expired or has already been used" in response.content.decode()
    assert client.get(reverse("invitation_accept", args=["nope"])).status_code == 404


def test_existing_person_must_sign_in_to_accept(client, world):
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(
        alliance=world.em, email=world.outsider.email, invited_by=world.admin
    )
    url = reverse("invitation_accept", args=[invitation.token])
    assert client.post(url, {}).status_code == 403
    client.force_login(world.outsider)
    assert client.post(url, {}).status_code == 302
    with scopes_disabled():
        assert Membership.objects.filter(user=world.outsider, alliance=world.em).exists()
    assert region("East Midlands") in world.em.regions.all()


def test_home_links_members_only_where_the_role_allows(client, world):
    MembershipFactory(alliance=world.london, user=world.pm, role=Role.PEER_REVIEWER)
    client.force_login(world.pm)
    page = client.get(reverse("home")).content.decode()
    assert 'href="/a/east-midlands/members/"' in page
    assert 'href="/a/london/members/"' not in page
    assert 'href="/a/london/councils/"' in page
