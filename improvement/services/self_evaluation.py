"""A council's self-evaluation: written section by section by its organisers and DCS, signed
off and submitted by its DCS (then locked), returned by a planner with comments (then open
again)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from peerchallenge.concurrency import values_check_unchanged
from peerchallenge.models import LocalAuthority, User
from peerchallenge.services.documents import document_upload

from ..models import Cycle, SectionText, SelfEvaluation, TemplateSection


def self_evaluation_start(*, cycle: Cycle, council: LocalAuthority) -> SelfEvaluation:
    """The council's self-evaluation for the cycle, made on its first save (two first saves
    at once make one)."""
    try:
        with transaction.atomic():
            evaluation, _ = SelfEvaluation.objects.get_or_create(
                alliance_id=cycle.alliance_id, cycle=cycle, council=council
            )
    except IntegrityError:
        evaluation = SelfEvaluation.objects.get(cycle=cycle, council=council)
    return evaluation


def _refuse_if_locked(evaluation: SelfEvaluation) -> None:
    if evaluation.is_locked:
        raise ValidationError(
            "The self-evaluation is submitted: it can no longer change unless the alliance "
            "returns it."
        )


@transaction.atomic
def section_save(
    *,
    cycle: Cycle,
    council: LocalAuthority,
    section: TemplateSection,
    text: str,
    saved_by: User,
    base_version: str | None = None,
) -> SectionText:
    """Save what the council wrote in one section. EditConflict (both versions) when someone
    else saved that section since the form was filled; refused once submitted."""
    evaluation = self_evaluation_start(cycle=cycle, council=council)
    # One save of the self-evaluation at a time: its row guards its sections.
    evaluation = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    _refuse_if_locked(evaluation)
    current = SectionText.objects.filter(self_evaluation=evaluation, section=section).first()
    values_check_unchanged(
        current={"text": current.text if current else ""},
        labels={"text": section.title},
        base_version=base_version,
    )
    text = text.strip()
    if current is None:
        return SectionText.objects.create(
            alliance_id=evaluation.alliance_id,
            self_evaluation=evaluation,
            section=section,
            text=text,
            updated_by=saved_by,
        )
    if current.text != text:
        current.text, current.updated_by, current.updated_at = text, saved_by, timezone.now()
        current.save(update_fields=["text", "updated_by", "updated_at"])
    return current


@transaction.atomic
def self_evaluation_submit(
    *,
    evaluation: SelfEvaluation,
    submitted_by: User,
    chief_executive: str = "",
    chief_executive_signed_on: datetime.date | None = None,
    lead_member: str = "",
    lead_member_signed_on: datetime.date | None = None,
) -> SelfEvaluation:
    """The DCS signs it off and submits it (with the chief executive's and lead member's
    sign-off, if recorded): locked from then on. Needs every section written. Submitting
    twice is submitting once."""
    evaluation = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.is_locked:
        return evaluation
    written = set(
        SectionText.objects.filter(self_evaluation=evaluation)
        .exclude(text="")
        .values_list("section_id", flat=True)
    )
    missing = [
        section.title
        for section in TemplateSection.objects.filter(cycle_id=evaluation.cycle_id).order_by(
            "position"
        )
        if section.pk not in written and section.kind != TemplateSection.Kind.DATA
    ]
    if missing:
        raise ValidationError(
            "Write every section before submitting. Not written yet: " + "; ".join(missing) + "."
        )
    errors = {}
    for name, signed_on, field in (
        (chief_executive, chief_executive_signed_on, "chief_executive"),
        (lead_member, lead_member_signed_on, "lead_member"),
    ):
        if signed_on is not None and not name.strip():
            errors[field] = (
                "Enter the name of the person who signed it off, or leave the date empty."
            )
        if signed_on is not None and signed_on > timezone.localdate():
            errors[f"{field}_signed_on"] = "The date of the sign-off must be today or in the past."
    if errors:
        raise ValidationError(errors)
    evaluation.state = SelfEvaluation.State.SUBMITTED
    evaluation.submitted_by, evaluation.submitted_at = submitted_by, timezone.now()
    evaluation.chief_executive = chief_executive.strip()
    evaluation.chief_executive_signed_on = chief_executive_signed_on
    evaluation.lead_member = lead_member.strip()
    evaluation.lead_member_signed_on = lead_member_signed_on
    evaluation.save()
    return evaluation


@transaction.atomic
def self_evaluation_return(
    *,
    evaluation: SelfEvaluation,
    returned_by: User,
    comment: str,
    section_comments: dict[int, str],
) -> SelfEvaluation:
    """A planner returns a submitted self-evaluation with a comment (and one per section if
    they like): open again for the council, the comments shown where they apply. Only a
    submitted one can be returned; returning twice is returning once."""
    evaluation = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state == SelfEvaluation.State.RETURNED:
        return evaluation
    if not evaluation.is_locked:
        raise ValidationError("Only a submitted self-evaluation can be returned.")
    if not comment.strip():
        raise ValidationError({"comment": "Say what the council should change."})
    evaluation.state = SelfEvaluation.State.RETURNED
    evaluation.returned_by, evaluation.returned_at = returned_by, timezone.now()
    evaluation.return_comment = comment.strip()
    evaluation.save(update_fields=["state", "returned_by", "returned_at", "return_comment"])
    texts = {
        text.section_id: text for text in SectionText.objects.filter(self_evaluation=evaluation)
    }
    for section_id, section_comment in section_comments.items():
        text = texts.get(section_id)
        section_comment = section_comment.strip()
        if text is None:
            if not section_comment:
                continue
            text = SectionText(
                alliance_id=evaluation.alliance_id,
                self_evaluation=evaluation,
                section_id=section_id,
            )
        if text.comment != section_comment:
            text.comment = section_comment
            text.save()
    return evaluation


@transaction.atomic
def evidence_attach(
    *, cycle: Cycle, council: LocalAuthority, title: str, upload, uploaded_by: User
):
    """Attach a document to the council's self-evaluation (the core's documents: its type
    sniffed, its size capped, a file with the same title a new version). Refused once the
    self-evaluation is submitted."""
    evaluation = self_evaluation_start(cycle=cycle, council=council)
    evaluation = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    _refuse_if_locked(evaluation)
    return document_upload(
        challenge=evaluation,
        local_authority=council,
        title=title,
        upload=upload,
        uploaded_by=uploaded_by,
    )
