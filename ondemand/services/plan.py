"""The plan: the activities the team and the host agree (case sampling with a number of
cases, focused discussions with whom, site visits), the host council's arrangements (case
record access, key people) and the schedule by day and time, on the shared timetable
(peerchallenge.services.timetable refuses room and reviewer clashes)."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerchallenge.concurrency import record_lock_unchanged
from peerchallenge.models import Session, User
from peerchallenge.permissions import council_ids_in
from peerchallenge.services.timetable import session_save

from ..models import Activity, ActivityKind, Review, Status
from .team import team_people

MAX_CASES = 200
# The arrangements are read on the printed schedule: a few paragraphs each at most.
ARRANGEMENTS_MAX = 2000
ARRANGEMENTS_FIELDS = ("case_record_access", "key_people")


def _long(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _planning(review: Review, field: str) -> None:
    if review.status != Status.PLANNING:
        raise ValidationError({field: "The review is no longer being planned."})


def review_activities(*, review: Review) -> list[Activity]:
    return list(Activity.objects.filter(review=review).order_by("kind", "pk"))


def _clear_agreement(review: Review) -> None:
    review.activities_agreed_by_host_at = None
    review.activities_agreed_by_team_at = None
    review.save(update_fields=["activities_agreed_by_host_at", "activities_agreed_by_team_at"])


@transaction.atomic
def activity_add(
    *,
    review: Review,
    user: User,
    kind: str,
    description: str,
    number_of_cases: int | None = None,
    with_whom: str = "",
) -> Activity:
    """Add an activity to the plan. Case sampling needs the number of cases, a focused
    discussion whom it is with. Any change clears both sides' agreement."""
    _planning(review, "description")
    description, with_whom = (description or "").strip(), (with_whom or "").strip()
    errors = {}
    if kind not in ActivityKind.values:
        errors["kind"] = "Choose the kind of activity."
    if not description:
        errors["description"] = "Describe the activity and how it serves the line of enquiry."
    if kind == ActivityKind.CASE_SAMPLING and not number_of_cases:
        errors["number_of_cases"] = "Enter the number of cases to sample, like 12."
    elif number_of_cases is not None and not 1 <= number_of_cases <= MAX_CASES:
        errors["number_of_cases"] = f"Enter a number of cases from 1 to {MAX_CASES}."
    if kind == ActivityKind.DISCUSSION and not with_whom:
        errors["with_whom"] = "Enter whom the discussion is with, like Team managers."
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        alliance_id=review.alliance_id,
        review=review,
        kind=kind,
        description=description,
        number_of_cases=number_of_cases if kind == ActivityKind.CASE_SAMPLING else None,
        with_whom=with_whom,
        added_by=user,
    )
    _clear_agreement(review)
    return activity


@transaction.atomic
def activity_remove(*, activity: Activity) -> None:
    review = activity.review
    _planning(review, "activity")
    activity.delete()
    _clear_agreement(review)


def activities_agree(*, review: Review, user: User) -> Review:
    """Record the agreement of the person's side: the host council's people agree for the
    host, the lead reviewer and the planners for the team. An empty plan cannot be agreed."""
    _planning(review, "agree")
    if not Activity.objects.filter(review=review).exists():
        raise ValidationError({"agree": "Add at least one activity before agreeing the plan."})
    if review.local_authority_id in council_ids_in(user, review.alliance_id):
        review.activities_agreed_by_host_at = timezone.now()
        review.save(update_fields=["activities_agreed_by_host_at"])
    else:
        review.activities_agreed_by_team_at = timezone.now()
        review.save(update_fields=["activities_agreed_by_team_at"])
    return review


@transaction.atomic
def arrangements_save(
    *, review: Review, case_record_access: str, key_people: str, base_version: str | None = None
) -> Review:
    """The host council's arrangements: how reviewers reach case records, the key people
    (each at most ARRANGEMENTS_MAX characters). Sends nothing. Raises EditConflict if
    someone (the council, a planner) saved them since `base_version`
    (peerchallenge.concurrency)."""
    _planning(review, "case_record_access")
    case_record_access, key_people = (case_record_access or "").strip(), (key_people or "").strip()
    errors = {
        field: f"{label} must be {ARRANGEMENTS_MAX:,} characters or fewer."
        for field, label, value in (
            ("case_record_access", "Access to case records", case_record_access),
            ("key_people", "Key people", key_people),
        )
        if len(value) > ARRANGEMENTS_MAX
    }
    if errors:
        raise ValidationError(errors)
    record_lock_unchanged(record=review, fields=ARRANGEMENTS_FIELDS, base_version=base_version)
    review.case_record_access = case_record_access
    review.key_people = key_people
    review.save(update_fields=["case_record_access", "key_people"])
    return review


# The schedule's rules on top of the shared ones ------------------------------------------


def on_review_days(review: Review, data: Mapping) -> dict[str, str]:
    start, end = timezone.localtime(data["starts_at"]), timezone.localtime(data["ends_at"])
    if start.date() not in review.review_days or end.date() != start.date():
        days = " and ".join(_long(day) for day in review.review_days)
        return {"day": f"Sessions are on the review days ({days}) and end the day they start."}
    return {}


def reviewers_from_the_team(review: Review, data: Mapping) -> dict[str, str]:
    team = set(team_people(review=review).values_list("pk", flat=True))
    strangers = [person for person in data["peers"] if person.pk not in team]
    if strangers:
        names = ", ".join(str(person) for person in strangers)
        return {"peers": f"Only the review team can be put in a session: {names} is not on it."}
    return {}


ONDEMAND_RULES = (on_review_days, reviewers_from_the_team)


def schedule_session_save(
    *,
    review: Review,
    session: Session | None = None,
    kind: str,
    title: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    room: str = "",
    attendees: str = "",
    peers: Iterable[User] = (),
    user: User,
    base_version: str | None = None,
) -> Session:
    """Add (or change) a session of the review's schedule. The shared timetable refuses a
    room booked twice and a reviewer in two places at once; this offer adds the review days
    and the team. Sends nothing."""
    if review.status != Status.PLANNING:
        raise ValidationError({"title": "The review is no longer being planned."})
    return session_save(
        challenge=review,
        session=session,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        attendees=attendees,
        peers=peers,
        user=user,
        base_version=base_version,
        rules=ONDEMAND_RULES,
    )
