"""On site: the team's log (emerging issues shared with the sponsor — "no surprises" —,
session notes, strengths, areas, good practice, case studies), what the council sees of
it, and the outline of the feedback presentation — and who may open which page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import SiteNote, Stage
from lga_cspc.selectors import sponsor_emails
from lga_cspc.services.onsite import (
    presentation_outline,
    site_log_counts,
    site_note_add,
    site_note_share,
)
from lga_cspc.views.onsite import site_log_detail_context
from peerchallenge.models import Role, SessionKind
from tests.clock import days
from tests.factories import MembershipFactory, SessionFactory, UserFactory, council
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory

Kind = SiteNote.Kind
DAY1 = days(7 * 23)  # the first on-site day, a Monday


def url(name, lga, challenge, **kwargs):
    return reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk, **kwargs},
    )


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def challenge(lga):
    with scopes_disabled():  # test set-up
        challenge = ChallengeFactory(
            offer=lga.offer, stage=Stage.ON_SITE, onsite_start=DAY1
        )  # Derby
        TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    return challenge


def make_session(lga, challenge, title="Interview with the Lead Member", hour=10):
    with scopes_disabled():  # test set-up
        return SessionFactory(
            alliance=lga.alliance,
            challenge=challenge,
            kind=SessionKind.INTERVIEW,
            title=title,
            starts_at=at(DAY1, hour),
            ends_at=at(DAY1, hour + 1),
        )


def add(lga, challenge, kind=Kind.STRENGTH, text="Strong leadership", author=None, **kwargs):
    with scope(alliance=lga.alliance):
        return site_note_add(
            challenge=challenge, author=author or lga.pcm, kind=kind, text=text, **kwargs
        )


def refusal(call, match: str) -> dict:
    with pytest.raises(ValidationError, match=match) as caught:
        call()
    return caught.value.message_dict


def note_of(pk) -> SiteNote:
    with scopes_disabled():
        return SiteNote.objects.get(pk=pk)


# Recording ---------------------------------------------------------------------------------


def test_a_note_is_recorded_with_its_author_and_session(lga, challenge):
    session = make_session(lga, challenge)
    note = add(
        lga,
        challenge,
        kind=Kind.SESSION_NOTE,
        title="  Lead Member  ",
        text="  Clear on the priorities.  ",
        session=session,
        for_presentation=True,
    )
    note = note_of(note.pk)
    assert (note.kind, note.title, note.text) == (
        Kind.SESSION_NOTE,
        "Lead Member",
        "Clear on the priorities.",
    )
    assert note.session == session and note.author == lga.pcm and note.for_presentation
    assert note.shared_with_sponsor_at is None
    assert note.alliance == lga.alliance
    with scopes_disabled():
        assert note.history.get().history_user == lga.pcm


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_note_is_refused(lga, challenge, text):
    assert refusal(lambda: add(lga, challenge, text=text), match="Enter the note") == {
        "text": ["Enter the note."]
    }


def test_a_kind_not_in_the_list_is_refused(lga, challenge):
    assert refusal(
        lambda: add(lga, challenge, kind="rumour"), match="Choose what kind of note this is"
    ) == {"kind": ["Choose what kind of note this is."]}


def test_a_session_of_another_challenge_is_refused(lga, challenge):
    other = ChallengeFactory(offer=lga.offer, local_authority=council("Leicester"))
    theirs = make_session(lga, other)
    assert refusal(
        lambda: add(lga, challenge, session=theirs),
        match="Choose a session of this challenge's timetable",
    ) == {"session": ["Choose a session of this challenge's timetable."]}
    with scopes_disabled():
        assert not SiteNote.objects.exists()


# Sharing with the sponsor ------------------------------------------------------------------


def test_sharing_an_issue_e_mails_the_named_sponsor_once(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    challenge.sponsor = lga.derby_dcs
    challenge.save()
    issue = add(
        lga, challenge, kind=Kind.EMERGING_ISSUE, title="Caseloads", text="Caseloads are high."
    )
    with django_capture_on_commit_callbacks(execute=True), scope(alliance=lga.alliance):
        assert site_note_share(note=issue, user=lga.pcm) is True
    shared_at = note_of(issue.pk).shared_with_sponsor_at
    assert shared_at is not None
    assert [m.to for m in mailoutbox] == [["dora.lga@example.org"]]
    message = mailoutbox[0]
    assert message.subject == ("No surprises: an emerging issue from the peer challenge of Derby")
    assert "Maya Manager has shared an emerging issue" in message.body
    assert "Caseloads are high." in message.body
    assert url("site_log", lga, challenge) in message.body
    html = message.alternatives[0][0]
    assert "Caseloads are high." in html and "See the emerging issues shared with you" in html

    # Again: nothing new, no email.
    with django_capture_on_commit_callbacks(execute=True), scope(alliance=lga.alliance):
        assert site_note_share(note=issue, user=lga.pcm) is False
    assert note_of(issue.pk).shared_with_sponsor_at == shared_at
    assert len(mailoutbox) == 1


def test_without_a_named_sponsor_the_councils_dcs_hear_of_it(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    second = UserFactory(full_name="Dan Deputy", email="dan.derby@example.org")
    MembershipFactory(
        alliance=lga.alliance, user=second, role=Role.DCS, local_authority=council("Derby")
    )
    with scopes_disabled():
        assert sponsor_emails(challenge=challenge) == [
            "dan.derby@example.org",
            "dora.lga@example.org",
        ]
    issue = add(lga, challenge, kind=Kind.EMERGING_ISSUE, text="Supervision is irregular.")
    with django_capture_on_commit_callbacks(execute=True), scope(alliance=lga.alliance):
        site_note_share(note=issue, user=lga.pcm)
    # One message each; not Leicester's DCS, not the organiser.
    assert sorted(m.to[0] for m in mailoutbox) == ["dan.derby@example.org", "dora.lga@example.org"]


@pytest.mark.parametrize("kind", [k for k in Kind.values if k != Kind.EMERGING_ISSUE])
def test_only_an_emerging_issue_can_be_shared(lga, challenge, kind, mailoutbox):
    note = add(lga, challenge, kind=kind)
    with scope(alliance=lga.alliance):
        errors = refusal(
            lambda: site_note_share(note=note, user=lga.pcm),
            match="Only an emerging issue can be shared with the",
        )
    assert errors["kind"][0].startswith("Only an emerging issue can be shared with the sponsor")
    assert note_of(note.pk).shared_with_sponsor_at is None
    assert mailoutbox == []


# The presentation outline ------------------------------------------------------------------


def test_the_outline_uses_the_marked_notes_and_falls_back_for_strengths_and_areas(lga, challenge):
    add(lga, challenge, kind=Kind.STRENGTH, text="Stable workforce", for_presentation=True)
    add(lga, challenge, kind=Kind.STRENGTH, text="Not this one")
    add(lga, challenge, kind=Kind.AREA, text="Placement sufficiency")
    add(lga, challenge, kind=Kind.AREA, text="Step-down from care")
    add(lga, challenge, kind=Kind.GOOD_PRACTICE, text="Family hubs", for_presentation=True)
    add(lga, challenge, kind=Kind.GOOD_PRACTICE, text="Unmarked practice")
    add(lga, challenge, kind=Kind.CASE_STUDY, text="A young carer", for_presentation=False)
    add(
        lga, challenge, kind=Kind.EMERGING_ISSUE, text="Never in the outline", for_presentation=True
    )
    with scope(alliance=lga.alliance):
        sections = {s.kind: s for s in presentation_outline(challenge=challenge)}
    assert list(sections) == [Kind.STRENGTH, Kind.AREA, Kind.GOOD_PRACTICE, Kind.CASE_STUDY]
    texts = {kind: [n.text for n in s.notes] for kind, s in sections.items()}
    assert texts == {
        Kind.STRENGTH: ["Stable workforce"],
        Kind.AREA: ["Placement sufficiency", "Step-down from care"],  # none marked: all
        Kind.GOOD_PRACTICE: ["Family hubs"],
        Kind.CASE_STUDY: [],  # recorded but not marked: no fallback
    }
    assert [s.fallback for s in sections.values()] == [False, True, False, False]
    assert sections[Kind.CASE_STUDY].recorded == 1


# The log page ------------------------------------------------------------------------------


def test_the_team_adds_notes_and_reads_them_by_kind_newest_first(client, lga, challenge):
    session = make_session(lga, challenge)
    client.force_login(lga.pcm)
    page = client.get(url("site_log", lga, challenge)).content.decode()
    assert "Add a note" in page and "Interview with the Lead Member" in page  # session select
    for text in ("First strength", "Second strength"):
        response = client.post(
            url("site_log", lga, challenge),
            {"kind": Kind.STRENGTH, "title": "", "text": text, "session": str(session.pk)},
            follow=True,
        )
    assert "Strength added." in response.content.decode()
    client.post(
        url("site_log", lga, challenge),
        {
            "kind": Kind.CASE_STUDY,
            "title": "Young carer",
            "text": "A case study.",
            "for_presentation": "on",
        },
    )
    with scopes_disabled():
        notes = list(SiteNote.objects.order_by("pk"))
    assert [(n.kind, n.session_id, n.for_presentation) for n in notes] == [
        (Kind.STRENGTH, session.pk, False),
        (Kind.STRENGTH, session.pk, False),
        (Kind.CASE_STUDY, None, True),
    ]
    with scopes_disabled():  # the second a minute later, to be sure of the order
        SiteNote.objects.filter(pk=notes[1].pk).update(
            created_at=notes[0].created_at + datetime.timedelta(minutes=1)
        )
    page = client.get(url("site_log", lga, challenge)).content.decode()
    strengths = page.index('id="kind-strength"')
    assert strengths < page.index("Second strength") < page.index("First strength")
    assert page.index("First strength") < page.index('id="kind-area"')
    assert page.index('id="kind-case_study"') < page.index("Young carer")
    assert "Maya Manager" in page and "For the presentation" in page
    assert "3 notes; 0 emerging issues shared with the sponsor." in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": Kind.STRENGTH, "text": "   "}, "text", "Enter the note."),
        ({"kind": "rumour", "text": "Kept text"}, "kind", "Choose what kind of note this is."),
        ({"text": "Kept text"}, "kind", "Choose what kind of note this is."),
        (
            {"kind": Kind.SESSION_NOTE, "text": "Kept text", "session": "OTHER"},
            "session",
            "Choose a session of this challenge&#x27;s timetable.",
        ),
        (
            {"kind": Kind.SESSION_NOTE, "text": "Kept text", "session": "not-a-number"},
            "session",
            "Choose a session of this challenge&#x27;s timetable.",
        ),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_typed_is_lost(
    client, lga, challenge, data, field, message
):
    other = ChallengeFactory(offer=lga.offer, local_authority=council("Leicester"))
    theirs = make_session(lga, other, title="Their interview")
    if data.get("session") == "OTHER":
        data = {**data, "session": str(theirs.pk)}
    client.force_login(lga.pcm)
    response = client.post(url("site_log", lga, challenge), {"title": "Kept title", **data})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert f'id="id_{field}_1_error"' in page  # the message by the field
    assert 'value="Kept title"' in page
    assert data["text"].strip() in page
    assert "Their interview" not in page
    with scopes_disabled():
        assert not SiteNote.objects.exists()


def test_the_council_sees_only_the_issues_shared_with_it(client, lga, challenge):
    shared = add(lga, challenge, kind=Kind.EMERGING_ISSUE, title="Shared issue", text="Told.")
    add(lga, challenge, kind=Kind.EMERGING_ISSUE, title="Unshared issue", text="Not yet.")
    add(lga, challenge, kind=Kind.STRENGTH, title="A strength", text="Private to the team.")
    add(lga, challenge, kind=Kind.SESSION_NOTE, title="A session note", text="Private too.")
    with scope(alliance=lga.alliance):
        site_note_share(note=shared, user=lga.pcm)
    for person in (lga.derby_dcs, lga.derby_organiser):
        client.force_login(person)
        response = client.get(url("site_log", lga, challenge))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Emerging issues: no surprises" in page
        assert "Shared issue" in page and "Told." in page
        for private in ("Unshared issue", "A strength", "Private", "A session note", "Add a note"):
            assert private not in page
        assert "Maya Manager" not in page
        # Nor can they add, share or read the presentation.
        assert (
            client.post(
                url("site_log", lga, challenge), {"kind": "strength", "text": "x"}
            ).status_code
            == 403
        )
        assert client.get(url("presentation", lga, challenge)).status_code == 403
    with scopes_disabled():
        assert SiteNote.objects.count() == 4


def test_a_named_adviser_reads_everything_but_adds_nothing(client, lga, challenge):
    challenge.principal_adviser = lga.principal_adviser
    challenge.save()
    issue = add(lga, challenge, kind=Kind.EMERGING_ISSUE, title="Unshared issue", text="x")
    client.force_login(lga.principal_adviser)
    page = client.get(url("site_log", lga, challenge)).content.decode()
    assert "Unshared issue" in page and "On-site log" in page
    assert "Add a note" not in page and "Share with the sponsor" not in page
    assert "You can read the log but not add to it." in page
    assert (
        client.post(
            url("site_log", lga, challenge), {"kind": Kind.STRENGTH, "text": "x"}
        ).status_code
        == 403
    )
    assert client.post(url("site_note_share", lga, challenge, note=issue.pk)).status_code == 403
    assert client.get(url("presentation", lga, challenge)).status_code == 200
    assert note_of(issue.pk).shared_with_sponsor_at is None


# Sharing through the page ------------------------------------------------------------------


def test_the_team_shares_an_issue_from_the_log(
    client, lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    issue = add(lga, challenge, kind=Kind.EMERGING_ISSUE, title="Caseloads", text="High.")
    client.force_login(lga.pcm)
    page = client.get(url("site_log", lga, challenge)).content.decode()
    assert 'Share with the sponsor<span class="govuk-visually-hidden">: Caseloads' in page
    share = url("site_note_share", lga, challenge, note=issue.pk)
    assert client.get(share).status_code == 405  # sharing is a POST
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(share, follow=True)
    page = response.content.decode()
    assert "The emerging issue “Caseloads” was shared with the sponsor." in page
    assert "Shared with the sponsor" in page and 'action="' + share not in page
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(share, follow=True).content.decode()
    assert "was already shared with the sponsor on" in page
    assert len(mailoutbox) == 1


def test_sharing_anything_but_an_issue_says_why(client, lga, challenge, mailoutbox):
    strength = add(lga, challenge, kind=Kind.STRENGTH, title="Stable workforce")
    client.force_login(lga.pcm)
    response = client.post(url("site_note_share", lga, challenge, note=strength.pk), follow=True)
    assert response.status_code == 200
    assert "Only an emerging issue can be shared with the sponsor: this note is a strength." in (
        response.content.decode()
    )
    assert note_of(strength.pk).shared_with_sponsor_at is None
    assert mailoutbox == []


def test_a_note_of_another_challenge_cannot_be_shared_from_this_one(client, lga, challenge):
    other = ChallengeFactory(offer=lga.offer, local_authority=council("Leicester"))
    with scopes_disabled():
        TeamMemberFactory(
            challenge=other, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    theirs = add(lga, other, kind=Kind.EMERGING_ISSUE, text="Theirs")
    client.force_login(lga.pcm)
    response = client.post(url("site_note_share", lga, challenge, note=theirs.pk))
    assert response.status_code == 404
    assert note_of(theirs.pk).shared_with_sponsor_at is None


# The presentation page ---------------------------------------------------------------------


def test_the_presentation_page_outlines_the_marked_notes(client, lga, challenge):
    add(
        lga,
        challenge,
        kind=Kind.STRENGTH,
        title="Workforce",
        text="Stable workforce",
        for_presentation=True,
    )
    add(lga, challenge, kind=Kind.AREA, text="Placement sufficiency")
    add(lga, challenge, kind=Kind.GOOD_PRACTICE, text="Family hubs", for_presentation=True)
    client.force_login(lga.coordinator)
    page = client.get(url("presentation", lga, challenge)).content.decode()
    assert page.count("<h1") == 1
    for heading in (
        "Strengths",
        "Areas for further consideration",
        "Good practice to share in the region",
        "Case studies",
    ):
        assert f">{heading}</h2>" in page
    assert (
        page.index("Stable workforce")
        < page.index("Placement sufficiency")
        < page.index("Family hubs")
    )
    assert (
        "None of the 1 recorded was marked for the presentation, so all of them are shown." in page
    )
    assert "Print this page" in page and "govuk-!-display-none-print" in page
    assert "The presentation should include at least one case study." in page
    assert "None has been recorded yet." in page

    add(lga, challenge, kind=Kind.CASE_STUDY, text="A young carer", for_presentation=True)
    page = client.get(url("presentation", lga, challenge)).content.decode()
    assert "at least one case study" not in page and "A young carer" in page


def test_the_presentation_warns_of_case_studies_recorded_but_not_marked(client, lga, challenge):
    add(lga, challenge, kind=Kind.CASE_STUDY, text="Unmarked study")
    client.force_login(lga.pcm)
    page = client.get(url("presentation", lga, challenge)).content.decode()
    assert "1 case study is recorded but none is marked for the presentation." in page
    assert "Unmarked study" not in page


# Who may do what ---------------------------------------------------------------------------


def statuses(client, lga, challenge, note):
    return {
        "log": client.get(url("site_log", lga, challenge)).status_code,
        "add": client.post(
            url("site_log", lga, challenge), {"kind": Kind.STRENGTH, "text": "x"}
        ).status_code,
        "share": client.post(url("site_note_share", lga, challenge, note=note.pk)).status_code,
        "presentation": client.get(url("presentation", lga, challenge)).status_code,
    }


@pytest.mark.parametrize(
    ("who", "on_team", "expected"),
    [
        ("pm", None, {"log": 200, "add": 302, "share": 302, "presentation": 200}),
        ("coordinator", None, {"log": 200, "add": 302, "share": 302, "presentation": 200}),
        ("pcm", None, {"log": 200, "add": 302, "share": 302, "presentation": 200}),
        ("peer", "senior_manager", {"log": 200, "add": 302, "share": 302, "presentation": 200}),
        ("peer", "observer", {"log": 200, "add": 302, "share": 302, "presentation": 200}),
        ("cia", None, {"log": 200, "add": 403, "share": 403, "presentation": 200}),
        ("derby_dcs", None, {"log": 200, "add": 403, "share": 403, "presentation": 403}),
        ("derby_organiser", None, {"log": 200, "add": 403, "share": 403, "presentation": 403}),
        ("principal_adviser", None, {"log": 404, "add": 404, "share": 404, "presentation": 404}),
        ("peer", None, {"log": 404, "add": 404, "share": 404, "presentation": 404}),
        ("leicester_dcs", None, {"log": 404, "add": 404, "share": 404, "presentation": 404}),
    ],
)
def test_role_matrix(client, lga, challenge, who, on_team, expected):
    challenge.improvement_adviser = lga.cia  # named; the principal adviser is not
    challenge.save()
    person = getattr(lga, who)
    if on_team:
        with scopes_disabled():  # test set-up
            TeamMemberFactory(challenge=challenge, user=person, role=on_team, indicative_days=6)
    note = add(lga, challenge, kind=Kind.EMERGING_ISSUE, text="An issue")
    client.force_login(person)
    assert statuses(client, lga, challenge, note) == expected
    with scopes_disabled():
        added = SiteNote.objects.filter(kind=Kind.STRENGTH).count()
    assert added == (1 if expected["add"] == 302 else 0)
    assert (note_of(note.pk).shared_with_sponsor_at is not None) == (expected["share"] == 302)


def test_the_pages_do_not_exist_in_a_regional_alliance(client, lga, challenge, world):
    client.force_login(world.pm)
    for name in ("site_log", "presentation"):
        address = reverse(
            f"lga_cspc:{name}", kwargs={"alliance": world.em.slug, "challenge": challenge.pk}
        )
        assert client.get(address).status_code == 404


# Queries and the challenge's page ----------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_the_log_page_queries_do_not_grow(
    client, lga, challenge, count, django_assert_max_num_queries
):
    sessions = [
        make_session(lga, challenge, title=f"Session {n}", hour=8 + n % 8) for n in range(4)
    ]
    for n in range(count):
        add(
            lga,
            challenge,
            kind=Kind.values[n % len(Kind.values)],
            text=f"Note {n}",
            session=sessions[n % 4],
            for_presentation=n % 2 == 0,
        )
    client.force_login(lga.pcm)
    with django_assert_max_num_queries(12):
        response = client.get(url("site_log", lga, challenge))
    assert response.status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(url("presentation", lga, challenge)).status_code == 200


def test_detail_context_counts_notes_and_shared_issues(lga, challenge, client):
    issue = add(lga, challenge, kind=Kind.EMERGING_ISSUE, text="Issue")
    add(lga, challenge, kind=Kind.EMERGING_ISSUE, text="Another")
    add(lga, challenge, kind=Kind.STRENGTH, text="A strength")
    with scope(alliance=lga.alliance):
        site_note_share(note=issue, user=lga.pcm)
        team = site_log_detail_context(challenge=challenge, user=lga.pcm)
        council_view = site_log_detail_context(challenge=challenge, user=lga.derby_dcs)
        assert site_log_counts(challenge=challenge)["total"] == 3
    by_kind = {kind: count for kind, _, count in team["site_log_counts"]["by_kind"]}
    assert by_kind[Kind.EMERGING_ISSUE] == 2 and by_kind[Kind.STRENGTH] == 1
    assert team["site_log_shared"] == 1 and team["site_log_reads_every_note"]
    assert council_view == {
        "site_log_counts": None,
        "site_log_shared": 1,
        "site_log_reads_every_note": False,
    }
    # The challenge's task list: the count shared, for the team and for the council alike.
    for who in (lga.pcm, lga.derby_dcs):
        client.force_login(who)
        html = client.get(url("challenge_detail", lga, challenge)).content.decode()
        assert "1 emerging issue shared with the sponsor" in html
        assert url("site_log", lga, challenge) in html
        assert "Strength" not in html
