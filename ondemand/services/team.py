"""The review team: the programme manager invites a lead reviewer, project support, officers
from other councils and independent experts (people of the alliance); each accepts or
declines in the app. Nobody who works for the host council, and nobody twice."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from peerchallenge.emails import email_send
from peerchallenge.models import LocalAuthority, Membership, Role, User
from peerchallenge.services.timetable import sessions_of

from ..models import Response, Review, Reviewer, ReviewerRole, Status

# Who can be invited: consultants and independent reviewers, peer reviewers (officers of
# the alliance's councils) and the alliance's project support (coordinators).
TEAM_ROLES = (Role.CONSULTANT, Role.PEER_REVIEWER, Role.COORDINATOR)


def role_phrase(role: str) -> str:
    label = ReviewerRole(role).label
    return label[0].lower() + label[1:]


# The one rule of the review's state for its team and its schedule: both change only while
# the review is being planned (accepted, findings not issued yet). The shared timetable asks
# it through the hook registered in apps.py.
NOT_PLANNED = "The review is no longer being planned."


def review_planning_refusal(review: Review) -> str:
    """Why the review's team and schedule may not change now ("" while it is planned)."""
    return "" if review.status == Status.PLANNING else NOT_PLANNED


# Reads -----------------------------------------------------------------------------------


def candidates_for(*, review: Review) -> QuerySet[User]:
    """The alliance's people who may be invited, each with `home_council` (the council on a
    membership of theirs, if any). The host council's people are listed too, so that choosing
    one gets a clear refusal rather than a silent gap."""
    home = Membership.objects.filter(
        alliance_id=review.alliance_id, user=OuterRef("pk"), local_authority__isnull=False
    ).order_by("role", "local_authority__name")
    return (
        User.objects.filter(
            memberships__alliance_id=review.alliance_id,
            memberships__role__in=TEAM_ROLES,
            is_active=True,
        )
        .annotate(home_council=Subquery(home.values("local_authority__name")[:1]))
        .distinct()
        .order_by("full_name", "email")
    )


def review_team(*, review: Review) -> list[Reviewer]:
    """The team in role order, then by name; one query."""
    order = {role.value: index for index, role in enumerate(ReviewerRole)}
    members = list(Reviewer.objects.filter(review=review).select_related("user", "home_council"))
    return sorted(members, key=lambda m: (order[m.role], m.user.full_name.lower()))


def team_people(*, review: Review) -> QuerySet[User]:
    """The people who may be put in the schedule: everyone on the team who has not declined."""
    return User.objects.filter(
        pk__in=Reviewer.objects.filter(review=review)
        .exclude(response=Response.DECLINED)
        .values("user_id")
    ).order_by("full_name", "pk")


# Writes ----------------------------------------------------------------------------------


def _home_council(*, review: Review, person: User) -> LocalAuthority | None:
    membership = (
        Membership.objects.filter(
            alliance_id=review.alliance_id, user=person, local_authority__isnull=False
        )
        .select_related("local_authority")
        .order_by("role", "local_authority__name")
        .first()
    )
    return membership.local_authority if membership else None


@transaction.atomic
def reviewer_invite(
    *, review: Review, person: User | None, role: str, invited_by: User
) -> Reviewer:
    """Invite `person` onto the review team in `role`, once the request is accepted. Refuses
    anyone who is not one of the alliance's reviewers, anyone who works for the host
    council, a person already invited, a second lead reviewer, and as an officer from
    another council anyone with no council in the alliance (the host's people being refused
    already, their council is another one). Emails the invitation after the commit."""
    # One invitation at a time per review, so that two planners cannot both fill the lead.
    Review.objects.select_for_update().filter(pk=review.pk).first()
    host = review.local_authority
    errors: dict[str, str] = {}
    if review_planning_refusal(review):
        raise ValidationError(
            {
                "person": "The team is assembled once the request is accepted and until findings "
                "are issued."
            }
        )
    if role not in ReviewerRole.values:
        errors["role"] = "Choose the role on the team."
    if person is None or not candidates_for(review=review).filter(pk=person.pk).exists():
        errors["person"] = "Choose a reviewer, officer or project support of the alliance."
    elif Membership.objects.filter(
        alliance_id=review.alliance_id, user=person, local_authority=host
    ).exists():
        errors["person"] = (
            f"{person} works for {host.name}, the council being reviewed: choose someone from "
            "another council or an independent reviewer."
        )
    elif Reviewer.objects.filter(review=review, user=person).exists():
        errors["person"] = f"{person} has already been invited to this review."
    elif role == ReviewerRole.OFFICER and _home_council(review=review, person=person) is None:
        errors["role"] = (
            f"{person} is not recorded as working for one of the alliance's councils: an "
            f"officer from another council works for a council other than {host.name}. "
            "Choose another role, or ask the alliance admin to record their council."
        )
    if (
        role == ReviewerRole.LEAD
        and Reviewer.objects.filter(review=review, role=ReviewerRole.LEAD)
        .exclude(response=Response.DECLINED)
        .exists()
    ):
        errors["role"] = "The team already has a lead reviewer: remove them first."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            reviewer = Reviewer.objects.create(
                alliance_id=review.alliance_id,
                review=review,
                user=person,
                role=role,
                home_council=_home_council(review=review, person=person),
                invited_by=invited_by,
            )
    except IntegrityError as error:  # the same person (or a lead) invited at the same moment
        raise ValidationError({"person": f"{person} has already been invited."}) from error
    path = reverse(
        "ondemand:reviewer_respond",
        kwargs={"alliance": review.alliance.slug, "review": review.pk, "reviewer": reviewer.pk},
    )
    context = {
        "name": person.full_name or person.email,
        "role": role_phrase(role),
        "council": host.name,
        "service_area": review.service_area,
        "primary_kloe": review.primary_kloe,
        "first_day": review.first_day,
        "last_day": review.last_day,
        "days": review.days,
        "invited_by": str(invited_by),
        "alliance": review.alliance.name,
        "url": settings.SITE_URL + path,
    }
    email_send(template="ondemand_invitation", to=[person.email], context=context)
    return reviewer


def reviewer_respond(*, reviewer: Reviewer, accept: bool | None, reason: str = "") -> Reviewer:
    """The invited person's own answer: accept, or decline (with an optional reason). An
    answer may be changed while the review is being planned."""
    if accept is None:
        raise ValidationError({"accept": "Choose whether you will take part."})
    if refusal := review_planning_refusal(reviewer.review):
        raise ValidationError({"accept": refusal})
    reviewer.response = Response.ACCEPTED if accept else Response.DECLINED
    reviewer.decline_reason = "" if accept else (reason or "").strip()[:300]
    reviewer.responded_at = timezone.now()
    try:
        with transaction.atomic():
            reviewer.save(update_fields=["response", "decline_reason", "responded_at"])
    except IntegrityError as error:  # accepting a lead place another lead has taken
        raise ValidationError(
            {"accept": "Another lead reviewer has been invited meanwhile."}
        ) from error
    return reviewer


def reviewer_remove(*, reviewer: Reviewer) -> None:
    """Take a person off the team (and out of the schedule's sessions), while the review is
    being planned (ValidationError afterwards: the team that did the review stays on it)."""
    with transaction.atomic():
        # The review as it is now, locked: findings issued meanwhile count.
        review = Review.objects.select_for_update().get(pk=reviewer.review_id)
        if refusal := review_planning_refusal(review):
            raise ValidationError({"person": refusal})
        for session in sessions_of(challenge=reviewer.review).filter(peers=reviewer.user):
            session.peers.remove(reviewer.user)
        reviewer.delete()
