"""A council's event-day template: agreed actions and next steps."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from peerchallenge.concurrency import record_version
from peerchallenge.models import Action, Tier2Group
from peerchallenge.services import action_create
from peerchallenge.views.mixins import form_errors_from, refusals_on

from ..forms.event_template import ActionForm, NextStepsForm
from ..models import Cycle, TriadMember
from ..selectors import event_template_of
from ..services.event_template import NEXT_STEPS_FIELDS, event_template_for, event_template_save
from .base import CycleMixin


class EventTemplateView(CycleMixin, TemplateView):
    """Seen by whoever sees the council's triad; changed by the council's own people."""

    permission_required = "triads.view_cycle"
    template_name = "triads/event_template.html"

    def dispatch(self, request, *args, **kwargs):
        member = (
            TriadMember.objects.filter(
                alliance=request.alliance,
                cycle_id=kwargs["cycle"],
                council__gss_code=kwargs["gss"],
            )
            .select_related("triad", "council")
            .first()
        )
        if member is None or not request.user.has_perm("triads.view_triad", member.triad):
            raise Http404("No such template for you.")
        self.triad, self.council = member.triad, member.council
        return super().dispatch(request, *args, **kwargs)

    def setup_template(self):
        # A GET never writes: the page shows an unsaved empty template until a POST.
        self.template = event_template_of(cycle=self.cycle, council=self.council)
        self.can_edit = self.request.user.has_perm("triads.change_eventtemplate", self.template)
        self.groups = Tier2Group.objects.filter(alliance=self.alliance)

    def get(self, request, *args, **kwargs):
        self.setup_template()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_template()
        if not self.can_edit:
            raise PermissionDenied
        if self.template.pk is None:
            self.template = event_template_for(cycle=self.cycle, council=self.council)
        if "add_action" in request.POST:
            form = ActionForm(request.POST, groups=self.groups)
            if form.is_valid():
                try:
                    action_create(
                        source=self.cycle,
                        local_authority=self.council,
                        created_by=request.user,
                        not_before=self.cycle.event_date,
                        **form.cleaned_data,
                    )
                except ValidationError as error:
                    form_errors_from(form, error)
            if form.errors:
                return self.render_to_response(self.get_context_data(action_form=form))
            messages.success(request, "Action added.")
        else:
            form = NextStepsForm(request.POST)
            if form.is_valid():
                with refusals_on(form):
                    event_template_save(
                        template=self.template,
                        next_steps=form.cleaned_data["next_steps"],
                        complete=form.cleaned_data["complete"],
                        user=request.user,
                        base_version=form.cleaned_data["base_version"],
                    )
            if form.errors:
                return self.render_to_response(self.get_context_data(steps_form=form))
            messages.success(request, "Template saved.")
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            council=self.council,
            triad=self.triad,
            event_template=self.template,
            can_edit=self.can_edit,
            actions=list(
                Action.objects.filter(
                    source_type=ContentType.objects.get_for_model(Cycle),
                    source_id=self.cycle.pk,
                    local_authority=self.council,
                ).select_related("tier2_group")
            ),
        )
        if self.can_edit:
            context.setdefault("action_form", ActionForm(groups=self.groups))
            context.setdefault(
                "steps_form",
                NextStepsForm(
                    initial={
                        "next_steps": self.template.next_steps,
                        "complete": self.template.completed_at is not None,
                        "base_version": record_version(self.template, NEXT_STEPS_FIELDS),
                    }
                ),
            )
        return context
