"""The demo reads the same whenever it is seeded: seeded well over a year after the day its
dates were written for, it still has past challenges with reports, work in progress and
events ahead (peerchallenge.demo.demo_day)."""

import datetime
import io

import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from lga_cspc.models import Challenge, Stage
from ondemand.models import Review
from peerchallenge.models import Action, ActionStatus, OfstedJudgement
from reports.models import ReportVersion
from tests import clock
from thematic.models import ThematicEvent
from triads.models import Cycle


def test_demo_seeded_seventeen_months_later_has_past_present_and_future(db):
    later = clock.NOW + datetime.timedelta(days=520)
    with time_machine.travel(later, tick=True):
        call_command("seed_demo", force=True, stdout=io.StringIO())
        today = timezone.localdate()
        with scopes_disabled():
            cycles = list(Cycle.objects.filter(alliance__slug="east-midlands"))
            events = list(ThematicEvent.objects.all())
            actions = list(Action.objects.all())
            challenges = list(Challenge.objects.all())
            reviews = list(Review.objects.all())
            # Versions requested in this test's transaction stay pending (no commit).
            reports = set(ReportVersion.objects.values_list("report", flat=True))
            judged = list(OfstedJudgement.objects.values_list("judgement_date", flat=True))

    assert today == later.date()
    # Triads: a held cycle with its summary, and the next one ahead; names follow the dates.
    assert any(c.event_date < today for c in cycles)
    assert any(c.event_date > today for c in cycles)
    assert all(f"{c.event_date:%B %Y}" in c.name for c in cycles)
    # Thematic events behind and ahead.
    assert any(e.date < today for e in events) and any(e.date > today for e in events)
    # Actions: some overdue, some still ahead.
    open_actions = [a for a in actions if a.status != ActionStatus.COMPLETE]
    assert any(a.due_date < today for a in open_actions)
    assert any(a.due_date > today for a in open_actions)
    # LGA peer challenges: one finished with its final report, one still to come on site.
    assert any(c.stage == Stage.CLOSED or c.onsite_start < today for c in challenges)
    assert any(c.onsite_start > today for c in challenges)
    # On-demand: a review with findings issued in the past, one still ahead.
    assert any(r.findings_issued_at and r.findings_issued_at.date() < today for r in reviews)
    assert any((r.start_date or r.preferred_start) > today for r in reviews)
    # The past challenges' reports were issued, and no Ofsted judgement is dated ahead.
    assert {"triads.summary", "thematic.summary", "lga_cspc.scoping_proposal"} <= reports
    assert judged and max(judged) <= today
