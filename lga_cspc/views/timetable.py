"""Preparation: the on-site timetable. Everyone who sees the challenge reads it (and prints
it); the host council's sponsor and organiser and the LGA's planners (`lga_cspc.organise`)
add, change and remove sessions. Clashes are refused by the shared timetable service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from peerchallenge.forms_timetable import SessionForm
from peerchallenge.services.timetable import peer_bookings, session_delete, sessions_of
from peerchallenge.views.mixins import ConfirmMixin
from peerchallenge.views.timetable import SessionFormMixin as BaseSessionFormMixin
from peerchallenge.views.timetable import TimetableSessionMixin, timetable_days

from ..models import Challenge
from ..services.timetable import onsite_days, team_peers, timetable_session_save
from .base import ChallengeMixin


def timetable_detail_context(*, challenge: Challenge, user) -> dict:
    """What the challenge's page shows of the timetable (lga_cspc/_detail_timetable.html):
    the number of sessions on each on-site day."""
    rows = (
        sessions_of(challenge=challenge)
        .prefetch_related(None)
        .annotate(day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {row["day"]: row["count"] for row in rows}
    numbers = _day_numbers(challenge)
    return {
        "timetable_days": [
            (numbers.get(day), day, counts.get(day, 0)) for day in sorted({*numbers, *counts})
        ],
        "timetable_total": sum(counts.values()),
    }


def _day_numbers(challenge: Challenge) -> dict:
    """On-site day -> its number (1 for the first day)."""
    return {day: n for n, day in enumerate(onsite_days(challenge=challenge), start=1)}


def to_timetable(view):
    return redirect("lga_cspc:timetable", alliance=view.alliance.slug, challenge=view.challenge.pk)


class SessionFormMixin(BaseSessionFormMixin):
    """The session form, its days and peers from the challenge (ChallengeMixin comes first),
    saved with the CSPC's rules."""

    form_class = SessionForm

    def session_choices(self) -> dict:
        return {
            "days": onsite_days(challenge=self.challenge),
            "peers": team_peers(challenge=self.challenge),
        }

    def save_session(self, **fields):
        return timetable_session_save(
            challenge=self.challenge, session=self.session, user=self.request.user, **fields
        )

    def back_to_timetable(self):
        return to_timetable(self)


class TimetableView(ChallengeMixin, SessionFormMixin, FormView):
    """The timetable, a table per on-site day; for organisers, the "Add a session" form.
    Others who see the challenge read it and get 403 if they post."""

    template_name = "lga_cspc/timetable.html"

    @cached_property
    def can_organise(self) -> bool:
        return self.request.user.has_perm("lga_cspc.organise", self.challenge)

    def post(self, request, *args, **kwargs):
        if not self.can_organise:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if not self.can_organise:
            kwargs["form"] = None
        context = super().get_context_data(**kwargs)
        sessions = list(sessions_of(challenge=self.challenge))
        # Sessions left outside the on-site days (if the dates moved) show without a number.
        numbers = _day_numbers(self.challenge)
        where = {"alliance": self.request.alliance.slug, "challenge": self.challenge.pk}
        context.update(
            days=timetable_days(
                sessions=sessions,
                day_numbers=numbers,
                change_url=lambda pk: reverse(
                    "lga_cspc:session_edit", kwargs={**where, "session": pk}
                ),
                remove_url=lambda pk: reverse(
                    "lga_cspc:session_delete", kwargs={**where, "session": pk}
                ),
            ),
            session_count=len(sessions),
            can_organise=self.can_organise,
        )
        if context["form"] is not None:
            context["peer_bookings"] = peer_bookings(
                challenge=self.challenge, **self.session_choices()
            )
        return context


class SessionMixin(TimetableSessionMixin):
    """A session of this challenge's timetable (after ChallengeMixin)."""

    def timetable_owner(self):
        return self.challenge


class SessionEditView(ChallengeMixin, SessionMixin, SessionFormMixin, FormView):
    challenge_permission = "lga_cspc.organise"
    template_name = "lga_cspc/session_edit.html"


class SessionDeleteView(ChallengeMixin, SessionMixin, ConfirmMixin, TemplateView):
    """A confirmation page; only its "Yes, remove" (confirm=yes) removes the session."""

    challenge_permission = "lga_cspc.organise"
    template_name = "lga_cspc/session_delete.html"

    def confirmed_post(self, request, *args, **kwargs):
        title = self.session.title
        session_delete(session=self.session)
        messages.success(request, f"“{title}” removed from the timetable.")
        return to_timetable(self)
