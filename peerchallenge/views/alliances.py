from django.views.generic import TemplateView

from ..selectors import councils_of_alliance
from .mixins import AlliancePermissionMixin


class AllianceDetailView(AlliancePermissionMixin, TemplateView):
    permission_required = "peerchallenge.view_alliance"
    template_name = "peerchallenge/alliance_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["regions"] = list(self.alliance.regions.all())
        context["council_count"] = councils_of_alliance(alliance=self.alliance).count()
        context["my_memberships"] = self.alliance.memberships.filter(
            user=self.request.user
        ).select_related("local_authority")
        return context


class AllianceChallengesView(AlliancePermissionMixin, TemplateView):
    """The menu's "Peer challenges": the offers of this alliance the person may open, each
    with what it is for (the sections the offers register; `{% alliance_sections %}` asks
    each one's permission)."""

    permission_required = "peerchallenge.view_alliance"
    template_name = "peerchallenge/alliance_challenges.html"
