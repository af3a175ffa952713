"""An alliance admin invites a person; the invitee follows the emailed link, sets a
password, sets up TOTP and lands on the home page. axe checks every page on the way."""

import re

import pyotp
from django.core import mail

from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, region


def test_admin_invites_a_person_who_joins_with_two_factor(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    admin = UserFactory(email="ada.admin@example.org", full_name="Ada Admin")
    MembershipFactory(alliance=alliance, user=admin, role=Role.ALLIANCE_ADMIN)

    # The admin signs in (password, then authenticator code) and invites a peer reviewer.
    page = new_page()
    sign_in(page, admin)
    assert_accessible(page)
    page.get_by_role("link", name="East Midlands RIIA").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Members").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Invite a person").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()  # empty: errors first
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("Email address").fill("nia.newcomer@example.org")
    page.get_by_label("Role").select_option(label="Peer reviewer")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to nia.newcomer@example.org").wait_for()
    assert_accessible(page)

    # The invitee opens the link from the email.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(site.url)
    invitee = new_page()
    invitee.goto(link)
    invitee.get_by_role("heading", name=re.compile("Join East Midlands RIIA")).wait_for()
    assert_accessible(invitee)
    invitee.get_by_label("Create a password").fill("a long and lovely passphrase")
    invitee.get_by_label("Confirm your password").fill("a long and lovely passphrase")
    invitee.get_by_role("button", name="Create account").click()

    # Two-factor set-up comes before anything else.
    secret_box = invitee.locator("#totp-secret")
    secret_box.wait_for()
    assert "/accounts/2fa/totp/activate/" in invitee.url
    assert_accessible(invitee)
    invitee.goto("/")  # trying to skip it leads straight back
    secret_box.wait_for()
    secret = secret_box.inner_text().strip()
    invitee.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    invitee.get_by_role("button", name="Activate").click()
    invitee.get_by_role("heading", name=re.compile("Recovery codes")).wait_for()
    assert_accessible(invitee)
    invitee.get_by_role("link", name=re.compile("Continue")).click()

    invitee.get_by_role("heading", name="Your alliances").wait_for()
    assert_accessible(invitee)
    body = invitee.locator("main").inner_text()
    assert "East Midlands RIIA" in body
    assert "Peer reviewer" in body
    assert "Nothing needs you right now" in body
