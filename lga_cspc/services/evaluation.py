"""After the challenge: the DCS evaluation interview (about a month after the on-site days)
and the follow-up suggested about two years on; each peer's evaluation questionnaire, sent
once the final report is issued, and the programme manager's aggregated results; the next
steps the CIA agrees with the council, kept as actions on its improvement plan (the shared
action tracking of peerchallenge)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.concurrency import values_check_unchanged
from peerchallenge.dates import day_text
from peerchallenge.emails import email_send
from peerchallenge.models import Action, Alliance, Membership, Role, User
from peerchallenge.recipients import email_addresses
from peerchallenge.services import action_create

from ..models import Challenge, Evaluation, Questionnaire, Stage, TeamMember
from .state import refuse_if_ended
from .team import role_phrase

# The manual: the LGA interviews the DCS "approximately one month after completion of the
# peer challenge"; a follow-up is suggested about two years on.
INTERVIEW_AFTER = datetime.timedelta(days=30)
FOLLOW_UP_AFTER = datetime.timedelta(days=730)

# Questionnaires go out "after the final letter is issued to the council", and carry on once
# the challenge is closed: they are about it, not its work (services.state).
QUESTIONNAIRE_STAGES = (Stage.EVALUATION, Stage.CLOSED)

RATINGS = ("preparation", "organisation", "team_working", "value")
RATING_CHOICES = (
    (1, "1: Poor"),
    (2, "2: Fair"),
    (3, "3: Good"),
    (4, "4: Very good"),
    (5, "5: Excellent"),
)


# The evaluation interview ------------------------------------------------------------------


def interview_due_default(*, challenge: Challenge) -> datetime.date:
    return challenge.onsite_end + INTERVIEW_AFTER


def follow_up_default(*, challenge: Challenge) -> datetime.date:
    return challenge.onsite_end + FOLLOW_UP_AFTER


def evaluation_of(*, challenge: Challenge) -> Evaluation:
    """The challenge's evaluation, or an unsaved one with the default dates."""
    evaluation = (
        Evaluation.objects.filter(challenge=challenge).select_related("interviewer").first()
    )
    return evaluation_with_defaults(challenge=challenge, evaluation=evaluation)


def evaluation_with_defaults(*, challenge: Challenge, evaluation: Evaluation | None) -> Evaluation:
    """`evaluation` (the challenge's, as a caller read it: None for none), or an unsaved one
    with the default dates."""
    if evaluation is None:
        evaluation = Evaluation(
            alliance_id=challenge.alliance_id,
            challenge=challenge,
            interview_due=interview_due_default(challenge=challenge),
            follow_up_suggested=follow_up_default(challenge=challenge),
        )
    evaluation.challenge = challenge
    return evaluation


def evaluators_of(*, alliance: Alliance) -> QuerySet[User]:
    """Who may hold the interview: the LGA's programme manager and coordinators."""
    ids = Membership.objects.filter(
        alliance=alliance, role__in=[Role.PROGRAMME_MANAGER, Role.COORDINATOR]
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


# What an edit conflict on the interview record compares.
EVALUATION_TEXTS = ("notes",)


def _locked_evaluation(challenge: Challenge) -> Evaluation:
    refuse_if_ended(Challenge.objects.select_for_update().get(pk=challenge.pk))
    evaluation = Evaluation.objects.select_for_update().filter(challenge=challenge).first()
    return evaluation or evaluation_of(challenge=challenge)


@transaction.atomic
def evaluation_schedule(
    *,
    challenge: Challenge,
    interview_due: datetime.date | None,
    interview_at: datetime.datetime | None,
    interviewer: User | None,
    follow_up_suggested: datetime.date | None,
    user: User,
) -> Evaluation:
    """Set when the DCS interview is due and (once booked) when it takes place and who holds
    it, and the follow-up suggested. None of these may come before the last on-site day, nor
    more than three years ahead."""
    refuse_if_ended(challenge)
    end = challenge.onsite_end
    errors = {}
    if interview_due is None:
        errors["interview_due"] = "Enter the date the interview is due by."
    elif interview_due <= end:
        errors["interview_due"] = (
            f"The interview is due after the last on-site day, {day_text(end)}."
        )
    if interview_at is not None and timezone.localtime(interview_at).date() <= end:
        errors["interview_date"] = (
            f"The interview takes place after the last on-site day, {day_text(end)}."
        )
    if follow_up_suggested is None:
        errors["follow_up_suggested"] = "Enter the date suggested for the follow-up."
    elif follow_up_suggested <= end:
        errors["follow_up_suggested"] = (
            f"The follow-up comes after the last on-site day, {day_text(end)}."
        )
    for field, value, what in (
        ("interview_due", interview_due, "The date the interview is due by"),
        ("interview_date", interview_at, "The interview"),
        ("follow_up_suggested", follow_up_suggested, "The follow-up"),
    ):
        if field not in errors and (far := dates.too_far_ahead(value, what=what)):
            errors[field] = far
    if (
        interviewer is not None
        and not evaluators_of(alliance=challenge.alliance).filter(pk=interviewer.pk).exists()
    ):
        errors["interviewer"] = "Choose the LGA's programme manager or a coordinator."
    if errors:
        raise ValidationError(errors)
    evaluation = _locked_evaluation(challenge)
    evaluation.interview_due = interview_due
    evaluation.interview_at = interview_at
    evaluation.interviewer = interviewer
    evaluation.follow_up_suggested = follow_up_suggested
    evaluation._history_user = user
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_record(
    *,
    challenge: Challenge,
    notes: str,
    interview_at: datetime.datetime | None,
    user: User,
    base_version: str | None = None,
) -> Evaluation:
    """Record what the DCS said at the interview (which must have taken place: its date, if
    not given, is the one scheduled). Recording again corrects the notes. Raises
    EditConflict if another planner recorded them since `base_version`
    (peerchallenge.concurrency)."""
    evaluation = _locked_evaluation(challenge)
    values_check_unchanged(
        current={name: getattr(evaluation, name) for name in EVALUATION_TEXTS},
        labels={"notes": "What the DCS said"},
        base_version=base_version,
    )
    interview_at = interview_at or evaluation.interview_at
    notes = (notes or "").strip()
    errors = {}
    if not notes:
        errors["notes"] = "Enter what the DCS said."
    if interview_at is None:
        errors["interview_date"] = "Enter the date of the interview."
    elif interview_at > timezone.now():
        errors["interview_date"] = "An interview can only be recorded once it has taken place."
    elif timezone.localtime(interview_at).date() <= challenge.onsite_end:
        errors["interview_date"] = (
            "The interview takes place after the last on-site day, "
            f"{day_text(challenge.onsite_end)}."
        )
    if errors:
        raise ValidationError(errors)
    evaluation.interview_at = interview_at
    evaluation.notes = notes
    if evaluation.interviewer_id is None:
        evaluation.interviewer = user
    evaluation.recorded_at = timezone.now()
    evaluation._history_user = user
    evaluation.save()
    return evaluation


# Questionnaires ----------------------------------------------------------------------------


def questionnaire_path(*, challenge: Challenge, member: TeamMember) -> str:
    return reverse(
        "lga_cspc:questionnaire",
        kwargs={
            "alliance": challenge.alliance.slug,
            "challenge": challenge.pk,
            "member": member.pk,
        },
    )


@transaction.atomic
def questionnaires_send(*, challenge: Challenge, user: User) -> list[Questionnaire]:
    """Once the final report is issued, create a questionnaire for every member of the team
    who has not been sent one, and email each a link to it (after the commit). Sending
    again reaches only those added since. Returns the questionnaires created."""
    if challenge.stage not in QUESTIONNAIRE_STAGES:
        raise ValidationError(
            {"stage": "The questionnaires go to the team once the final report is issued."}
        )
    Challenge.objects.select_for_update().filter(pk=challenge.pk).first()
    members = list(
        TeamMember.objects.filter(challenge=challenge, questionnaire__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    created = []
    for member in members:
        questionnaire = Questionnaire.objects.create(
            alliance_id=challenge.alliance_id, member=member
        )
        created.append(questionnaire)
        context = {
            "name": member.user.full_name or member.user.email,
            "role": role_phrase(member.role),
            "offer": challenge.offer.name,
            "council": challenge.local_authority.name,
            "alliance": challenge.alliance.name,
            "sent_by": str(user),
            "questionnaire_url": settings.SITE_URL
            + questionnaire_path(challenge=challenge, member=member),
        }
        for address in email_addresses([member.user]):  # none for a closed account
            email_send(template="cspc_questionnaire", to=[address], context=context)
    return created


@transaction.atomic
def questionnaire_answer(
    *,
    questionnaire: Questionnaire,
    preparation: int | None,
    organisation: int | None,
    team_working: int | None,
    value: int | None,
    comments: str = "",
) -> Questionnaire:
    """The peer's answers: every rating from 1 to 5, comments optional. Answered once."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.submitted_at is not None:
        raise ValidationError(
            {"questionnaire": "You have already answered this questionnaire: thank you."}
        )
    answers = {
        "preparation": preparation,
        "organisation": organisation,
        "team_working": team_working,
        "value": value,
    }
    errors = {}
    for name, rating in answers.items():
        label = Questionnaire._meta.get_field(name).verbose_name
        if rating is None or rating == "":
            errors[name] = f"Choose a rating for {label}."
            continue
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            errors[name] = f"Choose a rating from 1 to 5 for {label}."
        answers[name] = rating
    if errors:
        raise ValidationError(errors)
    for name, rating in answers.items():
        setattr(locked, name, rating)
    locked.comments = (comments or "").strip()
    locked.submitted_at = timezone.now()
    locked.save()
    return locked


def _rating_aggregates(prefix: str) -> dict:
    submitted = Q(**{f"{prefix}submitted_at__isnull": False})
    aggregates = {
        "sent": Count(f"{prefix}pk"),
        "responses": Count(f"{prefix}pk", filter=submitted),
    }
    for name in RATINGS:
        aggregates[f"avg_{name}"] = Avg(f"{prefix}{name}", filter=submitted)
    return aggregates


def evaluation_summary(*, alliance: Alliance) -> tuple[list[Challenge], dict]:
    """Per challenge that sent questionnaires: how many were sent and answered and the
    average of each rating over the answers; then the same across every challenge. Two
    queries, whatever the number of challenges."""
    rows = list(
        Challenge.objects.filter(alliance=alliance)
        .annotate(**_rating_aggregates("team__questionnaire__"))
        .filter(sent__gt=0)
        .select_related("offer", "local_authority")
        .order_by("-onsite_start", "pk")
    )
    overall = Questionnaire.objects.filter(alliance=alliance).aggregate(**_rating_aggregates(""))
    return rows, overall


# Next steps --------------------------------------------------------------------------------


def next_step_record(
    *, challenge: Challenge, what: str, owner: str, due_date: datetime.date | None, user: User
) -> Action:
    """A next step agreed with the council: an action on its improvement plan, arising from
    this challenge, due no earlier than today (the day it is recorded)."""
    refuse_if_ended(challenge)
    return action_create(
        source=challenge,
        local_authority=challenge.local_authority,
        what=what,
        owner=owner,
        due_date=due_date,
        tier2_group=None,
        created_by=user,
        not_before=timezone.localdate(),
    )
