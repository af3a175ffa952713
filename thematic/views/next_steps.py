"""A participating council's next steps template, submitted after the event."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from peerchallenge.permissions import action_ids_viewable
from peerchallenge.views.mixins import form_errors_from

from ..forms.next_steps import NextStepsForm
from ..models import NextSteps
from ..selectors import event_actions
from ..services.next_steps import next_steps_submit
from .base import CouncilPartMixin


class NextStepsView(CouncilPartMixin, TemplateView):
    template_name = "thematic/next_steps.html"

    def setup_page(self):
        self.submitted = (
            NextSteps.objects.filter(event=self.event, council=self.council)
            .select_related("submitted_by")
            .first()
        )

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_page()
        if not request.user.has_perm("thematic.change_council_part", self.part):
            raise PermissionDenied
        form = NextStepsForm(request.POST)
        if form.is_valid():
            try:
                steps = next_steps_submit(
                    event=self.event,
                    council=self.council,
                    rows=form.rows(),
                    notes=form.cleaned_data["notes"],
                    submitted_by=request.user,
                )
            except ValidationError as error:
                form_errors_from(form, error)
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form))
        late = " It arrived after the deadline, so it is marked late." if steps.is_late else ""
        messages.success(
            request,
            f"Next steps submitted: they are now agreed actions monitored by "
            f"{self.event.tier2_group.name}.{late}",
        )
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submitted"] = self.submitted
        context["actions"] = (
            list(event_actions(event=self.event, council_ids=[self.council.pk]))
            if self.submitted
            else []
        )
        # Another council's actions are listed for those who follow the event, and linked
        # only for those who may open them.
        context["viewable_actions"] = action_ids_viewable(
            self.request.user, context["actions"], alliance=self.alliance
        )
        context["today"] = self._today()
        context["open"] = self.event.is_past or self.event.date == context["today"]
        if context["can_edit"] and not self.submitted and context["open"]:
            context.setdefault("form", NextStepsForm())
        return context

    @staticmethod
    def _today():
        return timezone.localdate()
