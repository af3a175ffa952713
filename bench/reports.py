"""Summary report rendering at two sizes: time and peak memory (`python -m bench.run --reports`).

In the bench database, inside one transaction that is rolled back at the end (so nothing it
makes stays, and no "report ready" e-mail goes out: those are sent on commit), for a cycle of
10 and one of 40 councils of the national bench alliance:

1. `cycle_create`, `triads_suggest` + `triads_save`, `summary_save` with an overview,
   recommendations and a section per triad, and 3 actions per council with the cycle as
   their source (`action_create`'s rows, bulk-inserted);
2. renders the summary report in-process with `report_render` on a `ReportVersion` from
   `report_request` (its Celery task is enqueued on commit, so never), RENDERS times; a
   new version each time, since `report_render` keeps the first file of a version;
3. prints the median wall time (time.perf_counter), the peak of Python allocations during
   one more rendering under tracemalloc (tracemalloc slows Python down, so that rendering
   is not timed), and how much the process's peak RSS (getrusage ru_maxrss) grew over
   the renderings of that size, with the PDF's pages and size.

ru_maxrss is a high-water mark: the 10-council figure is the growth over everything the
process had touched before (Django, the migrations' check, WeasyPrint's import is done
first), the 40-council figure only what it needed beyond the 10-council peak.
"""

import datetime
import resource
import statistics
import time
import tracemalloc

RENDERS = 3
SIZES = (10, 40)
ACTIONS_PER_COUNCIL = 3


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _make_cycle(national, councils, creator, label: str):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from peerchallenge.models import Action, ActionStatus
    from triads.grouping import triads_suggest
    from triads.models import Cycle, Triad
    from triads.selectors import cycle_council_infos
    from triads.services import cycle_create, summary_save, triads_save

    event = timezone.localdate() - datetime.timedelta(days=30)
    cycle = cycle_create(
        alliance=national,
        created_by=creator,
        councils=councils,
        name=f"Bench report cycle {label}",
        event_date=event,
        venue="Bench hall",
    )
    suggestion = triads_suggest(cycle_council_infos(cycle=cycle), past_pairs={})
    triads_save(cycle=cycle, groups=[list(group) for group in suggestion.groups])
    paragraph = (
        "The councils discussed how they know the quality of practice at the front door, "
        "how supervision is recorded and acted on, and how the voice of the child shapes "
        "plans. Each council brought an audit and a case to discuss. "
    )
    summary_save(
        cycle=cycle,
        overview=paragraph * 4,
        recommendations=paragraph * 2,
        triad_texts={triad.pk: paragraph * 3 for triad in Triad.objects.filter(cycle=cycle)},
    )
    cycle_type = ContentType.objects.get_for_model(Cycle)
    statuses = list(ActionStatus.values)
    # The rows action_create writes (without its per-row history), 3 per council.
    Action.objects.bulk_create(
        [
            Action(
                alliance=national,
                local_authority=council,
                source_type=cycle_type,
                source_id=cycle.pk,
                what=f"Action {n + 1} for {council.name}: review the audit findings and "
                "agree a plan with the practice leads",
                owner="Head of service",
                due_date=event + datetime.timedelta(days=60 * (n + 1)),
                status=statuses[(index + n) % len(statuses)],
                created_by=creator,
            )
            for index, council in enumerate(councils)
            for n in range(ACTIONS_PER_COUNCIL)
        ]
    )
    return cycle


def _render_once(cycle, creator):
    from reports.services import report_render, report_request

    version = report_request(identifier="triads.summary", subject=cycle, requested_by=creator)
    started = time.perf_counter()
    rendered = report_render(version=version)
    seconds = time.perf_counter() - started
    rendered.file.delete(save=False)  # the transaction rolls back; the file would stay
    return seconds, rendered


def run_reports() -> None:
    from django.conf import settings
    from django.db import transaction
    from django_scopes import scope, scopes_disabled

    from peerchallenge.models import Alliance, LocalAuthority, Membership
    from reports import pdf  # noqa: F401  WeasyPrint's import, outside the measurements

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with scopes_disabled():
        national = Alliance.objects.get(slug="bench-national")
        creator = (
            Membership.objects.filter(alliance=national, role="programme_manager")
            .select_related("user")
            .order_by("user_id")
            .first()
            .user
        )
    councils = list(LocalAuthority.objects.order_by("gss_code"))
    rows = []
    with scope(alliance=national), transaction.atomic():
        for size in SIZES:
            started = time.perf_counter()
            cycle = _make_cycle(national, councils[:size], creator, f"{size}")
            setup = time.perf_counter() - started
            rss_before = _max_rss_mib()
            times = []
            for _ in range(RENDERS):
                seconds, version = _render_once(cycle, creator)
                times.append(seconds)
            rss_growth = _max_rss_mib() - rss_before
            tracemalloc.start()
            _render_once(cycle, creator)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            triads = cycle.triads.count()
            rows.append((size, triads, setup, times, peak, rss_growth, version))
            print(f"[bench] {size} councils: set up in {setup:.1f} s, renders {times}", flush=True)
        transaction.set_rollback(True)
    print()
    print(f"summary report, rendered in-process {RENDERS} times per size (median)")
    print()
    print(
        "| councils | triads | actions | render s (median) | min-max s "
        "| peak Python alloc MiB | max RSS growth MiB | pages | KB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, triads, _setup, times, peak, rss_growth, version in rows:
        print(
            f"| {size} | {triads} | {size * ACTIONS_PER_COUNCIL} "
            f"| {statistics.median(times):.2f} | {min(times):.2f}-{max(times):.2f} "
            f"| {peak / 2**20:.1f} | {rss_growth:.1f} | {version.pages} "
            f"| {version.size / 1024:.1f} |"
        )
    print(f"process max RSS at the end: {_max_rss_mib():.0f} MiB")
