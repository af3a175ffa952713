"""Peer scrutiny of the self-evaluations: pairings suggested by the triad grouping rule with
earlier pairings avoided; a scrutinising council reads the submitted self-evaluation,
comments section by section and records its moderation note; the council replies."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from improvement.models import Scrutiny, ScrutinyComment, step_defaults
from improvement.obligations import obligations
from improvement.selectors import board_rows, cycle_year_next, template_of
from improvement.services.cycle import cycle_open
from improvement.services.scrutiny import (
    comment_save,
    moderation_save,
    reply_save,
    scrutiny_add,
    scrutiny_groups_assign,
    scrutiny_remove,
    scrutiny_suggest,
)
from improvement.services.self_evaluation import section_save, self_evaluation_submit
from peerchallenge.concurrency import values_version
from peerchallenge.models import Role
from tests.factories import MembershipFactory, UserFactory, council
from tests.improvement.factories import CycleFactory, ScrutinyFactory


@pytest.fixture
def cycle(world):
    with scope(alliance=world.em):
        year = cycle_year_next(world.em)
        return cycle_open(
            alliance=world.em, year=year, deadlines=step_defaults(year), opened_by=world.pm
        )


@pytest.fixture
def leicester(world):
    """Leicester's organiser: Leicester scrutinises Derby."""
    user = UserFactory(full_name="Lena Leicester", email="lena@example.org")
    MembershipFactory(
        alliance=world.em, user=user, role=Role.LA_ORGANISER, local_authority=council("Leicester")
    )
    return user


@pytest.fixture
def scrutiny(world, cycle):
    with scope(alliance=world.em):
        return scrutiny_add(
            cycle=cycle,
            council=council("Derby"),
            scrutineer=council("Leicester"),
            assigned_by=world.pm,
        )


def submit_derby(world, cycle):
    with scope(alliance=world.em):
        for section in template_of(cycle):
            if section.kind != "data":
                evaluation = section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=section,
                    text=f"Derby on {section.title}.",
                    saved_by=world.organiser,
                ).self_evaluation
        return self_evaluation_submit(evaluation=evaluation, submitted_by=world.dcs)


def url(world, cycle, name, **kwargs):
    return reverse(
        f"improvement:{name}",
        kwargs={"alliance": world.em.slug, "improvement_cycle": cycle.pk, **kwargs},
    )


def derby(world, cycle, name="self_evaluation", **kwargs):
    return url(world, cycle, name, gss=council("Derby").gss_code, **kwargs)


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


# Pairing -------------------------------------------------------------------------------------


def test_the_suggestion_groups_every_council_in_threes_and_fours(world, cycle):
    with scope(alliance=world.em):
        groups = scrutiny_suggest(cycle)
    assert sorted(len(group) for group in groups) == [3, 3, 4]
    assert sorted(c.name for group in groups for c in group) == sorted(
        c.name for c in council("Derby").region.councils.all()
    )


def test_the_suggestion_avoids_last_years_pairings(world, cycle):
    with scope(alliance=world.em):
        first = scrutiny_suggest(cycle)
    with scopes_disabled():
        earlier = CycleFactory(alliance=world.em, year=cycle.year - 1)
        for group in first:
            for a in group:
                for b in group:
                    if a != b:
                        ScrutinyFactory(cycle=earlier, council=a, scrutineer=b)
    with scope(alliance=world.em):
        second = scrutiny_suggest(cycle)

    def pairs(groups):
        return {frozenset((a.pk, b.pk)) for g in groups for a in g for b in g if a != b}

    # Three earlier groups, and this year's group of four needs four councils: by the
    # pigeonhole, one pair must meet again; the rule finds a grouping with only that one.
    assert len(pairs(first) & pairs(second)) == 1


def test_using_the_groups_pairs_each_council_with_the_others_once(client, world, cycle):
    client.force_login(world.pm)
    page = text_of(client.get(url(world, cycle, "scrutiny")))
    assert "Suggested groups" in page and "Use these groups" in page
    client.post(url(world, cycle, "scrutiny_assign"))
    client.post(url(world, cycle, "scrutiny_assign"))  # again: nothing more
    with scopes_disabled():
        assert Scrutiny.objects.filter(cycle=cycle).count() == 3 * 2 * 2 + 4 * 3
        derby_scrutineers = set(
            Scrutiny.objects.filter(cycle=cycle, council=council("Derby")).values_list(
                "scrutineer__name", flat=True
            )
        )
    assert "Derby" not in derby_scrutineers and len(derby_scrutineers) in (2, 3)
    page = text_of(client.get(url(world, cycle, "scrutiny")))
    assert "Who scrutinises whom" in page and "Suggested groups" not in page


def test_a_pairing_added_and_removed_by_hand(client, world, cycle):
    client.force_login(world.pm)
    add = url(world, cycle, "scrutiny_add")
    derby_pk, leicester_pk = council("Derby").pk, council("Leicester").pk
    response = client.post(add, {"council": derby_pk, "scrutineer": derby_pk})
    assert "A council cannot be paired with itself." in text_of(response)
    assert client.post(add, {"council": derby_pk, "scrutineer": leicester_pk}).status_code == 302
    assert client.post(add, {"council": derby_pk, "scrutineer": leicester_pk}).status_code == 302
    with scopes_disabled():
        [made] = Scrutiny.objects.filter(cycle=cycle)
    remove = reverse(
        "improvement:scrutiny_remove", kwargs={"alliance": world.em.slug, "scrutiny": made.pk}
    )
    assert client.post(remove, {"confirm": "yes"}).status_code == 302
    with scopes_disabled():
        assert not Scrutiny.objects.exists()


def test_a_pairing_that_has_commented_stays(world, cycle, scrutiny):
    submit_derby(world, cycle)
    with scope(alliance=world.em):
        comment_save(
            scrutiny=scrutiny, section=template_of(cycle)[0], text="Good.", written_by=world.pm
        )
        with pytest.raises(ValidationError):
            scrutiny_remove(scrutiny=scrutiny)


@pytest.mark.parametrize("who", ["organiser", "dcs", "tier2", "admin"])
def test_only_planners_pair(client, world, cycle, who):
    client.force_login(getattr(world, who))
    assert client.get(url(world, cycle, "scrutiny")).status_code == 403


# Scrutinising ---------------------------------------------------------------------------------


def test_the_scrutinising_council_reads_only_once_submitted(
    client, world, cycle, scrutiny, leicester
):
    client.force_login(leicester)
    assert client.get(derby(world, cycle)).status_code == 404
    cycle_page = reverse("improvement:cycle", kwargs={"alliance": world.em.slug})
    assert "Derby's self-evaluation" not in text_of(client.get(cycle_page))
    submit_derby(world, cycle)
    page = text_of(client.get(derby(world, cycle)))
    assert "Derby on Strengths." in page
    assert "Comment as Leicester" in page and "Record the moderation note" in page
    assert "Sign off and submit" not in page and "Write<span" not in page
    home = text_of(client.get(reverse("improvement:cycle", kwargs={"alliance": world.em.slug})))
    assert "What your council scrutinises" in home and "Derby's self-evaluation" in home
    # Another council of the alliance, not paired, still gets 404.
    other = UserFactory()
    MembershipFactory(
        alliance=world.em, user=other, role=Role.DCS, local_authority=council("Rutland")
    )
    client.force_login(other)
    assert client.get(derby(world, cycle)).status_code == 404


def test_comments_a_moderation_note_and_the_reply(client, world, cycle, scrutiny, leicester):
    submit_derby(world, cycle)
    first = template_of_scoped(world, cycle)[0]
    client.force_login(leicester)
    comment = derby(
        world, cycle, "scrutiny_comment", scrutiny=scrutiny.pk, template_section=first.pk
    )
    form = client.get(comment)
    assert f"Derby on {first.title}." in text_of(form)  # what Derby wrote, above the form
    response = client.post(
        comment,
        {
            "text": "Strong on audit; how do you know the impact?",
            "base_version": values_version({"text": ""}),
        },
    )
    assert response.status_code == 302
    moderation = derby(world, cycle, "scrutiny_moderation", scrutiny=scrutiny.pk)
    response = client.post(
        moderation, {"note": "", "base_version": values_version({"moderation_note": ""})}
    )
    assert "Write the moderation note." in text_of(response)
    response = client.post(
        moderation,
        {
            "note": "Derby knows itself well.",
            "base_version": values_version({"moderation_note": ""}),
        },
    )
    assert response.status_code == 302
    # Derby's organiser reads both and replies; the PM reads everything.
    client.force_login(world.organiser)
    page = text_of(client.get(derby(world, cycle)))
    assert "Leicester's comment:" in page and "Strong on audit" in page
    assert "Derby knows itself well." in page
    reply = derby(world, cycle, "scrutiny_reply", scrutiny=scrutiny.pk)
    assert "Derby knows itself well." in text_of(client.get(reply))
    assert (
        client.post(
            reply,
            {
                "reply": "We will add impact measures.",
                "base_version": values_version({"reply": ""}),
            },
        ).status_code
        == 302
    )
    client.force_login(world.pm)
    page = text_of(client.get(derby(world, cycle)))
    assert "We will add impact measures." in page
    # Nobody but the scrutinising council comments; nobody but Derby replies.
    assert client.get(comment).status_code == 404
    client.force_login(leicester)
    assert client.get(reply).status_code == 404


def test_a_reply_waits_for_the_moderation_note(client, world, cycle, scrutiny):
    submit_derby(world, cycle)
    client.force_login(world.organiser)
    assert (
        client.get(derby(world, cycle, "scrutiny_reply", scrutiny=scrutiny.pk)).status_code == 302
    )
    with scope(alliance=world.em), pytest.raises(ValidationError):
        reply_save(scrutiny=scrutiny, reply="Early", user=world.organiser)


def test_two_scrutineers_saving_the_same_comment_see_both(
    client, world, cycle, scrutiny, leicester
):
    submit_derby(world, cycle)
    first = template_of_scoped(world, cycle)[0]
    comment = derby(
        world, cycle, "scrutiny_comment", scrutiny=scrutiny.pk, template_section=first.pk
    )
    client.force_login(leicester)
    stale = client.get(comment).context["form"].initial["base_version"]
    with scope(alliance=world.em):
        comment_save(scrutiny=scrutiny, section=first, text="Their comment.", written_by=world.pm)
    response = client.post(comment, {"text": "My comment.", "base_version": stale})
    assert "Someone else saved this while you were editing." in text_of(response)
    assert "Their comment." in text_of(response)
    with scopes_disabled():
        assert ScrutinyComment.objects.get(scrutiny=scrutiny).text == "Their comment."


def test_nothing_is_scrutinised_before_submission(world, cycle, scrutiny):
    with scope(alliance=world.em), pytest.raises(ValidationError):
        moderation_save(scrutiny=scrutiny, note="Too early", user=world.pm)


# What needs whom ------------------------------------------------------------------------------


def test_the_scrutineers_and_then_the_council_are_asked(world, cycle, scrutiny, leicester):
    def titles(user):
        with scopes_disabled():
            found = obligations(alliances=[world.em.pk], today=cycle.opened_at.date(), user=user)
        return [o.title for o in found if not o.done and o.kind != "improvement.self_evaluation"]

    assert titles(leicester) == []  # nothing to scrutinise yet
    submit_derby(world, cycle)
    assert titles(leicester) == [f"Scrutinise Derby's self-evaluation for {cycle.label}"]
    with scope(alliance=world.em):
        moderation_save(scrutiny=scrutiny, note="Good.", user=leicester)
    assert titles(leicester) == []
    assert "Reply to Leicester's scrutiny of Derby's self-evaluation" in titles(world.organiser)
    with scope(alliance=world.em):
        reply_save(scrutiny=scrutiny, reply="Thanks.", user=world.organiser)
    assert "Reply to Leicester's scrutiny of Derby's self-evaluation" not in titles(world.organiser)


def test_the_scrutiny_reminder(world, cycle, scrutiny):
    submit_derby(world, cycle)
    days = (cycle.scrutiny_due - cycle.opened_at.date()).days
    with scopes_disabled():
        found = obligations(
            alliances=[world.em.pk],
            today=cycle.opened_at.date(),
            reminder_days={"scrutiny_due": days},
        )
    assert [o.kind for o in found] == ["improvement.scrutiny"]
    assert found[0].reminders["scrutiny_due"].startswith("Leicester's scrutiny of Derby's")


def test_the_board_shows_the_scrutiny(client, world, cycle, scrutiny):
    submit_derby(world, cycle)
    with scope(alliance=world.em):
        moderation_save(scrutiny=scrutiny, note="Good.", user=world.pm)
        rows = {row.council.name: row for row in board_rows(cycle)}
    assert (rows["Derby"].scrutinies, rows["Derby"].moderated) == (1, 1)
    client.force_login(world.pm)
    assert "1 of 1 moderation notes in" in text_of(client.get(url(world, cycle, "board")))


def template_of_scoped(world, cycle):
    with scope(alliance=world.em):
        return template_of(cycle)


def test_pairings_made_in_bulk_reach_the_home_pages_at_once(client, world, cycle, leicester):
    """The pairings are made with bulk_create, which sends no signal: the cached state of
    what each council is asked must still be read afresh."""
    from tests.obligations import home_item

    submit_derby(world, cycle)
    title = f"Scrutinise Derby's self-evaluation for {cycle.label}"
    assert not home_item(client, leicester, title)  # the cache now holds "no scrutinies"
    with scope(alliance=world.em):
        groups = [[council("Derby"), council("Leicester"), council("Rutland")]]
        scrutiny_groups_assign(cycle=cycle, groups=groups, assigned_by=world.pm)
    assert home_item(client, leicester, title)
