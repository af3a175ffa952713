"""The plan slice: the activities agreed by the team and the host, the host's arrangements,
and the schedule on the shared timetable (printable; clashes refused by the service)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from peerchallenge.concurrency import record_version
from peerchallenge.services.timetable import peer_bookings, session_delete, sessions_of
from peerchallenge.views.mixins import ConfirmMixin, form_errors_from, refusals_on
from peerchallenge.views.timetable import SessionFormMixin as BaseSessionFormMixin
from peerchallenge.views.timetable import TimetableSessionMixin, timetable_days

from ..forms.plan import ActivityForm, ArrangementsForm, ScheduleSessionForm
from ..models import Activity, Status
from ..services.plan import (
    ARRANGEMENTS_FIELDS,
    activities_agree,
    activity_add,
    activity_remove,
    arrangements_save,
    review_activities,
    schedule_session_save,
)
from ..services.team import team_people
from .base import ReviewMixin


class ActivitiesView(ReviewMixin, FormView):
    """Everyone who sees the review reads the activities; the host council, the lead
    reviewer and the planners add them and agree the plan."""

    template_name = "ondemand/activities.html"
    form_class = ActivityForm

    @cached_property
    def can_plan(self) -> bool:
        return self.review.status == Status.PLANNING and self.request.user.has_perm(
            "ondemand.plan_activities", self.review
        )

    def post(self, request, *args, **kwargs):
        if not self.can_plan:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if not self.can_plan:
            kwargs["form"] = None
        context = super().get_context_data(**kwargs)
        context.update(activities=review_activities(review=self.review), can_plan=self.can_plan)
        return context

    def form_valid(self, form):
        try:
            activity = activity_add(review=self.review, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{activity.get_kind_display()} added to the plan.")
        return self.to_review("activities")


class ActivityRemoveView(ReviewMixin, ConfirmMixin, TemplateView):
    """A destructive step: the page says what removing the activity means (both sides agree
    the plan again); only its "Yes, remove" (confirm=yes) removes it."""

    review_permission = "ondemand.plan_activities"
    template_name = "ondemand/activity_remove.html"

    def setup_activity(self):
        activities = Activity.objects.filter(review=self.review)
        self.activity = activities.filter(pk=self.kwargs["activity"]).first()
        if self.activity is None:
            raise Http404("No such activity in this plan.")
        if self.review.status != Status.PLANNING:
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        self.setup_activity()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_activity()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        return context

    def confirmed_post(self, request, *args, **kwargs):
        activity = self.activity
        try:
            activity_remove(activity=activity)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{activity.get_kind_display()} removed from the plan.")
        return self.to_review("activities")


class ActivitiesAgreeView(ReviewMixin, View):
    review_permission = "ondemand.plan_activities"

    def post(self, request, *args, **kwargs):
        try:
            activities_agree(review=self.review, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Your agreement to the activities is recorded.")
        return self.to_review("activities")


class SessionFormMixin(BaseSessionFormMixin):
    """The schedule's session form: the review days and the team, saved with the offer's
    rules (ReviewMixin comes first)."""

    form_class = ScheduleSessionForm

    def session_choices(self) -> dict:
        return {"days": self.review.review_days, "peers": team_people(review=self.review)}

    def save_session(self, **fields):
        return schedule_session_save(
            review=self.review, session=self.session, user=self.request.user, **fields
        )

    def back_to_timetable(self):
        return self.to_review("schedule")


class ScheduleView(ReviewMixin, SessionFormMixin, FormView):
    """The schedule by day and time, with the host's arrangements; printable. The host
    council (and the planners) add sessions; others read it and get 403 if they post."""

    template_name = "ondemand/schedule.html"

    @cached_property
    def can_organise(self) -> bool:
        return self.review.status == Status.PLANNING and self.request.user.has_perm(
            "ondemand.organise_schedule", self.review
        )

    def post(self, request, *args, **kwargs):
        if not self.can_organise:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if not self.can_organise:
            kwargs["form"] = None
        context = super().get_context_data(**kwargs)
        sessions = list(sessions_of(challenge=self.review))
        numbers = {day: n for n, day in enumerate(self.review.review_days, start=1)}
        where = {"alliance": self.request.alliance.slug, "review": self.review.pk}
        context.update(
            days=timetable_days(
                sessions=sessions,
                day_numbers=numbers,
                change_url=lambda pk: reverse("ondemand:slot_edit", kwargs={**where, "slot": pk}),
                remove_url=lambda pk: reverse("ondemand:slot_delete", kwargs={**where, "slot": pk}),
            ),
            session_count=len(sessions),
            can_organise=self.can_organise,
            activities=review_activities(review=self.review),
        )
        if context["form"] is not None:
            context["peer_bookings"] = peer_bookings(
                challenge=self.review, **self.session_choices()
            )
        return context


class ArrangementsView(ReviewMixin, FormView):
    review_permission = "ondemand.organise_schedule"
    template_name = "ondemand/arrangements.html"
    form_class = ArrangementsForm

    def get_initial(self):
        return {
            "case_record_access": self.review.case_record_access,
            "key_people": self.review.key_people,
            "base_version": record_version(self.review, ARRANGEMENTS_FIELDS),
        }

    def form_valid(self, form):
        with refusals_on(form):
            arrangements_save(review=self.review, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, "Arrangements saved.")
        return self.to_review("schedule")


class SlotMixin(TimetableSessionMixin):
    """A session of this review's schedule (after ReviewMixin)."""

    session_kwarg = "slot"

    def timetable_owner(self):
        return self.review


class SlotEditView(ReviewMixin, SlotMixin, SessionFormMixin, FormView):
    review_permission = "ondemand.organise_schedule"
    template_name = "ondemand/slot_edit.html"


class SlotDeleteView(ReviewMixin, SlotMixin, ConfirmMixin, TemplateView):
    """A confirmation page; only its "Yes, remove" (confirm=yes) removes the session."""

    review_permission = "ondemand.organise_schedule"
    template_name = "ondemand/slot_delete.html"

    def post(self, request, *args, **kwargs):
        if self.review.status != Status.PLANNING:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def confirmed_post(self, request, *args, **kwargs):
        title = self.session.title
        session_delete(session=self.session)
        messages.success(request, f"“{title}” removed from the schedule.")
        return self.to_review("schedule")
