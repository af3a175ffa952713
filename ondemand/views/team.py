"""The team slice: the programme manager invites people; each answers their own invitation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from peerchallenge.views.mixins import ConfirmMixin, form_errors_from

from ..forms.team import RespondForm, ReviewerForm
from ..models import Reviewer, Status
from ..services.team import (
    candidates_for,
    review_team,
    reviewer_invite,
    reviewer_remove,
    reviewer_respond,
    role_phrase,
)
from .base import ReviewMixin


class ReviewerMixin:
    """A place on this review's team (after ReviewMixin): 404 for another review's, then
    403 without `reviewer_permission` on the place, if the view names one."""

    reviewer_permission = ""

    def dispatch(self, request, *args, **kwargs):
        self.reviewer = (
            Reviewer.objects.filter(review=self.review, pk=kwargs["reviewer"])
            .select_related("user", "review")
            .first()
        )
        if self.reviewer is None:
            raise Http404("No such place on this team.")
        if self.reviewer_permission and not request.user.has_perm(
            self.reviewer_permission, self.reviewer
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reviewer"] = self.reviewer
        return context


class TeamView(ReviewMixin, FormView):
    """Everyone who sees the review sees its team; the planners invite people here."""

    template_name = "ondemand/team.html"
    form_class = ReviewerForm

    @cached_property
    def can_manage(self) -> bool:
        return self.review.status == Status.PLANNING and self.request.user.has_perm(
            "ondemand.manage_team", self.review
        )

    def post(self, request, *args, **kwargs):
        if not self.can_manage:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            people=candidates_for(review=self.review), council=self.review.local_authority.name
        )
        return kwargs

    def get_context_data(self, **kwargs):
        if not self.can_manage:
            kwargs["form"] = None
        context = super().get_context_data(**kwargs)
        context.update(team=review_team(review=self.review), can_manage=self.can_manage)
        return context

    def form_valid(self, form):
        try:
            reviewer = reviewer_invite(
                review=self.review, invited_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{reviewer.user} invited as {role_phrase(reviewer.role)}.")
        return self.to_review("team")


class ReviewerRespondView(ReviewMixin, ReviewerMixin, FormView):
    """Only the invited person answers their invitation: others who see the review get 403."""

    reviewer_permission = "ondemand.respond_invitation"
    template_name = "ondemand/reviewer_respond.html"
    form_class = RespondForm

    def form_valid(self, form):
        try:
            reviewer_respond(reviewer=self.reviewer, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        if self.reviewer.response == "accepted":
            messages.success(self.request, "Thank you: you are on the review team.")
            return self.to_review()
        messages.success(self.request, "Your answer is recorded: you have declined.")
        # A person who declined no longer sees the review: back to the list.
        return redirect("ondemand:review_list", alliance=self.alliance.slug)


class ReviewerRemoveView(ReviewMixin, ReviewerMixin, ConfirmMixin, TemplateView):
    """A destructive step: the page says what taking the person off the team means; only
    its "Yes, remove" (confirm=yes) removes them."""

    review_permission = "ondemand.manage_team"
    template_name = "ondemand/reviewer_remove.html"

    def get(self, request, *args, **kwargs):
        self.refuse_unless_planning()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.refuse_unless_planning()
        return super().post(request, *args, **kwargs)

    def refuse_unless_planning(self):
        if self.review.status != Status.PLANNING:
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role"] = role_phrase(self.reviewer.role)
        return context

    def confirmed_post(self, request, *args, **kwargs):
        name = str(self.reviewer.user)
        reviewer_remove(reviewer=self.reviewer)
        messages.success(request, f"{name} removed from the team.")
        return self.to_review("team")
