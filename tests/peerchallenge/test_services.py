import re

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from config.celery import app
from peerchallenge.models import Invitation, Membership, Role, User
from peerchallenge.services import (
    invitation_accept,
    invitation_cancel,
    invitation_create,
    membership_change_role,
    membership_remove,
)
from peerchallenge.tasks import invitation_send
from tests.factories import MembershipFactory, council
from tests.outbox import deliver_queued


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


def test_cancelled_invitation_is_not_sent(em_scope, mailoutbox):
    world = em_scope
    invitation, token = invitation_create(
        alliance=world.em,
        email="x@example.org",
        full_name="X",
        role=Role.PEER_REVIEWER,
        local_authority=None,
        invited_by=world.admin,
    )
    mailoutbox.clear()
    invitation_cancel(invitation=invitation)
    invitation_send(invitation.pk, token)  # a queued copy that runs after the cancellation
    assert mailoutbox == []


def test_invitation_create_refuses_an_existing_role(em_scope):
    world = em_scope
    with pytest.raises(
        ValidationError, match="This person already has that role in this alliance"
    ) as error:
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


def test_inviting_again_sends_a_fresh_invitation_and_cancels_the_old_one(em_scope, mailoutbox):
    world = em_scope
    kwargs = {
        "alliance": world.em,
        "email": "n@example.org",
        "full_name": "N",
        "role": Role.COORDINATOR,
        "local_authority": None,
        "invited_by": world.admin,
    }
    first, first_token = invitation_create(**kwargs)
    second, second_token = invitation_create(**kwargs)
    first.refresh_from_db()
    assert first.cancelled_at is not None
    assert list(Invitation.objects.filter(email="n@example.org").pending()) == [second]
    deliver_queued()  # the first one's email, still waiting, is not sent: only the fresh one
    assert [m.to for m in mailoutbox] == [["n@example.org"]]
    assert f"/invitations/{second_token}/" in mailoutbox[0].body
    assert first_token not in mailoutbox[0].body


def test_invitation_with_the_broker_down_is_made_and_its_email_waits_in_the_outbox(
    em_scope, mailoutbox
):
    """Redis (the broker) down: the invitation and its outbox row are saved together; the
    sweeper delivers the email once the broker is back. Nothing half-done, nothing lost."""
    world = em_scope
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool, app.amqp._producer_pool = None, None
    try:
        invitation, _ = invitation_create(
            alliance=world.em,
            email="n@example.org",
            full_name="N",
            role=Role.COORDINATOR,
            local_authority=None,
            invited_by=world.admin,
        )
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, broker
        app._pool, app.amqp._producer_pool = None, None
    assert invitation.is_pending
    assert mailoutbox == []
    deliver_queued()
    assert [m.to for m in mailoutbox] == [["n@example.org"]]


def test_invitation_for_a_council_outside_the_alliance_is_refused(em_scope):
    world = em_scope
    with pytest.raises(
        ValidationError, match="Camden is not one of East Midlands RIIA's councils"
    ) as error:
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
    with pytest.raises(ValidationError, match="This invitation has expired or has already been"):
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
    with pytest.raises(ValidationError, match="This invitation was sent to a different email"):
        invitation_accept(invitation=invitation, user=world.pm)
    invitation_accept(invitation=invitation, user=world.outsider)
    assert Membership.objects.filter(user=world.outsider, role=Role.PEER_REVIEWER).exists()


def test_the_last_admin_cannot_be_removed_or_demoted(em_scope):
    world = em_scope
    admin = Membership.objects.get(user=world.admin)
    with pytest.raises(
        ValidationError, match=re.escape("An alliance needs at least one admin. Make")
    ):
        membership_remove(membership=admin)
    with pytest.raises(
        ValidationError, match=re.escape("An alliance needs at least one admin. Make")
    ):
        membership_change_role(membership=admin, role=Role.PROGRAMME_MANAGER, local_authority=None)
    MembershipFactory(alliance=world.em, user=world.pm, role=Role.ALLIANCE_ADMIN)
    membership_remove(membership=admin)
    assert not Membership.objects.filter(pk=admin.pk).exists()


def test_council_role_needs_a_council(em_scope):
    world = em_scope
    membership = Membership.objects.get(user=world.tier2)
    with pytest.raises(
        ValidationError, match="Choose the council this person works for in this"
    ) as error:
        membership_change_role(membership=membership, role=Role.DCS, local_authority=None)
    assert error.value.message_dict == {
        "local_authority": ["Choose the council this person works for in this role."]
    }


def test_plain_text_emails_are_not_html_escaped(db, mailoutbox, settings):
    from types import SimpleNamespace

    from peerchallenge.emails import email_send

    cycle = SimpleNamespace(name="Children's peer challenge", alliance=SimpleNamespace(name="A&B"))
    email_send(
        template="report_issued",
        to=["x@example.org"],
        context={"cycle": cycle, "version": SimpleNamespace(number=1), "path": "/r/1/"},
    )
    deliver_queued()
    message = mailoutbox[0]
    assert message.subject == "The summary report of Children's peer challenge is ready"
    assert "Children's peer challenge" in message.body and "A&B" in message.body
    assert "Children&#x27;s" in message.alternatives[0][0]  # the HTML part stays escaped
