"""The views' common ground: on-demand reviews exist only in a regional alliance, and a review
is looked up inside the alliance and shown only to those who may see it (404 otherwise)."""

from django.shortcuts import redirect

from peerchallenge.models import Alliance
from peerchallenge.views.mixins import AllianceObjectMixin, AlliancePermissionMixin

from ..models import Review


class OndemandMixin(AlliancePermissionMixin):
    permission_required = "ondemand.view_reviews"
    alliance_kind = Alliance.Kind.REGIONAL  # a regional alliance's offer


class ReviewMixin(AllianceObjectMixin, OndemandMixin):
    """`self.review`, or 404 for one in another alliance or one this person may not see
    (another council's, a review whose team they are not on). Then the view's own
    `review_permission` (on the review) gives 403 if missing."""

    object_model = Review
    object_kwarg = object_name = "review"
    object_related = ("alliance", "local_authority", "requested_by")
    object_view_permission = "ondemand.view_review"
    not_found = "No such review."
    review_permission = "ondemand.view_review"

    @property
    def object_permission(self):
        return self.review_permission

    def to_review(self, name: str = "review_detail", anchor: str = ""):
        response = redirect(f"ondemand:{name}", alliance=self.alliance.slug, review=self.review.pk)
        if anchor:
            response["Location"] += f"#{anchor}"
        return response
