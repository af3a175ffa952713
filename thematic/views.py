"""Themes and their suggestions; scheduling events; an event's page, its KLOEs and who is
coming."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from peerchallenge.models import Tier2Group
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.views.mixins import form_errors_from

from .forms import DecisionForm, EventChangeForm, EventForm, KloeForm, SuggestionForm
from .mixins import EventMixin, ThematicMixin
from .models import Theme, ThemeSuggestion
from .permissions import PLANNERS, CouncilPart
from .selectors import (
    event_attendance,
    events_of_alliance,
    suggestions_of_alliance,
    summary_versions,
)
from .services import (
    event_change,
    event_kloe_add,
    event_kloes_publish,
    event_schedule,
    suggestion_create,
    suggestion_decide,
    suggestion_support,
    themes_ensure_standard,
)


class EventListView(ThematicMixin, TemplateView):
    permission_required = "thematic.view_events"
    template_name = "thematic/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = list(events_of_alliance(alliance=self.alliance, user=self.request.user))
        context["can_manage"] = self.request.user.has_perm("thematic.manage_event", self.alliance)
        return context


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


class EventCreateView(ThematicMixin, FormView):
    permission_required = "thematic.manage_event"
    template_name = "thematic/event_form.html"
    form_class = EventForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        themes_ensure_standard(alliance=self.alliance)
        kwargs.update(
            themes=Theme.objects.filter(alliance=self.alliance),
            councils=councils_of_alliance(alliance=self.alliance),
            groups=Tier2Group.objects.filter(alliance=self.alliance),
        )
        return kwargs

    def get_initial(self):
        return {"start_time": "09:30", "end_time": "13:00"}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data["councils"] = list(data["councils"])
        try:
            event = event_schedule(alliance=self.alliance, created_by=self.request.user, **data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{event} scheduled.")
        return redirect("thematic:event_detail", alliance=self.alliance.slug, event=event.pk)


class EventChangeView(EventMixin, FormView):
    """Change an event not held yet: its date and times, format and place, councils, Tier 2
    group and deadlines (not its theme). Planners only; a held event has no such page."""

    # EventMixin 404s whoever cannot see the event, then the others get 403.
    permission_required = "thematic.manage_event"
    template_name = "thematic/event_form.html"
    form_class = EventChangeForm

    def get(self, request, *args, **kwargs):
        self.refuse_if_held()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.refuse_if_held()
        return super().post(request, *args, **kwargs)

    def refuse_if_held(self):
        if self.event.is_past:
            raise Http404("A held event cannot be changed.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            councils=councils_of_alliance(alliance=self.alliance),
            groups=Tier2Group.objects.filter(alliance=self.alliance),
        )
        return kwargs

    def get_initial(self):
        event = self.event
        # As typed into the scheduling form: year-month-day, 24-hour clock.
        return {
            "date": event.date.isoformat(),
            "start_time": event.start_time.strftime("%H:%M"),
            "end_time": event.end_time.strftime("%H:%M"),
            "format": event.format,
            "venue": event.venue,
            "online_link": event.online_link,
            "councils": list(event.councils.values_list("pk", flat=True)),
            "tier2_group": event.tier2_group_id,
            "nominations_due": event.nominations_due.isoformat(),
            "next_steps_due": event.next_steps_due.isoformat(),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data["councils"] = list(data["councils"])
        try:
            changes = event_change(event=self.event, **data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        told = " The participants have been e-mailed the new arrangements." if changes else ""
        messages.success(self.request, f"The event has been changed.{told}")
        return redirect("thematic:event_detail", alliance=self.alliance.slug, event=self.event.pk)


class EventDetailView(EventMixin, TemplateView):
    template_name = "thematic/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, event = self.request.user, self.event
        planner = bool(roles_in(user, self.alliance.pk) & PLANNERS)
        mine = council_ids_in(user, self.alliance.pk)
        councils = list(event.councils.order_by("name"))
        versions = [v for v in summary_versions(event=event) if v.is_rendered]
        entitled = bool(versions) and user.has_perm("reports.download_report", versions[0])
        can_manage = user.has_perm("thematic.manage_event", self.alliance)
        my_councils = [c for c in councils if c.pk in mine]
        # Once the summary is issued the participants read each other's next steps.
        other_councils = (
            [
                c
                for c in councils
                if c.pk not in mine
                and user.has_perm("thematic.view_council_part", CouncilPart(event, c))
            ]
            if my_councils and event.is_past
            else []
        )
        context.update(
            councils=councils,
            my_councils=my_councils,
            other_councils=other_councils,
            can_manage=can_manage,
            can_change=can_manage and not event.is_past,
            can_write_summary=user.has_perm("thematic.write_summary", event),
            show_kloes=planner or event.kloes_published,
            kloes=list(event.kloes.all()) if planner or event.kloes_published else [],
            report_versions=(versions if planner else versions[:1]) if entitled else [],
        )
        return context


class EventKloesView(EventMixin, TemplateView):
    """The theme's key lines of enquiry: written and published by the planners, read by the
    participants once published."""

    template_name = "thematic/event_kloes.html"

    def setup_page(self):
        self.can_manage = self.request.user.has_perm("thematic.manage_event", self.alliance)
        if not (self.can_manage or self.event.kloes_published):
            raise Http404("The key lines of enquiry are not published yet.")

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_page()
        if not self.can_manage:
            raise PermissionDenied
        if "publish" in request.POST:
            try:
                event_kloes_publish(event=self.event)
            except ValidationError as error:
                return self.render_to_response(
                    self.get_context_data(publish_errors=error.messages), status=200
                )
            messages.success(
                request, "Key lines of enquiry published: the participants have been e-mailed."
            )
        else:
            form = KloeForm(request.POST)
            if form.is_valid():
                try:
                    event_kloe_add(event=self.event, question=form.cleaned_data["question"])
                except ValidationError as error:
                    form_errors_from(form, error)
            if form.errors:
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(request, "Line of enquiry added.")
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kloes"] = list(self.event.kloes.all())
        context["can_manage"] = self.can_manage
        if self.can_manage and not self.event.kloes_published:
            context.setdefault("form", KloeForm())
        return context


class AttendanceView(EventMixin, TemplateView):
    """Who is coming from where, and which councils have not nominated yet."""

    # Planners only: EventMixin 404s whoever cannot see the event, then the others get 403.
    permission_required = "thematic.manage_event"
    template_name = "thematic/attendance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = event_attendance(event=self.event)
        context["rows"] = rows
        context["missing"] = [row.council for row in rows if not row.nominations]
        context["total"] = sum(len(row.nominations) for row in rows)
        return context
