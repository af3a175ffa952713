"""The on-demand offer's items for the home page's "what needs you now" panel: the planners
decide on requests; the council answers questions, builds the schedule and responds to the
recommendations; an invited person answers their invitation; the lead reviewer issues the
findings. A fixed number of queries, whatever the number of reviews."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from peerchallenge.models import Alliance, Session
from peerchallenge.needs import Need
from peerchallenge.permissions import alliance_ids_of, council_ids_in, roles_in

from .models import (
    Recommendation,
    RecommendationResponse,
    Response,
    Review,
    Reviewer,
    ReviewerRole,
    Status,
)
from .permissions import PLANNERS


def _url(review: Review, name: str = "review_detail", **kwargs) -> str:
    return reverse(
        f"ondemand:{name}",
        kwargs={"alliance": review.alliance.slug, "review": review.pk, **kwargs},
    )


def ondemand_needs(user) -> list[Need]:
    alliances = alliance_ids_of(user)
    if not alliances:
        return []
    today = timezone.localdate()
    planner_of = {a for a in alliances if roles_in(user, a) & PLANNERS}
    wanted = Q(alliance__in=planner_of, status=Status.REQUESTED)
    for alliance_id in alliances:
        ids = council_ids_in(user, alliance_id)
        if ids:
            wanted |= Q(
                alliance=alliance_id,
                local_authority__in=ids,
                status__in=[Status.MORE_INFORMATION, Status.PLANNING, Status.FINDINGS_ISSUED],
            )
    mine = Reviewer.objects.filter(review=OuterRef("pk"), user=user)
    on_a_team = Exists(mine) & Q(status=Status.PLANNING)
    # One query for the reviews and the person's own place on each (regional alliances only:
    # the LGA has its own offer).
    reviews = list(
        Review.objects.filter(alliance__in=alliances, alliance__kind=Alliance.Kind.REGIONAL)
        .filter(wanted | on_a_team)
        .annotate(
            place_pk=Subquery(mine.values("pk")[:1]),
            place_role=Subquery(mine.values("role")[:1]),
            place_response=Subquery(mine.values("response")[:1]),
        )
        .select_related("alliance", "local_authority")
    )
    own = [r for r in reviews if r.local_authority_id in council_ids_in(user, r.alliance_id)]
    issued = [r.pk for r in own if r.status == Status.FINDINGS_ISSUED]
    with_pending = (
        set(
            Recommendation.objects.filter(
                review__in=issued, response=RecommendationResponse.PENDING
            ).values_list("review_id", flat=True)
        )
        if issued
        else set()
    )
    planning = [r.pk for r in own if r.status == Status.PLANNING]
    scheduled = (
        set(
            Session.objects.filter(
                challenge_type=ContentType.objects.get_for_model(Review),
                challenge_id__in=planning,
            ).values_list("challenge_id", flat=True)
        )
        if planning
        else set()
    )
    needs = []
    for review in reviews:
        place = f"{review.service_area} at {review.local_authority.name}"
        short = review.alliance.short_name
        is_own = review in own
        if review.status == Status.REQUESTED and review.alliance_id in planner_of:
            needs.append(
                Need(f"Decide on the request for a review of {place}", _url(review), short, None)
            )
        elif review.status == Status.MORE_INFORMATION and is_own:
            needs.append(
                Need(
                    f"Answer the programme manager's question about the review of {place}",
                    _url(review, "review_answer"),
                    short,
                    None,
                )
            )
        elif review.status == Status.PLANNING and is_own and review.pk not in scheduled:
            needs.append(
                Need(
                    f"Build the schedule of the review of {place}",
                    _url(review, "schedule"),
                    short,
                    review.first_day,
                    review.first_day < today,
                )
            )
        elif review.status == Status.FINDINGS_ISSUED and review.pk in with_pending:
            needs.append(
                Need(
                    f"Respond to the recommendations of the review of {place}",
                    _url(review) + "#recommendations",
                    short,
                    None,
                )
            )
        if review.status != Status.PLANNING or review.place_pk is None:
            continue
        if review.place_response == Response.INVITED:
            needs.append(
                Need(
                    f"Answer your invitation to the review of {place}",
                    _url(review, "reviewer_respond", reviewer=review.place_pk),
                    short,
                    review.first_day,
                )
            )
        elif (
            review.place_role == ReviewerRole.LEAD
            and review.place_response == Response.ACCEPTED
            and review.first_day <= today
        ):
            needs.append(
                Need(
                    f"Record and issue the findings of the review of {place}",
                    _url(review, "findings"),
                    short,
                    review.findings_due,
                    review.findings_due < today,
                )
            )
    return needs
