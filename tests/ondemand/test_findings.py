"""Findings: the lead reviewer records and issues them; the PDF (real WeasyPrint) carries the
findings and recommendations; the DCS is emailed and downloads it; accepted
recommendations become agreed actions on the council's improvement plan."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope
from pypdf import PdfReader

from ondemand.models import RecommendationResponse, Status
from ondemand.services.findings import (
    findings_issue,
    findings_save,
    recommendation_add,
    recommendation_respond,
)
from peerchallenge.models import Action
from peerchallenge.selectors import improvement_plan
from reports.models import ReportVersion
from tests.factories import Tier2GroupFactory, council
from tests.ondemand.factories import on_team, planning_review


@pytest.fixture
def review(world, od):
    review = planning_review(world.em, preferred_start=datetime.date(2026, 3, 2))
    on_team(review, od.lead, role="lead")
    return review


def issue(world, review, od):
    with scope(alliance=world.em):
        findings_save(review=review, key_findings="Leaders know their market well.")
        recommendation_add(review=review, text="Publish a market position statement.")
        recommendation_add(review=review, text="Recruit foster carers for teenagers.")
        return findings_issue(review=review, user=od.lead, today=datetime.date(2026, 3, 3))


def test_issue_renders_the_pdf_and_emails_the_dcs(
    world, od, review, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = issue(world, review, od)
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.RENDERED
    with version.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = re.sub(r"\s+", " ", "".join(page.extract_text() for page in reader.pages))
    assert "Leaders know their market well." in text
    assert "Publish a market position statement." in text
    assert "Recruit foster carers for teenagers." in text
    assert [m.to for m in mailoutbox] == [["dee@example.org"]]
    assert mailoutbox[0].subject == (
        "The findings of the on-demand review of Children's commissioning are ready"
    )
    review.refresh_from_db()
    assert review.status == Status.FINDINGS_ISSUED


@pytest.mark.parametrize(
    ("today", "findings", "recommendation", "messages"),
    [
        (
            datetime.date(2026, 3, 1),
            "x",
            "y",
            ["The findings are issued after the review, from its last day, 3 March 2026."],
        ),
        (
            datetime.date(2026, 3, 3),
            "",
            "",
            [
                "Record the key findings before issuing them.",
                "Add at least one recommendation before issuing the findings.",
            ],
        ),
    ],
)
def test_issue_refused_until_ready(world, od, review, today, findings, recommendation, messages):
    with scope(alliance=world.em):
        findings_save(review=review, key_findings=findings)
        if recommendation:
            recommendation_add(review=review, text=recommendation)
        with pytest.raises(ValidationError, match=re.escape(messages[0])) as error:
            findings_issue(review=review, user=od.lead, today=today)
    assert error.value.message_dict == {"issue": messages}
    review.refresh_from_db()
    assert review.status == Status.PLANNING


def test_findings_locked_after_issue(world, od, review, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, review, od)
    with (
        scope(alliance=world.em),
        pytest.raises(ValidationError, match="The findings have been issued: they can no longer"),
    ):
        findings_save(review=review, key_findings="Changed")


def test_dcs_downloads_and_another_council_cannot(
    client, world, od, review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = issue(world, review, od)
    url = reverse(
        "reports:report_download", kwargs={"alliance": world.em.slug, "report_version": version.pk}
    )
    client.force_login(world.dcs)
    detail = client.get(
        reverse("ondemand:review_detail", kwargs={"alliance": world.em.slug, "review": review.pk})
    )
    assert url in detail.text
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_login(od.leicester_organiser)
    assert client.get(url).status_code == 404


def test_only_the_lead_records_findings(client, world, od, review):
    on_team(review, od.officer)
    url = reverse("ondemand:findings", kwargs={"alliance": world.em.slug, "review": review.pk})
    client.force_login(od.officer)
    assert client.get(url).status_code == 403
    client.force_login(od.lead)
    response = client.post(url, {"findings": "1", "key_findings": "Strong leadership."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.key_findings == "Strong leadership."


def test_accepted_recommendation_becomes_an_agreed_action_on_the_plan(
    world, od, review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, review, od)
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
        first, second = review.recommendations.order_by("position")
        recommendation_respond(
            recommendation=first,
            user=world.dcs,
            accept=True,
            what="Publish the statement.",
            owner="Head of commissioning",
            due_date=datetime.date(2026, 12, 1),
            tier2_group=group,
        )
        recommendation_respond(
            recommendation=second, user=world.dcs, accept=False, note="Done already."
        )
        action = Action.objects.get()
        assert (action.source, action.tier2_group, action.local_authority) == (
            review,
            group,
            council("Derby"),
        )
        assert first.response == RecommendationResponse.ACCEPTED
        assert second.response == RecommendationResponse.NOT_ACCEPTED
        plan = improvement_plan(alliance=world.em, council=council("Derby"))
    assert [(g.label, [a.what for a in g.actions]) for g in plan] == [
        ("Review: Children's commissioning", ["Publish the statement."])
    ]


def test_recommendation_answered_once_and_bad_action_refused(
    world, od, review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, review, od)
    with scope(alliance=world.em):
        first = review.recommendations.order_by("position").first()
        with pytest.raises(ValidationError, match="Enter what the council will do") as error:
            recommendation_respond(
                recommendation=first, user=world.dcs, accept=True, what="", owner="", due_date=None
            )
        assert set(error.value.message_dict) == {"what", "owner", "due_date"}
        recommendation_respond(recommendation=first, user=world.dcs, accept=False, note="No.")
        with pytest.raises(
            ValidationError, match="This recommendation has already been answered"
        ) as error:
            recommendation_respond(recommendation=first, user=world.dcs, accept=False, note="No.")
        assert error.value.message_dict == {
            "accept": ["This recommendation has already been answered."]
        }
