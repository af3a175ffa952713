"""What the offers' timetable pages share: the sessions laid out by day, each with the links
to change or remove it (the table itself is `includes/timetable_days.html`), the session a
URL names, and the add/change form's handling. An offer's views say whose timetable it is,
which days and peers the form offers, how a session is saved (its own rules) and where to
go back to."""

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404
from django.utils import timezone

from ..models import Session
from ..services.timetable import sessions_by_day, sessions_of
from .mixins import refusals_on


def timetable_days(
    *,
    sessions: list[Session],
    day_numbers: dict[datetime.date, int],
    change_url: Callable[[int], str] | None = None,
    remove_url: Callable[[int], str] | None = None,
) -> list[tuple[int | None, datetime.date, list[Session]]]:
    """(day number, day, its sessions) for every numbered day and any other day that has
    sessions (when the dates moved: shown without a number). With the URL makers, each
    session gets `change_url` and `remove_url` for the organiser's links."""
    for session in sessions:
        if change_url:
            session.change_url = change_url(session.pk)
        if remove_url:
            session.remove_url = remove_url(session.pk)
    return [
        (day_numbers.get(day), day, day_sessions)
        for day, day_sessions in sessions_by_day(sessions=sessions, days=day_numbers)
    ]


class TimetableSessionMixin:
    """`self.session`: the session named by the URL's `session_kwarg` on the timetable of
    `timetable_owner()` (set by the offer's mixin, which comes first); 404 for another's."""

    session_kwarg = "session"

    def timetable_owner(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.session = (
            sessions_of(challenge=self.timetable_owner())
            .filter(pk=kwargs[self.session_kwarg])
            .first()
        )
        if self.session is None:
            raise Http404("No such session on this timetable.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        return context


class SessionFormMixin:
    """Adding a session (no `self.session`) or changing one: the form gets the offer's days
    and peers, the offer's service saves it (its refusals shown on the form), and the person
    goes back to the timetable with what was done."""

    session = None

    def session_choices(self) -> dict:
        """The form's `days` and `peers`."""
        raise NotImplementedError

    def save_session(self, **fields) -> Session:
        raise NotImplementedError

    def back_to_timetable(self):
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(session=self.session, **self.session_choices())
        return kwargs

    def form_valid(self, form):
        with refusals_on(form):
            session = self.save_session(**form.session_fields())
        if form.errors:
            return self.form_invalid(form)
        start = timezone.localtime(session.starts_at)
        done = "changed" if self.session is not None else "added"
        messages.success(
            self.request,
            f"“{session.title}” {done}: {start:%A} {start.day} {start:%B}, "
            f"{start:%H:%M} to {timezone.localtime(session.ends_at):%H:%M}.",
        )
        return self.back_to_timetable()
