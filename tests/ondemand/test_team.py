"""The review team: invited from the alliance, never from the host council, once each; each
person answers their own invitation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from ondemand.models import Response, Reviewer
from ondemand.services.team import reviewer_invite, reviewer_respond
from peerchallenge.models import Role
from tests.factories import MembershipFactory, UserFactory, council
from tests.ondemand.factories import on_team, planning_review


def invite(world, review, person, role="officer"):
    with scope(alliance=world.em):
        return reviewer_invite(review=review, person=person, role=role, invited_by=world.pm)


def test_invitation_saved_and_emailed(world, od, mailoutbox, django_capture_on_commit_callbacks):
    review = planning_review(world.em)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer = invite(world, review, od.officer)
    assert (reviewer.response, reviewer.home_council.name) == (Response.INVITED, "Leicester")
    assert [m.to for m in mailoutbox] == [["pete@example.org"]]
    assert mailoutbox[0].subject == "Join the review team: Children's commissioning at Derby"
    assert f"/team/{reviewer.pk}/respond/" in mailoutbox[0].body


def test_member_of_the_host_council_refused(world, od):
    review = planning_review(world.em)
    with pytest.raises(
        ValidationError, match="Dan Derbyworker works for Derby, the council"
    ) as error:
        invite(world, review, od.derby_officer)
    assert error.value.message_dict == {
        "person": [
            "Dan Derbyworker works for Derby, the council being reviewed: choose someone from "
            "another council or an independent reviewer."
        ]
    }
    with scope(alliance=world.em):
        assert Reviewer.objects.count() == 0


def test_person_invited_twice_refused(world, od):
    review = planning_review(world.em)
    invite(world, review, od.officer)
    with pytest.raises(
        ValidationError, match="Pete Officer has already been invited to this"
    ) as error:
        invite(world, review, od.officer, role="expert")
    assert error.value.message_dict == {
        "person": ["Pete Officer has already been invited to this review."]
    }


def test_second_lead_refused_until_the_first_declines(world, od):
    review = planning_review(world.em)
    first = invite(world, review, od.lead, role="lead")
    with pytest.raises(
        ValidationError, match="The team already has a lead reviewer: remove them"
    ) as error:
        invite(world, review, od.officer, role="lead")
    assert error.value.message_dict == {
        "role": ["The team already has a lead reviewer: remove them first."]
    }
    with scope(alliance=world.em):
        reviewer_respond(reviewer=first, accept=False, reason="On leave")
    assert invite(world, review, od.officer, role="lead").role == "lead"


def test_not_a_reviewer_of_the_alliance_refused(world):
    review = planning_review(world.em)
    with pytest.raises(
        ValidationError, match="Choose a reviewer, officer or project support of"
    ) as error:
        invite(world, review, world.tier2)
    assert error.value.message_dict == {
        "person": ["Choose a reviewer, officer or project support of the alliance."]
    }


def test_team_is_assembled_only_after_acceptance(world, od):
    review = planning_review(world.em, status="requested")
    with pytest.raises(ValidationError, match="The team is assembled once the request is"):
        invite(world, review, od.officer)


def test_invitee_accepts_in_the_app(client, world, od):
    review = planning_review(world.em)
    reviewer = invite(world, review, od.officer)
    url = reverse(
        "ondemand:reviewer_respond",
        kwargs={"alliance": world.em.slug, "review": review.pk, "reviewer": reviewer.pk},
    )
    client.force_login(od.officer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"accept": "yes"}).status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.response == Response.ACCEPTED


def test_someone_else_cannot_answer_an_invitation(client, world, od):
    review = planning_review(world.em)
    reviewer = invite(world, review, od.officer)
    url = reverse(
        "ondemand:reviewer_respond",
        kwargs={"alliance": world.em.slug, "review": review.pk, "reviewer": reviewer.pk},
    )
    client.force_login(world.pm)
    assert client.post(url, {"accept": "no"}).status_code == 403
    reviewer.refresh_from_db()
    assert reviewer.response == Response.INVITED


def test_team_page_shows_the_host_refusal(client, world, od):
    review = planning_review(world.em)
    client.force_login(world.pm)
    url = reverse("ondemand:team", kwargs={"alliance": world.em.slug, "review": review.pk})
    response = client.post(url, {"person": od.derby_officer.pk, "role": "officer"})
    assert response.status_code == 200
    assert "Dan Derbyworker works for Derby, the council being reviewed" in response.text


def test_declined_person_no_longer_sees_the_review(client, world, od):
    review = planning_review(world.em)
    on_team(review, od.officer, response="declined")
    client.force_login(od.officer)
    url = reverse("ondemand:review_detail", kwargs={"alliance": world.em.slug, "review": review.pk})
    assert client.get(url).status_code == 404


# An officer from another council belongs to a council -----------------------------------


def no_council_message(name):
    return (
        f"{name} is not recorded as working for one of the alliance's councils: an officer "
        "from another council works for a council other than Derby. Choose another role, or "
        "ask the alliance admin to record their council."
    )


def test_officer_with_no_council_refused(world, od):
    review = planning_review(world.em)
    freelance = UserFactory(full_name="Fay Freelance", email="fay@example.org")
    MembershipFactory(alliance=world.em, user=freelance, role=Role.PEER_REVIEWER)
    # A council in another alliance does not make her an officer of this one's councils.
    MembershipFactory(
        alliance=world.london, user=freelance, role=Role.DCS, local_authority=council("Camden")
    )
    with pytest.raises(
        ValidationError, match="Fay Freelance is not recorded as working for one"
    ) as error:
        invite(world, review, freelance, role="officer")
    assert error.value.message_dict == {"role": [no_council_message("Fay Freelance")]}
    with scope(alliance=world.em):
        assert Reviewer.objects.count() == 0
    # The same person may join as an independent expert.
    assert invite(world, review, freelance, role="expert").home_council is None


def test_consultant_as_officer_refused_and_as_lead_allowed(world, od):
    review = planning_review(world.em)
    with pytest.raises(
        ValidationError, match="Lena Lead is not recorded as working for one of"
    ) as error:
        invite(world, review, od.lead, role="officer")
    assert error.value.message_dict == {"role": [no_council_message("Lena Lead")]}
    assert invite(world, review, od.lead, role="lead").role == "lead"


def test_officer_whose_council_is_on_a_council_role_allowed(world, od):
    review = planning_review(world.em)
    director = UserFactory(full_name="Nia Notts", email="nia@example.org")
    MembershipFactory(alliance=world.em, user=director, role=Role.CONSULTANT)
    MembershipFactory(
        alliance=world.em, user=director, role=Role.DCS, local_authority=council("Nottingham")
    )
    reviewer = invite(world, review, director, role="officer")
    assert (reviewer.role, reviewer.home_council.name) == ("officer", "Nottingham")


def test_team_page_shows_the_no_council_refusal_and_keeps_the_choice(client, world, od):
    review = planning_review(world.em)
    client.force_login(world.pm)
    url = reverse("ondemand:team", kwargs={"alliance": world.em.slug, "review": review.pk})
    response = client.post(url, {"person": od.lead.pk, "role": "officer"})
    assert response.status_code == 200
    assert (
        f'<a href="#id_role">{no_council_message("Lena Lead")}</a>'.replace("'", "&#x27;")
        in response.text
    )
    assert f'<option value="{od.lead.pk}" selected>' in response.text
    assert '<option value="officer" selected>' in response.text
    with scope(alliance=world.em):
        assert Reviewer.objects.count() == 0
