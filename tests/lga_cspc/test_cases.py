"""The case record review: cases added by reference only (personal identifiers refused),
assigned to reviewers on the team, findings recorded, the discussion with the sponsor and
the key messages, the report rendered and shared — and who may see and do what."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from lga_cspc.models import CaseFile, CaseReview, Challenge
from lga_cspc.services.cases import (
    CASE_REVIEW_BEFORE_ONSITE,
    case_findings_save,
    case_review_discussion_save,
    case_review_due,
    case_review_share,
    cases_add,
    cases_assign,
    nhs_number_valid,
    personal_identifier_reason,
)
from lga_cspc.views.cases import case_review_detail_context
from reports.models import ReportVersion
from reports.permissions import DOWNLOAD_REPORT
from tests.clock import weekday_text
from tests.forms import date_parts
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory

Source = CaseFile.Source
Quality = CaseFile.Quality


def url(name, lga, challenge, **kwargs):
    return reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk, **kwargs},
    )


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def challenge(lga):
    challenge = ChallengeFactory(offer=lga.offer)  # Derby
    with scopes_disabled():  # fixture set-up
        TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    return challenge


def join_team(lga, challenge, user, role="senior_manager"):
    with scopes_disabled():
        TeamMemberFactory(challenge=challenge, user=user, role=role, indicative_days=6)


def add(lga, challenge, references, source=Source.CHILD_PROTECTION, user=None):
    with scope(alliance=lga.alliance):
        return cases_add(
            challenge=challenge, references=references, source=source, user=user or lga.pcm
        )


def cases_of(challenge):
    with scopes_disabled():
        return list(CaseFile.objects.filter(review__challenge=challenge).order_by("reference"))


# References -------------------------------------------------------------------------------


NAME = "looks like a person's name"
DATE = "looks like a date"
NHS = "looks like an NHS number"
BIRTH = "mentions a date of birth"
NO_DIGIT = "has no digits, so it looks like a name rather than a case reference"


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        # Names: a capitalised word of three or more letters, a run of small letters, or
        # no digit at all.
        ("Jane", NAME),
        ("Mohammed", NAME),
        ("JSmith", NAME),
        ("J.Smith", NAME),
        ("jane.smith", NAME),
        ("Jane Smith", NAME),
        ("jane smith", NAME),
        ("Smith, Jane", NAME),
        ("Mary-Jane O\N{RIGHT SINGLE QUOTATION MARK}Neil", NAME),
        ("Jane Smith 2", NAME),
        ("CP-1001 Smith", NAME),
        ("smith2291", NAME),
        ("Case 77a", NAME),  # "Case" is name-shaped: a reference is a code
        ("Zoë 12", NAME),
        ("JS", NO_DIGIT),
        ("CIN-LAC", NO_DIGIT),
        # Dates in any common form.
        ("12/03/2015", DATE),
        ("CP 12.3.15", DATE),
        ("2015-03-12", DATE),
        ("12 March 2015", DATE),
        ("3rd Feb 15", DATE),
        ("12th of March", DATE),
        ("Feb 3, 2015", DATE),
        ("March 2015", DATE),
        ("12-Mar-2015", DATE),
        ("Mar-12-2015", DATE),
        ("2015-Mar-12", DATE),
        ("CP 12 MAR 2015", DATE),
        # A date of birth, however written.
        ("DOB", BIRTH),
        ("DOB 1234", BIRTH),
        ("1234DOB", BIRTH),
        ("d.o.b. 4471", BIRTH),
        ("4471 born", BIRTH),
        # NHS numbers: 3-3-4 whatever the check digit; ten digits passing the check.
        ("485 777 3456", NHS),
        ("485-777-3456", NHS),
        ("9434765919", NHS),
        ("943 476 5919", NHS),
        ("CP9434765919", NHS),
    ],
)
def test_personal_identifiers_are_refused_with_the_reason(reference, reason):
    assert personal_identifier_reason(reference) == reason


@pytest.mark.parametrize(
    "reference",
    [
        "CR-10234",
        "EH/2291",
        "LAC 4471",
        "CIN-2291",
        "CP2291A",
        "CP-12345",
        "EH/00123",
        "CIN-2024-0042",
        "cp-1001",  # a short prefix in small letters
        "123456",  # 6 to 9 digits: a system id
        "1234567",
        "123456789",
        "4857773456",  # ten digits failing the NHS check
        "OCT 2291",  # not a year
    ],
)
def test_case_references_pass(reference):
    assert personal_identifier_reason(reference) == ""


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("4857773456", False),
        ("9434765918", False),
        ("943476591", False),  # nine digits
        ("3000000020", False),  # a check digit of 10: never issued
    ],
)
def test_nhs_numbers_are_checked_modulus_11(digits, valid):
    assert nhs_number_valid(digits) is valid


@pytest.mark.parametrize("reference", ["Jane", "9434765919", "DOB 4471", "CP 12/03/2015"])
def test_a_refused_reference_says_why_only_references_are_entered(lga, challenge, reference):
    why = f"“{reference}” {personal_identifier_reason(reference)}"
    with pytest.raises(ValidationError, match=re.escape(why)) as error:
        add(lga, challenge, ["CP-1001", reference])
    first, last = error.value.message_dict["references"]
    assert first == (
        f"“{reference}” {personal_identifier_reason(reference)}. Enter only the council's case "
        "reference: case files hold child-level data, so names, dates of birth and NHS numbers "
        "must never be entered here."
    )
    assert last == "Nothing was added."
    assert cases_of(challenge) == []


def test_cases_are_added_by_reference_from_one_list(lga, challenge):
    created = add(lga, challenge, ["CP-1001", "  CP-1002  ", "CP  1003"])
    assert [case.reference for case in created] == ["CP-1001", "CP-1002", "CP 1003"]
    with scopes_disabled():
        review = CaseReview.objects.get(challenge=challenge)
        assert review.alliance == lga.alliance
    assert {(c.source, c.review_id, c.reviewer_id) for c in cases_of(challenge)} == {
        (Source.CHILD_PROTECTION, review.pk, None)
    }


def test_a_name_is_refused_with_the_reason_and_nothing_is_saved(lga, challenge):
    with pytest.raises(
        ValidationError, match=re.escape("“Jane Smith” looks like a person's name. Enter")
    ) as error:
        add(lga, challenge, ["CP-1001", "Jane Smith", "12/03/2015"])
    messages = error.value.message_dict["references"]
    assert messages[0].startswith("“Jane Smith” looks like a person's name. Enter only the")
    assert "case files hold child-level data" in messages[0]
    assert messages[1].startswith("“12/03/2015” looks like a date.")
    assert messages[-1] == "Nothing was added."
    assert cases_of(challenge) == []


def test_duplicates_are_refused_in_the_batch_and_against_the_review(lga, challenge):
    add(lga, challenge, ["CP-1001"])
    with pytest.raises(
        ValidationError, match="“cp-1001” is already on the review: each case is"
    ) as error:
        add(lga, challenge, ["cp-1001", "CP-2002", "CP-2002"])
    assert error.value.message_dict["references"] == [
        "“cp-1001” is already on the review: each case is added once.",
        "“CP-2002” is entered twice: each case is added once.",
        "Nothing was added.",
    ]
    assert [c.reference for c in cases_of(challenge)] == ["CP-1001"]


@pytest.mark.parametrize("count", [0, 41, 200])
def test_zero_or_too_many_cases_are_refused(lga, challenge, count):
    expected = f"You entered {count} case references" if count else "Enter at least one case"
    with pytest.raises(ValidationError, match=expected) as error:
        add(lga, challenge, [f"CP-{n:05}" for n in range(count)])
    (message,) = error.value.message_dict["references"]
    if count:
        assert message == (
            f"You entered {count} case references: a case record review looks at about 25 "
            "cases, at most 40. Nothing was added."
        )
    else:
        assert message == "Enter at least one case reference, one a line."
    assert cases_of(challenge) == []


def test_the_limit_counts_the_cases_already_there(lga, challenge):
    add(lga, challenge, [f"CP-{n:05}" for n in range(30)])
    with pytest.raises(
        ValidationError, match=re.escape("You entered 11 case references (30 already on the")
    ) as error:
        add(lga, challenge, [f"LAC-{n:05}" for n in range(11)])
    assert "(30 already on the review)" in error.value.message_dict["references"][0]
    add(lga, challenge, [f"LAC-{n:05}" for n in range(10)], source=Source.LOOKED_AFTER)
    assert len(cases_of(challenge)) == 40


def test_an_unknown_list_is_refused(lga, challenge):
    with pytest.raises(ValidationError, match="Choose the list the cases come from") as error:
        add(lga, challenge, ["CP-1"], source="gossip")
    assert error.value.message_dict == {"source": ["Choose the list the cases come from."]}


def agree_lists(challenge, *lists):
    with scopes_disabled():  # test set-up: what scoping agreed
        Challenge.objects.filter(pk=challenge.pk).update(case_lists=list(lists))
        challenge.refresh_from_db()


def test_every_list_is_agreed_until_scoping_narrows_them(lga, challenge):
    assert challenge.case_lists == list(Source.values)
    agree_lists(challenge, Source.CHILD_IN_NEED, Source.CHILD_PROTECTION)
    with pytest.raises(
        ValidationError, match="Cases from “Child looked after” were not agreed"
    ) as error:
        add(lga, challenge, ["LAC-4471"], source=Source.LOOKED_AFTER)
    assert error.value.message_dict == {
        "source": [
            "Cases from “Child looked after” were not agreed at scoping: add cases only from "
            "the lists agreed (Child in need, Child protection)."
        ]
    }
    assert cases_of(challenge) == []
    add(lga, challenge, ["CIN-2291"], source=Source.CHILD_IN_NEED)
    assert [(c.reference, c.source) for c in cases_of(challenge)] == [("CIN-2291", "cin")]


def test_the_page_offers_only_the_agreed_lists(client, lga, challenge):
    agree_lists(challenge, Source.CHILD_PROTECTION, Source.EARLY_HELP)
    client.force_login(lga.pcm)
    page = url("case_review", lga, challenge)
    response = client.get(page)
    assert response.context["add_form"].fields["source"].choices == [
        ("", "Choose a list"),
        ("early_help", "Early help"),
        ("cp", "Child protection"),
    ]
    assert "lists agreed at scoping (early help, child protection)" in response.content.decode()
    response = client.post(page, {"add": "1", "references": "LAC-4471", "source": "cla"})
    assert response.status_code == 200
    assert response.context["add_form"].errors == {
        "source": ["Choose one of the lists agreed at scoping: Early help, Child protection."]
    }
    assert cases_of(challenge) == []


# Reviewers and findings ---------------------------------------------------------------------


def test_only_the_team_may_review(lga, challenge):
    join_team(lga, challenge, lga.peer)
    first, second = add(lga, challenge, ["CP-1", "CP-2"])
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Dora Derby is not on the peer team: only the"
        ) as error,
    ):
        cases_assign(
            challenge=challenge,
            assignments={first.pk: lga.peer, second.pk: lga.derby_dcs},
            user=lga.pcm,
        )
    assert error.value.message_dict == {
        f"reviewer_{second.pk}": [
            "Dora Derby is not on the peer team: only the team's peers review cases (case CP-2)."
        ]
    }
    assert {c.reviewer_id for c in cases_of(challenge)} == {None}
    with scope(alliance=lga.alliance):
        changed = cases_assign(
            challenge=challenge,
            assignments={first.pk: lga.peer, second.pk: lga.pcm},
            user=lga.pcm,
        )
    assert changed == 2
    assert [c.reviewer for c in cases_of(challenge)] == [lga.peer, lga.pcm]


def test_findings_need_an_overall_judgement_and_set_reviewed_at(lga, challenge):
    (case,) = add(lga, challenge, ["CP-1"])
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Choose the overall quality of practice in this"
        ) as error,
    ):
        case_findings_save(case=case, user=lga.pcm, quality="")
    assert error.value.message_dict == {
        "quality": ["Choose the overall quality of practice in this case."]
    }
    with scope(alliance=lga.alliance):
        case_findings_save(
            case=case,
            user=lga.pcm,
            quality=Quality.MIXED,
            strengths=" Good visits ",
            escalated=True,
        )
    (case,) = cases_of(challenge)
    assert (case.quality, case.strengths, case.escalated) == (Quality.MIXED, "Good visits", True)
    assert case.reviewed_at is not None


def test_the_due_date_is_two_weeks_before_on_site(lga, challenge):
    assert datetime.timedelta(weeks=2) == CASE_REVIEW_BEFORE_ONSITE
    due = challenge.onsite_start - datetime.timedelta(weeks=2)
    assert case_review_due(challenge=challenge) == due
    assert case_review_due(challenge=challenge) == challenge.case_review_date


# The page ------------------------------------------------------------------------------------


def test_the_pcm_adds_assigns_and_the_reviewer_records(client, lga, challenge):
    join_team(lga, challenge, lga.peer)
    client.force_login(lga.pcm)
    page = url("case_review", lga, challenge)
    response = client.get(page)
    html = response.content.decode()
    due = challenge.onsite_start - datetime.timedelta(weeks=2)
    assert f"Due by <strong>{weekday_text(due)}</strong>" in html
    assert "0 of 0 reviewed." in html
    response = client.post(
        page, {"add": "1", "references": "CP-1001\n\nCP-1002\r\nCP-1003\n", "source": "cp"}
    )
    assert response.status_code == 302
    assert messages_of(response)[-1] == "3 cases added."
    cases = cases_of(challenge)
    data = {"assign": "1"} | {f"reviewer_{c.pk}": str(lga.peer.pk) for c in cases}
    data[f"reviewer_{cases[2].pk}"] = ""
    response = client.post(page, data)
    assert messages_of(response)[-1] == "Reviewers saved (2 cases changed)."
    html = client.get(page).content.decode()
    assert "0 of 3 reviewed." in html and "Pete Peer" in html

    # The peer records the findings of their case; another team member only reads them.
    client.force_login(lga.peer)
    findings = url("case_findings", lga, challenge, case=cases[0].pk)
    response = client.post(findings, {"voice_of_child": "Heard", "strengths": "Kept"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "quality": ["Choose the overall quality of practice in this case."]
    }
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Kept" in html
    response = client.post(
        findings,
        {"quality": "strong", "voice_of_child": "Heard", "strengths": "Kept", "escalated": "on"},
    )
    assert response.status_code == 302
    assert messages_of(response)[-1] == "Findings for case CP-1001 saved."
    case = cases_of(challenge)[0]
    assert (case.quality, case.escalated, case.reviewed_at is not None) == ("strong", True, True)
    # Not their case: the peer reads it but may not record.
    other = url("case_findings", lga, challenge, case=cases[2].pk)
    assert client.get(other).context["can_edit"] is False
    assert client.post(other, {"quality": "weak"}).status_code == 403
    client.force_login(lga.pcm)
    assert "1 of 3 reviewed." in client.get(page).content.decode()
    assert "Practice is strong" in client.get(findings).content.decode()


def test_bad_references_come_back_on_the_field_with_what_was_typed(client, lga, challenge):
    client.force_login(lga.pcm)
    typed = "CP-1001\nJane Smith\nborn 12/03/2015"
    response = client.post(
        url("case_review", lga, challenge), {"add": "1", "references": typed, "source": "cin"}
    )
    assert response.status_code == 200
    errors = response.context["add_form"].errors["references"]
    assert errors[0].startswith("“Jane Smith” looks like a person's name.")
    assert errors[1].startswith("“born 12/03/2015” looks like a date.")
    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error:" in html.replace("\n", "")
    assert "CP-1001\nJane Smith" in html  # nothing typed lost
    assert cases_of(challenge) == []


def test_200_pasted_references_are_refused_on_the_page(client, lga, challenge):
    client.force_login(lga.pcm)
    typed = "\n".join(f"CP-{n:05}" for n in range(200))
    response = client.post(
        url("case_review", lga, challenge), {"add": "1", "references": typed, "source": "cp"}
    )
    assert response.status_code == 200
    assert response.context["add_form"].errors["references"] == [
        "You entered 200 case references: a case record review looks at about 25 cases, at "
        "most 40. Nothing was added."
    ]
    assert cases_of(challenge) == []
    response = client.post(
        url("case_review", lga, challenge), {"add": "1", "references": " \n ", "source": ""}
    )
    assert set(response.context["add_form"].errors) == {"references", "source"}


def test_a_forged_reviewer_is_refused_by_the_field(client, lga, challenge):
    (case,) = add(lga, challenge, ["CP-1"])
    client.force_login(lga.pcm)
    response = client.post(
        url("case_review", lga, challenge),
        {"assign": "1", f"reviewer_{case.pk}": str(lga.derby_dcs.pk)},
    )
    assert response.status_code == 200
    assert response.context["assign_form"].errors == {
        f"reviewer_{case.pk}": ["Choose a peer on the team to review case CP-1."]
    }
    assert cases_of(challenge)[0].reviewer_id is None


def test_discussion_needs_date_and_time_together(client, lga, challenge):
    # Between the scoping meeting and the on-site days, in British Summer Time.
    day = challenge.onsite_start - datetime.timedelta(days=12)
    client.force_login(lga.pcm)
    page = url("case_review", lga, challenge)
    response = client.post(
        page,
        {
            "discussion": "1",
            **date_parts("discussion_date", day),
            "key_messages": "Voice is strong",
        },
    )
    assert response.context["discussion_form"].errors == {
        "discussion_time": ["Enter the time of the discussion, like 14:30."]
    }
    assert "Voice is strong" in response.content.decode()
    response = client.post(
        page,
        {
            "discussion": "1",
            **date_parts("discussion_date", day),
            "discussion_time": "15:30",
            "notes": "The DCS recognised the findings.",
            "key_messages": "Voice is strong",
        },
    )
    assert messages_of(response)[-1] == "Discussion with the sponsor and key messages saved."
    with scopes_disabled():
        review = CaseReview.objects.get(challenge=challenge)
    assert review.sponsor_discussion_at.isoformat() == f"{day.isoformat()}T14:30:00+00:00"
    assert review.key_messages == "Voice is strong"
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Enter the date of the discussion with the sponsor"
        ) as error,
    ):
        case_review_discussion_save(
            challenge=challenge, user=lga.pcm, discussion_at=None, notes="Said things"
        )
    assert "discussion_date" in error.value.message_dict


def test_delete_asks_then_removes(client, lga, challenge):
    first, _ = add(lga, challenge, ["CP-1", "CP-2"])
    client.force_login(lga.pcm)
    delete = url("case_delete", lga, challenge, case=first.pk)
    assert "Remove case CP-1 from the review?" in client.get(delete).content.decode()
    refused = client.post(delete)  # not through the page: shown the page, nothing removed
    assert refused.status_code == 200
    assert "Remove case CP-1 from the review?" in refused.content.decode()
    assert [c.reference for c in cases_of(challenge)] == ["CP-1", "CP-2"]
    response = client.post(delete, {"confirm": "yes"})
    assert messages_of(response)[-1] == "Case CP-1 removed from the review."
    assert [c.reference for c in cases_of(challenge)] == ["CP-2"]


# Sharing the report ---------------------------------------------------------------------------


def review_everything(lga, challenge):
    cases = add(lga, challenge, ["CP-1001", "CP-1002"])
    cases += add(lga, challenge, ["LAC-77"], source=Source.LOOKED_AFTER)
    with scope(alliance=lga.alliance):
        for case, quality in zip(cases, ["strong", "strong", "weak"], strict=True):
            case_findings_save(
                case=case,
                user=lga.pcm,
                quality=quality,
                strengths=f"Strength of {case.reference}",
                areas_for_development=f"Develop {case.reference}",
            )
    return cases


def test_share_refuses_until_the_cases_are_reviewed_and_key_messages_written(
    client, lga, challenge
):
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="Add the cases before sharing the case review"
        ) as error,
    ):
        case_review_share(challenge=challenge, user=lga.pcm)
    assert error.value.message_dict == {
        "references": ["Add the cases before sharing the case review report."],
        "key_messages": ["Write the key messages before sharing the case review report."],
    }
    add(lga, challenge, ["CP-1", "CP-2"])
    client.force_login(lga.pcm)
    response = client.post(url("case_review", lga, challenge), {"share": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "2 of 2 cases are not reviewed yet" in html
    with scopes_disabled():
        assert not ReportVersion.objects.exists()


def test_the_shared_report_lists_the_findings_and_the_council_downloads_it(
    client, lga, challenge, django_capture_on_commit_callbacks
):
    review_everything(lga, challenge)
    with scope(alliance=lga.alliance):
        case_review_discussion_save(
            challenge=challenge,
            user=lga.pcm,
            discussion_at=datetime.datetime.combine(
                challenge.onsite_start - datetime.timedelta(days=12),
                datetime.time(14, 30),
                tzinfo=datetime.UTC,
            ),
            notes="The DCS recognised the findings.",
            key_messages="Children's voices are heard in most cases.",
        )
    client.force_login(lga.pcm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("case_review", lga, challenge), {"share": "1"})
    assert response.status_code == 302
    assert messages_of(response)[-1].startswith("Version 1 of the case review report")
    with scopes_disabled():
        version = ReportVersion.objects.get()
        assert CaseReview.objects.get(challenge=challenge).shared_at is not None
        assert (version.status, version.report) == ("rendered", "lga_cspc.case_review")
        with version.file.open("rb") as file:
            reader = PdfReader(io.BytesIO(file.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        "Case record review: Derby",
        "Children's voices are heard in most cases.",
        "The DCS recognised the findings.",
        "3 of 3 cases reviewed",
        "Practice is strong 2",
        "Practice needs to improve 1",
        "Child protection 2",
        "Child looked after 1",
        "Case CP-1001 (child protection)",
        "Strength of LAC-77",
        "Develop CP-1002",
        # The cases at a glance before the detail: the rating as a symbol and words.
        "The cases at a glance",
        "Case Overall Key findings",
    ):
        assert expected in text, expected
    assert text.index("The cases at a glance") < text.index("Case CP-1001 (child protection)")
    assert "\N{BLACK CIRCLE} Practice is strong" in text
    download = reverse("reports:report_download", args=[lga.alliance.slug, version.pk])

    # The council sees the key messages and the report, never the case rows.
    client.force_login(lga.derby_organiser)
    response = client.get(url("case_review", lga, challenge))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Children&#x27;s voices are heard in most cases." in html
    assert download in html
    assert "CP-1001" not in html and response.context["cases"] == []
    assert client.get(download).status_code == 200

    # The challenge page's section.
    with scope(alliance=lga.alliance):
        context = case_review_detail_context(challenge=challenge, user=lga.derby_dcs)
    assert context["case_review_counts"] is None
    assert context["case_review_download"] == version
    with scope(alliance=lga.alliance):
        context = case_review_detail_context(challenge=challenge, user=lga.pcm)
    assert context["case_review_counts"] == {"total": 3, "reviewed": 3, "assigned": 0}
    assert context["case_review_due"] == challenge.onsite_start - datetime.timedelta(weeks=2)
    # On the challenge's task list: done, with the day it was shared.
    client.force_login(lga.pcm)
    html = client.get(url("challenge_detail", lga, challenge)).content.decode()
    assert re.search(r"Case record review</a>\s*<div[^>]*>Report shared on ", html)
    assert 'id="task-case-review-status">Completed<' in html


def test_sharing_emails_the_team_the_sponsor_and_the_organiser_on_commit(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    join_team(lga, challenge, lga.peer)
    with scopes_disabled():  # test set-up: the council named its people
        challenge.sponsor = lga.derby_dcs
        challenge.organiser = lga.derby_organiser
        challenge.save()
    review_everything(lga, challenge)
    with scope(alliance=lga.alliance):
        case_review_discussion_save(
            challenge=challenge, user=lga.pcm, discussion_at=None, key_messages="Messages"
        )
        with django_capture_on_commit_callbacks() as callbacks:
            case_review_share(challenge=challenge, user=lga.pcm)
    assert mailoutbox == []  # nothing before the sharing is committed
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [
        ["maya.lga@example.org"],
        ["pete.lga@example.org"],
        ["dora.lga@example.org"],
        ["owen.lga@example.org"],
    ]
    link = f"{settings.SITE_URL}{url('case_review', lga, challenge)}"
    for message in mailoutbox:
        assert message.subject == "The case record review report for Derby is available"
        assert "Maya Manager has shared the case record review report" in message.body
        assert "(version 1)" in message.body
        assert link in message.body
        assert f'href="{link}"' in message.alternatives[0][0]


def test_a_refused_share_emails_nobody(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    add(lga, challenge, ["CP-1"])
    with (
        scope(alliance=lga.alliance),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="1 of 1 cases is not reviewed yet: share the"),
    ):
        case_review_share(challenge=challenge, user=lga.pcm)
    assert mailoutbox == []


def test_who_may_download_the_report(lga, challenge, django_capture_on_commit_callbacks):
    join_team(lga, challenge, lga.peer)
    challenge.principal_adviser = lga.principal_adviser
    challenge.save()
    review_everything(lga, challenge)
    with scope(alliance=lga.alliance):
        case_review_discussion_save(
            challenge=challenge, user=lga.pcm, discussion_at=None, key_messages="Messages"
        )
        with django_capture_on_commit_callbacks(execute=True):
            case_review_share(challenge=challenge, user=lga.pcm)
    with scopes_disabled():
        version = ReportVersion.objects.get()
    people = ("pm", "principal_adviser", "cia", "pcm", "peer", "derby_dcs", "leicester_dcs")
    with scope(alliance=lga.alliance):
        allowed = {name: getattr(lga, name).has_perm(DOWNLOAD_REPORT, version) for name in people}
    assert allowed == {
        "pm": True,
        "principal_adviser": True,
        "cia": False,  # not named on this challenge
        "pcm": True,
        "peer": True,
        "derby_dcs": True,
        "leicester_dcs": False,
    }


# Who may do what ---------------------------------------------------------------------------


def statuses(client, lga, challenge, case, other_case):
    pages = {
        "review": url("case_review", lga, challenge),
        "findings": url("case_findings", lga, challenge, case=case.pk),
        "delete": url("case_delete", lga, challenge, case=case.pk),
        "other": url("case_findings", lga, challenge, case=other_case.pk),
    }
    return {name: client.get(page).status_code for name, page in pages.items()}


@pytest.mark.parametrize(
    ("who", "on_team", "expected"),
    [
        ("pm", None, {"review": 200, "findings": 200, "delete": 200, "other": 404}),
        ("coordinator", None, {"review": 200, "findings": 200, "delete": 200, "other": 404}),
        ("pcm", None, {"review": 200, "findings": 200, "delete": 200, "other": 404}),
        ("peer", "team_leader", {"review": 200, "findings": 200, "delete": 200, "other": 404}),
        ("peer", "senior_manager", {"review": 200, "findings": 200, "delete": 403, "other": 404}),
        ("principal_adviser", None, {"review": 200, "findings": 200, "delete": 403, "other": 404}),
        ("derby_dcs", None, {"review": 200, "findings": 403, "delete": 403, "other": 403}),
        ("derby_organiser", None, {"review": 200, "findings": 403, "delete": 403, "other": 403}),
        ("peer", None, {"review": 404, "findings": 404, "delete": 404, "other": 404}),
        ("leicester_dcs", None, {"review": 404, "findings": 404, "delete": 404, "other": 404}),
        ("cia", None, {"review": 404, "findings": 404, "delete": 404, "other": 404}),
    ],
)
def test_role_matrix(client, lga, challenge, who, on_team, expected):
    challenge.principal_adviser = lga.principal_adviser
    challenge.save()
    person = getattr(lga, who)
    if on_team:
        join_team(lga, challenge, person, role=on_team)
    (case,) = add(lga, challenge, ["CP-1"])
    later = challenge.onsite_start + datetime.timedelta(weeks=17)
    other = ChallengeFactory(offer=lga.offer, onsite_start=later)
    (other_case,) = add(lga, other, ["CP-9"])
    client.force_login(person)
    assert statuses(client, lga, challenge, case, other_case) == expected


@pytest.mark.parametrize(("who", "status"), [("leicester_dcs", 404), ("derby_dcs", 403)])
def test_outsiders_and_the_council_cannot_post(client, lga, challenge, who, status):
    (case,) = add(lga, challenge, ["CP-1"])
    client.force_login(getattr(lga, who))
    page = url("case_review", lga, challenge)
    for data in (
        {"add": "1", "references": "CP-2", "source": "cp"},
        {"assign": "1"},
        {"discussion": "1", "key_messages": "x"},
        {"share": "1"},
    ):
        assert client.post(page, data).status_code == status
    delete = url("case_delete", lga, challenge, case=case.pk)
    assert client.post(delete, {"confirm": "yes"}).status_code == status
    findings = url("case_findings", lga, challenge, case=case.pk)
    assert client.post(findings, {"quality": "weak"}).status_code == status
    assert [(c.reference, c.quality) for c in cases_of(challenge)] == [("CP-1", "")]


def test_a_senior_manager_cannot_manage_the_cases(client, lga, challenge):
    join_team(lga, challenge, lga.peer)
    (case,) = add(lga, challenge, ["CP-1"])
    client.force_login(lga.peer)
    page = url("case_review", lga, challenge)
    response = client.get(page)
    assert "add_form" not in response.context and "CP-1" in response.content.decode()
    assert client.post(page, {"add": "1", "references": "CP-2", "source": "cp"}).status_code == 403
    delete = url("case_delete", lga, challenge, case=case.pk)
    assert client.post(delete, {"confirm": "yes"}).status_code == 403
    assert len(cases_of(challenge)) == 1


# Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 40])
def test_case_review_page_queries_do_not_grow(
    client, lga, challenge, count, django_assert_max_num_queries
):
    join_team(lga, challenge, lga.peer)
    cases = add(lga, challenge, [f"CP-{n:05}" for n in range(count)])
    with scope(alliance=lga.alliance):
        cases_assign(challenge=challenge, assignments={c.pk: lga.peer for c in cases}, user=lga.pcm)
        for case in cases[::2]:
            case_findings_save(case=case, user=lga.peer, quality=Quality.MIXED)
    client.force_login(lga.pcm)
    with django_assert_max_num_queries(15):
        response = client.get(url("case_review", lga, challenge))
    assert response.status_code == 200
    assert len(response.context["cases"]) == count
