"""The alliance overview: its managers' view of every challenge in progress."""

from django.utils import timezone
from django.views.generic import TemplateView

from ..overview import (
    VIEW_OVERVIEW,
    challenges_in_progress,
    month_view,
    overdue_actions,
    parse_month,
)
from .mixins import AlliancePermissionMixin

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class AllianceOverviewView(AlliancePermissionMixin, TemplateView):
    """Challenges in progress by stage across offers, what is overdue, and a month of dates
    (?month=YYYY-MM; anything else shows this month)."""

    permission_required = VIEW_OVERVIEW
    template_name = "peerchallenge/alliance_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        offers = challenges_in_progress(alliance=self.alliance, today=today, user=self.request.user)
        rows = [row for offer in offers for row in offer.rows]
        first = parse_month(self.request.GET.get("month", ""), today=today)
        context.update(
            today=today,
            offers=offers,
            overdue_stages=[row for row in rows if row.is_overdue],
            overdue=overdue_actions(alliance=self.alliance, today=today),
            weekdays=WEEKDAYS,
            month=month_view(first=first, events=[event for row in rows for event in row.events]),
        )
        return context
