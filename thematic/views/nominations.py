"""Who is coming: a participating council's nominated officers, withdrawing one, and the
planners' attendance list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from peerchallenge.views.mixins import ConfirmMixin, form_errors_from

from ..forms.nominations import NominationForm
from ..models import Nomination
from ..permissions import CouncilPart
from ..selectors import event_attendance
from ..services.nominations import nomination_add, nomination_withdraw
from .base import CouncilPartMixin, EventMixin


class NominationsView(CouncilPartMixin, TemplateView):
    template_name = "thematic/nominations.html"

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("thematic.change_council_part", self.part):
            raise PermissionDenied
        form = NominationForm(request.POST)
        if form.is_valid():
            try:
                nomination = nomination_add(
                    event=self.event,
                    council=self.council,
                    nominated_by=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form_errors_from(form, error)
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request, f"{nomination.full_name} nominated: an invitation is on its way to them."
        )
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nominations"] = list(
            Nomination.objects.filter(event=self.event, council=self.council).order_by(
                "full_name", "pk"
            )
        )
        if context["can_edit"] and not self.event.is_past:
            context.setdefault("form", NominationForm())
        return context


class NominationWithdrawView(EventMixin, ConfirmMixin, TemplateView):
    """A destructive step: the page says what withdrawing the officer means; only its "Yes,
    withdraw" (confirm=yes) withdraws them. 404 for a nomination of a council the person
    does not see; 403 for one they see but may not change."""

    template_name = "thematic/nomination_withdraw.html"

    def setup_nomination(self):
        nomination = (
            Nomination.objects.filter(event=self.event, pk=self.kwargs["nomination"])
            .select_related("council")
            .first()
        )
        part = nomination and CouncilPart(event=self.event, council=nomination.council)
        if nomination is None or not self.request.user.has_perm("thematic.view_council_part", part):
            raise Http404("No such nomination.")
        if not self.request.user.has_perm("thematic.change_council_part", part):
            raise PermissionDenied
        self.nomination = nomination

    def get(self, request, *args, **kwargs):
        self.setup_nomination()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_nomination()
        return super().post(request, *args, **kwargs)

    def nominations_url(self) -> str:
        return reverse(
            "thematic:nominations",
            kwargs={
                "alliance": self.alliance.slug,
                "event": self.event.pk,
                "gss": self.nomination.council.gss_code,
            },
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(nomination=self.nomination, cancel_url=self.nominations_url())
        return context

    def confirmed_post(self, request, *args, **kwargs):
        nomination = self.nomination
        try:
            nomination_withdraw(nomination=nomination)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{nomination.full_name}'s nomination withdrawn.")
        return redirect(self.nominations_url())


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
