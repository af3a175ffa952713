"""The LGA's booking, and the list and page of each peer challenge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from peerchallenge.permissions import roles_in
from peerchallenge.views.mixins import form_errors_from

from ..forms.booking import BookingForm
from ..permissions import PLANNERS
from ..selectors import (
    bookable_councils,
    catalogue,
    challenge_page_load,
    challenge_page_queryset,
    challenges_visible_to,
)
from ..services.booking import booking_check, challenge_book, lead_time_warning, subsidy_for
from .base import ChallengeMixin, CspcMixin
from .cases import case_review_detail_context
from .close import close_detail_context
from .documents import checklist_detail_context
from .evaluation import evaluation_detail_context
from .onsite import site_log_detail_context
from .report import report_detail_context
from .scoping import scoping_detail_context
from .subsidy import subsidy_detail_context
from .team import team_detail_context
from .timetable import timetable_detail_context


class ChallengeListView(CspcMixin, TemplateView):
    permission_required = "lga_cspc.view_challenges"
    template_name = "lga_cspc/challenge_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["challenges"] = list(challenges_visible_to(user=user, alliance=self.alliance))
        context["can_book"] = user.has_perm("lga_cspc.book_challenge", self.alliance)
        context["can_edit_catalogue"] = user.has_perm("lga_cspc.manage_catalogue", self.alliance)
        return context


class ChallengeBookView(CspcMixin, TemplateView):
    """Request an offer for a council. "Check" shows the subsidy that applies and warns of a
    short lead time; "Request" books it (both keep everything typed)."""

    permission_required = "lga_cspc.book_challenge"
    template_name = "lga_cspc/challenge_book.html"

    def form(self, data=None):
        councils = bookable_councils(user=self.request.user, alliance=self.alliance)
        if not councils.exists():
            raise Http404("You do not direct a council's children's services.")
        initial = {}
        offer_id = self.request.GET.get("offer", "")
        if offer_id.isdigit():
            initial["offer"] = int(offer_id)
        return BookingForm(
            data,
            offers=catalogue(alliance=self.alliance, active_only=True),
            councils=councils,
            initial=initial,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        context = {"form": form}
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking_check(
                    alliance=self.alliance,
                    offer=data["offer"],
                    onsite_start=data["onsite_start"],
                    days=data["days"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
                return self.render_to_response(self.get_context_data(**context))
            percent, reason = subsidy_for(offer=data["offer"], council=data["council"])
            context["check"] = {
                "percent": percent,
                "reason": reason,
                "warning": lead_time_warning(data["onsite_start"]),
                "offer": data["offer"],
                "council": data["council"],
            }
            if "confirm" in request.POST:
                try:
                    challenge = challenge_book(
                        alliance=self.alliance,
                        offer=data["offer"],
                        local_authority=data["council"],
                        onsite_start=data["onsite_start"],
                        days=data["days"],
                        request_notes=data["request_notes"],
                        requested_by=request.user,
                    )
                except ValidationError as error:  # e.g. the offer closed meanwhile
                    form_errors_from(form, error)
                    context.pop("check")
                else:
                    messages.success(request, booking_confirmation(challenge, request.user))
                    return redirect(
                        "lga_cspc:challenge_detail",
                        alliance=self.alliance.slug,
                        challenge=challenge.pk,
                    )
        return self.render_to_response(self.get_context_data(**context))


def booking_confirmation(challenge, user) -> str:
    """What the person who booked is told: the LGA's own planners booked it themselves, so
    nothing was "sent to the LGA's programme manager"."""
    what = f"{challenge.offer.name} in {challenge.local_authority.name}"
    if roles_in(user, challenge.alliance_id) & PLANNERS:
        return (
            f"The {what} is booked as requested. Next, arrange the scoping meeting with "
            "the council's sponsor."
        )
    return (
        f"Your request for a {what} was sent to the LGA's programme manager, who will "
        "arrange the scoping meeting."
    )


class ChallengeDetailView(ChallengeMixin, TemplateView):
    """Every section of the challenge, each from its own feature's view module, all from one
    read of the challenge (selectors.challenge_page_load): the count of queries does not
    grow with the team, the documents, the cases or the report's versions."""

    template_name = "lga_cspc/challenge_detail.html"

    def object_queryset(self):
        # The team read with the challenge answers every section's permission checks.
        return challenge_page_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        challenge = self.challenge
        page = challenge_page_load(challenge=challenge)
        context["can_manage"] = user.has_perm("lga_cspc.manage_challenge", challenge)
        for section in (
            scoping_detail_context,
            team_detail_context,
            checklist_detail_context,
            case_review_detail_context,
            site_log_detail_context,
            report_detail_context,
            evaluation_detail_context,
            close_detail_context,
        ):
            context.update(section(challenge=challenge, user=user, page=page))
        # These two read one list each, whatever its length.
        context.update(timetable_detail_context(challenge=challenge, user=user))
        context.update(subsidy_detail_context(challenge=challenge, user=user))
        return context
