"""The views' common ground: CSPC pages exist only in a national alliance, and a challenge
is looked up inside the alliance and shown only to those who may see it (404 otherwise)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from peerchallenge.models import Alliance
from peerchallenge.views.mixins import AlliancePermissionMixin

from .models import Challenge, Stage


class CspcMixin(AlliancePermissionMixin):
    alliance_kind = Alliance.Kind.NATIONAL  # the LGA's offer


class ChallengeMixin(CspcMixin):
    """`self.challenge`, or 404 for one in another alliance or one this person may not see
    (another council's sponsor, a peer not on its team). Then the view's own permission
    (`challenge_permission`, checked on the challenge) gives 403 if missing."""

    permission_required = "lga_cspc.view_challenges"
    challenge_permission = "lga_cspc.view_challenge"

    def dispatch(self, request, *args, **kwargs):
        self.challenge = (
            Challenge.objects.filter(alliance=request.alliance, pk=kwargs["challenge"])
            .select_related(
                "offer",
                "local_authority",
                "sponsor",
                "organiser",
                "principal_adviser",
                "improvement_adviser",
                "requested_by",
            )
            .first()
        )
        if self.challenge is None or not request.user.has_perm(
            "lga_cspc.view_challenge", self.challenge
        ):
            raise Http404("No such peer challenge.")
        if not request.user.has_perm(self.challenge_permission, self.challenge):
            raise PermissionDenied
        if request.method == "POST" and self.challenge.stage == Stage.WITHDRAWN:
            # A withdrawn challenge is kept as it was: its pages read, nothing changes.
            messages.error(
                request,
                "This peer challenge was withdrawn: nothing on it can be changed any more.",
            )
            return redirect(
                "lga_cspc:challenge_detail",
                alliance=request.alliance.slug,
                challenge=self.challenge.pk,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["challenge"] = self.challenge
        return context
