"""The mixins of the triad offer's pages: the offer, a cycle, a triad."""

from django.http import Http404
from django.shortcuts import redirect

from peerchallenge.models import Alliance, LocalAuthority
from peerchallenge.permissions import council_ids_in
from peerchallenge.views.mixins import AlliancePermissionMixin

from ..models import Cycle, Triad
from ..permissions import triad_council_ids


class TriadsMixin(AlliancePermissionMixin):
    """Every page of the offer: triads are a regional alliance's offer (404 in the national
    one), enforced like the other offers' by the core's mixin."""

    alliance_kind = Alliance.Kind.REGIONAL


class CycleMixin(TriadsMixin):
    def dispatch(self, request, *args, **kwargs):
        self.cycle = Cycle.objects.filter(alliance=request.alliance, pk=kwargs["cycle"]).first()
        if self.cycle is None:
            raise Http404("No such cycle in this alliance.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.cycle
        return context


class TriadMixin(CycleMixin):
    """A triad of the cycle that the person may see; 404 for any other (another triad's
    council, another alliance)."""

    permission_required = "triads.view_cycle"

    def dispatch(self, request, *args, **kwargs):
        self.triad = (
            Triad.objects.filter(
                alliance=request.alliance, cycle_id=kwargs["cycle"], pk=kwargs["triad"]
            )
            .select_related("consultant")
            .first()
        )
        if self.triad is None or not request.user.has_perm("triads.view_triad", self.triad):
            raise Http404("No such triad for you.")
        self.check_object(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def check_object(self, request, **kwargs) -> None:
        """Views on something inside the triad load and check it here."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["triad"] = self.triad
        return context

    def triad_url(self):
        return redirect(
            "triads:triad_detail",
            alliance=self.alliance.slug,
            cycle=self.triad.cycle_id,
            triad=self.triad.pk,
        )

    def triad_council_ids(self) -> frozenset[int]:
        return triad_council_ids(self.triad)

    def my_councils_here(self):
        """The person's own councils in this triad (where they write KLOEs)."""
        mine = council_ids_in(self.request.user, self.alliance.pk)
        return LocalAuthority.objects.filter(pk__in=mine & self.triad_council_ids()).order_by(
            "name"
        )
