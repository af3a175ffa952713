"""Themes and their suggestions: the list, suggesting, supporting and deciding."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from peerchallenge.permissions import council_ids_in
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.views.mixins import form_errors_from

from ..forms.themes import DecisionForm, SuggestionForm
from ..models import Theme, ThemeSuggestion
from ..selectors import suggestions_of_alliance
from ..services.themes import (
    suggestion_create,
    suggestion_decide,
    suggestion_support,
    themes_ensure_standard,
)
from .base import ThematicMixin


class ThemeListView(ThematicMixin, TemplateView):
    permission_required = "thematic.view_events"
    template_name = "thematic/theme_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        themes_ensure_standard(alliance=self.alliance)  # seeded on first use
        suggestions = suggestions_of_alliance(alliance=self.alliance, user=user)
        context.update(
            themes=list(Theme.objects.filter(alliance=self.alliance)),
            open_suggestions=[s for s in suggestions if s.is_open],
            decided=[s for s in suggestions if not s.is_open],
            can_suggest=user.has_perm("thematic.suggest_theme", self.alliance),
            can_decide=user.has_perm("thematic.decide_suggestion", self.alliance),
        )
        form = SuggestionForm()
        form.helper.form_action = reverse(
            "thematic:suggestion_create", kwargs={"alliance": self.alliance.slug}
        )
        context["form"] = form
        return context


class SuggestionCreateView(ThematicMixin, FormView):
    permission_required = "thematic.suggest_theme"
    template_name = "thematic/suggestion_form.html"
    form_class = SuggestionForm

    def form_valid(self, form):
        councils = sorted(council_ids_in(self.request.user, self.alliance.pk))
        try:
            suggestion = suggestion_create(
                alliance=self.alliance,
                suggested_by=self.request.user,
                council=councils_of_alliance(alliance=self.alliance)
                .filter(pk__in=councils)
                .first(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Thank you: “{suggestion.name}” has been suggested.")
        return redirect("thematic:theme_list", alliance=self.alliance.slug)


class SuggestionMixin(ThematicMixin):
    def dispatch(self, request, *args, **kwargs):
        self.suggestion = ThemeSuggestion.objects.filter(
            alliance=request.alliance, pk=kwargs["suggestion"]
        ).first()
        if self.suggestion is None:
            raise Http404("No such suggestion.")
        return super().dispatch(request, *args, **kwargs)


class SuggestionSupportView(SuggestionMixin, View):
    permission_required = "thematic.suggest_theme"

    def post(self, request, *args, **kwargs):
        try:
            suggestion_support(suggestion=self.suggestion, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"You support “{self.suggestion.name}”.")
        return redirect("thematic:theme_list", alliance=self.alliance.slug)

    def get(self, request, *args, **kwargs):
        return redirect("thematic:theme_list", alliance=request.alliance.slug)


class SuggestionDecideView(SuggestionMixin, FormView):
    permission_required = "thematic.decide_suggestion"
    template_name = "thematic/suggestion_decide.html"
    form_class = DecisionForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["suggestion"] = self.suggestion
        context["support_count"] = self.suggestion.supports.count()
        return context

    def form_valid(self, form):
        try:
            suggestion = suggestion_decide(
                suggestion=self.suggestion,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                decided_by=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        verb = "accepted: it is now a theme" if suggestion.theme_id else "declined"
        messages.success(self.request, f"“{suggestion.name}” {verb}.")
        return redirect("thematic:theme_list", alliance=self.alliance.slug)
