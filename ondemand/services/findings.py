"""Findings: the lead reviewer records the key findings and recommendations against the
primary line of enquiry and issues the findings report (a PDF of the report registry,
emailed to the host's DCS when rendered); the host council then accepts each
recommendation as an agreed action on its improvement plan, or says why not."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.concurrency import record_lock_unchanged
from peerchallenge.models import Tier2Group, User
from peerchallenge.services.actions import action_create
from peerchallenge.text_limits import LONG, refuse_long_text
from reports.services import report_request

from ..models import Recommendation, RecommendationResponse, Review, Status

FINDINGS_REPORT = "ondemand.findings"
FINDINGS_FIELDS = ("key_findings",)


def _planning(review: Review, field: str) -> None:
    if review.status != Status.PLANNING:
        raise ValidationError(
            {field: "The findings have been issued: they can no longer be changed."}
        )


@transaction.atomic
def findings_save(*, review: Review, key_findings: str, base_version: str | None = None) -> Review:
    """The lead reviewer's key findings (paragraphs separated by blank lines). Raises
    EditConflict if they were saved since `base_version` (another tab, a new lead reviewer:
    peerchallenge.concurrency)."""
    refuse_long_text(key_findings=("Key findings", key_findings, LONG))
    _planning(review, "key_findings")
    record_lock_unchanged(record=review, fields=FINDINGS_FIELDS, base_version=base_version)
    review.key_findings = (key_findings or "").strip()
    review.save(update_fields=["key_findings"])
    return review


@transaction.atomic
def recommendation_add(*, review: Review, text: str) -> Recommendation:
    refuse_long_text(text=("Recommendation", text, LONG))
    _planning(review, "text")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the recommendation."})
    last = Recommendation.objects.filter(review=review).aggregate(last=Max("position"))["last"]
    return Recommendation.objects.create(
        alliance_id=review.alliance_id, review=review, text=text, position=(last or 0) + 1
    )


def recommendation_remove(*, recommendation: Recommendation) -> None:
    _planning(recommendation.review, "text")
    recommendation.delete()


@transaction.atomic
def findings_issue(*, review: Review, user: User, today: datetime.date | None = None):
    """Issue the findings: from the last review day on, with key findings and at least one
    recommendation. Marks the review issued and requests the findings report, which is
    emailed to the host's DCS once rendered. Returns the report version."""
    today = today or timezone.localdate()
    Review.objects.select_for_update().filter(pk=review.pk).first()
    review.refresh_from_db(fields=["status"])
    _planning(review, "issue")
    errors = []
    if today < review.last_day:
        errors.append(
            f"The findings are issued after the review, from its last day, "
            f"{dates.day_text(review.last_day)}."
        )
    if not review.key_findings.strip():
        errors.append("Record the key findings before issuing them.")
    if not Recommendation.objects.filter(review=review).exists():
        errors.append("Add at least one recommendation before issuing the findings.")
    if errors:
        raise ValidationError({"issue": errors})
    review.status = Status.FINDINGS_ISSUED
    review.findings_issued_at = timezone.now()
    review.save(update_fields=["status", "findings_issued_at"])
    return report_request(identifier=FINDINGS_REPORT, subject=review, requested_by=user)


@transaction.atomic
def recommendation_respond(
    *,
    recommendation: Recommendation,
    user: User,
    accept: bool | None,
    what: str = "",
    owner: str = "",
    due_date: datetime.date | None = None,
    tier2_group: Tier2Group | None = None,
    note: str = "",
) -> Recommendation:
    """The host council's response to a recommendation of issued findings: accepted, it
    becomes an agreed action (source: the review; optionally monitored by a Tier 2 group)
    on the council's improvement plan; not accepted, the reason is kept."""
    review = recommendation.review
    if review.status != Status.FINDINGS_ISSUED:
        raise ValidationError({"accept": "The findings have not been issued yet."})
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if locked.response != RecommendationResponse.PENDING:
        raise ValidationError({"accept": "This recommendation has already been answered."})
    if accept is None:
        raise ValidationError({"accept": "Choose whether the council accepts it."})
    if accept:
        action = action_create(
            source=review,
            local_authority=review.local_authority,
            what=what,
            owner=owner,
            due_date=due_date,
            tier2_group=tier2_group,
            created_by=user,
            not_before=timezone.localdate(review.findings_issued_at),
        )
        recommendation.action = action
        recommendation.response = RecommendationResponse.ACCEPTED
        recommendation.response_note = ""
    else:
        note = (note or "").strip()
        if not note:
            raise ValidationError({"note": "Say why the council does not accept it."})
        recommendation.response = RecommendationResponse.NOT_ACCEPTED
        recommendation.response_note = note
    recommendation.responded_at = timezone.now()
    recommendation.save(update_fields=["action", "response", "response_note", "responded_at"])
    return recommendation
