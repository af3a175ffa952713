"""The subsidy of a booked challenge: fixed at booking, changed only by the LGA's programme
manager with a reason (services.challenge_change_subsidy); every change is on the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from peerchallenge.views.mixins import form_errors_from

from ..forms.close import SubsidyForm
from ..models import Challenge
from ..services.booking import challenge_change_subsidy
from .base import ChallengeMixin

CHANGE_SUBSIDY = "lga_cspc.change_subsidy"


def subsidy_detail_context(*, challenge: Challenge, user) -> dict:
    """What the challenge's page shows of its subsidy's changes."""
    return {
        "subsidy_changes": list(challenge.subsidy_changes.select_related("changed_by")),
        "can_change_subsidy": user.has_perm(CHANGE_SUBSIDY, challenge),
    }


class SubsidyChangeView(ChallengeMixin, FormView):
    """GET: the form, with the changes so far; POST: changed, with the reason kept."""

    challenge_permission = CHANGE_SUBSIDY
    template_name = "lga_cspc/subsidy_change.html"
    form_class = SubsidyForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(subsidy_detail_context(challenge=self.challenge, user=self.request.user))
        return context

    def form_valid(self, form):
        try:
            challenge_change_subsidy(
                challenge=self.challenge,
                percent=form.cleaned_data["percent"],
                reason=form.cleaned_data["reason"],
                changed_by=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The LGA subsidy is now {self.challenge.subsidy_percent}%.")
        return redirect(
            "lga_cspc:challenge_detail", alliance=self.alliance.slug, challenge=self.challenge.pk
        )
