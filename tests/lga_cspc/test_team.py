"""The team slice: the council's sponsor and organiser, the peer team and its rules, each
peer's charter, declared conflicts of interest — and who may open which of these pages."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lga_cspc.data.charter import CHARTER_VERSION, CONFIDENTIALITY_VERSION
from lga_cspc.models import Conflict, Stage, TeamMember, TeamRole
from lga_cspc.services.team import (
    charter_accept,
    conflict_declare,
    role_indicative_days,
    team_gaps,
    team_member_add,
)
from peerchallenge.models import Role
from tests.clock import day_text
from tests.factories import MembershipFactory, UserFactory, council
from tests.lga_cspc.factories import ChallengeFactory, ConflictFactory, TeamMemberFactory

NOW = datetime.datetime(2027, 3, 1, 9, 30, tzinfo=datetime.UTC)


def url(name, lga, **kwargs):
    return reverse(f"lga_cspc:{name}", kwargs={"alliance": lga.alliance.slug, **kwargs})


@pytest.fixture
def challenge(lga):
    return ChallengeFactory(offer=lga.offer)  # Derby, 4 days


@pytest.fixture
def make_peer(lga):
    def make(name, la=None, role=Role.PEER_REVIEWER):
        user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}.peer@example.org")
        MembershipFactory(alliance=lga.alliance, user=user, role=role, local_authority=la)
        return user

    return make


def add(lga, challenge, person, role, **kwargs):
    with scope(alliance=lga.alliance):
        return team_member_add(
            challenge=challenge, person=person, role=role, invited_by=lga.pm, **kwargs
        )


def refusal(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


# Indicative days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "days", "expected"),
    [
        (TeamRole.TEAM_LEADER, 4, 6),  # 4 + pre-reading + 1 off-site day
        (TeamRole.TEAM_LEADER, 3, 5),
        (TeamRole.SENIOR_MANAGER, 4, 6),  # 4 + pre-reading + report support
        (TeamRole.LEAD_MEMBER, 4, 7),  # 4 + off-site + pre-reading + report support
        (TeamRole.PEER_CHALLENGE_MANAGER, 4, 9),  # 4 + 5 agreed in advance
        (TeamRole.PEER_CHALLENGE_MANAGER, 2, 7),
        (TeamRole.OBSERVER, 4, 4),
        (TeamRole.OBSERVER, 2, 2),
    ],
)
def test_indicative_days_follow_the_challenge_length(role, days, expected):
    assert role_indicative_days(role=role, challenge_days=days) == expected


# Adding peers: the rules -----------------------------------------------------------------


def test_team_member_add_defaults_employer_and_days(lga, challenge):
    member = add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    assert (member.employer, member.indicative_days) == (council("Lewisham"), 6)


def test_team_member_add_keeps_days_the_pm_overrides(lga, challenge):
    member = add(lga, challenge, lga.pcm, TeamRole.PEER_CHALLENGE_MANAGER, indicative_days=12)
    assert (member.employer, member.indicative_days) == (None, 12)


def test_team_member_add_refuses_an_officer_of_the_host_council(lga, challenge, make_peer):
    derby_officer = make_peer("Dan Derbyshire", la=council("Derby"))
    with pytest.raises(
        ValidationError, match="Dan Derbyshire works for Derby, the council being"
    ) as error:
        add(lga, challenge, derby_officer, TeamRole.SENIOR_MANAGER)
    assert refusal(error) == {
        "person": [
            "Dan Derbyshire works for Derby, the council being challenged: choose a peer from "
            "another council."
        ]
    }


def test_team_member_add_refuses_a_peer_who_also_holds_a_host_council_role(
    lga, challenge, make_peer
):
    # A peer from Lewisham who is also Derby's organiser in another membership.
    MembershipFactory(
        alliance=lga.alliance,
        user=lga.peer,
        role=Role.LA_ORGANISER,
        local_authority=council("Derby"),
    )
    with pytest.raises(
        ValidationError, match="Pete Peer works for Derby, the council being"
    ) as error:
        add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER, employer=council("Lewisham"))
    assert list(refusal(error)) == ["person"]


@pytest.fixture
def regional_derby_officer(make_peer):
    """A peer of the LGA (no council named there) who is Derby's organiser in the East
    Midlands regional alliance only."""
    from peerchallenge.models import Alliance
    from tests.factories import AllianceFactory

    officer = make_peer("Rhona Regional")
    east_midlands = AllianceFactory(name="East Midlands", kind=Alliance.Kind.REGIONAL)
    MembershipFactory(
        alliance=east_midlands,
        user=officer,
        role=Role.LA_ORGANISER,
        local_authority=council("Derby"),
    )
    return officer


def test_team_member_add_refuses_a_host_officer_registered_only_in_another_alliance(
    lga, challenge, regional_derby_officer
):
    with pytest.raises(
        ValidationError, match="Rhona Regional works for Derby, the council being"
    ) as error:
        add(lga, challenge, regional_derby_officer, TeamRole.SENIOR_MANAGER)
    assert refusal(error) == {
        "person": [
            "Rhona Regional works for Derby, the council being challenged: choose a peer from "
            "another council."
        ]
    }
    with scopes_disabled():
        assert not TeamMember.objects.exists()


def test_a_council_role_elsewhere_for_another_council_does_not_matter(lga, challenge, make_peer):
    from peerchallenge.models import Alliance
    from tests.factories import AllianceFactory

    peer = make_peer("Lou Leicestershire")
    MembershipFactory(
        alliance=AllianceFactory(name="East Midlands", kind=Alliance.Kind.REGIONAL),
        user=peer,
        role=Role.DCS,
        local_authority=council("Leicester"),
    )
    assert add(lga, challenge, peer, TeamRole.SENIOR_MANAGER).user == peer


def test_the_team_page_refuses_a_regional_host_officer_with_nothing_lost(
    client, lga, challenge, regional_derby_officer, mailoutbox
):
    client.force_login(lga.pm)
    response = client.post(
        url("team", lga, challenge=challenge.pk),
        {"person": regional_derby_officer.pk, "role": "senior_manager", "indicative_days": "5"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count("Rhona Regional works for Derby, the council being challenged") == 2
    assert f'<option value="{regional_derby_officer.pk}" selected>' in page
    assert '<option value="senior_manager" selected>' in page
    assert 'value="5"' in page
    assert mailoutbox == []
    with scopes_disabled():
        assert not TeamMember.objects.exists()


def test_team_member_add_refuses_the_host_council_as_employer(lga, challenge):
    with pytest.raises(
        ValidationError, match="A peer may not work for Derby, the council being"
    ) as error:
        add(lga, challenge, lga.pcm, TeamRole.SENIOR_MANAGER, employer=council("Derby"))
    assert refusal(error) == {
        "employer": [
            "A peer may not work for Derby, the council being challenged: choose a peer from "
            "another council."
        ]
    }


def test_team_member_add_refuses_a_declared_conflict_with_its_reason(lga, challenge):
    ConflictFactory(
        alliance=lga.alliance,
        user=lga.peer,
        local_authority=council("Derby"),
        reason="My partner leads Derby's fostering service",
    )
    with pytest.raises(
        ValidationError, match="Pete Peer has declared a conflict of interest"
    ) as error:
        add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    assert refusal(error) == {
        "person": [
            "Pete Peer has declared a conflict of interest with Derby: “My partner leads Derby's "
            "fostering service”. Choose another peer."
        ]
    }


def test_a_conflict_with_another_council_does_not_matter(lga, challenge):
    ConflictFactory(
        alliance=lga.alliance, user=lga.peer, local_authority=council("Leicester"), reason="x"
    )
    assert add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER).user == lga.peer


def test_team_member_add_refuses_the_same_peer_twice(lga, challenge):
    add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    with pytest.raises(ValidationError, match="Pete Peer is already on the team") as error:
        add(lga, challenge, lga.peer, TeamRole.OBSERVER)
    assert refusal(error) == {"person": ["Pete Peer is already on the team."]}
    with scopes_disabled():
        assert TeamMember.objects.filter(challenge=challenge).count() == 1


def test_team_member_add_refuses_a_second_team_leader(lga, challenge, make_peer):
    add(lga, challenge, lga.peer, TeamRole.TEAM_LEADER)
    with pytest.raises(
        ValidationError, match=re.escape("The team already has its team leader (DCS or AD)")
    ) as error:
        add(lga, challenge, make_peer("Tara Two"), TeamRole.TEAM_LEADER)
    assert refusal(error) == {
        "role": [
            "The team already has its team leader (DCS or AD): remove them first or choose "
            "another role."
        ]
    }


def test_team_member_add_refuses_a_second_peer_challenge_manager(lga, challenge, make_peer):
    add(lga, challenge, lga.pcm, TeamRole.PEER_CHALLENGE_MANAGER)
    with pytest.raises(
        ValidationError, match="The team already has its peer challenge manager"
    ) as error:
        add(lga, challenge, make_peer("Mo Manager", role=Role.CONSULTANT), "peer_challenge_manager")
    assert list(refusal(error)) == ["role"]


def test_team_member_add_refuses_a_fifth_senior_manager(lga, challenge, make_peer):
    for n in range(4):
        add(lga, challenge, make_peer(f"Sam{n} Senior"), TeamRole.SENIOR_MANAGER)
    with pytest.raises(ValidationError, match="The team already has 4 senior operational") as error:
        add(lga, challenge, make_peer("Sue Fifth"), TeamRole.SENIOR_MANAGER)
    assert refusal(error) == {
        "role": ["The team already has 4 senior operational managers, the most a team needs."]
    }


@pytest.mark.parametrize(
    ("role", "phrase"), [(TeamRole.LEAD_MEMBER, "lead member"), (TeamRole.OBSERVER, "observer")]
)
def test_team_member_add_refuses_a_second_lead_member_or_observer(
    lga, challenge, make_peer, role, phrase
):
    add(lga, challenge, lga.peer, role)
    with pytest.raises(ValidationError, match=f"The team already has its {phrase}") as error:
        add(lga, challenge, make_peer("Olly Other"), role)
    assert refusal(error) == {
        "role": [f"The team already has its {phrase}: remove them first or choose another role."]
    }
    with scopes_disabled():
        assert TeamMember.objects.filter(challenge=challenge, role=role).count() == 1


def test_team_member_add_refuses_someone_who_is_not_a_peer(lga, challenge):
    with pytest.raises(ValidationError, match="Choose a peer or consultant of the LGA") as error:
        add(lga, challenge, lga.cia, TeamRole.OBSERVER)
    assert refusal(error) == {"person": ["Choose a peer or consultant of the LGA."]}


def test_team_member_add_invites_the_peer_to_accept_the_charter(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    assert [m.to for m in mailoutbox] == [["pete.lga@example.org"]]
    message = mailoutbox[0]
    assert message.subject == "Join the peer team: Children's Services Peer Challenge of Derby"
    charter = url("charter", lga, challenge=challenge.pk, member=member.pk)
    assert f"{settings.SITE_URL}{charter}\n" in message.body
    assert "as senior operational manager" in message.body
    assert "Indicative days: 6" in message.body
    first, last = challenge.onsite_start, challenge.onsite_end
    assert f"{day_text(first)} to {day_text(last)}" in message.body
    html = message.alternatives[0][0]
    assert charter in html


def test_a_refused_peer_is_not_invited(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks, make_peer
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="Dan Derbyshire works for Derby, the council being"),
    ):
        add(lga, challenge, make_peer("Dan Derbyshire", la=council("Derby")), "senior_manager")
    assert mailoutbox == []


# The team page ---------------------------------------------------------------------------


def test_pm_adds_a_peer_on_the_team_page(
    client, lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(lga.pm)
    page = client.get(url("team", lga, challenge=challenge.pk)).content.decode()
    assert "Leave empty for the indicative days: team leader (DCS or AD) 6;" in page
    assert "A peer may not work for Derby or have declared a conflict" in page
    assert "Pete Peer (pete.lga@example.org), Lewisham" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("team", lga, challenge=challenge.pk),
            {"person": lga.peer.pk, "role": "team_leader", "employer": "", "indicative_days": ""},
        )
    assert response.status_code == 302
    assert response["Location"] == url("team", lga, challenge=challenge.pk)
    with scopes_disabled():
        member = TeamMember.objects.get(challenge=challenge)
    assert (member.user, member.role, member.employer, member.indicative_days) == (
        lga.peer,
        "team_leader",
        council("Lewisham"),
        6,
    )
    assert len(mailoutbox) == 1
    page = client.get(response["Location"]).content.decode()
    assert "Pete Peer added as team leader (DCS or AD) (6 days)" in page
    assert "Awaiting" in page


def test_bad_input_is_shown_next_to_the_field_with_nothing_lost(
    client, lga, challenge, make_peer, mailoutbox
):
    officer = make_peer("Dan Derbyshire", la=council("Derby"))
    client.force_login(lga.pm)
    response = client.post(
        url("team", lga, challenge=challenge.pk),
        {"person": officer.pk, "role": "lead_member", "employer": "", "indicative_days": "9"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Dan Derbyshire works for Derby, the council being challenged") == 2
    assert 'id="id_person_1_error"' in page  # next to the field, and in the summary
    assert f'<option value="{officer.pk}" selected>' in page
    assert '<option value="lead_member" selected>' in page
    assert 'value="9"' in page
    assert mailoutbox == []
    with scopes_disabled():
        assert not TeamMember.objects.exists()


def test_days_out_of_range_are_refused_next_to_the_field(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(
        url("team", lga, challenge=challenge.pk),
        {"person": lga.peer.pk, "role": "observer", "indicative_days": "0"},
    )
    assert response.status_code == 200
    assert "Enter a number of days from 1 to 60." in response.content.decode()


def test_pm_removes_a_peer(client, lga, challenge):
    member = add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    client.force_login(lga.pm)
    remove = url("team_remove", lga, challenge=challenge.pk, member=member.pk)
    page = client.get(url("team", lga, challenge=challenge.pk)).content.decode()
    assert f'href="{remove}">Remove' in page  # a link to the confirmation, not a form
    # The confirmation page; a POST without "confirm" shows it again and writes nothing.
    for response in (client.get(remove), client.post(remove)):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Remove Pete Peer from the team?" in html and "govuk-warning-text" in html
        assert ">Yes, remove</button>" in html and ">Cancel</a>" in html
        with scopes_disabled():
            assert TeamMember.objects.count() == 1
    response = client.post(remove, {"confirm": "yes"})
    assert response.status_code == 302
    with scopes_disabled():
        assert not TeamMember.objects.exists()


def test_removing_a_member_of_another_challenge_is_not_found(client, lga, challenge):
    other = ChallengeFactory(offer=lga.offer, local_authority=council("Leicester"))
    member = add(lga, other, lga.peer, TeamRole.SENIOR_MANAGER)
    client.force_login(lga.pm)
    response = client.post(url("team_remove", lga, challenge=challenge.pk, member=member.pk))
    assert response.status_code == 404
    with scopes_disabled():
        assert TeamMember.objects.count() == 1


@pytest.mark.parametrize("size", [2, 8])
def test_team_page_queries_do_not_grow_with_the_team(
    size, client, lga, challenge, make_peer, django_assert_max_num_queries
):
    # More than a team may have, straight into the table: the page must not care.
    for n in range(size):
        TeamMemberFactory(
            alliance=lga.alliance,
            challenge=challenge,
            user=make_peer(f"Obi{n} Observer"),
            role=TeamRole.OBSERVER,
            indicative_days=4,
        )
    client.force_login(lga.pm)
    with django_assert_max_num_queries(9):
        response = client.get(url("team", lga, challenge=challenge.pk))
    rows = response.content.decode().count('<th scope="row" class="govuk-table__header">Obi')
    assert rows == size


# Contacts --------------------------------------------------------------------------------


def test_derby_dcs_names_the_sponsor_and_organiser(client, lga, challenge):
    client.force_login(lga.derby_dcs)
    page = client.get(url("contacts", lga, challenge=challenge.pk)).content.decode()
    assert "Dora Derby" in page
    assert "Owen Organiser" in page
    assert "Lena Leicester" not in page
    assert "Pete Peer" not in page
    response = client.post(
        url("contacts", lga, challenge=challenge.pk),
        {"sponsor": lga.derby_dcs.pk, "organiser": lga.derby_organiser.pk},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.sponsor, challenge.organiser) == (lga.derby_dcs, lga.derby_organiser)


def test_contacts_refuse_another_councils_people(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(
        url("contacts", lga, challenge=challenge.pk),
        {"sponsor": lga.leicester_dcs.pk, "organiser": lga.derby_organiser.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    challenge.refresh_from_db()
    assert (challenge.sponsor, challenge.organiser) == (None, None)


def test_the_organiser_cannot_be_the_sponsor(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(
        url("contacts", lga, challenge=challenge.pk),
        {"sponsor": lga.derby_organiser.pk, "organiser": ""},
    )
    assert response.status_code == 200
    challenge.refresh_from_db()
    assert challenge.sponsor is None


# The charter -----------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_peer_accepts_the_charter_with_time_and_version(client, lga, challenge):
    member = add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    client.force_login(lga.peer)
    charter = url("charter", lga, challenge=challenge.pk, member=member.pk)
    page = client.get(charter).content.decode()
    assert f"Version {CHARTER_VERSION}" in page
    assert "Confidentiality agreement" not in page
    response = client.post(charter, {"charter": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.charter_accepted_at, member.charter_version) == (NOW, CHARTER_VERSION)
    assert (member.confidentiality_accepted_at, member.confidentiality_version) == (None, "")
    assert "You accepted version 2026.1 of the peer charter" in client.get(charter).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_charter_and_confidentiality_need_their_ticks(client, lga):
    challenge = ChallengeFactory(offer=lga.offer, confidentiality_required=True)
    member = add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    client.force_login(lga.peer)
    charter = url("charter", lga, challenge=challenge.pk, member=member.pk)
    assert "Confidentiality agreement" in client.get(charter).content.decode()
    response = client.post(charter, {"charter": "on"})
    assert response.status_code == 200
    assert "Tick to accept the confidentiality agreement." in response.content.decode()
    member.refresh_from_db()
    assert member.charter_accepted_at is None  # nothing half-recorded
    response = client.post(charter, {"charter": "on", "confidentiality": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.confidentiality_accepted_at, member.confidentiality_version) == (
        NOW,
        CONFIDENTIALITY_VERSION,
    )


def test_charter_refused_without_the_tick(lga, challenge):
    member = add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(ValidationError, match="Tick to accept the peer charter") as error,
    ):
        charter_accept(member=member, charter=False, confidentiality=False)
    assert refusal(error) == {"charter": ["Tick to accept the peer charter."]}


# Conflicts -------------------------------------------------------------------------------


def test_a_peer_declares_a_conflict_and_planners_see_everyones(client, lga):
    client.force_login(lga.peer)
    response = client.post(
        url("conflicts", lga),
        {"local_authority": council("Derby").pk, "reason": "I worked there until 2024"},
    )
    assert response.status_code == 302
    ConflictFactory(
        alliance=lga.alliance, user=lga.pcm, local_authority=council("Leicester"), reason="Ex"
    )
    page = client.get(url("conflicts", lga)).content.decode()
    assert "I worked there until 2024" in page
    assert "Maya Manager" not in page  # a peer sees only their own
    client.force_login(lga.pm)
    page = client.get(url("conflicts", lga)).content.decode()
    assert "Everyone's declarations" in page
    assert "Pete Peer" in page and "Maya Manager" in page


def test_a_council_declared_twice_is_refused(client, lga):
    with scope(alliance=lga.alliance):
        conflict_declare(
            alliance=lga.alliance, user=lga.peer, local_authority=council("Derby"), reason="x"
        )
    client.force_login(lga.peer)
    response = client.post(
        url("conflicts", lga), {"local_authority": council("Derby").pk, "reason": "Again"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have already declared a conflict with Derby." in page
    assert 'value="Again"' in page
    with scopes_disabled():
        assert Conflict.objects.count() == 1


# Who may open what -----------------------------------------------------------------------


@pytest.fixture
def placed(lga, challenge, make_peer):
    """The Lewisham peer is on Derby's team; Tom, another peer, is on it too."""
    mine = add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    other = add(lga, challenge, make_peer("Tom Other"), TeamRole.SENIOR_MANAGER)
    return mine, other


@pytest.mark.parametrize(
    ("who", "page", "method", "expected"),
    [
        ("pm", "team", "get", 200),
        ("coordinator", "team", "get", 200),
        ("derby_dcs", "team", "get", 200),
        ("derby_organiser", "team", "get", 200),
        ("derby_organiser", "team", "post", 403),
        ("derby_dcs", "team", "post", 403),
        ("peer", "team", "get", 200),
        ("leicester_dcs", "team", "get", 404),
        ("outsider_peer", "team", "get", 404),
        ("pm", "contacts", "get", 200),
        ("derby_dcs", "contacts", "get", 200),
        ("derby_organiser", "contacts", "get", 403),
        ("derby_organiser", "contacts", "post", 403),
        ("peer", "contacts", "get", 403),
        ("leicester_dcs", "contacts", "get", 404),
        ("outsider_peer", "contacts", "get", 404),
        ("peer", "charter", "get", 200),
        ("pm", "charter", "get", 403),
        ("derby_dcs", "charter", "get", 403),
        ("tom", "charter", "get", 403),  # another peer's charter
        ("leicester_dcs", "charter", "get", 404),
        ("outsider_peer", "charter", "get", 404),
        ("derby_organiser", "team_remove", "post", 403),
        ("peer", "team_remove", "post", 403),
        ("leicester_dcs", "team_remove", "post", 404),
        ("peer", "conflicts", "get", 200),
        ("derby_dcs", "conflicts", "get", 200),
    ],
)
def test_role_matrix(who, page, method, expected, client, lga, challenge, placed, make_peer):
    mine, other = placed
    people = {
        "outsider_peer": make_peer("Una Unplaced"),  # a peer not on this team
        "tom": other.user,
    }
    user = people.get(who) or getattr(lga, who)
    kwargs = {} if page == "conflicts" else {"challenge": challenge.pk}
    if page in {"charter", "team_remove"}:
        kwargs["member"] = mine.pk
    client.force_login(user)
    response = getattr(client, method)(url(page, lga, **kwargs), {})
    assert response.status_code == expected


def test_a_charter_of_another_challenge_is_not_found(client, lga, challenge):
    other = ChallengeFactory(offer=lga.offer, local_authority=council("Leicester"))
    add(lga, challenge, lga.peer, TeamRole.SENIOR_MANAGER)
    member = add(lga, other, lga.peer, TeamRole.SENIOR_MANAGER)
    client.force_login(lga.peer)
    response = client.get(url("charter", lga, challenge=challenge.pk, member=member.pk))
    assert response.status_code == 404


# The challenge page's team section --------------------------------------------------------


def test_team_detail_context_offers_the_viewer_their_own_links(lga, challenge, placed):
    from django.template.loader import render_to_string

    from lga_cspc.views.team import team_detail_context

    mine, _ = placed
    with scope(alliance=lga.alliance):
        as_peer = team_detail_context(challenge=challenge, user=lga.peer)
        as_dcs = team_detail_context(challenge=challenge, user=lga.derby_dcs)
        html = render_to_string(
            "lga_cspc/_detail_team.html",
            {"alliance": lga.alliance, "challenge": challenge, **as_peer},
        )
    assert (as_peer["team_my_place"], as_peer["team_can_manage"]) == (mine, False)
    assert (as_dcs["team_my_place"], as_dcs["team_can_name_contacts"]) == (None, True)
    assert [m.user.full_name for m in as_peer["team_members"]] == ["Pete Peer", "Tom Other"]
    assert "Accept your peer charter" in html
    assert "Name the sponsor and organiser" not in html


# Is the team complete? -------------------------------------------------------------------

TEAM_LEADER_GAP = "a team leader (DCS or AD)"
PCM_GAP = "a peer challenge manager"


@pytest.mark.parametrize(
    ("roles", "gaps"),
    [
        (
            [],
            [
                TEAM_LEADER_GAP,
                PCM_GAP,
                "at least 3 senior operational managers (0 so far, 3 more needed)",
            ],
        ),
        (
            ["team_leader", "senior_manager", "senior_manager", "observer", "lead_member"],
            [PCM_GAP, "at least 3 senior operational managers (2 so far, 1 more needed)"],
        ),
        (["peer_challenge_manager", *["senior_manager"] * 3], [TEAM_LEADER_GAP]),
        (["team_leader", "peer_challenge_manager", *["senior_manager"] * 3], []),
        (["team_leader", "peer_challenge_manager", *["senior_manager"] * 4, "observer"], []),
    ],
)
def test_team_gaps_name_what_a_complete_team_still_needs(roles, gaps):
    assert team_gaps(roles=roles) == gaps


def fill(lga, challenge, make_peer, *, seniors=3):
    add(lga, challenge, lga.peer, TeamRole.TEAM_LEADER)
    add(lga, challenge, lga.pcm, TeamRole.PEER_CHALLENGE_MANAGER)
    for n in range(seniors):
        add(lga, challenge, make_peer(f"Sol{n} Senior"), TeamRole.SENIOR_MANAGER)


def gaps_shown(page: str) -> list[str]:
    """The bullet list under the "not complete" warning, or [] without the warning."""
    import re

    marker = "The team is not complete. It still needs:"
    if marker not in page:
        return []
    after = page.split(marker, 1)[1]
    bullets = after.split('<ul class="govuk-list govuk-list--bullet">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", bullets)


def test_the_team_page_and_challenge_page_say_what_the_team_still_needs(
    client, lga, challenge, make_peer
):
    fill(lga, challenge, make_peer, seniors=1)
    client.force_login(lga.derby_dcs)  # everyone who sees the team sees what it lacks
    expected = ["at least 3 senior operational managers (1 so far, 2 more needed)"]
    for page in ("team", "people"):
        html = client.get(url(page, lga, challenge=challenge.pk)).content.decode()
        assert gaps_shown(html) == expected


def test_a_complete_team_shows_no_warning(client, lga, challenge, make_peer):
    fill(lga, challenge, make_peer)
    client.force_login(lga.pm)
    for page in ("team", "people"):
        html = client.get(url(page, lga, challenge=challenge.pk)).content.decode()
        assert "The team is not complete" not in html
        assert "Sol2 Senior" in html


def test_a_withdrawn_challenge_asks_for_no_team(client, lga):
    challenge = ChallengeFactory(offer=lga.offer, stage=Stage.WITHDRAWN)
    client.force_login(lga.pm)
    html = client.get(url("team", lga, challenge=challenge.pk)).content.decode()
    assert "The team is not complete" not in html


def test_an_empty_team_page_lists_every_gap(client, lga, challenge):
    client.force_login(lga.pm)
    html = client.get(url("team", lga, challenge=challenge.pk)).content.decode()
    assert gaps_shown(html) == [
        TEAM_LEADER_GAP,
        PCM_GAP,
        "at least 3 senior operational managers (0 so far, 3 more needed)",
    ]


# "What needs you now": a team still incomplete eight weeks before on site -----------------


def soon_challenge(lga, name="Derby", *, days_ahead=30, stage=Stage.PREPARATION):
    from django.utils import timezone

    return ChallengeFactory(
        offer=lga.offer,
        local_authority=council(name),
        stage=stage,
        onsite_start=timezone.localdate() + datetime.timedelta(days=days_ahead),
    )


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


COMPLETE_DERBY = "Complete the peer team for the Children&#x27;s Services Peer Challenge in Derby"


def test_the_programme_manager_is_asked_to_complete_a_team_due_on_site_soon(client, lga, make_peer):
    challenge = soon_challenge(lga, days_ahead=56)  # exactly eight weeks ahead
    page = home(client, lga.pm)
    assert COMPLETE_DERBY in page
    assert url("team", lga, challenge=challenge.pk) in page
    for other in (lga.coordinator, lga.derby_dcs, lga.peer):
        assert "Complete the peer team" not in home(client, other)
    fill(lga, challenge, make_peer)
    assert "Complete the peer team" not in home(client, lga.pm)


@pytest.mark.parametrize(
    ("days_ahead", "stage"),
    [(57, Stage.PREPARATION), (-1, Stage.ON_SITE), (30, Stage.WITHDRAWN), (30, Stage.CLOSED)],
)
def test_no_team_need_when_on_site_is_far_past_or_the_challenge_is_over(
    client, lga, days_ahead, stage
):
    soon_challenge(lga, days_ahead=days_ahead, stage=stage)
    assert "Complete the peer team" not in home(client, lga.pm)


HOME_QUERIES = 15


def test_home_query_count_stays_constant_with_incomplete_teams(
    client, lga, make_peer, django_assert_max_num_queries
):
    from peerchallenge.models import LocalAuthority

    names = list(LocalAuthority.objects.order_by("name").values_list("name", flat=True)[:12])
    with scopes_disabled():
        first = soon_challenge(lga, names[0])
    fill(lga, first, make_peer, seniors=2)
    client.force_login(lga.pm)
    with django_assert_max_num_queries(HOME_QUERIES):
        client.get(reverse("home"))
    with scopes_disabled():
        for name in names[1:]:
            soon_challenge(lga, name)
    with django_assert_max_num_queries(HOME_QUERIES):
        page = client.get(reverse("home")).content.decode()
    assert page.count("Complete the peer team for the") == 12
