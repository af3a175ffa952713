"""The views' common ground: CSPC pages exist only in a national alliance, and a challenge
is looked up inside the alliance and shown only to those who may see it (404 otherwise).
A withdrawn or closed challenge is read-only by its services' rule (services.state)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from peerchallenge.models import Alliance
from peerchallenge.views.mixins import AllianceObjectMixin, AlliancePermissionMixin

from ..models import Challenge, Stage
from ..selectors import ChallengePage, challenge_page_load, challenge_page_queryset
from ..services.state import challenge_ended_refusal


class CspcMixin(AlliancePermissionMixin):
    alliance_kind = Alliance.Kind.NATIONAL  # the LGA's offer


class ChallengeMixin(AllianceObjectMixin, CspcMixin):
    """`self.challenge`, or 404 for one in another alliance or one this person may not see
    (another council's sponsor, a peer not on its team). Then the view's own permission
    (`challenge_permission`, checked on the challenge) gives 403 if missing."""

    permission_required = "lga_cspc.view_challenges"
    object_model = Challenge
    object_kwarg = object_name = "challenge"
    object_related = (
        "offer",
        "local_authority",
        "sponsor",
        "organiser",
        "principal_adviser",
        "improvement_adviser",
        "requested_by",
    )
    object_view_permission = "lga_cspc.view_challenge"
    not_found = "No such peer challenge."
    challenge_permission = "lga_cspc.view_challenge"

    @property
    def object_permission(self):
        return self.challenge_permission

    def check_object(self, request, challenge):
        # The services refuse every change to an ended challenge (services.state); the pages
        # only ask them. A withdrawn one is turned back at the door, since nothing at all
        # carries on after a withdrawal: its pages read, nothing changes.
        if request.method == "POST" and challenge.stage == Stage.WITHDRAWN:
            return self.turned_back(challenge_ended_refusal(challenge=challenge))
        return None

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except ValidationError as error:
            # A service's refusal of a closed challenge that the view had no form to show on.
            ended = challenge_ended_refusal(challenge=self.challenge)
            if ended and ended in getattr(error, "messages", ()):
                return self.turned_back(ended)
            raise

    def turned_back(self, message: str):
        messages.error(self.request, message)
        return redirect(
            "lga_cspc:challenge_detail",
            alliance=self.request.alliance.slug,
            challenge=self.challenge.pk,
        )


def page_of(challenge: Challenge, page: ChallengePage | None) -> ChallengePage:
    """What the challenge's page shows (`page`, read once for all its sections); a section
    asked on its own reads it."""
    if page is not None:
        return page
    return challenge_page_load(challenge=challenge_page_queryset().get(pk=challenge.pk))
