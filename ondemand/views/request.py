"""The request slice: the list of reviews, a council's request, the review's page, the
programme manager's decision and the council's answer."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from peerchallenge.dates import weekday_text
from peerchallenge.permissions import action_ids_viewable, may_view_improvement_plan
from peerchallenge.services.timetable import sessions_of
from peerchallenge.views.check_answers import (
    Answer,
    CheckAnswersMixin,
    CheckPageMixin,
    QuestionPageMixin,
)
from peerchallenge.views.mixins import form_errors_from
from reports.models import ReportVersion

from ..forms.request import AnswerForm, DecisionForm, RequestForm
from ..models import Recommendation, RequestNote, Review, Status
from ..services.findings import FINDINGS_REPORT
from ..services.plan import review_activities
from ..services.request import (
    councils_user_requests_for,
    review_answer,
    review_decide,
    review_request,
    review_request_check,
    reviews_visible_to,
)
from ..services.team import review_team
from .base import OndemandMixin, ReviewMixin


def findings_version(review: Review, *, rendered: bool = True) -> ReportVersion | None:
    """The latest rendered findings report of the review (or the latest in any state), if
    any."""
    versions = ReportVersion.objects.filter(
        alliance_id=review.alliance_id,
        report=FINDINGS_REPORT,
        subject_type=ContentType.objects.get_for_model(Review),
        subject_id=review.pk,
    )
    if rendered:
        versions = versions.filter(status=ReportVersion.Status.RENDERED)
    return versions.order_by("-number").first()


class ReviewListView(OndemandMixin, TemplateView):
    """The reviews this person may see (a fixed number of queries however many)."""

    template_name = "ondemand/review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            reviews=list(reviews_visible_to(user=user, alliance=self.alliance)),
            can_request=user.has_perm("ondemand.request_review", self.alliance),
        )
        return context


class RequestAnswers(CheckAnswersMixin, OndemandMixin):
    """The request's question and its answers (peerchallenge.views.check_answers)."""

    permission_required = "ondemand.request_review"
    draft_name = "ondemand.request"
    question_url_name = "ondemand:review_request"
    check_url_name = "ondemand:review_request_check"
    question_template = "ondemand/review_request.html"

    def answers_form(self, data=None):
        form = RequestForm(
            data,
            councils=councils_user_requests_for(user=self.request.user, alliance=self.alliance),
        )
        # Posts to the question page also when shown by the check page (a refusal there).
        form.helper.form_action = self.question_url()
        return form

    def answers_check(self, form) -> None:
        review_request_check(alliance=self.alliance, user=self.request.user, **form.cleaned_data)

    def answers_rows(self, form) -> list[Answer]:
        data = form.cleaned_data
        latest = data["preferred_latest"]
        return [
            Answer("Council", data["local_authority"].name, "local_authority", "the council"),
            Answer(
                "Service area to review",
                data["service_area"],
                "service_area",
                "the service area to review",
            ),
            Answer(
                "Primary key line of enquiry",
                data["primary_kloe"],
                "primary_kloe",
                "the primary key line of enquiry",
            ),
            Answer("Why now", data["why_now"], "why_now", "why now"),
            Answer(
                "Earliest preferred first day",
                weekday_text(data["preferred_start"]),
                "preferred_start",
                "the earliest preferred first day",
            ),
            Answer(
                "Latest preferred first day",
                weekday_text(latest) if latest else "Not given",
                "preferred_latest",
                "the latest preferred first day",
            ),
            Answer("Length", dict(form.fields["days"].choices)[data["days"]], "days", "the length"),
        ]

    def answers_send(self, form):
        return review_request(alliance=self.alliance, user=self.request.user, **form.cleaned_data)

    def answers_sent_message(self, sent) -> str:
        return f"Request sent: the programme manager will answer it. Review of {sent.service_area}."

    def answers_sent_url(self, pk: int) -> str:
        return reverse(
            "ondemand:review_detail", kwargs={"alliance": self.alliance.slug, "review": pk}
        )


class ReviewRequestView(RequestAnswers, QuestionPageMixin, TemplateView):
    """A council's request: "Continue" keeps the answers and shows them on the check page,
    which sends the request."""

    template_name = "ondemand/review_request.html"


class ReviewRequestCheckView(RequestAnswers, CheckPageMixin, TemplateView):
    template_name = "ondemand/review_request_check.html"


class ReviewDetailView(ReviewMixin, TemplateView):
    template_name = "ondemand/review_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, user = self.review, self.request.user
        team = review_team(review=review)
        recommendations = list(
            Recommendation.objects.filter(review=review).select_related("action")
        )
        context.update(
            notes=list(RequestNote.objects.filter(review=review).select_related("author")),
            team=team,
            my_place=next((m for m in team if m.user_id == user.pk), None),
            activities=review_activities(review=review),
            session_count=sessions_of(challenge=review).count(),
            recommendations=recommendations,
            # The agreed actions and the council's plan are linked only for those who may
            # open them (the review's peers from other councils may not).
            viewable_actions=action_ids_viewable(
                user,
                [r.action for r in recommendations if r.action is not None],
                alliance=self.alliance,
            ),
            may_view_plan=may_view_improvement_plan(
                user, alliance=self.alliance, council=review.local_authority
            ),
            findings_version=findings_version(review),
            findings_latest=findings_version(review, rendered=False),
            can_decide=review.status == Status.REQUESTED
            and user.has_perm("ondemand.decide_request", review),
            can_answer=review.status == Status.MORE_INFORMATION
            and user.has_perm("ondemand.answer_request", review),
            can_record_findings=user.has_perm("ondemand.record_findings", review),
            can_respond=review.status == Status.FINDINGS_ISSUED
            and user.has_perm("ondemand.respond_recommendations", review),
            planning=review.status == Status.PLANNING,
            issued=review.status == Status.FINDINGS_ISSUED,
        )
        return context


class ReviewDecideView(ReviewMixin, FormView):
    review_permission = "ondemand.decide_request"
    template_name = "ondemand/review_decide.html"
    form_class = DecisionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["preferred_start"] = self.review.preferred_start
        kwargs["preferred_latest"] = self.review.preferred_latest
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notes"] = list(
            RequestNote.objects.filter(review=self.review).select_related("author")
        )
        return context

    def form_valid(self, form):
        try:
            review = review_decide(review=self.review, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        done = {
            Status.PLANNING: "Request accepted: assemble the review team.",
            Status.MORE_INFORMATION: "Question sent to the council.",
            Status.DECLINED: "Request declined: the council has been told why.",
        }[review.status]
        messages.success(self.request, done)
        return self.to_review()


class ReviewAnswerView(ReviewMixin, FormView):
    review_permission = "ondemand.answer_request"
    template_name = "ondemand/review_answer.html"
    form_class = AnswerForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notes"] = list(
            RequestNote.objects.filter(review=self.review).select_related("author")
        )
        return context

    def form_valid(self, form):
        try:
            review_answer(review=self.review, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, "Answer sent: the request is back with the programme manager."
        )
        return self.to_review()
