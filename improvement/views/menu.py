"""The menu of support: every member reads it; councils make offers; the planners record
needs, take the areas for development from the self-evaluations, and broker a need to an
offer the broker suggests; both councils' DCSs answer; the match is completed with its
impact."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from peerchallenge.selectors import councils_of_alliance
from peerchallenge.views.mixins import AllianceObjectMixin, refusals_on

from ..broker import NeedFacts, offers_for
from ..forms import CompleteForm, DecisionForm, NeedForm, NeedThemeForm, OfferForm
from ..models import SupportMatch, SupportNeed, SupportOffer
from ..permissions import councils_offering_for, match_side_of, may_complete_match
from ..selectors import menu_of
from ..services.menu import (
    match_broker,
    match_complete,
    match_decide,
    need_add,
    need_theme_set,
    needs_from_self_evaluations,
    offer_add,
    offer_facts,
    offers_with_use,
)
from .cycle import CycleMixin, RegionalMixin


def to_menu(cycle, anchor=""):
    response = redirect(
        "improvement:menu", alliance=cycle.alliance.slug, improvement_cycle=cycle.pk
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


class MenuView(CycleMixin, TemplateView):
    permission_required = "improvement.view_cycle"
    template_name = "improvement/menu.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        offering = councils_offering_for(user, alliance=self.alliance)
        context.update(
            menu=menu_of(self.cycle),
            can_manage=user.has_perm("improvement.manage_menu", self.alliance),
            can_offer=offering is None or bool(offering),
        )
        return context


class OfferAddView(CycleMixin, FormView):
    permission_required = "improvement.view_cycle"
    template_name = "improvement/offer_form.html"
    form_class = OfferForm

    def check_object(self, request, found):
        self.offering = councils_offering_for(request.user, alliance=request.alliance)
        if self.offering is not None and not self.offering:
            raise Http404("No such page.")
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        councils = councils_of_alliance(alliance=self.alliance).order_by("name")
        if self.offering is not None:
            councils = councils.filter(pk__in=self.offering)
        kwargs["councils"] = councils
        return kwargs

    def form_valid(self, form):
        with refusals_on(form):
            offer = offer_add(cycle=self.cycle, created_by=self.request.user, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"{offer.council.name}'s offer is on the menu.")
        return to_menu(self.cycle, "offers")


class NeedAddView(CycleMixin, FormView):
    permission_required = "improvement.manage_menu"
    template_name = "improvement/need_form.html"
    form_class = NeedForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["councils"] = councils_of_alliance(alliance=self.alliance).order_by("name")
        return kwargs

    def form_valid(self, form):
        with refusals_on(form):
            need = need_add(cycle=self.cycle, created_by=self.request.user, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"{need.council.name}'s need is on the menu.")
        return to_menu(self.cycle, "needs")


class NeedsImportView(CycleMixin, View):
    """POST: a need for each area for development of every submitted self-evaluation."""

    permission_required = "improvement.manage_menu"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        made = needs_from_self_evaluations(cycle=self.cycle, created_by=request.user)
        messages.success(
            request,
            f"{made} area{'s' if made != 1 else ''} for development added as needs. Check "
            "each one's theme: the broker matches offers on it.",
        )
        return to_menu(self.cycle, "needs")


class NeedMixin(RegionalMixin, AllianceObjectMixin):
    permission_required = "improvement.manage_menu"
    object_model = SupportNeed
    object_kwarg = "support_need"
    object_name = "need"
    object_related = ("cycle", "council")
    not_found = "No such need."


class NeedView(NeedMixin, TemplateView):
    """A need, its theme, its matches, and the offers that fit it, best first."""

    template_name = "improvement/need.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        need = self.need
        offers = {o.pk: o for o in offers_with_use(need.cycle).select_related("council")}
        matches = list(need.matches.select_related("offer__council"))
        matched = frozenset(m.offer_id for m in matches if m.uses_capacity)
        suggestions = offers_for(
            NeedFacts(id=need.pk, council_id=need.council_id, theme=need.theme),
            offer_facts(offers.values()),
            matched=matched,
        )
        context.update(
            cycle=need.cycle,
            matches=matches,
            suggestions=[(offers[facts.id], facts.left) for facts in suggestions],
            theme_form=kwargs.get("theme_form") or NeedThemeForm(initial={"theme": need.theme}),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = NeedThemeForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                need_theme_set(need=self.need, theme=form.cleaned_data["theme"])
        if form.errors:
            return self.render_to_response(self.get_context_data(theme_form=form))
        messages.success(request, "The theme is saved.")
        return redirect(request.path)


class MatchBrokerView(NeedMixin, View):
    """POST: broker the need (in the URL) to an offer (in the URL)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        offer = SupportOffer.objects.filter(
            cycle_id=self.need.cycle_id, pk=kwargs["support_offer"]
        ).first()
        if offer is None:
            raise Http404("No such offer.")
        try:
            match = match_broker(need=self.need, offer=offer, brokered_by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(
                "improvement:need", alliance=self.alliance.slug, support_need=self.need.pk
            )
        messages.success(
            request,
            f"{offer.council.name}'s offer is brokered to {self.need.council.name}: both "
            "councils' directors are asked to take part.",
        )
        return redirect("improvement:match", alliance=self.alliance.slug, support_match=match.pk)


class MatchMixin(RegionalMixin, AllianceObjectMixin):
    permission_required = "improvement.view_cycle"
    object_model = SupportMatch
    object_kwarg = "support_match"
    object_name = "match"
    object_related = ("need__council", "need__cycle", "offer__council")
    not_found = "No such match."


class MatchView(MatchMixin, TemplateView):
    """A brokered match: every member reads it (the menu is the alliance's); each council's
    DCS answers for it; the planners or either DCS complete it."""

    template_name = "improvement/match.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, match = self.request.user, self.match
        side = match_side_of(user, alliance=self.alliance, match=match)
        proposed = match.state == SupportMatch.State.PROPOSED
        context.update(
            cycle=match.need.cycle,
            side=side,
            decision_form=kwargs.get("decision_form")
            or (DecisionForm() if side and proposed else None),
            complete_form=kwargs.get("complete_form")
            or (
                CompleteForm()
                if match.state == SupportMatch.State.AGREED
                and may_complete_match(user, alliance=self.alliance, match=match)
                else None
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        match = self.match
        if "decide" in request.POST:
            side = match_side_of(request.user, alliance=self.alliance, match=match)
            if not side:
                raise Http404("No such page.")
            form = DecisionForm(request.POST)
            if form.is_valid():
                with refusals_on(form):
                    match_decide(
                        match=match,
                        side=side,
                        accepts=form.cleaned_data["accepts"],
                        reason=form.cleaned_data["reason"],
                        decided_by=request.user,
                    )
            if form.errors:
                return self.render_to_response(self.get_context_data(decision_form=form))
            messages.success(request, "Your council's answer is recorded.")
            return redirect(request.path)
        if not may_complete_match(request.user, alliance=self.alliance, match=match):
            raise Http404("No such page.")
        form = CompleteForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                match_complete(match=match, impact=form.cleaned_data["impact"])
        if form.errors:
            return self.render_to_response(self.get_context_data(complete_form=form))
        messages.success(request, "The support is marked completed, with its impact.")
        return redirect(request.path)
