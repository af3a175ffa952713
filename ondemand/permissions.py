"""Who may do what in on-demand peer challenges (regional alliances only).

- The programme manager and coordinators (the planners) see every review, decide on
  requests, assemble teams and support the planning.
- A council's DCS and organiser request reviews of their own council and see only their own
  council's requests and reviews: another council's is "not found". They answer the
  programme manager's questions, agree the activities, build the schedule and respond to
  the recommendations.
- A person invited to a review team sees that review while their place is open (invited or
  accepted) and answers their own invitation; the lead reviewer, once they have accepted,
  records and issues the findings.
"""

from peerchallenge.models import Alliance, Role
from peerchallenge.permissions import (
    PLANNERS,
    alliance_of_kind,
    council_ids_in,
    register_object_rule,
    roles_in,
)
from reports.permissions import DOWNLOAD_REPORT

from .models import Review, Reviewer

RULES = {
    # Only in a regional alliance: see `register`.
    "ondemand.view_reviews": frozenset(),
    "ondemand.request_review": frozenset({Role.DCS, Role.LA_ORGANISER}),
    "ondemand.view_review": PLANNERS,
    "ondemand.decide_request": PLANNERS,
    "ondemand.answer_request": frozenset(),
    "ondemand.manage_team": PLANNERS,
    "ondemand.respond_invitation": frozenset(),
    "ondemand.plan_activities": PLANNERS,
    "ondemand.organise_schedule": PLANNERS,
    "ondemand.record_findings": frozenset(),
    "ondemand.respond_recommendations": frozenset(),
}


def my_council(user, review) -> bool:
    return review.local_authority_id in council_ids_in(user, review.alliance_id)


def on_the_team(user, review) -> bool:
    """Invited or accepted: a person who declined no longer sees the review."""
    return review.team.filter(user=user).exclude(response="declined").exists()


def lead_reviewer(user, review) -> bool:
    return review.team.filter(user=user, role="lead", response="accepted").exists()


def own_place(user, reviewer) -> bool:
    return reviewer.user_id == user.pk


def sees_the_review(user, review) -> bool:
    """Whoever may see a review may download its findings report."""
    return bool(roles_in(user, review.alliance_id) & PLANNERS) or any(
        rule(user, review) for rule in (my_council, on_the_team)
    )


def register() -> None:
    register_object_rule(
        "ondemand.view_reviews", Alliance, alliance_of_kind(Alliance.Kind.REGIONAL)
    )
    for rule in (my_council, on_the_team):
        register_object_rule("ondemand.view_review", Review, rule)
    register_object_rule("ondemand.answer_request", Review, my_council)
    register_object_rule("ondemand.respond_invitation", Reviewer, own_place)
    register_object_rule("ondemand.plan_activities", Review, my_council)
    register_object_rule("ondemand.plan_activities", Review, lead_reviewer)
    register_object_rule("ondemand.organise_schedule", Review, my_council)
    register_object_rule("ondemand.record_findings", Review, lead_reviewer)
    register_object_rule("ondemand.respond_recommendations", Review, my_council)
    register_object_rule(DOWNLOAD_REPORT, Review, sees_the_review)
