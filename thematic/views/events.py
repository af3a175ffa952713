"""Scheduling and changing events; an event's page and its KLOEs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from peerchallenge.models import Tier2Group
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.views.mixins import form_errors_from

from ..forms.events import EventChangeForm, EventForm, KloeForm
from ..models import Theme
from ..permissions import PLANNERS, CouncilPart
from ..selectors import events_of_alliance, summary_versions
from ..services.events import event_change, event_kloe_add, event_kloes_publish, event_schedule
from ..services.themes import themes_ensure_standard
from .base import EventMixin, ThematicMixin


class EventListView(ThematicMixin, TemplateView):
    permission_required = "thematic.view_events"
    template_name = "thematic/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = list(events_of_alliance(alliance=self.alliance, user=self.request.user))
        context["can_manage"] = self.request.user.has_perm("thematic.manage_event", self.alliance)
        return context


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
        initial = {"start_time": "09:30", "end_time": "13:00"}
        # Sent from elsewhere with a theme's name (the regional development plan's hosted
        # visit): that theme, if the alliance has it.
        named = self.request.GET.get("theme", "")[:200]
        theme = Theme.objects.filter(alliance=self.alliance, name__iexact=named).first()
        if named and theme is not None:
            initial["theme"] = theme.pk
        return initial

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
        told = " The participants have been emailed the new arrangements." if changes else ""
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
                request, "Key lines of enquiry published: the participants have been emailed."
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
