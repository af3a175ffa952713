"""Ending a challenge: the programme manager withdraws it (with a reason, any time before the
final report) or closes it (after the evaluation interview). Each a confirmation page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from peerchallenge.views.mixins import form_errors_from

from ..forms.close import WithdrawForm
from ..models import Challenge
from ..selectors import ChallengePage
from ..services.close import (
    challenge_closable,
    challenge_close,
    challenge_may_close,
    challenge_may_withdraw,
    challenge_withdraw,
)
from .base import ChallengeMixin, page_of

# The programme manager's alone (permissions.py: lga_cspc.end_challenge).
END_PERMISSION = "lga_cspc.end_challenge"


def close_detail_context(*, challenge: Challenge, user, page: ChallengePage | None = None) -> dict:
    """What the challenge's page shows of ending it (lga_cspc/_detail_close.html)."""
    page = page_of(challenge, page)
    challenge = page.challenge
    may_end = user.has_perm(END_PERMISSION, challenge)
    return {
        "close_can_withdraw": may_end and challenge_may_withdraw(challenge=challenge),
        "close_can_close": may_end
        and challenge_closable(challenge=challenge, evaluation=page.evaluation),
    }


def to_challenge_page(view):
    return redirect(
        "lga_cspc:challenge_detail", alliance=view.alliance.slug, challenge=view.challenge.pk
    )


class ChallengeWithdrawView(ChallengeMixin, FormView):
    """GET: the reason asked for; POST: withdrawn, the sponsor and team told."""

    challenge_permission = END_PERMISSION
    template_name = "lga_cspc/challenge_withdraw.html"
    form_class = WithdrawForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_withdraw"] = challenge_may_withdraw(challenge=self.challenge)
        return context

    def form_valid(self, form):
        try:
            challenge_withdraw(
                challenge=self.challenge,
                reason=form.cleaned_data["reason"],
                user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, "The challenge is withdrawn. The sponsor and the peer team are told."
        )
        return to_challenge_page(self)


class ChallengeCloseView(ChallengeMixin, TemplateView):
    """GET: confirm; POST: closed."""

    challenge_permission = END_PERMISSION
    template_name = "lga_cspc/challenge_close.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_close"] = challenge_may_close(challenge=self.challenge)
        return context

    def post(self, request, *args, **kwargs):
        try:
            challenge_close(challenge=self.challenge, user=request.user)
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context)
        messages.success(request, "The challenge is closed.")
        return to_challenge_page(self)
