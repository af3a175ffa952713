"""The LGA's booking, and the list and page of each peer challenge."""

from django.http import Http404
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.generic import TemplateView

from peerchallenge.dates import weekday_text
from peerchallenge.permissions import roles_in
from peerchallenge.views.check_answers import (
    Answer,
    CheckAnswersMixin,
    CheckPageMixin,
    QuestionPageMixin,
)

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
from .tasks import challenge_tasks
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


class BookingAnswers(CheckAnswersMixin, CspcMixin):
    """The booking's question and its answers (peerchallenge.views.check_answers): the
    offer, the council, the first on-site day, the days and the notes; the subsidy that
    applies and any short lead time are said before the request is sent."""

    permission_required = "lga_cspc.book_challenge"
    draft_name = "lga_cspc.booking"
    question_url_name = "lga_cspc:challenge_book"
    check_url_name = "lga_cspc:challenge_book_check"
    question_template = "lga_cspc/challenge_book.html"

    def answers_form(self, data=None):
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

    def answers_check(self, form) -> None:
        data = form.cleaned_data
        booking_check(
            alliance=self.alliance,
            offer=data["offer"],
            onsite_start=data["onsite_start"],
            days=data["days"],
        )

    def answers_rows(self, form) -> list[Answer]:
        data = form.cleaned_data
        days = data["days"]
        return [
            Answer("Peer challenge or diagnostic", data["offer"].name, "offer", "the offer"),
            # A DCS books for their own council only: nothing to change.
            Answer(
                "Council",
                data["council"].name,
                "" if form.single_council else "council",
                "the council",
            ),
            Answer(
                "First on-site day",
                weekday_text(data["onsite_start"]),
                "onsite_start",
                "the first on-site day",
            ),
            Answer(
                "On-site days", f"{days} day{pluralize(days)}", "days", "the number of on-site days"
            ),
            Answer(
                "What the peer team should look at",
                data["request_notes"] or "Nothing added",
                "request_notes",
                "what the peer team should look at",
            ),
        ]

    def answers_context(self, form) -> dict:
        data = form.cleaned_data
        percent, reason = subsidy_for(offer=data["offer"], council=data["council"])
        return {
            "subsidy_percent": percent,
            "subsidy_reason": reason,
            "lead_time_warning": lead_time_warning(data["onsite_start"]),
        }

    def answers_send(self, form):
        data = form.cleaned_data
        return challenge_book(
            alliance=self.alliance,
            offer=data["offer"],
            local_authority=data["council"],
            onsite_start=data["onsite_start"],
            days=data["days"],
            request_notes=data["request_notes"],
            requested_by=self.request.user,
        )

    def answers_sent_message(self, sent) -> str:
        return booking_confirmation(sent, self.request.user)

    def answers_sent_url(self, pk: int) -> str:
        return reverse(
            "lga_cspc:challenge_detail", kwargs={"alliance": self.alliance.slug, "challenge": pk}
        )


class ChallengeBookView(BookingAnswers, QuestionPageMixin, TemplateView):
    """Request an offer for a council: "Continue" keeps the answers and shows them, with the
    subsidy that applies, on the check page, which sends the request."""

    template_name = "lga_cspc/challenge_book.html"


class ChallengeBookCheckView(BookingAnswers, CheckPageMixin, TemplateView):
    template_name = "lga_cspc/challenge_book_check.html"


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
    """The booking and a task list of the work (views.tasks), each part's figures from its
    own feature's view module, all from one read of the challenge
    (selectors.challenge_page_load): the count of queries does not grow with the team, the
    documents, the cases or the report's versions."""

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
        context["tasks"] = challenge_tasks(challenge, context)
        return context
