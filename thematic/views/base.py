"""The views' common ground: thematic challenges exist only in a regional alliance (404 in
the national one); an event is looked up inside the alliance and shown only to those who
may see it (404 otherwise); a council's part in it likewise."""

from django.http import Http404

from peerchallenge.models import Alliance, LocalAuthority
from peerchallenge.views.mixins import AllianceObjectMixin, AlliancePermissionMixin

from ..models import ThematicEvent
from ..permissions import CouncilPart, event_council_ids


class ThematicMixin(AlliancePermissionMixin):
    permission_required = "thematic.view_events"
    alliance_kind = Alliance.Kind.REGIONAL  # a regional alliance's offer


class EventMixin(AllianceObjectMixin, ThematicMixin):
    object_model = ThematicEvent
    object_kwarg = object_name = "event"
    object_related = ("theme", "tier2_group", "alliance")
    object_view_permission = "thematic.view_event"
    not_found = "No such event."


class CouncilPartMixin(EventMixin):
    """A participating council's nominations or next steps: its own people, the planners and
    the event's Tier 2 group; other participants once the summary is issued. 404 for
    anyone else and for a council not taking part."""

    def dispatch(self, request, *args, **kwargs):
        self.alliance = request.alliance
        council = LocalAuthority.objects.filter(gss_code=kwargs["gss"]).first()
        event = ThematicEvent.objects.filter(alliance=request.alliance, pk=kwargs["event"]).first()
        if council is None or event is None or council.pk not in event_council_ids(event):
            raise Http404("No such council in this event.")
        self.council = council
        self.part = CouncilPart(event=event, council=council)
        if not request.user.has_perm("thematic.view_council_part", self.part):
            raise Http404("No such council in this event for you.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        context["can_edit"] = self.request.user.has_perm(
            "thematic.change_council_part", CouncilPart(event=self.event, council=self.council)
        )
        return context
