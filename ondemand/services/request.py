"""The request: a council asks for a review; the programme manager accepts it, asks for more
information (the council answers and the request goes back to the PM), or declines it with
a reason. The council's people are emailed at each decision, the planners at each request
and answer. Reads used by these pages come first (selectors), then the writes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.emails import email_send
from peerchallenge.models import COUNCIL_ROLES, Alliance, LocalAuthority, User
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.recipients import (
    council_dcs,
    council_people,
    email_addresses,
    everyone_in,
    planners_of,
)

from ..models import RequestNote, Review, Reviewer, Status
from ..permissions import PLANNERS

OPEN_FOR_DECISION = (Status.REQUESTED,)


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


# Reads -----------------------------------------------------------------------------------


def reviews_visible_to(*, user: User, alliance: Alliance) -> QuerySet[Review]:
    """The reviews this person may see in the alliance (all of them for the planners; their
    own council's, and those whose team they are on, for everyone else), newest first."""
    reviews = Review.objects.filter(alliance=alliance)
    if not roles_in(user, alliance.pk) & PLANNERS:
        on_team = Reviewer.objects.filter(review=OuterRef("pk"), user=user).exclude(
            response="declined"
        )
        reviews = reviews.filter(
            Exists(on_team) | Q(local_authority__in=council_ids_in(user, alliance.pk))
        )
    return reviews.select_related("local_authority").order_by("-requested_at", "-pk")


def councils_user_requests_for(*, user: User, alliance: Alliance) -> QuerySet[LocalAuthority]:
    """The councils this person may request a review of: those they are DCS or organiser of."""
    return LocalAuthority.objects.filter(
        memberships__alliance=alliance,
        memberships__user=user,
        memberships__role__in=COUNCIL_ROLES,
    ).distinct()


def council_contacts(*, review: Review) -> list[str]:
    """The email addresses of the host council's active DCS and organisers, each once."""
    people = council_people(alliance=review.alliance_id, council_ids=[review.local_authority_id])
    return email_addresses(everyone_in(people))


def council_dcs_emails(*, review: Review) -> list[str]:
    """The email addresses of the host council's active DCS."""
    dcs = council_dcs(alliance=review.alliance_id, council_ids=[review.local_authority_id])
    return email_addresses(everyone_in(dcs))


def planner_emails(*, alliance_id: int) -> list[str]:
    """The email addresses of the alliance's active programme managers and coordinators."""
    return email_addresses(planners_of(alliance=alliance_id))


def preferred_window(review: Review) -> str:
    """When the council asked to start, in words: "between 14 September 2026 and 28
    September 2026", "on or after 14 September 2026" (no latest day) or "on 14 September
    2026" (one day)."""
    earliest, latest = review.preferred_start, review.preferred_latest
    if latest is None:
        return f"on or after {_day(earliest)}"
    if latest == earliest:
        return f"on {_day(earliest)}"
    return f"between {_day(earliest)} and {_day(latest)}"


def review_path(review: Review, name: str = "review_detail") -> str:
    return reverse(
        f"ondemand:{name}", kwargs={"alliance": review.alliance.slug, "review": review.pk}
    )


def _send_each(*, template: str, emails: list[str], context: dict) -> None:
    """One message per address (recipients do not see each other), queued in the outbox in
    the caller's transaction: what was saved stays saved whatever the mail server does."""
    for email in emails:
        email_send(template=template, to=[email], context=context)


def _plain(review: Review) -> dict:
    # Rendered after commit, perhaps outside the scope: plain values only.
    return {
        "council": review.local_authority.name,
        "service_area": review.service_area,
        "alliance": review.alliance.name,
        "path": review_path(review),
        "days": review.days,
        "first_day": review.first_day,
        "last_day": review.last_day,
        "window": preferred_window(review),
    }


# Writes ----------------------------------------------------------------------------------


def review_request_check(
    *,
    alliance: Alliance,
    user: User,
    local_authority: LocalAuthority | None,
    service_area: str,
    primary_kloe: str,
    why_now: str,
    preferred_start: datetime.date | None,
    days: int | None,
    preferred_latest: datetime.date | None = None,
    today: datetime.date | None = None,
) -> tuple[str, str, str]:
    """What a request must be (ValidationError naming each field at fault; writes nothing),
    and its three texts as they are kept (service area, primary KLOE, why now: trimmed).
    The person must be the DCS or an organiser of that council; the council gives a window
    for the first day, the earliest preferred first day and optionally the latest, neither in
    the past and the latest not before the earliest; a review lasts one or two days."""
    today = today or timezone.localdate()
    service_area, primary_kloe, why_now = (
        (service_area or "").strip(),
        (primary_kloe or "").strip(),
        (why_now or "").strip(),
    )
    errors = {}
    if local_authority is None or not (
        councils_user_requests_for(user=user, alliance=alliance)
        .filter(pk=local_authority.pk)
        .exists()
    ):
        errors["local_authority"] = (
            "Choose your own council: a review is requested by the council's DCS or organiser."
        )
    if not service_area:
        errors["service_area"] = "Enter the service area to review, like Children's commissioning."
    if not primary_kloe:
        errors["primary_kloe"] = "Enter the primary key line of enquiry."
    if not why_now:
        errors["why_now"] = "Say why the council wants this review now."
    if preferred_start is None:
        errors["preferred_start"] = "Enter the earliest preferred first day of the review."
    elif preferred_start < today:
        errors["preferred_start"] = (
            f"The earliest preferred first day must be today or in the future (today is "
            f"{_day(today)})."
        )
    if preferred_latest is not None:
        if preferred_latest < today:
            errors["preferred_latest"] = (
                f"The latest preferred first day must be today or in the future (today is "
                f"{_day(today)})."
            )
        elif preferred_start is not None and preferred_latest < preferred_start:
            errors["preferred_latest"] = (
                "The latest preferred first day must be the same as or after the earliest, "
                f"{_day(preferred_start)}."
            )
    if days not in (1, 2):
        errors["days"] = "Choose one or two days."
    for field, value, what in (
        ("preferred_start", preferred_start, "The earliest preferred first day"),
        ("preferred_latest", preferred_latest, "The latest preferred first day"),
    ):
        if field not in errors and (far := dates.too_far_ahead(value, what=what)):
            errors[field] = far
    if errors:
        raise ValidationError(errors)
    return service_area, primary_kloe, why_now


def review_request(
    *,
    alliance: Alliance,
    user: User,
    local_authority: LocalAuthority | None,
    service_area: str,
    primary_kloe: str,
    why_now: str,
    preferred_start: datetime.date | None,
    days: int | None,
    preferred_latest: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Review:
    """A council's request for a review of one service area, if `review_request_check`
    finds nothing wrong with it. Emails the alliance's planners once it is saved."""
    service_area, primary_kloe, why_now = review_request_check(
        alliance=alliance,
        user=user,
        local_authority=local_authority,
        service_area=service_area,
        primary_kloe=primary_kloe,
        why_now=why_now,
        preferred_start=preferred_start,
        days=days,
        preferred_latest=preferred_latest,
        today=today,
    )
    with transaction.atomic():
        review = Review.objects.create(
            alliance=alliance,
            local_authority=local_authority,
            service_area=service_area,
            primary_kloe=primary_kloe,
            why_now=why_now,
            preferred_start=preferred_start,
            preferred_latest=preferred_latest,
            days=days,
            requested_by=user,
        )
        _send_each(
            template="ondemand_to_planners",
            emails=planner_emails(alliance_id=alliance.pk),
            context={**_plain(review), "event": "requested", "by": str(user)},
        )
    return review


@transaction.atomic
def review_decide(
    *,
    review: Review,
    user: User,
    decision: str,
    note: str = "",
    start_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Review:
    """The programme manager's decision on a request waiting for one: `accept` (on
    `start_date`, by default the earliest preferred first day, not in the past), `ask` (a
    question for the council) or `decline` (with a reason). A first day outside the council's
    window is accepted only with a note saying why, since the council planned around its
    window and is emailed the note. Writes the note and emails the council's DCS and
    organisers."""
    today = today or timezone.localdate()
    Review.objects.select_for_update().filter(pk=review.pk).first()
    review.refresh_from_db(fields=["status"])
    if review.status not in OPEN_FOR_DECISION:
        raise ValidationError(
            {"decision": f"This request is “{review.get_status_display()}”: nothing to decide."}
        )
    note = (note or "").strip()
    errors = {}
    if decision not in ("accept", "ask", "decline"):
        errors["decision"] = "Choose whether to accept, ask for more information or decline."
    elif decision == "ask" and not note:
        errors["note"] = "Enter what the council should tell you."
    elif decision == "decline" and not note:
        errors["note"] = "Enter the reason for declining: the council will read it."
    elif decision == "accept":
        start_date = start_date or review.preferred_start
        if start_date < today:
            errors["start_date"] = (
                f"The first review day must be today or in the future (today is {_day(today)})."
            )
        elif far := dates.too_far_ahead(start_date, what="The first review day"):
            errors["start_date"] = far
        elif not review.in_preferred_window(start_date) and not note:
            errors["note"] = (
                f"The council asked to start {preferred_window(review)}: to accept "
                f"{_day(start_date)} instead, tell the council why in the note."
            )
    if errors:
        raise ValidationError(errors)
    kind = {
        "accept": RequestNote.Kind.ACCEPTED,
        "ask": RequestNote.Kind.QUESTION,
        "decline": RequestNote.Kind.DECLINED,
    }[decision]
    review.status = {
        "accept": Status.PLANNING,
        "ask": Status.MORE_INFORMATION,
        "decline": Status.DECLINED,
    }[decision]
    fields = ["status"]
    if decision == "accept":
        review.start_date = start_date
        fields.append("start_date")
    if decision != "ask":
        review.decided_at = timezone.now()
        fields.append("decided_at")
    review.save(update_fields=fields)
    RequestNote.objects.create(
        alliance_id=review.alliance_id, review=review, kind=kind, text=note, author=user
    )
    _send_each(
        template="ondemand_decision",
        emails=council_contacts(review=review),
        context={**_plain(review), "decision": decision, "note": note, "by": str(user)},
    )
    return review


@transaction.atomic
def review_answer(*, review: Review, user: User, answer: str) -> Review:
    """The council's answer to the programme manager's question: the request goes back to
    the programme manager (requested again), who is emailed."""
    Review.objects.select_for_update().filter(pk=review.pk).first()
    review.refresh_from_db(fields=["status"])
    if review.status != Status.MORE_INFORMATION:
        raise ValidationError({"answer": "The programme manager has not asked for anything."})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Enter your answer."})
    RequestNote.objects.create(
        alliance_id=review.alliance_id,
        review=review,
        kind=RequestNote.Kind.ANSWER,
        text=answer,
        author=user,
    )
    review.status = Status.REQUESTED
    review.save(update_fields=["status"])
    _send_each(
        template="ondemand_to_planners",
        emails=planner_emails(alliance_id=review.alliance_id),
        context={**_plain(review), "event": "answered", "by": str(user)},
    )
    return review
