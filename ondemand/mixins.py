"""The views' common ground: on-demand reviews exist only in a regional alliance, and a review
is looked up inside the alliance and shown only to those who may see it (404 otherwise)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from peerchallenge.models import Alliance
from peerchallenge.views.mixins import AlliancePermissionMixin

from .models import Review


class OndemandMixin(AlliancePermissionMixin):
    permission_required = "ondemand.view_reviews"
    alliance_kind = Alliance.Kind.REGIONAL  # a regional alliance's offer


class ReviewMixin(OndemandMixin):
    """`self.review`, or 404 for one in another alliance or one this person may not see
    (another council's, a review whose team they are not on). Then the view's own
    `review_permission` (on the review) gives 403 if missing."""

    review_permission = "ondemand.view_review"

    def dispatch(self, request, *args, **kwargs):
        self.review = (
            Review.objects.filter(alliance=request.alliance, pk=kwargs["review"])
            .select_related("alliance", "local_authority", "requested_by")
            .first()
        )
        if self.review is None or not request.user.has_perm("ondemand.view_review", self.review):
            raise Http404("No such review.")
        if not request.user.has_perm(self.review_permission, self.review):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review"] = self.review
        return context

    def to_review(self, name: str = "review_detail", anchor: str = ""):
        response = redirect(f"ondemand:{name}", alliance=self.alliance.slug, review=self.review.pk)
        if anchor:
            response["Location"] += f"#{anchor}"
        return response
