"""Demo data: the real DfE extract shipped with the app (the figures are published
statistics, not invented), and each demo alliance's framework for this year: East Midlands
with DfE's indicators and a local indicator of its own, London with last year's framework
carried over and workforce first. East Midlands' data lead has a file checked and waiting
for confirmation (a revised workforce figure), so the import page has something to show.
Idempotent: a framework is started only if missing, the file uploaded only once."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

from peerchallenge.demo import email_for
from peerchallenge.models import Alliance, LocalAuthority, User
from peerchallenge.selectors import councils_of_alliance

from . import dfe_files
from .models import ATTRIBUTION, DataImport, FlagAnswer, LocalIndicator, ReturnQuarter
from .selectors import data_pack, framework_year, pack_indicators
from .selectors_returns import return_indicators
from .services import dfe_directory_load
from .services.flags import flag_answer
from .services.framework import entry_change, framework_start, local_indicator_add
from .services.imports import import_start
from .services.returns import Entry, quarter_publish, return_save

LOCAL_INDICATORS = {
    "east-midlands": [
        {
            "title": "Initial health assessments completed within 20 working days, %",
            "unit": "percent",
            "polarity": "High",
            "decimals": 1,
            "description": "Children who came into care in the quarter whose initial health "
            "assessment was completed within 20 working days of entering care.",
            "theme": "Children in care",
        }
    ],
    "london": [
        {
            "title": "Children placed more than 20 miles from home, %",
            "unit": "percent",
            "polarity": "Low",
            "decimals": 1,
            "description": "Children looked after at the end of the quarter placed more than "
            "20 miles from their home address.",
            "theme": "Children in care",
        }
    ],
}
DATA_LEADS = {"east-midlands": "Nikhil Varma", "london": "Eleanor Pryce"}
REVISED_FILE = "csww_workforce_indicators.csv"


def seed(*, stdout) -> None:
    result = dfe_directory_load()
    stdout.write(
        f"DfE statistics: {result.added} figures added, {result.revised} revised, "
        f"{result.unchanged} unchanged. {ATTRIBUTION}"
    )
    for slug, lead_name in DATA_LEADS.items():
        alliance = Alliance.objects.filter(slug=slug).first()
        lead = User.objects.filter(email=email_for(name=lead_name)).first()
        if alliance is None or lead is None:
            continue
        # Seeding is an entry point outside any request: it enters the alliance's scope.
        with scope(alliance=alliance):
            _seed_framework(alliance=alliance, lead=lead, slug=slug)
            if slug == "east-midlands":
                _seed_import(alliance=alliance, lead=lead)
                _seed_returns(alliance=alliance, lead=lead)
                _seed_answer(alliance=alliance)


def _seed_framework(*, alliance, lead, slug) -> None:
    year = framework_year()
    if slug == "london":  # last year's first: this year's starts as a copy of it
        earlier = framework_start(alliance=alliance, year=year - 1, created_by=lead)
        workforce = [e for e in earlier.entries.order_by("-position") if e.theme == "Workforce"]
        for entry in workforce:  # the last first, each to the top: they keep their order
            entry_change(entry=entry, theme=entry.theme, position=1)
    framework = framework_start(alliance=alliance, year=year, created_by=lead)
    for fields in LOCAL_INDICATORS[slug]:
        if not LocalIndicator.objects.filter(alliance=alliance, title=fields["title"]).exists():
            local_indicator_add(framework=framework, **fields)


def _seed_import(*, alliance, lead) -> None:
    if DataImport.objects.filter(alliance=alliance).exists():
        return
    lines = dfe_files.decode((dfe_files.DFE_DIRECTORY / REVISED_FILE).read_bytes()).splitlines()
    header = lines[0].split(",")
    # Derby's 2025 turnover rate as DfE might revise it: one figure changed, nothing else.
    period, code, column = (
        header.index("time_period"),
        header.index("old_la_code"),
        header.index("turnover_rate_fte"),
    )
    for number, line in enumerate(lines):
        cells = line.split(",")
        if len(cells) == len(header) and cells[period] == "2025" and cells[code] == "831":
            cells[column] = "14.9"
            lines[number] = ",".join(cells)
    upload = SimpleUploadedFile(
        "csww_workforce_2025_revised.csv", ("\n".join(lines) + "\n").encode(), "text/csv"
    )
    import_start(alliance=alliance, upload=upload, uploaded_by=lead)


def _quarter_before(day: datetime.date, *, back: int) -> tuple[int, int]:
    """(financial year, quarter) `back` quarters before the one `day` is in."""
    index = day.year * 4 + (day.month - 1) // 3 - back  # calendar quarters, counted
    year, calendar_quarter = divmod(index, 4)  # 0: January to March
    quarter = (calendar_quarter + 3) % 4 + 1  # April to June is the financial Q1
    return (year if quarter < 4 else year - 1), quarter


def _seed_returns(*, alliance, lead) -> None:
    """Last quarter's return open, due in ten days, half the councils in (Derby not yet);
    the quarter before published with every council's figures."""
    if ReturnQuarter.objects.filter(alliance=alliance).exists():
        return
    today = timezone.localdate()
    indicators = return_indicators(alliance)
    councils = list(councils_of_alliance(alliance=alliance).order_by("name"))
    for back, deadline, submitting in (
        (2, today - datetime.timedelta(days=80), councils),
        (1, today + datetime.timedelta(days=10), councils[::2]),
    ):
        year, number = _quarter_before(today, back=back)
        quarter = ReturnQuarter.objects.create(
            alliance=alliance,
            year=year,
            quarter=number,
            deadline=deadline,
            opened_by=lead,
        )
        for position, council in enumerate(submitting):
            if council.name == "Derby" and back == 1:
                continue  # Derby's people see it on their home page
            entries = {
                indicator.pk: Entry(value=Decimal(62 + (position * 7 + back * 3) % 31))
                for indicator in indicators
            }
            return_save(
                quarter=quarter,
                council=council,
                indicators=indicators,
                entries=entries,
                entered_by=lead,
                submit=True,
            )
        if back == 2:
            quarter_publish(quarter=quarter, published_by=lead)


def _seed_answer(*, alliance) -> None:
    """Derby's organiser has explained the first flag on Derby's pack; the rest wait on
    their home page ("Answer N flags on Derby's data pack")."""
    if FlagAnswer.objects.filter(alliance=alliance).exists():
        return
    organiser = User.objects.filter(email=email_for(name="Liam Hartley")).first()
    derby = LocalAuthority.objects.select_related("region").filter(name="Derby").first()
    if organiser is None or derby is None:
        return
    indicators, _themes = pack_indicators(alliance)
    for row in data_pack(council=derby, alliance=alliance, indicators=indicators):
        if any(not flag.caution for flag in row.flags):
            flag_answer(
                alliance=alliance,
                council=derby,
                indicator=row.indicator,
                period=row.period,
                answer=FlagAnswer.Answer.EXPLAINED,
                text="Our figure reflects a deliberate change of practice agreed with partners "
                "last year; the service review in the spring sets out the reasons and the "
                "early evidence of its effect.",
                answered_by=organiser,
            )
            return
