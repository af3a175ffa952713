"""The catalogue of offers: everyone in the LGA reads it; its programme manager edits it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from peerchallenge.concurrency import record_version
from peerchallenge.views.mixins import refusals_on

from ..forms.catalogue import OfferForm
from ..models import Offer
from ..selectors import catalogue
from ..services.catalogue import OFFER_TEXTS, catalogue_load_standard, offer_save
from .base import CspcMixin


class OfferListView(CspcMixin, TemplateView):
    """The catalogue: everyone in the LGA reads it; its programme manager edits it."""

    permission_required = "lga_cspc.view_challenges"
    template_name = "lga_cspc/offer_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offers"] = list(catalogue(alliance=self.alliance))
        context["can_edit"] = self.request.user.has_perm("lga_cspc.manage_catalogue", self.alliance)
        context["can_book"] = self.request.user.has_perm("lga_cspc.book_challenge", self.alliance)
        return context

    def post(self, request, *args, **kwargs):
        """Load the standard catalogue into an empty one."""
        if not request.user.has_perm("lga_cspc.manage_catalogue", self.alliance):
            raise Http404
        try:
            count = catalogue_load_standard(alliance=self.alliance)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"The standard catalogue of {count} offers was loaded.")
        return redirect("lga_cspc:offer_list", alliance=self.alliance.slug)


class OfferCreateView(CspcMixin, FormView):
    permission_required = "lga_cspc.manage_catalogue"
    template_name = "lga_cspc/offer_form.html"
    form_class = OfferForm
    offer = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(offer=self.offer, **kwargs)

    def form_valid(self, form):
        with refusals_on(form):
            offer = offer_save(alliance=self.alliance, offer=self.offer, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{offer.name}” saved.")
        return redirect("lga_cspc:offer_list", alliance=self.alliance.slug)


class OfferEditView(OfferCreateView):
    def dispatch(self, request, *args, **kwargs):
        self.offer = Offer.objects.filter(alliance=request.alliance, pk=kwargs["offer"]).first()
        if self.offer is None:
            raise Http404("No such offer.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        fields = [name for name in OfferForm.base_fields if name != "base_version"]
        return {
            **{name: getattr(self.offer, name) for name in fields},
            "base_version": record_version(self.offer, OFFER_TEXTS),
        }
