"""National-scale benchmark: gunicorn on PostgreSQL, signed-in clients, a dozen pages.

    .venv/bin/python -m bench.run [--requests 400] [--concurrency 8] [--skip-seed] [--drop]
    .venv/bin/python -m bench.run --reports   # report rendering (bench/reports.py)

1. Creates the PostgreSQL database `peerchallenge_bench` on 127.0.0.1:5432 (user postgres)
   if it is missing, migrates it and runs `seed_scale` (skipped when the data is there).
2. Collects static files into a temporary STATIC_ROOT (production settings use a manifest)
   and starts gunicorn with production settings on a free loopback port.
3. Signs people in without the browser flow: it writes Django sessions for a few managers
   of each alliance it visits and sends `Cookie: sessionid=...` itself (so the cookie's
   Secure flag does not matter over plain http).
4. For each page, drives `--concurrency` threads for `--requests` requests (after a short
   warm-up), asserts every response is 200, and records the latencies.
5. Counts the queries of each page by making the same request in-process through Django's
   test client inside CaptureQueriesContext, against the same database and settings, and
   times the CPU this process spends on one such request.
6. Prints requests/s, p50 and p95 latency and queries per request, per page.

Gunicorn is always stopped and the sessions it wrote deleted; the database stays for the
next run unless `--drop`. Only loopback traffic.
"""

import argparse
import http.client
import io
import itertools
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

import django
import gunicorn
import psycopg
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "peerchallenge_bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/14"
NATIONAL_SLUG = "bench-national"
FLOOR_PATH = "/bench/floor/"
MANAGER_ROLES = ("alliance_admin", "programme_manager", "coordinator")
# Who runs the LGA's peer challenges and sees every one of them (lga_cspc.permissions.PLANNERS);
# an alliance admin is not one of them and gets 404 on a challenge's pages.
PLANNER_ROLES = ("programme_manager", "coordinator")
SESSIONS_PER_ALLIANCE = 8
READY_TIMEOUT = 30  # seconds for gunicorn to answer /healthz
REQUEST_TIMEOUT = 30  # seconds for one request


@dataclass
class Page:
    label: str
    path: str
    sessions: list[str]
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    capped: bool = False
    size: int = 0
    queries: list[int] = field(default_factory=list)
    cpu: float = 0.0


def parse_args(argv=None):
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="Requests per page (400).")
    parser.add_argument("--concurrency", type=int, default=8, help="Concurrent clients (8).")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(4, max(2, 2 * cpus)),
        help="Gunicorn sync workers (2 x CPUs, between 2 and 4).",
    )
    parser.add_argument(
        "--time-cap", type=float, default=120, help="Seconds at most per page (120)."
    )
    parser.add_argument(
        "--regional", default="bench-london", help="The regional alliance to visit (bench-london)."
    )
    parser.add_argument(
        "--settings",
        default="config.settings.production",
        help="Settings module for gunicorn and this process (config.settings.production).",
    )
    parser.add_argument("--skip-seed", action="store_true", help="Do not run seed_scale.")
    parser.add_argument("--reseed", action="store_true", help="Run seed_scale --reset.")
    parser.add_argument("--drop", action="store_true", help="Drop the database at the end.")
    parser.add_argument(
        "--actions",
        type=int,
        default=10_000,
        help="Actions on the Tier 2 board seeded by seed_scale, from triad cycles, thematic "
        "events and on-demand reviews of bench-england (10000; 0 leaves those pages out).",
    )
    parser.add_argument(
        "--cspc-sessions",
        type=int,
        default=60,
        help="Sessions on the timetable of the LGA peer challenge seeded by seed_scale (60; "
        "0 leaves the timetable page out).",
    )
    parser.add_argument(
        "--reports",
        action="store_true",
        help="Instead of the pages: render summary reports of 10, 40 and 153 councils, an LGA "
        "peer challenge feedback report with a 40-case appendix and a 1,000-action "
        "improvement plan in-process, and print their time and peak memory "
        "(bench/reports.py).",
    )
    parser.add_argument(
        "--scan",
        action="store_true",
        help="Instead of the pages: time the daily reminder scan of every alliance (the "
        "day's, the same again with nothing to send, the next day's) in a rolled-back "
        "transaction, with its queries (bench/scan.py).",
    )
    parser.add_argument(
        "--walk",
        action="store_true",
        help="Instead of the load: open every GET page in-process, per person who opens it, "
        "in a small and a large instance of its data; fail on a 500 or a query count that "
        "grows (bench/walk.py).",
    )
    args = parser.parse_args(argv)
    if args.walk and not (args.actions and args.cspc_sessions):
        parser.error(
            "--walk needs the Tier 2 board and the peer challenge: --actions and "
            "--cspc-sessions above 0."
        )
    if not (1 <= args.concurrency <= 64 and 1 <= args.requests <= 100_000):
        parser.error("--concurrency must be 1-64 and --requests 1-100000.")
    if not 1 <= args.workers <= 16:
        parser.error("--workers must be 1-16.")
    return args


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- PostgreSQL ---------------------------------------------------------------------------


def _server_connection():
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)


def ensure_database() -> None:
    with _server_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            log(f"creating database {DB_NAME}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))


def drop_database() -> None:
    connections.close_all()
    with _server_connection() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
        )
    log(f"dropped database {DB_NAME}")


# --- Environment and Django ---------------------------------------------------------------


def bench_environment(static_root: str, settings_module: str) -> dict[str, str]:
    """What gunicorn and this process both run with: production settings, bench database."""
    return {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "PEERCHALLENGE_BENCH": "1",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def build_frontend() -> None:
    if (BASE_DIR / "static" / "dist" / "app.css").exists():
        return
    log("static/dist/app.css is missing: npm run build")
    subprocess.run(["npm", "run", "--silent", "build"], cwd=BASE_DIR, check=True)  # noqa: S607


def prepare_data(args) -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - started:.1f} s")
    if not args.skip_seed:
        call_command(
            "seed_scale",
            reset=args.reseed,
            actions=args.actions,
            cspc_sessions=args.cspc_sessions,
            force=True,
        )
    load_dfe_once()
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"collected static files in {time.perf_counter() - started:.1f} s")


def load_dfe_once() -> None:
    """DfE's published figures (the shipped extract), which the grid pages and the grid's
    PDF read: loaded once, like the councils, and kept with the bench database."""
    # Here: bench.run starts as a script; models load only after main() sets Django up.
    from benchmarking.models import Figure

    if Figure.objects.filter(alliance__isnull=True).exists():
        return
    started = time.perf_counter()
    call_command("load_dfe", stdout=io.StringIO())
    log(f"loaded DfE's figures in {time.perf_counter() - started:.1f} s")


@dataclass(frozen=True)
class Board:
    """What the board pages need from the mixed board seed_scale made (bench/board.py)."""

    group: int
    gss: str  # the council with most sources, then most actions
    offer: int  # the thematic offer's content type id: the offer filter's value
    theme: str  # the theme with most actions
    source: str  # "<content type id>:<id>" of the thematic event with most actions


def bench_board() -> Board:
    # Here: bench.run starts as a script; models load only after main() sets Django up.
    from django.contrib.contenttypes.models import ContentType

    from bench.board import MIXED_SLUG, TIER2_GROUP_NAME
    from peerchallenge.models import Action, Tier2Group
    from thematic.models import ThematicEvent

    # Outside any request: the benchmark looks up what seed_scale made.
    with scopes_disabled():
        group = Tier2Group.objects.filter(alliance__slug=MIXED_SLUG, name=TIER2_GROUP_NAME).first()
        if group is None:
            raise SystemExit("No bench Tier 2 group: seed with --actions (drop --skip-seed).")
        actions = Action.objects.filter(tier2_group=group).order_by()
        busiest = (
            actions.values("local_authority__gss_code")
            .annotate(
                sources=Count("source_type_id", distinct=True),
                pairs=Count("source_id", distinct=True),
                n=Count("pk"),
            )
            .order_by("-sources", "-pairs", "-n", "local_authority__gss_code")
            .first()
        )
        event_type = ContentType.objects.get_for_model(ThematicEvent).pk
        event = (
            actions.filter(source_type_id=event_type)
            .values("source_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "source_id")
            .first()
        )
        theme = (
            ThematicEvent.objects.filter(pk=event["source_id"]).values_list(
                "theme__name", flat=True
            )
        ).get()
    return Board(
        group=group.pk,
        gss=busiest["local_authority__gss_code"],
        offer=event_type,
        theme=theme,
        source=f"{event_type}:{event['source_id']}",
    )


def board_pages(board: Board) -> list[tuple[str, str]]:
    """(label, path) of the Tier 2 board and improvement plan pages of the mixed board."""
    # Here: bench.run starts as a script; models load only after main() sets Django up.
    from bench.board import MIXED_SLUG

    path = f"/a/{MIXED_SLUG}/tier2/{board.group}/"
    plan = f"/a/{MIXED_SLUG}/councils/{board.gss}/plan"
    return [
        ("Tier 2 board, page 1", path),
        ("Tier 2 board, page 20", f"{path}?page=20"),
        ("Tier 2 board, overdue, page 1", f"{path}?overdue=1"),
        ("Tier 2 board, by offer (thematic), page 1", f"{path}?offer={board.offer}"),
        ("Tier 2 board, by theme, page 1", f"{path}?{urlencode({'theme': board.theme})}"),
        ("Tier 2 board, by source (one event)", f"{path}?{urlencode({'source': board.source})}"),
        ("improvement plan (one council, several sources)", f"{plan}/"),
        ("alliance overview (the board's alliance)", f"/a/{MIXED_SLUG}/overview/"),
    ]


def offer_detail_pages() -> list[tuple[str, str]]:
    """(label, path) of each regional offer's detail page at its largest in the board's
    alliance: the newest 153-council triad cycle, the thematic event with most councils and
    an on-demand review with its findings issued. Opened by its planners (an alliance admin
    manages people, not reviews)."""
    # Here: bench.run starts as a script; models load only after main() sets Django up.
    from django.urls import reverse

    from bench.board import MIXED_SLUG
    from ondemand.models import Review
    from thematic.models import ThematicEvent
    from triads.models import Cycle

    with scopes_disabled():  # outside any request: what seed_scale made
        cycle = Cycle.objects.filter(alliance__slug=MIXED_SLUG).order_by("-event_date").first()
        event = (
            ThematicEvent.objects.filter(alliance__slug=MIXED_SLUG)
            .annotate(n=Count("councils"))
            .order_by("-n", "pk")
            .first()
        )
        review = Review.objects.filter(alliance__slug=MIXED_SLUG).order_by("pk").first()
        councils = cycle.councils.count()
    kwargs = {"alliance": MIXED_SLUG}
    return [
        (
            f"triad cycle ({councils} councils)",
            reverse("triads:cycle_detail", kwargs={**kwargs, "cycle": cycle.pk}),
        ),
        (
            "thematic event (most councils)",
            reverse("thematic:event_detail", kwargs={**kwargs, "event": event.pk}),
        ),
        (
            "on-demand review (findings issued)",
            reverse("ondemand:review_detail", kwargs={**kwargs, "review": review.pk}),
        ),
    ]


def bench_timetable() -> int:
    """The id of the national alliance's LGA peer challenge that seed_scale made."""
    # Here: bench.run starts as a script; models load only after main() sets Django up.
    from bench.cspc import CSPC_OFFER_NAME
    from lga_cspc.models import Challenge

    # Outside any request: the benchmark looks up what seed_scale made.
    with scopes_disabled():
        challenge = (
            Challenge.objects.filter(alliance__slug=NATIONAL_SLUG, offer__name=CSPC_OFFER_NAME)
            .order_by("pk")
            .first()
        )
    if challenge is None:
        raise SystemExit("No bench peer challenge: seed with --cspc-sessions (drop --skip-seed).")
    return challenge.pk


def manager_ids(slug: str, roles=MANAGER_ROLES) -> list[int]:
    """Up to SESSIONS_PER_ALLIANCE people holding one of `roles` in the alliance, by id."""
    # Here: bench.run starts as a script; models load only after main() sets Django up.
    from peerchallenge.models import Membership

    # Outside any request: the benchmark picks people across alliances to sign in as.
    with scopes_disabled():
        return list(
            Membership.objects.filter(alliance__slug=slug, role__in=roles)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:SESSIONS_PER_ALLIANCE]
        )


def manager_sessions(slug: str, roles=MANAGER_ROLES) -> list[str]:
    """Sessions for a few people who may see this alliance's member list (with `roles`,
    for people holding one of those)."""
    # Here: bench.run starts as a script; models load only after main() sets Django up.
    from peerchallenge.models import User

    user_ids = manager_ids(slug, roles)
    if not user_ids:
        raise SystemExit(f"No managers in alliance {slug}: seed the data (drop --skip-seed).")
    engine = import_module(settings.SESSION_ENGINE)
    keys = []
    for user in User.objects.filter(pk__in=user_ids):
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "peerchallenge.auth_backends.SignInBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def delete_sessions(keys: list[str]) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    for key in keys:
        engine.SessionStore(session_key=key).delete()


# --- Gunicorn -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, env: dict[str, str], log_path: Path):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--error-logfile",
        str(log_path),
        "--no-control-socket",
    ]
    log(f"starting gunicorn on 127.0.0.1:{port} with {workers} workers")
    process = subprocess.Popen(  # noqa: S603
        command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited early:\n{tail(log_path)}")
        try:
            # Up when the app answers: 503 too, since /healthz also asks for the Celery
            # worker's and beat's heartbeats and the bench runs neither.
            status, _, _ = get(port, "/healthz", None)
            if status in (200, 503):
                return process
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(
        f"gunicorn did not answer /healthz within {READY_TIMEOUT} s:\n{tail(log_path)}"
    )


def stop_gunicorn(process) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    log("gunicorn stopped")


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- The load -----------------------------------------------------------------------------


def get(port: int, path: str, session_key: str | None) -> tuple[int, bytes, float]:
    """One GET on a fresh connection (gunicorn's sync workers close it after each answer)."""
    headers = {"Host": "127.0.0.1", "Accept": "text/html"}
    if session_key:
        headers["Cookie"] = f"sessionid={session_key}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, body, time.perf_counter() - started


def check_page(port: int, page: Page, log_path: Path) -> None:
    status, body, _ = get(port, page.path, page.sessions[0])
    if status != 200:
        hint = ""
        if page.path == FLOOR_PATH and status == 404:
            hint = "\nThe floor page is not mounted: config/urls.py must include bench.urls."
        raise SystemExit(
            f"{page.path} answered {status}, not 200:{hint}\n{body[:500]!r}\n"
            f"gunicorn log:\n{tail(log_path)}"
        )
    page.size = len(body)


def drive(port: int, page: Page, requests: int, concurrency: int, time_cap: float) -> None:
    """`requests` GETs from `concurrency` threads, stopping early at `time_cap` seconds."""
    counter = itertools.count()
    lock = threading.Lock()
    errors: list[str] = []
    latencies: list[float] = []
    deadline = time.monotonic() + time_cap
    page.capped = False

    def client(number: int) -> None:
        session = page.sessions[number % len(page.sessions)]
        while not errors:
            with lock:
                index = next(counter)
            if index >= requests:
                return
            if time.monotonic() > deadline:
                page.capped = True
                return
            try:
                status, _, seconds = get(port, page.path, session)
            except OSError as error:
                errors.append(f"{type(error).__name__}: {error}")
                return
            if status != 200:
                errors.append(f"status {status}")
                return
            with lock:
                latencies.append(seconds)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    page.elapsed = time.perf_counter() - started
    page.latencies = latencies
    if errors:
        raise SystemExit(f"{page.path}: {errors[0]} ({len(errors)} failed requests)")


CPU_SAMPLES = 10


def count_queries(page: Page) -> None:
    """The page's queries, in-process through the test client, for up to three people.

    Also the CPU time this process spends on the page (median of CPU_SAMPLES requests, one
    at a time): the Python side of a request without the HTTP server, and less sensitive to
    other work on the machine than the latencies under load. PostgreSQL's time is not in it.
    """
    for session in page.sessions[:3]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = session
        client.get(page.path)  # warm-up: per-process caches (content types, templates)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        if response.status_code != 200:
            raise SystemExit(f"in-process {page.path} answered {response.status_code}")
        page.queries.append(len(captured))
    samples = []
    for _ in range(CPU_SAMPLES):
        started = time.process_time()
        client.get(page.path)
        samples.append(time.process_time() - started)
    page.cpu = statistics.median(samples)


# --- Report -------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.1f} GiB"
    except (ValueError, OSError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]

    return [
        f"CPU: {model}, {os.cpu_count()} logical CPUs; memory {memory}",
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"Django {django.get_version()}; gunicorn {gunicorn.__version__}; PostgreSQL {postgres}",
    ]


def report(pages: list[Page], args, load_before: str) -> None:
    print()
    print("command: python -m bench.run " + " ".join(sys.argv[1:]))
    for line in machine():
        print(line)
    print(f"load average (1, 5, 15 min): {load_before} before the load, {load_average()} after")
    print(
        f"gunicorn: {args.workers} sync workers; clients: {args.concurrency} threads, "
        f"{args.requests} requests per page, a fresh connection per request"
    )
    print()
    print(
        "| page | path | requests | requests/s | p50 ms | p95 ms | queries/request "
        "| CPU ms in-process | KB |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for page in pages:
        done = len(page.latencies)
        low, high = min(page.queries), max(page.queries)
        queries = str(low) if low == high else f"{low}-{high}"
        print(
            f"| {page.label} | `{page.path}` | {done}{' (capped)' if page.capped else ''} "
            f"| {done / page.elapsed:.1f} "
            f"| {statistics.median(page.latencies) * 1000:.1f} "
            f"| {percentile(page.latencies, 0.95) * 1000:.1f} "
            f"| {queries} | {page.cpu * 1000:.1f} | {page.size / 1024:.1f} |"
        )


# --- Main ---------------------------------------------------------------------------------


def main(argv=None) -> None:
    args = parse_args(argv)
    static_root = tempfile.mkdtemp(prefix="peerchallenge-bench-static-")
    log_path = Path(static_root) / "gunicorn.log"
    env = bench_environment(static_root, args.settings)
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    process = None
    sessions: list[str] = []
    django_ready = False
    exit_code = 0
    try:
        ensure_database()
        build_frontend()

        django.setup()
        django_ready = True
        prepare_data(args)
        if args.reports:
            # Here: bench.reports imports models, which load only after main() has set Django up.
            from bench.reports import run_reports

            run_reports()
            return
        if args.scan:
            # Here for the same reason: bench.scan imports models.
            from bench.scan import run_scan

            run_scan()
            return
        if args.walk:
            # Here: bench.walk imports models, which load only after main() has set Django up.
            from bench.walk import run_walk

            exit_code = run_walk(regional_slug=args.regional)
            return

        national = manager_sessions(NATIONAL_SLUG)
        sessions += national
        regional = manager_sessions(args.regional)
        sessions += regional
        pages = [
            Page("floor (signed in, no view work)", FLOOR_PATH, national),
            Page("home", "/", national),
            Page("national council list", f"/a/{NATIONAL_SLUG}/councils/", national),
            Page("national member list", f"/a/{NATIONAL_SLUG}/members/", national),
            Page("regional council list", f"/a/{args.regional}/councils/", regional),
            Page("regional member list", f"/a/{args.regional}/members/", regional),
            Page("national data grid (153 councils)", f"/a/{NATIONAL_SLUG}/data/grid/", national),
            Page(
                "national data grid, sorted by an indicator",
                f"/a/{NATIONAL_SLUG}/data/grid/?sort=cla_rate_per_10k&order=desc",
                national,
            ),
            Page("regional data grid", f"/a/{args.regional}/data/grid/", regional),
            # A council's pack: 15 indicators, up to 13 years, 10 neighbours (Derby: E06000015).
            Page(
                "data pack (15 indicators)",
                f"/a/{NATIONAL_SLUG}/data/councils/E06000015/",
                national,
            ),
        ]
        if args.actions:
            # Here: bench.run starts as a script; models load only after main() sets Django up.
            from bench.board import MIXED_SLUG

            mixed = manager_sessions(MIXED_SLUG)
            sessions += mixed
            pages += [Page(label, path, mixed) for label, path in board_pages(bench_board())]
            planners = manager_sessions(MIXED_SLUG, PLANNER_ROLES)
            sessions += planners
            pages += [Page(label, path, planners) for label, path in offer_detail_pages()]
        if args.cspc_sessions:
            planners = manager_sessions(NATIONAL_SLUG, PLANNER_ROLES)
            sessions += planners
            challenge = bench_timetable()
            pages += [
                Page(
                    f"CSPC timetable ({args.cspc_sessions} sessions)",
                    f"/a/{NATIONAL_SLUG}/cspc/{challenge}/timetable/",
                    planners,
                ),
                Page("LGA peer challenge", f"/a/{NATIONAL_SLUG}/cspc/{challenge}/", planners),
            ]

        port = free_port()
        process = start_gunicorn(port, args.workers, env, log_path)
        for page in pages:
            check_page(port, page, log_path)
        load_before = load_average()
        for page in pages:
            warm_up = min(args.requests, 2 * args.concurrency)
            drive(port, page, warm_up, args.concurrency, args.time_cap)
            drive(port, page, args.requests, args.concurrency, args.time_cap)
            log(f"{page.path}: {len(page.latencies)} requests in {page.elapsed:.1f} s")
        stop_gunicorn(process)
        for page in pages:
            count_queries(page)
        report(pages, args, load_before)
    finally:
        stop_gunicorn(process)
        if django_ready:
            delete_sessions(sessions)
            if args.drop:
                drop_database()
        shutil.rmtree(static_root, ignore_errors=True)
    if exit_code:
        sys.exit(exit_code)


if __name__ == "__main__":
    main()
