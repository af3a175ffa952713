"""A person's calendar: their next weeks' events on a page, and their private feed (set it
up or revoke it; the feed itself)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView
from django_scopes import scope

from ..calendar import UPCOMING_WEEKS, calendar_render, events_for, upcoming_for
from ..models import CalendarFeed
from ..models.calendar import hash_token
from ..permissions import alliance_ids_of


class CalendarSettingsView(TemplateView):
    """The person's events of the next weeks (what the feed holds, from today), and their
    feed's address. Outside alliance URLs: read in the scope of all the person's alliances."""

    template_name = "peerchallenge/calendar_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming"] = upcoming_for(user=self.request.user)
        context["upcoming_weeks"] = UPCOMING_WEEKS
        context["feed"] = CalendarFeed.objects.filter(user=self.request.user).first()
        token = self.request.session.pop("calendar_token_once", None)
        if token:
            context["feed_url"] = self.request.build_absolute_uri(
                reverse("calendar_feed", args=[token])
            )
        return context

    def post(self, request, *args, **kwargs):
        CalendarFeed.objects.filter(user=request.user).delete()
        if "revoke" in request.POST:
            messages.success(
                request, "Your calendar feed was turned off. Its address no longer works."
            )
        else:
            token, token_hash = CalendarFeed.new_token()
            CalendarFeed.objects.create(user=request.user, token_hash=token_hash)
            # Shown once, on the next page: only a hash is stored.
            request.session["calendar_token_once"] = token
            messages.success(
                request, "Your new calendar address is ready. Any earlier one no longer works."
            )
        return redirect("calendar_settings")


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(View):
    """The feed a calendar app polls. The secret token is the key; an unknown or revoked
    token gets 404."""

    def get(self, request, token):
        feed = (
            CalendarFeed.objects.filter(token_hash=hash_token(token)).select_related("user").first()
        )
        if feed is None or not feed.user.is_active:
            raise Http404("No such calendar.")
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
        # No one is signed in here: the feed's owner decides which alliances' data it reads.
        with scope(alliance=alliance_ids_of(feed.user)):
            body = calendar_render(events=events_for(user=feed.user), name="Peer Challenge")
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        return response
