"""Report rendering: time and peak memory (`python -m bench.run --reports`) of the triads
summary report at three sizes (up to all 153 councils), of an LGA peer challenge's written
feedback report with a 40-case case record review, and of an improvement plan of 1,000
actions (issue 12's sizes: each under 3 s of CPU and 300 MB).

In the bench database, inside one transaction that is rolled back at the end (so nothing it
makes stays, and no "report ready" email goes out: those are sent on commit), for cycles of
10, 40 and 153 councils of the national bench alliance:

1. `cycle_create`, `triads_suggest` + `triads_save`, `summary_save` with an overview,
   recommendations and a section per triad, and 3 actions per council with the cycle as
   their source (`action_create`'s rows, bulk-inserted);
2. renders the summary report in-process with `report_render` on a `ReportVersion` from
   `report_request` (its Celery task is enqueued on commit, so never), RENDERS times; a
   new version each time, since `report_render` keeps the first file of a version;
3. prints the median wall time (time.perf_counter) and CPU time of this process
   (time.process_time, which moves less when other work shares the machine; rendering
   runs in this process, WeasyPrint's C libraries included), the peak of Python
   allocations during one more rendering under tracemalloc (tracemalloc slows Python
   down, so that rendering is not timed), and how much the process's peak RSS (getrusage
   ru_maxrss) grew over the renderings of that size, with the PDF's pages and size.

Then, in the same transaction, the CSPC written feedback report (`lga_cspc.feedback_report`)
of a challenge with a peer team of 6, a case record review of 40 cases, each with findings,
and key messages (its appendix), and every section of the report drafted with several
paragraphs (bench/cspc.py, through lga_cspc's services), measured the same way.

Last, in a transaction of its own, the national alliance's data grid (153 councils by the
15 indicators of DfE's shipped extract, which bench.run loads once): its read, and its
landscape PDF as the worker makes it.

ru_maxrss is a high-water mark: the 10-council figure is the growth over everything the
process had touched before (Django, the migrations' check, WeasyPrint's import is done
first), the 40-council figure only what it needed beyond the 10-council peak, and the CSPC
report's only what it needed beyond both.
"""

import datetime
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

import benchmarking
from bench.board import MIXED_SLUG
from bench.cspc import cspc_report_challenge
from bench.run import bench_board
from benchmarking.grid import GRID_PDF, grid_read
from benchmarking.models import DataImport, Figure, Neighbour
from benchmarking.pack_report import pack_pdf_html
from benchmarking.reports import grid_html
from benchmarking.selectors import PACK_PDF
from benchmarking.services import dfe_directory_load
from benchmarking.services.imports import import_claim, import_confirm, import_run, import_start
from improvement.models import (
    MENU_THEMES,
    CollectiveResponse,
    SupportMatch,
    SupportNeed,
    SupportOffer,
    step_defaults,
)
from improvement.selectors import REGIONAL_PLAN_PDF
from improvement.services.cycle import cycle_open
from improvement.services.regional_plan import regional_plan_start, response_add
from lga_cspc.services.report import FEEDBACK_REPORT
from peerchallenge.grouping import triads_suggest
from peerchallenge.models import (
    Action,
    ActionStatus,
    Alliance,
    ImprovementPlan,
    LocalAuthority,
    Membership,
)
from peerchallenge.models.actions import actions_changed
from peerchallenge.reports import IMPROVEMENT_PLAN
from peerchallenge.selectors import improvement_plan
from reports import pdf  # WeasyPrint's import, outside the measurements
from reports.registry import get_report
from reports.services import report_render, report_request
from triads.models import Cycle, Triad
from triads.selectors import cycle_council_infos
from triads.services.cycles import cycle_create, triads_save
from triads.services.summary import summary_save

RENDERS = 3
SIZES = (10, 40, 153)
CASES = 40
PLAN_ACTIONS = 1000
ACTIONS_PER_COUNCIL = 3


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _make_cycle(national, councils, creator, label: str):
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
                agreed_on=event,
            )
            for index, council in enumerate(councils)
            for n in range(ACTIONS_PER_COUNCIL)
        ]
    )
    actions_changed(alliance_id=national.pk)
    return cycle


def _render_once(identifier: str, subject, creator, options=None):
    version = report_request(
        identifier=identifier, subject=subject, requested_by=creator, options=options
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    rendered = report_render(version=version)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rendered.file.delete(save=False)  # the transaction rolls back; the file would stay
    return seconds, cpu, rendered


def _measure(identifier: str, subject, creator, options=None):
    """RENDERS timed renderings, then one under tracemalloc: (wall times, median CPU time
    of this process, peak Python bytes, growth of the process's max RSS in MiB, the last
    rendered version). The CPU time moves less than the wall time when other work shares
    the machine."""
    rss_before = _max_rss_mib()
    times, cpus = [], []
    for _ in range(RENDERS):
        seconds, cpu, version = _render_once(identifier, subject, creator, options)
        times.append(seconds)
        cpus.append(cpu)
    rss_growth = _max_rss_mib() - rss_before
    tracemalloc.start()
    _render_once(identifier, subject, creator, options)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return times, statistics.median(cpus), peak, rss_growth, version


def cspc_report_shape(challenge) -> tuple[int, int, int, int]:
    """What the feedback report holds: sections, their paragraphs (with the appendix's key
    messages), cases, and cases with findings."""
    context = get_report(FEEDBACK_REPORT).context(challenge)
    appendix = context["appendix"]
    cases = appendix["cases"]
    return (
        len(context["report_sections"]),
        sum(len(s["paragraphs"]) for s in context["report_sections"])
        + len(appendix["key_messages"]),
        len(cases),
        sum(bool(c.strengths and c.areas_for_development and c.quality) for c in cases),
    )


def _cspc_report(national, creator):
    """The CSPC feedback report's challenge, with what its report and appendix show."""
    council = LocalAuthority.objects.order_by("gss_code").first()
    return cspc_report_challenge(alliance=national, council=council, user=creator, cases=CASES)


def run_reports() -> None:
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
            times, cpu, peak, rss_growth, version = _measure("triads.summary", cycle, creator)
            triads = cycle.triads.count()
            rows.append((size, triads, setup, times, cpu, peak, rss_growth, version))
            print(f"[bench] {size} councils: set up in {setup:.1f} s, renders {times}", flush=True)
        started = time.perf_counter()
        challenge = _cspc_report(national, creator)
        setup = time.perf_counter() - started
        cspc = (*_measure(FEEDBACK_REPORT, challenge, creator), cspc_report_shape(challenge))
        print(f"[bench] CSPC report: set up in {setup:.1f} s, renders {cspc[0]}", flush=True)
        transaction.set_rollback(True)
    print()
    print(f"summary report, rendered in-process {RENDERS} times per size (median)")
    print()
    print(
        "| councils | triads | actions | render s (median) | min-max s | CPU s (median) "
        "| peak Python alloc MiB | max RSS growth MiB | pages | KB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, triads, _setup, times, cpu, peak, rss_growth, version in rows:
        print(
            f"| {size} | {triads} | {size * ACTIONS_PER_COUNCIL} "
            f"| {statistics.median(times):.2f} | {min(times):.2f}-{max(times):.2f} "
            f"| {cpu:.2f} "
            f"| {peak / 2**20:.1f} | {rss_growth:.1f} | {version.pages} "
            f"| {version.size / 1024:.1f} |"
        )
    times, cpu, peak, rss_growth, version, (sections, paragraphs, cases, findings) = cspc
    print()
    print(f"LGA peer challenge written feedback report, in-process {RENDERS} times (median)")
    print()
    print(
        "| report | sections | paragraphs | cases (with findings) | render s (median) "
        "| min-max s | CPU s (median) | peak Python alloc MiB | max RSS growth MiB | pages | KB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| CSPC feedback + case review appendix | {sections} | {paragraphs} "
        f"| {cases} ({findings}) | {statistics.median(times):.2f} "
        f"| {min(times):.2f}-{max(times):.2f} | {cpu:.2f} | {peak / 2**20:.1f} "
        f"| {rss_growth:.1f} "
        f"| {version.pages} | {version.size / 1024:.1f} |"
    )
    _print_plan_pdf(creator)
    _print_grid_pdf(national, creator)
    _print_pack_pdf(national, creator)
    _print_import(national, creator)
    _print_regional_plan(creator)
    print(f"process max RSS at the end: {_max_rss_mib():.0f} MiB")


def _print_plan_pdf(creator) -> None:
    """The improvement plan's PDF of the mixed board's council (seeded with --board), made up
    to PLAN_ACTIONS actions (copies of its own, from its own sources) inside the rolled-back
    transaction: a report rendered by the worker like the others."""
    with scopes_disabled():
        alliance = Alliance.objects.filter(slug=MIXED_SLUG).first()
    if alliance is None:
        print("improvement plan PDF: no board seeded (seed_scale --board), not measured")
        return
    council = LocalAuthority.objects.get(gss_code=bench_board().gss)
    with scope(alliance=alliance), transaction.atomic():
        _plan_actions_up_to(alliance, council, PLAN_ACTIONS)
        plan, _ = ImprovementPlan.objects.get_or_create(alliance=alliance, local_authority=council)
        times, cpu, peak, rss, version = _measure(IMPROVEMENT_PLAN, plan, creator)
        groups = improvement_plan(alliance=alliance, council=council)
        actions = sum(len(group.actions) for group in groups)
        transaction.set_rollback(True)
    print()
    print(f"improvement plan PDF (worker), in-process {RENDERS} times (median)")
    print()
    print(
        "| council | actions | render s (median) | min-max s | CPU s | peak Python alloc MiB "
        "| max RSS growth MiB | pages | KB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {council.name} | {actions} | {statistics.median(times):.2f} "
        f"| {min(times):.2f}-{max(times):.2f} | {cpu:.2f} | {peak / 2**20:.1f} | {rss:.1f} "
        f"| {version.pages} | {version.size / 1024:.1f} |"
    )


def _print_regional_plan(creator) -> None:
    """The regional development plan's PDF (improvement.plan_report) for the mixed board's
    alliance, whose regions are all nine (153 councils): each council with two needs and an
    offer, half the needs brokered and completed, six collective responses; in the
    rolled-back transaction."""
    with scopes_disabled():
        alliance = Alliance.objects.filter(slug=MIXED_SLUG).first()
    if alliance is None:
        print("regional development plan PDF: no board seeded, not measured")
        return
    councils = list(LocalAuthority.objects.filter(region__alliances=alliance).order_by("gss_code"))
    with scope(alliance=alliance), transaction.atomic():
        year = timezone.localdate().year + 5  # a year no seeded cycle has
        cycle = cycle_open(
            alliance=alliance, year=year, deadlines=step_defaults(year), opened_by=creator
        )
        offers = SupportOffer.objects.bulk_create(
            SupportOffer(
                alliance=alliance,
                cycle=cycle,
                council=council,
                theme=MENU_THEMES[index % len(MENU_THEMES)],
                kind=SupportOffer.Kind.SINGLE,
                title=f"{council.name}'s practice workshop",
                capacity=2,
                evidence=SupportOffer.Evidence.PRACTICE,
                evidence_text="Named as good practice in its last peer challenge report.",
            )
            for index, council in enumerate(councils)
        )
        needs = SupportNeed.objects.bulk_create(
            SupportNeed(
                alliance=alliance,
                cycle=cycle,
                council=council,
                theme=MENU_THEMES[(index + part) % len(MENU_THEMES)],
                title=f"Area for development {part} of {council.name}",
                source=SupportNeed.Source.SELF_EVALUATION,
            )
            for index, council in enumerate(councils)
            for part in (1, 2)
        )
        SupportMatch.objects.bulk_create(
            SupportMatch(
                alliance=alliance,
                need=need,
                offer=offers[(index + 1) % len(offers)],
                state=SupportMatch.State.COMPLETED,
                receiving_accepts=True,
                offering_accepts=True,
                impact="Audits show the difference.",
            )
            for index, need in enumerate(needs[::2])
        )
        for index in range(6):
            response_add(
                cycle=cycle,
                theme=MENU_THEMES[index],
                kind=CollectiveResponse.Kind.SEMINAR,
                title=f"Regional response {index + 1}",
                description="A seminar and a practice guide, with every council taking part.",
                owner="Regional improvement board",
                starts_on=cycle.regional_plan_due,
                ends_on=cycle.regional_plan_due,
            )
        plan = regional_plan_start(cycle=cycle)
        times, cpu, peak, rss, version = _measure(REGIONAL_PLAN_PDF, plan, creator)
        transaction.set_rollback(True)
    print()
    print(f"regional development plan PDF (worker), in-process {RENDERS} times (median)")
    print()
    print(
        "| councils | needs | offers | render s (median) | min-max s | CPU s "
        "| peak Python alloc MiB | max RSS growth MiB | pages | KB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {len(councils)} | {len(needs)} | {len(offers)} | {statistics.median(times):.2f} "
        f"| {min(times):.2f}-{max(times):.2f} | {cpu:.2f} | {peak / 2**20:.1f} | {rss:.1f} "
        f"| {version.pages} | {version.size / 1024:.1f} |"
    )


def _print_grid_pdf(national, creator) -> None:
    """The national alliance's grid (every council by the indicators of its framework, each
    one's latest year): the read alone, then its landscape PDF as the worker makes it (the
    grid's export, `benchmarking.reports`). The figures are DfE's shipped extract, which
    bench.run loads once."""
    with scope(alliance=national), transaction.atomic():
        cpus = []
        for _ in range(RENDERS):
            started = time.process_time()
            grid = grid_read(alliance=national)
            cpus.append(time.process_time() - started)
        times, cpu, peak, rss, version = _measure(GRID_PDF, national, creator)
        pages = pdf.html_to_pdf(grid_html(national, version)).pages  # not timed
        transaction.set_rollback(True)
    print()
    print(f"national data grid: its read and its PDF (worker), {RENDERS} times (median)")
    print()
    print(
        "| councils | indicators | read CPU ms | render s (median) | min-max s | CPU s "
        "| peak Python alloc MiB | max RSS growth MiB | pages | KB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {len(grid.rows)} | {len(grid.columns)} | {statistics.median(cpus) * 1000:.0f} "
        f"| {statistics.median(times):.2f} | {min(times):.2f}-{max(times):.2f} | {cpu:.2f} "
        f"| {peak / 2**20:.1f} | {rss:.1f} | {pages} | {version.size / 1024:.1f} |"
    )


def _print_pack_pdf(national, creator) -> None:
    """A council's data pack as a PDF (benchmarking.pack_report): 15 indicators, up to 13
    years, 10 neighbours, two charts each, as the worker makes it. Derby, from the shipped
    extract."""
    derby = LocalAuthority.objects.select_related("region").get(name="Derby")
    with scope(alliance=national), transaction.atomic():
        times, cpu, peak, rss, version = _measure(
            PACK_PDF, national, creator, options={"council": derby.pk, "council_name": "Derby"}
        )
        pages = pdf.html_to_pdf(pack_pdf_html(alliance=national, council=derby)).pages
        transaction.set_rollback(True)
    print()
    print(f"data pack PDF of one council (worker), {RENDERS} times (median)")
    print()
    print(
        "| council | render s (median) | min-max s | CPU s | peak Python alloc MiB "
        "| max RSS growth MiB | pages | KB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {derby.name} | {statistics.median(times):.2f} | {min(times):.2f}-{max(times):.2f} "
        f"| {cpu:.2f} | {peak / 2**20:.1f} | {rss:.1f} | {pages} | {version.size / 1024:.1f} |"
    )


def _print_import(national, creator) -> None:
    """Importing the whole shipped extract as a data lead does in the browser: each file
    uploaded (import_start), checked and then loaded by the worker's steps (import_claim +
    import_run), confirmed in between; for the national alliance, whose own loads are new
    rows beside the shared figures. In a rolled-back transaction; the stored files removed."""
    folder = Path(benchmarking.__file__).parent / "data" / "dfe"
    files = sorted(
        path
        for path in folder.glob("*.csv")
        if path.name != "indicators.csv" and not path.name.endswith(".meta.csv")
    )
    rows = []
    with scope(alliance=national), transaction.atomic():
        for path in files:
            started, cpu = time.perf_counter(), time.process_time()
            made = import_start(
                alliance=national,
                upload=SimpleUploadedFile(path.name, path.read_bytes(), "text/csv"),
                uploaded_by=creator,
            )
            import_run(data_import=import_claim(import_id=made.pk))
            made.refresh_from_db()
            checked = time.perf_counter() - started
            if made.state == DataImport.State.CHECKED:
                import_confirm(data_import=made, confirmed_by=creator)
                import_run(data_import=import_claim(import_id=made.pk))
                made.refresh_from_db()
            rows.append(
                (
                    path.name,
                    path.stat().st_size,
                    made.report.get("rows_read", 0),
                    (made.result or {}).get("added", (made.result or {}).get("neighbours", "")),
                    made.state if not made.refusal else f"refused: {made.refusal[:80]}",
                    checked,
                    time.perf_counter() - started,
                    time.process_time() - cpu,
                )
            )
            made.file.delete(save=False)
        # And the whole extract into an empty store, as `load_dfe` does for a new install:
        # the shared figures and neighbours taken away first (rolled back with the rest).
        Figure.objects.filter(alliance__isnull=True).delete()
        Neighbour.objects.filter(alliance__isnull=True).delete()
        started, cpu = time.perf_counter(), time.process_time()
        loaded = dfe_directory_load()
        full = (loaded.added, time.perf_counter() - started, time.process_time() - cpu)
        transaction.set_rollback(True)
    print()
    print("importing the shipped extract through the browser's path (check, confirm, load)")
    print()
    print("| file | KB | rows read | added | state | check s | check + load s | CPU s |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    for name, size, read, added, state, checked, total, cpu in rows:
        print(
            f"| {name} | {size / 1024:.0f} | {read} | {added} | {state} | {checked:.2f} "
            f"| {total:.2f} | {cpu:.2f} |"
        )
    print(
        f"| all {len(rows)} files | {sum(r[1] for r in rows) / 1024:.0f} | "
        f"{sum(r[2] for r in rows if isinstance(r[2], int))} | | | "
        f"{sum(r[5] for r in rows):.2f} | {sum(r[6] for r in rows):.2f} "
        f"| {sum(r[7] for r in rows):.2f} |"
    )
    print()
    print(
        f"load_dfe into an empty store: {full[0]} figures and the neighbours in {full[1]:.2f} s "
        f"({full[2]:.2f} s CPU)"
    )


def _plan_actions_up_to(alliance, council, total: int) -> None:
    """Copies of the council's own actions (same sources, owners and dates) until it has
    `total`."""
    own = list(Action.objects.filter(alliance=alliance, local_authority=council).order_by("pk"))
    if not own or len(own) >= total:
        return
    fields = [f.attname for f in Action._meta.concrete_fields if not f.primary_key]
    copies = []
    for n in range(total - len(own)):
        # A new row from the original's values (the original is not changed: reusing it would
        # make each copy's text the last copy's plus one more number).
        original = own[n % len(own)]
        values = {name: getattr(original, name) for name in fields}
        values["what"] = f"{original.what} (copy {n + 1})"
        copies.append(Action(**values))
    Action.objects.bulk_create(copies)
    actions_changed(alliance_id=alliance.pk)
