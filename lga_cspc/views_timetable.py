"""Preparation: the on-site timetable. Everyone who sees the challenge reads it (and prints
it); the host council's sponsor and organiser and the LGA's planners (`lga_cspc.organise`)
add, change and remove sessions. Clashes are refused by the shared timetable service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from peerchallenge.forms_timetable import SessionForm
from peerchallenge.services.timetable import session_delete, sessions_of
from peerchallenge.views.mixins import form_errors_from
from peerchallenge.views.timetable import timetable_days

from .mixins import ChallengeMixin
from .models import Challenge
from .services_timetable import onsite_days, team_peers, timetable_session_save


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


class SessionFormMixin:
    """The session form, its days and peers from the challenge (ChallengeMixin comes first)."""

    form_class = SessionForm
    session = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            days=onsite_days(challenge=self.challenge),
            peers=team_peers(challenge=self.challenge),
            session=self.session,
        )
        return kwargs

    def form_valid(self, form):
        try:
            session = timetable_session_save(
                challenge=self.challenge,
                session=self.session,
                user=self.request.user,
                **form.session_fields(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        start = timezone.localtime(session.starts_at)
        done = "changed" if self.session is not None else "added"
        messages.success(
            self.request,
            f"“{session.title}” {done}: {start:%A} {start.day} {start:%B}, "
            f"{start:%H:%M} to {timezone.localtime(session.ends_at):%H:%M}.",
        )
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
        return context


class SessionMixin:
    """A session of this challenge's timetable (after ChallengeMixin): 404 for another's."""

    def dispatch(self, request, *args, **kwargs):
        self.session = sessions_of(challenge=self.challenge).filter(pk=kwargs["session"]).first()
        if self.session is None:
            raise Http404("No such session on this timetable.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        return context


class SessionEditView(ChallengeMixin, SessionMixin, SessionFormMixin, FormView):
    challenge_permission = "lga_cspc.organise"
    template_name = "lga_cspc/session_edit.html"


class SessionDeleteView(ChallengeMixin, SessionMixin, TemplateView):
    """A confirmation page; the POST removes the session."""

    challenge_permission = "lga_cspc.organise"
    template_name = "lga_cspc/session_delete.html"

    def post(self, request, *args, **kwargs):
        title = self.session.title
        session_delete(session=self.session)
        messages.success(request, f"“{title}” removed from the timetable.")
        return to_timetable(self)
