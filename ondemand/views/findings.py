"""The findings slice: the lead reviewer's findings and recommendations, the printable
presentation outline, the issue of the report, and the council's response to each
recommendation (accepted ones become agreed actions)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.views.generic import FormView, TemplateView, View

from peerchallenge.concurrency import EditConflict, record_version
from peerchallenge.models import Tier2Group
from peerchallenge.views.mixins import ConfirmMixin, form_errors_from
from reports.views import report_requested_message

from ..forms.findings import FindingsForm, RecommendationForm, RecommendationResponseForm
from ..models import Recommendation, RecommendationResponse, Status
from ..reports import paragraphs
from ..services.findings import (
    FINDINGS_FIELDS,
    findings_issue,
    findings_save,
    recommendation_add,
    recommendation_remove,
    recommendation_respond,
)
from ..services.plan import review_activities
from .base import ReviewMixin


class FindingsView(ReviewMixin, TemplateView):
    """Two forms: the key findings, and a new recommendation. The lead reviewer only."""

    review_permission = "ondemand.record_findings"
    template_name = "ondemand/findings.html"

    def forms(self, data=None):
        findings = FindingsForm(
            data if data and "findings" in data else None,
            initial={
                "key_findings": self.review.key_findings,
                "base_version": record_version(self.review, FINDINGS_FIELDS),
            },
        )
        recommendation = RecommendationForm(data if data and "recommendation" in data else None)
        return findings, recommendation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "findings_form" not in kwargs:
            context["findings_form"], context["recommendation_form"] = self.forms()
        context.update(
            recommendations=list(Recommendation.objects.filter(review=self.review)),
            planning=self.review.status == Status.PLANNING,
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.review.status != Status.PLANNING:
            raise PermissionDenied
        findings_form, recommendation_form = self.forms(request.POST)
        try:
            if findings_form.is_bound and findings_form.is_valid():
                findings_save(review=self.review, **findings_form.cleaned_data)
                messages.success(request, "Key findings saved.")
                return self.to_review("findings")
            if recommendation_form.is_bound and recommendation_form.is_valid():
                recommendation_add(review=self.review, **recommendation_form.cleaned_data)
                messages.success(request, "Recommendation added.")
                return self.to_review("findings", anchor="recommendations")
        except EditConflict as conflict:
            findings_form.conflict_show(conflict)
        except ValidationError as error:
            form_errors_from(
                findings_form if findings_form.is_bound else recommendation_form, error
            )
        return self.render_to_response(
            self.get_context_data(
                findings_form=findings_form, recommendation_form=recommendation_form
            )
        )


class RecommendationMixin:
    def dispatch(self, request, *args, **kwargs):
        self.recommendation = (
            Recommendation.objects.filter(review=self.review, pk=kwargs["recommendation"])
            .select_related("review")
            .first()
        )
        if self.recommendation is None:
            raise Http404("No such recommendation.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recommendation"] = self.recommendation
        return context


class RecommendationRemoveView(ReviewMixin, RecommendationMixin, ConfirmMixin, TemplateView):
    """A destructive step: the page shows the recommendation; only its "Yes, remove"
    (confirm=yes) removes it."""

    review_permission = "ondemand.record_findings"
    template_name = "ondemand/recommendation_remove.html"

    def get(self, request, *args, **kwargs):
        if self.review.status != Status.PLANNING:
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def confirmed_post(self, request, *args, **kwargs):
        try:
            recommendation_remove(recommendation=self.recommendation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Recommendation removed.")
        return self.to_review("findings", anchor="recommendations")


class FindingsIssueView(ReviewMixin, View):
    review_permission = "ondemand.record_findings"

    def post(self, request, *args, **kwargs):
        try:
            version = findings_issue(review=self.review, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.to_review("findings")
        report_requested_message(
            request,
            version,
            "Findings issued: the report is being produced and the council's DCS will be "
            "emailed when it is ready.",
        )
        return self.to_review()


class PresentationView(ReviewMixin, TemplateView):
    """A printable outline for presenting the findings to the host council: the line of
    enquiry, what the team did, the key findings and the recommendations."""

    template_name = "ondemand/presentation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            findings=paragraphs(self.review.key_findings),
            recommendations=list(Recommendation.objects.filter(review=self.review)),
            activities=review_activities(review=self.review),
        )
        return context


class RecommendationRespondView(ReviewMixin, RecommendationMixin, FormView):
    review_permission = "ondemand.respond_recommendations"
    template_name = "ondemand/recommendation_respond.html"
    form_class = RecommendationResponseForm

    def get(self, request, *args, **kwargs):
        self._check_open()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_open()
        return super().post(request, *args, **kwargs)

    def _check_open(self):
        if (
            self.review.status != Status.FINDINGS_ISSUED
            or self.recommendation.response != RecommendationResponse.PENDING
        ):
            raise PermissionDenied

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["groups"] = Tier2Group.objects.filter(alliance=self.alliance)
        return kwargs

    def get_initial(self):
        return {"what": self.recommendation.text}

    def form_valid(self, form):
        try:
            recommendation_respond(
                recommendation=self.recommendation, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        if self.recommendation.response == RecommendationResponse.ACCEPTED:
            messages.success(
                self.request,
                "Recommendation accepted: it is an agreed action on the council's plan.",
            )
        else:
            messages.success(self.request, "Recommendation recorded as not accepted.")
        return self.to_review(anchor="recommendations")
