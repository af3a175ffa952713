import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from peerchallenge.models import Invitation, Membership, Role, User
from peerchallenge.services import (
    invitation_accept,
    invitation_cancel,
    invitation_create,
    membership_change_role,
    membership_remove,
)
from tests.factories import council


@pytest.fixture
def em_scope(world):
    with scope(alliance=world.em):
        yield world


def test_invitation_create_sends_one_email_with_a_working_link(
    em_scope, mailoutbox, django_capture_on_commit_callbacks
):
    world = em_scope
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invitation_create(
            alliance=world.em,
            email="Nia.New@Example.org",
            full_name="Nia New",
            role=Role.PEER_REVIEWER,
            local_authority=None,
            invited_by=world.admin,
        )
    assert invitation.email == "nia.new@example.org"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nia.new@example.org"]
    assert f"/invitations/{token}/" in message.body
    assert token not in invitation.token_hash
    assert Invitation.objects.for_token(token).get() == invitation


def test_cancelled_invitation_is_not_sent(em_scope, mailoutbox, django_capture_on_commit_callbacks):
    world = em_scope
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation, _ = invitation_create(
            alliance=world.em,
            email="x@example.org",
            full_name="X",
            role=Role.PEER_REVIEWER,
            local_authority=None,
            invited_by=world.admin,
        )
    invitation_cancel(invitation=invitation)
    for callback in callbacks:
        callback()
    assert mailoutbox == []


def test_invitation_create_refuses_an_existing_role_and_a_second_open_invitation(em_scope):
    world = em_scope
    with pytest.raises(ValidationError) as error:
        invitation_create(
            alliance=world.em,
            email=world.pm.email,
            full_name="Pat",
            role=Role.PROGRAMME_MANAGER,
            local_authority=None,
            invited_by=world.admin,
        )
    assert error.value.message_dict == {
        "email": ["This person already has that role in this alliance."]
    }
    kwargs = {
        "alliance": world.em,
        "email": "n@example.org",
        "full_name": "N",
        "role": Role.COORDINATOR,
        "local_authority": None,
        "invited_by": world.admin,
    }
    invitation_create(**kwargs)
    with pytest.raises(ValidationError) as error:
        invitation_create(**kwargs)
    assert "already been invited" in error.value.message_dict["email"][0]


def test_invitation_for_a_council_outside_the_alliance_is_refused(em_scope):
    world = em_scope
    with pytest.raises(ValidationError) as error:
        invitation_create(
            alliance=world.em,
            email="n@example.org",
            full_name="N",
            role=Role.DCS,
            local_authority=council("Camden"),
            invited_by=world.admin,
        )
    assert error.value.message_dict == {
        "local_authority": ["Camden is not one of East Midlands RIIA's councils."]
    }


def test_invitation_accept_creates_a_verified_person_with_the_role(em_scope):
    world = em_scope
    invitation, _ = invitation_create(
        alliance=world.em,
        email="nia@example.org",
        full_name="Nia New",
        role=Role.DCS,
        local_authority=council("Leicester"),
        invited_by=world.admin,
    )
    user = invitation_accept(invitation=invitation, full_name="Nia New", password="a-long-pass")
    assert user.check_password("a-long-pass")
    assert user.emailaddress_set.get().verified is True
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.local_authority.name) == (Role.DCS, "Leicester")
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, full_name="Again", password="a-long-pass")
    assert User.objects.filter(email="nia@example.org").count() == 1


def test_existing_person_accepts_only_their_own_invitation(em_scope):
    world = em_scope
    invitation, _ = invitation_create(
        alliance=world.em,
        email=world.outsider.email,
        full_name="Olu",
        role=Role.PEER_REVIEWER,
        local_authority=None,
        invited_by=world.admin,
    )
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=world.pm)
    invitation_accept(invitation=invitation, user=world.outsider)
    assert Membership.objects.filter(user=world.outsider, role=Role.PEER_REVIEWER).exists()


def test_the_last_admin_cannot_be_removed_or_demoted(em_scope):
    world = em_scope
    admin = Membership.objects.get(user=world.admin)
    with pytest.raises(ValidationError):
        membership_remove(membership=admin)
    with pytest.raises(ValidationError):
        membership_change_role(membership=admin, role=Role.PROGRAMME_MANAGER, local_authority=None)
    Membership.objects.create(alliance=world.em, user=world.pm, role=Role.ALLIANCE_ADMIN)
    membership_remove(membership=admin)
    assert not Membership.objects.filter(pk=admin.pk).exists()


def test_council_role_needs_a_council(em_scope):
    world = em_scope
    membership = Membership.objects.get(user=world.tier2)
    with pytest.raises(ValidationError) as error:
        membership_change_role(membership=membership, role=Role.DCS, local_authority=None)
    assert error.value.message_dict == {
        "local_authority": ["Choose the council this person works for in this role."]
    }


def test_plain_text_emails_are_not_html_escaped(mailoutbox, settings):
    from types import SimpleNamespace

    from peerchallenge.emails import email_send

    cycle = SimpleNamespace(name="Children's peer challenge", alliance=SimpleNamespace(name="A&B"))
    email_send(
        template="report_issued",
        to=["x@example.org"],
        context={"cycle": cycle, "version": SimpleNamespace(number=1), "path": "/r/1/"},
    )
    message = mailoutbox[0]
    assert message.subject == "The summary report of Children's peer challenge is ready"
    assert "Children's peer challenge" in message.body and "A&B" in message.body
    assert "Children&#x27;s" in message.alternatives[0][0]  # the HTML part stays escaped
