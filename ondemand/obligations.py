"""What the on-demand offer asks of whom, and by when (peerchallenge.offers.obligations): the
home page's "What needs you now" and the reminders both come from here.

- Planners (programme managers, coordinators): decide each request.
- The host council (its organisers and DCS): answer the programme manager's question; build
  the review's schedule before its first day; answer every recommendation of the findings,
  due RESPONSES_DUE_AFTER after they were issued (the overview says the same:
  `responses_due`).
- A person invited to a review team: answer within ANSWER_WITHIN of the invitation
  (reminded before the week is up).
- The lead reviewer, once they have accepted and the review has begun: record and issue the
  findings, due FINDINGS_DUE_AFTER after the last review day (reminded before then).

Everything here is about a review still in progress: requested, asked for more, planned, or
with its findings issued and recommendations unanswered (the reviews the alliance overview
lists, with what is late in the words of LATE). The findings are due once the review has
begun, whoever writes them: with no lead reviewer who accepted, that obligation names
nobody (the overview still says they are late). Regional alliances only (the LGA
has its own offer). A fixed number of queries, whatever the number of reviews or people."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from peerchallenge.models import Alliance, Session
from peerchallenge.offers.obligations import Obligation
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.recipients import council_people_by_alliance, planners_by_alliance
from peerchallenge.reminders import KINDS, reminder_is_due

from .models import (
    FINDINGS_DUE_AFTER,
    Recommendation,
    RecommendationResponse,
    Response,
    Review,
    Reviewer,
    ReviewerRole,
    Status,
)
from .permissions import PLANNERS

# An invitation should be answered within this many days of being sent.
ANSWER_WITHIN = datetime.timedelta(days=7)
# The host council is expected to answer every recommendation this long after the findings.
RESPONSES_DUE_AFTER = datetime.timedelta(weeks=4)
REGIONAL = (Alliance.Kind.REGIONAL,)

INVITATION = "ondemand_invitation"
FINDINGS_DUE = "ondemand_findings_due"

REMINDER_KINDS = [
    {
        "key": INVITATION,
        "label": "Review team invitation not answered",
        "default_days": 2,
        "description": "Reminds a person invited to an on-demand review team who has not "
        "accepted or declined, before the week to answer is up.",
        "alliance_kinds": REGIONAL,
    },
    {
        "key": FINDINGS_DUE,
        "label": "On-demand findings report due",
        "default_days": 5,
        "description": "Reminds the lead reviewer of an on-demand review whose findings are not "
        "issued yet, before they are due (two weeks after the review).",
        "alliance_kinds": REGIONAL,
    },
]


def _recommendations_late(group) -> str:
    pending = group.late[0].subject.pending
    noun = "recommendation" if pending == 1 else "recommendations"
    return f"{pending} {noun} not answered, due {_when(group.due)}"


# The overview's "late" sentence of each kind (peerchallenge.overview.late_by_challenge).
LATE = {
    "ondemand.build_schedule": "the schedule has no sessions",
    "ondemand.issue_findings": "the findings were due on {due}",
    "ondemand.respond_recommendations": _recommendations_late,
}


def answer_due(reviewer: Reviewer) -> datetime.date:
    """When the person invited should have answered."""
    return timezone.localdate(reviewer.invited_at) + ANSWER_WITHIN


def responses_due(review: Review) -> datetime.date:
    """When the host council should have answered every recommendation."""
    return timezone.localdate(review.findings_issued_at) + RESPONSES_DUE_AFTER


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _url(review: Review, name: str = "review_detail", **kwargs) -> str:
    return reverse(
        f"ondemand:{name}",
        kwargs={"alliance": review.alliance.slug, "review": review.pk, **kwargs},
    )


def _place(review: Review) -> str:
    return f"{review.service_area} at {review.local_authority.name}"


# --- who: small lookups (active people only) ---------------------------------------------


def _planners(*, alliances) -> dict[int, tuple]:
    return planners_by_alliance(alliances=alliances)


def _council_people(*, reviews) -> dict[tuple[int, int], tuple]:
    """The organisers and DCS of each (alliance id, council id) of the reviews."""
    return council_people_by_alliance(
        pairs={(review.alliance_id, review.local_authority_id) for review in reviews}
    )


# --- what ---------------------------------------------------------------------------------


def obligations(
    *, alliances, today, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    if reminder_days is not None:  # only the team's: the others send no reminder
        if not reminder_days.keys() & {INVITATION, FINDINGS_DUE}:
            return []
        return [
            obligation
            for obligation in _team_obligations(
                alliances=alliances, today=today, reminder_days=reminder_days
            )
            if _reminded_today(obligation, today=today, reminder_days=reminder_days)
        ]
    if user is not None:
        return _obligations_of(user, alliances=alliances, today=today)
    reviews = list(_reviews(alliances=alliances, wanted=Q(status=Status.REQUESTED) | _hosts_act()))
    requested = {r.alliance_id for r in reviews if r.status == Status.REQUESTED}
    planners = _planners(alliances=requested) if requested and people else {}
    hosts = (
        _council_people(reviews=[r for r in reviews if r.status != Status.REQUESTED])
        if people
        else {}
    )
    found = [
        _review_obligation(
            review,
            actors=planners.get(review.alliance_id, ())
            if review.status == Status.REQUESTED
            else hosts.get((review.alliance_id, review.local_authority_id), ()),
        )
        for review in reviews
    ]
    # The team's obligations are on reviews being planned: none, no query.
    team = (
        _team_obligations(alliances=alliances, today=today, reminder_days=None, people=people)
        if any(review.status == Status.PLANNING for review in reviews)
        else []
    )
    with_lead = {o.subject.pk for o in team if o.kind == "ondemand.issue_findings"}
    found += [
        _findings_obligation(review, actors=())
        for review in reviews
        if review.status == Status.PLANNING
        and review.first_day <= today
        and review.pk not in with_lead
    ]
    return found + team


def _reminded_today(obligation: Obligation, *, today, reminder_days) -> bool:
    return not obligation.done and any(
        kind in reminder_days
        and reminder_is_due(
            kind=KINDS[kind], due_date=obligation.due, days=reminder_days[kind], today=today
        )
        for kind in obligation.reminders
    )


def _hosts_act() -> Q:
    """The reviews on which the host council must act: a question to answer, a schedule to
    build, recommendations to answer."""
    pending = Recommendation.objects.filter(
        review=OuterRef("pk"), response=RecommendationResponse.PENDING
    )
    return Q(status__in=[Status.MORE_INFORMATION, Status.PLANNING]) | Q(
        Exists(pending), status=Status.FINDINGS_ISSUED
    )


# The places that ask something of the person in them.
_TEAM_ACTS = Q(response=Response.INVITED) | Q(role=ReviewerRole.LEAD, response=Response.ACCEPTED)


def _reviews(*, alliances, wanted):
    return (
        Review.objects.filter(wanted, alliance__in=alliances, alliance__kind=Alliance.Kind.REGIONAL)
        .annotate(
            # For the overview, in the same query: what is unanswered, and whether a lead
            # reviewer has accepted.
            pending=Count(
                "recommendations",
                filter=Q(recommendations__response=RecommendationResponse.PENDING),
            ),
            has_lead=Exists(
                Reviewer.objects.filter(
                    review=OuterRef("pk"), role=ReviewerRole.LEAD, response=Response.ACCEPTED
                )
            ),
            # A join on the content type rather than a query for it.
            scheduled=Exists(
                Session.objects.filter(
                    challenge_type__app_label="ondemand",
                    challenge_type__model="review",
                    challenge_id=OuterRef("pk"),
                )
            ),
        )
        .select_related("alliance", "local_authority")
    )


def _obligations_of(user, *, alliances, today) -> list[Obligation]:
    """The home page: what this person acts on, in one query (the reviews, with their own
    place on each)."""
    planner_of = [a for a in alliances if roles_in(user, a) & PLANNERS]
    mine = Reviewer.objects.filter(review=OuterRef("pk"), user=user)
    wanted = Q(Exists(mine.filter(_TEAM_ACTS)), status=Status.PLANNING)
    if planner_of:
        wanted |= Q(alliance__in=planner_of, status=Status.REQUESTED)
    for alliance_id in alliances:
        councils = council_ids_in(user, alliance_id)
        if councils:
            wanted |= Q(_hosts_act(), alliance=alliance_id, local_authority__in=councils)
    reviews = _reviews(alliances=alliances, wanted=wanted).annotate(
        **{
            f"place_{name}": Subquery(mine.values(name)[:1])
            for name in ("pk", "role", "response", "invited_at")
        }
    )
    found = []
    for review in reviews:
        if review.status == Status.REQUESTED:
            if review.alliance_id in planner_of:
                found.append(_review_obligation(review, actors=(user,)))
        elif review.local_authority_id in council_ids_in(user, review.alliance_id):
            found.append(_review_obligation(review, actors=(user,)))
        if review.status == Status.PLANNING and review.place_pk is not None:
            place = Reviewer(
                pk=review.place_pk,
                alliance_id=review.alliance_id,
                review=review,
                user=user,
                role=review.place_role,
                response=review.place_response,
                invited_at=review.place_invited_at,
            )
            found += _team_obligation(place, today=today)
    return found


def _review_obligation(review: Review, *, actors: tuple) -> Obligation:
    """The planners' decision on a request, or what the host council must do next."""
    place = _place(review)
    about = {
        "subject": review,
        "alliance": review.alliance,
        "council": review.local_authority,
        "actors": actors,
    }
    if review.status == Status.REQUESTED:
        return Obligation(
            kind="ondemand.decide_request",
            title=f"Decide on the request for a review of {place}",
            url=_url(review),
            **about,
        )
    if review.status == Status.MORE_INFORMATION:
        return Obligation(
            kind="ondemand.answer_question",
            title=f"Answer the programme manager's question about the review of {place}",
            url=_url(review, "review_answer"),
            **about,
        )
    if review.status == Status.PLANNING:
        return Obligation(
            kind="ondemand.build_schedule",
            title=f"Build the schedule of the review of {place}",
            url=_url(review, "schedule"),
            due=review.first_day,
            done=review.scheduled,
            **about,
        )
    # Findings issued, some recommendations unanswered.
    return Obligation(
        kind="ondemand.respond_recommendations",
        title=f"Respond to the recommendations of the review of {place}",
        url=_url(review) + "#recommendations",
        due=responses_due(review),
        **about,
    )


def _team_obligations(*, alliances, today, reminder_days, people=True) -> list[Obligation]:
    """Everyone's invitations to answer and findings to issue on reviews being planned (with
    `reminder_days`, only those with a reminder due today): one query."""
    wanted = _TEAM_ACTS
    if reminder_days is not None:
        wanted = Q(pk__in=[])
        if INVITATION in reminder_days:
            last = today + datetime.timedelta(days=reminder_days[INVITATION])
            wanted |= Q(
                response=Response.INVITED,
                invited_at__date__gte=today - ANSWER_WITHIN,
                invited_at__date__lte=last - ANSWER_WITHIN,
            )
        if FINDINGS_DUE in reminder_days:
            # The review has begun, and its findings are not yet past due (a two-day
            # review's are due a day later than a one-day review's begun the same day).
            wanted |= Q(
                role=ReviewerRole.LEAD,
                response=Response.ACCEPTED,
                review__start_date__lte=today,
                review__start_date__gte=today - FINDINGS_DUE_AFTER - datetime.timedelta(days=1),
            )
    places = Reviewer.objects.filter(
        wanted,
        alliance__in=alliances,
        review__alliance__kind=Alliance.Kind.REGIONAL,
        review__status=Status.PLANNING,
        user__is_active=True,
    ).select_related("user", "review__alliance", "review__local_authority")
    return [
        obligation
        for place in places
        for obligation in _team_obligation(place, today=today, people=people)
    ]


def _team_obligation(place: Reviewer, *, today, people=True) -> list[Obligation]:
    """What a place on a review being planned asks of its person: to answer the invitation;
    for the lead, once the review has begun, to issue the findings."""
    review = place.review
    if place.response == Response.INVITED:
        due = answer_due(place)
        title = f"Answer your invitation to the review of {_place(review)}"
        return [
            Obligation(
                kind="ondemand.answer_invitation",
                subject=place,
                challenge=review,
                alliance=review.alliance,
                council=review.local_authority,
                title=title,
                url=_url(review, "reviewer_respond", reviewer=place.pk),
                due=due,
                actors=(place.user,) if people else (),
                reminders={INVITATION: f"{title} by {_when(due)}"},
                todo="Accept or decline your place on the review team.",
            )
        ]
    if (place.role, place.response) != (ReviewerRole.LEAD, Response.ACCEPTED):
        return []
    if review.first_day > today:
        return []
    return [_findings_obligation(review, actors=(place.user,) if people else ())]


def _findings_obligation(review: Review, *, actors: tuple) -> Obligation:
    """The findings of a review that has begun, due FINDINGS_DUE_AFTER after its last day."""
    return Obligation(
        kind="ondemand.issue_findings",
        subject=review,
        alliance=review.alliance,
        council=review.local_authority,
        title=f"Record and issue the findings of the review of {_place(review)}",
        url=_url(review, "findings"),
        due=review.findings_due,
        actors=actors,
        reminders={
            FINDINGS_DUE: f"Issue the findings of the review of {_place(review)} by "
            f"{_when(review.findings_due)}"
        },
        todo="Record the key findings and recommendations, then issue the findings "
        "report to the council's DCS.",
    )
