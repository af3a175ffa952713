"""Answers to the flags of a council's data pack: explained, set aside, or a line of enquiry
on one of the council's challenges; who may answer; the page, its bad input and its cost;
the flags to answer on the home page and the overview. Run on the shipped DfE extract: the
flags are worked out here, never guessed."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from benchmarking.models import FlagAnswer
from benchmarking.selectors import data_pack
from benchmarking.selectors_flags import (
    alliance_flags,
    flag_states,
    flag_states_forget,
    real_flags,
)
from benchmarking.services.flags import figures_quoted, flag_answer
from peerchallenge.kloe_targets import kloe_targets_for
from peerchallenge.models import KeyLineOfEnquiry, Role
from peerchallenge.needs import needs_for
from peerchallenge.permissions import alliance_ids_of
from tests.benchmarking.factories import FigureFactory
from tests.clock import days
from tests.factories import MembershipFactory, UserFactory, council
from tests.lga_cspc.factories import lga as lga  # the fixture
from tests.triads.factories import CycleFactory, TriadFactory, TriadMemberFactory

Answer = FlagAnswer.Answer


def flagged_rows(alliance, name="Derby") -> list:
    """The council's data pack rows with flags to answer, as its page shows them."""
    with scope(alliance=alliance):
        return [
            row for row in data_pack(council=council(name), alliance=alliance) if real_flags(row)
        ]


def unflagged_row(alliance, name="Derby"):
    with scope(alliance=alliance):
        return next(
            row
            for row in data_pack(council=council(name), alliance=alliance)
            if not real_flags(row)
        )


def derby_triad(world, **cycle):
    """A cycle of East Midlands whose event is ahead, with Derby and Leicester in a triad."""
    triad = TriadFactory(cycle=CycleFactory(alliance=world.em, **cycle))
    for name in ("Derby", "Leicester"):
        TriadMemberFactory(triad=triad, council=council(name))
    return triad


def answer(world, row, *, who=None, kind=Answer.EXPLAINED, text="Our front door changed.", **more):
    with scope(alliance=world.em):
        return flag_answer(
            alliance=world.em,
            council=council("Derby"),
            indicator=row.indicator,
            period=more.pop("period", row.period),
            answer=kind,
            text=text,
            answered_by=who or world.dcs,
            **more,
        )


def targets_of(alliance, user, name="Derby") -> list:
    with scope(alliance=alliance):
        return kloe_targets_for(alliance=alliance, council=council(name), user=user)


def needs_of(user) -> list:
    with scope(alliance=alliance_ids_of(user)):  # the home page's scope: their alliances
        return needs_for(user=user)


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def kloes():
    with scopes_disabled():  # a test's read-back
        return list(KeyLineOfEnquiry.objects.order_by("pk"))


# The service ---------------------------------------------------------------------------------


def test_derby_has_flags_to_answer_in_the_shipped_data(world, loaded):
    assert len(flagged_rows(world.em)) >= 2


def test_an_explained_answer_is_kept_and_a_second_answer_replaces_it(world, loaded):
    row = flagged_rows(world.em)[0]
    first = answer(world, row, text="  A new front door in 2024.  ")
    assert (first.answer, first.text, first.answered_by, first.period) == (
        "explained",
        "A new front door in 2024.",
        world.dcs,
        row.period,
    )
    second = answer(world, row, who=world.pm, kind=Answer.SET_ASIDE, text="Counting changed.")
    assert second.pk == first.pk
    with scopes_disabled():
        assert list(FlagAnswer.objects.values_list("answer", "text", "answered_by")) == [
            ("set_aside", "Counting changed.", world.pm.pk)
        ]
    assert kloes() == []


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (Answer.EXPLAINED, "Enter what explains the figure."),
        (Answer.SET_ASIDE, "Enter why you are setting the flag aside."),
        (Answer.ENQUIRY, "Enter why it matters: what the peers should look at."),
    ],
)
def test_each_answer_needs_its_text(world, loaded, kind, message):
    row = flagged_rows(world.em)[0]
    derby_triad(world)
    errors = refusal(lambda: answer(world, row, kind=kind, text="   "))
    assert errors["text"] == [message]
    with scopes_disabled():
        assert FlagAnswer.objects.count() == 0


def test_an_answer_must_be_one_of_the_three(world, loaded):
    row = flagged_rows(world.em)[0]
    errors = refusal(lambda: answer(world, row, kind="", text=""))
    assert errors == {
        "answer": ["Choose whether the flag is explained, set aside or a line of enquiry."]
    }


def test_a_long_text_is_refused(world, loaded):
    row = flagged_rows(world.em)[0]
    errors = refusal(lambda: answer(world, row, text="x" * 2_001))
    assert errors == {"text": ["What explains the figure must be 2,000 characters or fewer"]}


def test_use_as_a_line_of_enquiry_makes_a_draft_kloe_on_the_councils_triad(world, loaded):
    row = flagged_rows(world.em)[0]
    triad = derby_triad(world)
    [target] = targets_of(world.em, world.dcs)
    assert target.challenge == triad.cycle
    made = answer(
        world,
        row,
        kind=Answer.ENQUIRY,
        text="We want to know whether step-down is too quick.",
        target=target.key,
    )
    [kloe] = kloes()
    assert made.kloe == kloe
    assert (kloe.challenge, kloe.local_authority, kloe.alliance, kloe.created_by) == (
        triad.cycle,
        council("Derby"),
        world.em,
        world.dcs,
    )
    assert kloe.shared_at is None  # a draft: the triad reads it once Derby shares it
    assert kloe.title == row.indicator.title
    assert kloe.why_it_matters == "We want to know whether step-down is too quick."
    quoted = figures_quoted(council=council("Derby"), row=row)
    assert kloe.question == f"{quoted} What lies behind it?"


def test_the_kloe_quotes_the_figures_as_the_pack_shows_them(world, loaded):
    row = next(r for r in flagged_rows(world.em) if r.indicator.unit == "percent")
    decimals, stats = row.indicator.decimals, row.neighbours
    quoted = figures_quoted(council=council("Derby"), row=row)
    assert quoted.startswith(
        f"{row.indicator.title}: Derby {row.figure.value:.{decimals}f}% in {row.period}; "
        f"statistical neighbours' median {stats.median:.{decimals}f}% (range "
        f"{stats.low:.{decimals}f}% to {stats.high:.{decimals}f}%, {stats.reporting} of 10 "
        f"published); England {row.england.value:.{decimals}f}%. Flagged: "
    )
    for flag in real_flags(row):
        assert flag.text[1:] in quoted


def test_a_form_sent_twice_makes_one_kloe(world, loaded):
    row = flagged_rows(world.em)[0]
    derby_triad(world)
    [target] = targets_of(world.em, world.dcs)
    first = answer(world, row, kind=Answer.ENQUIRY, text="Why?", target=target.key)
    again = answer(world, row, kind=Answer.ENQUIRY, text="Why?", target=target.key)
    assert again.pk == first.pk and again.kloe_id == first.kloe_id
    assert len(kloes()) == 1
    # Explained, then a line of enquiry again: still the one line of enquiry.
    answer(world, row, kind=Answer.EXPLAINED, text="Known.")
    answer(world, row, kind=Answer.ENQUIRY, text="Why?", target=target.key)
    assert len(kloes()) == 1


def test_a_line_of_enquiry_made_needs_no_challenge_to_change_its_answer(client, world, loaded):
    row = flagged_rows(world.em)[0]
    derby_triad(world)
    [target] = targets_of(world.em, world.dcs)
    made = answer(world, row, kind=Answer.ENQUIRY, text="Why?", target=target.key)
    again = answer(world, row, kind=Answer.ENQUIRY, text="Why, really?")
    assert (again.text, again.kloe_id) == ("Why, really?", made.kloe_id)
    client.force_login(world.dcs)
    page = client.get(answer_url(world, row)).content.decode()
    assert f"The line of enquiry “{row.indicator.title}” is made" in page
    assert 'name="target"' not in page
    assert len(kloes()) == 1


def test_a_line_of_enquiry_needs_a_challenge_offered_to_this_person(world, loaded):
    row = flagged_rows(world.em)[0]
    past = derby_triad(world, event_date=days(-1))
    errors = refusal(lambda: answer(world, row, kind=Answer.ENQUIRY, text="Why?"))
    assert errors == {"target": ["Choose the challenge the line of enquiry is for."]}
    # A cycle whose event has passed takes no more.
    assert targets_of(world.em, world.dcs) == []
    errors = refusal(
        lambda: answer(
            world, row, kind=Answer.ENQUIRY, text="Why?", target=f"triads.cycle:{past.cycle_id}"
        )
    )
    assert errors == {
        "target": [
            "Choose one of the challenges listed: that one does not take a line of enquiry "
            "from you."
        ]
    }
    # The programme manager answers for any council but writes no council's KLOEs.
    derby_triad(world)
    assert targets_of(world.em, world.pm) == []
    assert kloes() == []


def test_only_a_flag_the_pack_shows_is_answered(world, loaded):
    row = flagged_rows(world.em)[0]
    quiet = unflagged_row(world.em)
    errors = refusal(lambda: answer(world, quiet))
    assert errors == {
        "__all__": [
            f"There is no flag to answer on {quiet.indicator.title} for Derby in "
            f"{quiet.period}: the figures may have changed since the page was opened."
        ]
    }
    refusal(lambda: answer(world, row, period="2019"))  # not the latest figure's
    with scopes_disabled():
        assert FlagAnswer.objects.count() == 0


@pytest.mark.parametrize("who", ["tier2", "coordinator", "admin"])
def test_whoever_may_not_answer_is_refused(world, loaded, who):
    row = flagged_rows(world.em)[0]
    with pytest.raises(PermissionDenied):
        answer(world, row, who=getattr(world, who))


def test_another_councils_organiser_may_not_answer_derbys_flags(world, loaded):
    leicester = UserFactory()
    MembershipFactory(
        alliance=world.em,
        user=leicester,
        role=Role.LA_ORGANISER,
        local_authority=council("Leicester"),
    )
    row = flagged_rows(world.em)[0]
    with pytest.raises(PermissionDenied):
        answer(world, row, who=leicester)


def test_an_on_demand_review_takes_no_line_of_enquiry(world, loaded):
    from tests.ondemand.factories import planning_review

    planning_review(world.em)  # of Derby
    assert targets_of(world.em, world.dcs) == []


def test_an_lga_challenge_being_scoped_takes_a_line_under_an_element_of_its_scope(lga, loaded):
    from tests.lga_cspc.factories import ChallengeFactory, ScopeElementFactory

    challenge = ChallengeFactory(offer=lga.offer)  # Derby's, being scoped
    with scopes_disabled():
        element = ScopeElementFactory(challenge=challenge, name="Leadership")
    derby = council("Derby")
    # Derby's DCS does not change the LGA's scope.
    assert targets_of(lga.alliance, lga.derby_dcs) == []
    [target] = targets_of(lga.alliance, lga.pm)
    assert (target.challenge, target.title, target.one_line) == (challenge, "Leadership", True)
    with scope(alliance=lga.alliance):
        row = next(r for r in data_pack(council=derby, alliance=lga.alliance) if real_flags(r))
        made = flag_answer(
            alliance=lga.alliance,
            council=derby,
            indicator=row.indicator,
            period=row.period,
            answer=Answer.ENQUIRY,
            text="Look at this\nin the case review.",
            answered_by=lga.pm,
            target=target.key,
        )
    with scopes_disabled():
        kloe = made.kloe
        assert (kloe.title, kloe.challenge, kloe.alliance) == (
            "Leadership",
            challenge,
            lga.alliance,
        )
        assert "\n" not in kloe.question
        assert kloe.question.startswith(f"{row.indicator.title}: Derby ")
        assert kloe.why_it_matters == "Look at this\nin the case review."
        element.delete()  # an element gone from the scope is no longer offered
    assert targets_of(lga.alliance, lga.pm) == []


def test_a_line_from_a_flag_keeps_its_reason_on_the_lga_scope_page(client, lga, loaded):
    """The scope page shows why a line from a data pack matters, and the reason goes with
    the line's words when the planner removes the line above it or rewords it."""
    from lga_cspc.data.focus_areas import CORE_NAMES
    from lga_cspc.services.scoping import challenge_probes, scope_save
    from tests.lga_cspc.factories import ChallengeFactory

    LEAD = CORE_NAMES[0]

    challenge = ChallengeFactory(offer=lga.offer)
    first, second = "How is the front door staffed?", "How are re-referrals reviewed?"
    with scope(alliance=lga.alliance):
        scope_save(challenge=challenge, user=lga.pm, modules=[], probes={LEAD: [first, second]})
        [target] = [t for t in targets_of(lga.alliance, lga.pm) if t.title == LEAD]
        row = next(
            r for r in data_pack(council=council("Derby"), alliance=lga.alliance) if real_flags(r)
        )
        made = flag_answer(
            alliance=lga.alliance,
            council=council("Derby"),
            indicator=row.indicator,
            period=row.period,
            answer=Answer.ENQUIRY,
            text="Re-referrals rose three years running.",
            answered_by=lga.pm,
            target=target.key,
        )
        line = made.kloe.question
    client.force_login(lga.pm)
    url = reverse(
        "lga_cspc:scope_elements", kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk}
    )
    page = client.get(url).content.decode()
    assert "Why these lines of enquiry matter" in page
    assert "Re-referrals rose three years running." in page

    def reasons():
        with scope(alliance=lga.alliance):
            return {
                k.question: k.why_it_matters
                for k in challenge_probes(challenge=challenge).filter(title=LEAD)
            }

    assert reasons() == {first: "", second: "", line: "Re-referrals rose three years running."}
    with scope(alliance=lga.alliance):
        # The first line removed: the flag's line moves up a row, its reason with it.
        scope_save(challenge=challenge, user=lga.pm, modules=[], probes={LEAD: [second, line]})
    assert reasons() == {second: "", line: "Re-referrals rose three years running."}
    with scope(alliance=lga.alliance):
        # Reworded in its place: it keeps its reason.
        scope_save(
            challenge=challenge,
            user=lga.pm,
            modules=[],
            probes={LEAD: [second, "Re-referrals: what lies behind the rise?"]},
        )
    assert reasons() == {
        second: "",
        "Re-referrals: what lies behind the rise?": "Re-referrals rose three years running.",
    }
    # A planner without such lines sees no such heading.
    with scope(alliance=lga.alliance):
        challenge_probes(challenge=challenge).update(why_it_matters="")
    assert "Why these lines of enquiry matter" not in client.get(url).content.decode()


# The flags across an alliance ------------------------------------------------------------------


def test_the_alliances_flags_are_the_data_packs(world, loaded, django_assert_max_num_queries):
    with scope(alliance=world.em):
        with django_assert_max_num_queries(7):
            [em] = flag_states([world.em.pk])
            flags = alliance_flags(em)
        for la in council("Derby").region.councils.all():
            pack = {
                (row.indicator.pk, row.period, tuple(f.text for f in real_flags(row)))
                for row in data_pack(council=la, alliance=world.em)
                if real_flags(row)
            }
            found = {
                (f.indicator_id, f.period, f.texts)
                for f in flags.get(la.pk, ("", "", [], frozenset()))[2]
            }
            assert found == pack, la.name
        with django_assert_max_num_queries(0):  # the state and the flags from the cache
            [em] = flag_states([world.em.pk])
            assert alliance_flags(em) == flags


def test_a_new_figure_moves_the_flags_on_at_once(world, loaded):
    row = flagged_rows(world.em)[0]
    with scope(alliance=world.em):
        [em] = flag_states([world.em.pk])
        assert row.indicator.pk in {
            f.indicator_id for f in alliance_flags(em)[council("Derby").pk][2]
        }
    # Next year's figure for Derby: once the state is read again (a minute at most), its
    # flags are the new period's, and the old ones go.
    FigureFactory(
        indicator=row.indicator,
        council=council("Derby"),
        area_code=council("Derby").dfe_code,
        period=str(int(row.period) + 1),
        value=row.neighbours.median,
    )
    flag_states_forget([world.em.pk])
    with scope(alliance=world.em):
        [em] = flag_states([world.em.pk])
        flagged = alliance_flags(em).get(council("Derby").pk, ("", "", [], frozenset()))[2]
    assert row.indicator.pk not in {f.indicator_id for f in flagged if f.period == row.period}


# The page ------------------------------------------------------------------------------------


def answer_url(world, row, name="Derby", alliance=None):
    return reverse(
        "benchmarking:flag_answer",
        kwargs={
            "alliance": (alliance or world.em).slug,
            "gss": council(name).gss_code,
            "indicator": row.indicator.code,
        },
    )


def pack_url(world, name="Derby"):
    return reverse(
        "benchmarking:data_pack", kwargs={"alliance": world.em.slug, "gss": council(name).gss_code}
    )


def test_the_dcs_answers_a_flag_from_the_page(client, world, loaded):
    row = flagged_rows(world.em)[0]
    client.force_login(world.dcs)
    page = client.get(answer_url(world, row)).content.decode()
    assert f'<h1 class="govuk-heading-l">{row.indicator.title}</h1>' in page
    assert figures_quoted(council=council("Derby"), row=row).replace("'", "&#x27;") in page
    assert 'value="explained"' in page and 'value="set_aside"' in page
    assert 'value="enquiry"' not in page  # no challenge of Derby takes one yet
    assert "none of Derby's challenges takes one from you" in page
    with scopes_disabled():
        assert FlagAnswer.objects.count() == 0  # GET never writes
    response = client.post(
        answer_url(world, row),
        {"answer": "explained", "explained_text": "A new front door.", "period": row.period},
    )
    anchor = row.indicator.code.replace("_", "-")
    assert response.status_code == 302
    assert response["Location"] == f"{pack_url(world)}#{anchor}"
    page = client.get(pack_url(world)).content.decode()
    section = page.split(f'id="{anchor}"')[1].split("</section>")[0]
    assert "Explained</strong> A new front door." in section
    assert "Answered by Dee Director on" in section
    assert "Change the answer" in section


def test_a_line_of_enquiry_from_the_page_shows_on_the_pack_and_the_triad(client, world, loaded):
    row = flagged_rows(world.em)[0]
    triad = derby_triad(world)
    client.force_login(world.dcs)
    page = client.get(answer_url(world, row)).content.decode()
    assert 'value="enquiry"' in page
    assert f'value="triads.cycle:{triad.cycle_id}"' in page
    client.post(
        answer_url(world, row),
        {
            "answer": "enquiry",
            "enquiry_text": "Is step-down too quick?",
            "target": f"triads.cycle:{triad.cycle_id}",
            "period": row.period,
        },
    )
    triad_url = reverse(
        "triads:triad_detail",
        kwargs={"alliance": world.em.slug, "cycle": triad.cycle_id, "triad": triad.pk},
    )
    page = client.get(pack_url(world)).content.decode()
    assert f'href="{triad_url}">Read the line of enquiry' in page
    page = client.get(triad_url).content.decode()
    assert row.indicator.title in page and "Is step-down too quick?" in page
    # The programme manager reads the answer but not Derby's draft: no link to it.
    client.force_login(world.pm)
    page = client.get(pack_url(world)).content.decode()
    assert "Line of enquiry</strong> Is step-down too quick?" in page
    assert "Read the line of enquiry" not in page


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_lost(client, world, loaded):
    row = flagged_rows(world.em)[0]
    triad = derby_triad(world)
    client.force_login(world.dcs)
    page = client.post(
        answer_url(world, row),
        {"answer": "enquiry", "enquiry_text": "Keep me", "period": row.period},
    ).content.decode()
    assert '<h2 class="govuk-error-summary__title" id="error-summary-title">' in page
    assert '<a href="#id_target">Choose the challenge the line of enquiry is for.</a>' in page
    assert re.search(
        r'id="id_target-error" class="govuk-error-message">.*Choose the challenge', page
    )
    assert "Keep me</textarea>" in page
    assert re.search(r'value="enquiry" checked', page)
    page = client.post(
        answer_url(world, row), {"answer": "set_aside", "set_aside_text": "", "period": row.period}
    ).content.decode()
    assert '<a href="#id_set_aside_text">Enter why you are setting the flag aside.</a>' in page
    page = client.post(answer_url(world, row), {"period": row.period}).content.decode()
    assert (
        '<a href="#id_answer">Choose whether the flag is explained, set aside or a line of '
        "enquiry.</a>"
    ) in page
    assert 'id="id_answer"' in page
    with scopes_disabled():
        assert FlagAnswer.objects.count() == 0
    assert kloes() == []
    assert triad  # the triad was offered all along


def test_an_indicator_without_a_flag_says_so(client, world, loaded):
    quiet = unflagged_row(world.em)
    client.force_login(world.pm)
    response = client.get(answer_url(world, quiet))
    assert response.status_code == 200
    assert "There is no flag to answer on this indicator for Derby in" in response.content.decode()


def test_who_may_answer_on_the_page(client, world, loaded):
    row = flagged_rows(world.em)[0]
    url = answer_url(world, row)
    for who in ("dcs", "organiser", "pm"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 200, who
    for who in ("tier2", "admin", "coordinator"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 403, who
        assert client.post(url, {"answer": "explained", "explained_text": "x"}).status_code == 403
    leicester = UserFactory()
    MembershipFactory(
        alliance=world.em, user=leicester, role=Role.DCS, local_authority=council("Leicester")
    )
    client.force_login(leicester)
    assert client.get(url).status_code == 403
    page = client.get(pack_url(world)).content.decode()
    assert "Answer this flag" not in page and "Not answered yet." in page


def test_other_alliances_and_unknown_indicators_are_not_found(client, world, loaded):
    row = flagged_rows(world.em)[0]
    client.force_login(world.outsider)  # London's admin
    assert client.get(answer_url(world, row)).status_code == 404
    client.force_login(world.pm)
    assert client.get(answer_url(world, row, name="Camden")).status_code == 404
    assert client.get(answer_url(world, row, alliance=world.london)).status_code == 404
    url = answer_url(world, row).replace(row.indicator.code, "no_such_indicator")
    assert client.get(url).status_code == 404


def test_another_alliances_answer_is_its_own(client, world, lga, loaded):
    """The LGA's alliance covers Derby too: its answer to the same flag is not East
    Midlands' (and the other way round)."""
    row = flagged_rows(world.em)[0]
    with scopes_disabled():  # test set-up in another alliance
        FlagAnswer.objects.create(
            alliance=lga.alliance,
            council=council("Derby"),
            indicator=row.indicator,
            period=row.period,
            answer=Answer.SET_ASIDE,
            text="The LGA's own reason.",
            answered_by=lga.pm,
        )
    client.force_login(world.dcs)
    page = client.get(pack_url(world)).content.decode()
    assert "The LGA's own reason." not in page.replace("&#x27;", "'")
    assert page.count("Answer this flag") == len(flagged_rows(world.em))
    title = f"Answer {len(flagged_rows(world.em))} flags on Derby's data pack"
    assert [need.title for need in needs_of(world.dcs)] == [title]


def test_the_pack_costs_the_same_with_answers_and_lines_of_enquiry(
    client, world, loaded, django_assert_max_num_queries
):
    """The answers in one query, the lines of enquiry's links in one per offer: the same
    with one answer as with every flag answered."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    derby_triad(world)
    client.force_login(world.dcs)
    rows = flagged_rows(world.em)
    [target] = targets_of(world.em, world.dcs)
    counts = []
    for row in rows:
        answer(world, row, kind=Answer.ENQUIRY, text="Why?", target=target.key)
        client.get(pack_url(world))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(pack_url(world)).content.decode()
        counts.append(len(queries))
    assert page.count("Read the line of enquiry") == len(rows)
    assert counts == [counts[0]] * len(rows)
    with django_assert_max_num_queries(13):  # the pack's 11, the answers, the triads
        client.get(pack_url(world))


# What needs you now and the overview ----------------------------------------------------------


def test_the_flags_to_answer_are_on_the_councils_home_page_until_answered(client, world, loaded):
    rows = flagged_rows(world.em)
    title = f"Answer {len(rows)} flags on Derby's data pack"
    for who in ("organiser", "dcs"):
        assert [need.title for need in needs_of(getattr(world, who))] == [title]
    assert needs_of(world.pm) == []  # counted on the overview instead
    client.force_login(world.organiser)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{pack_url(world)}">{title}</a>' in page.replace("&#x27;", "'")
    answer(world, rows[0])
    assert [need.title for need in needs_of(world.organiser)] == [
        f"Answer {len(rows) - 1} flag{'s' if len(rows) > 2 else ''} on Derby's data pack"
    ]
    for row in rows[1:]:
        answer(world, row, kind=Answer.SET_ASIDE, text="Counted differently.")
    assert needs_of(world.organiser) == []


def test_the_overview_counts_each_councils_flags(client, world, loaded):
    rows = flagged_rows(world.em)
    answer(world, rows[0])
    client.force_login(world.pm)
    page = client.get(reverse("alliance_overview", kwargs={"alliance": world.em.slug})).content
    page = page.decode()
    assert f">Derby (1 of {len(rows)} answered)</a>" in page
    assert "Data pack flags:" in page


def test_the_home_page_of_a_councils_organiser_costs_the_same_whatever_the_flags(
    client, world, loaded
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> tuple[int, str]:
        client.get(reverse("home"))  # after a change, the flags are worked out once
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("home")).content.decode()
        flags = [q for q in queries if "benchmarking_figure" in q["sql"]]
        assert flags == []  # the flags and the state they are keyed by from the cache
        return len(queries), page

    client.force_login(world.organiser)
    before, page = count()
    assert "flags on Derby" in page
    for row in flagged_rows(world.em):
        answer(world, row)
    after, page = count()
    assert "flags on Derby" not in page
    assert after == before <= 15
