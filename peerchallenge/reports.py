"""The core's reports (registered with reports/ from PeerChallengeConfig.ready()): a
council's improvement plan as a PDF, and a Tier 2 board's actions exported to CSV or XLSX.

The plan is a live document, read from the actions as they stand; its PDF is a copy of it
at the moment the worker renders it. It goes through the report pipeline like every other
report (a ReportVersion about the council's `ImprovementPlan` row, rendered by the Celery
task under its time limits, stored, reaped and retried), never in a web request: a 5 MB
action text once tied a web process for minutes. The plan page offers "Prepare a PDF",
shows "being prepared" and then the download (`services.plans`)."""

import csv
import io

from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import Workbook

from reports.registry import OFFICIAL_SENSITIVE, Report, register

from .selectors import (
    BoardFilters,
    improvement_plan,
    rag_count_of,
    tier2_board,
    with_source_labels,
)

IMPROVEMENT_PLAN = "peerchallenge.improvement_plan"
TIER2_CSV = "peerchallenge.tier2_csv"
TIER2_XLSX = "peerchallenge.tier2_xlsx"


@register
class ImprovementPlanReport(Report):
    identifier = IMPROVEMENT_PLAN
    title = "Improvement plan"
    template = "peerchallenge/reports/improvement_plan.html"
    marking = OFFICIAL_SENSITIVE  # a council's actions and how they are going

    def council_of(self, plan) -> str:
        return plan.local_authority.official_name or plan.local_authority.name

    def version_line(self, plan, version) -> str:
        if version is None:
            return super().version_line(plan, version)
        moment = date_format(timezone.localtime(version.requested_at), "j F Y")
        return f"Version {version.number}: the plan as it stood on {moment}"

    def context(self, plan) -> dict:
        council = plan.local_authority
        groups = improvement_plan(alliance=plan.alliance, council=council)
        actions = [action for group in groups for action in group.actions]
        return {
            "title": f"Improvement plan of {council.name}",
            "metadata": [
                ("Council", council.official_name or council.name),
                ("Actions", str(len(actions))),
            ],
            "council": council,
            "groups": groups,
            "counts": rag_count_of(actions),
        }

    def filename(self, plan, version) -> str:
        day = timezone.localdate()
        return f"Improvement plan - {plan.local_authority.name} - {day:%Y-%m-%d}.pdf"


# Tier 2 exports ---------------------------------------------------------------------------
# A board's actions as a file, with the filters the person chose (the version's options).
# At national scale an export is 100,000 rows and 20 s of CPU: the worker makes it, never a
# web request (services.exports asks; the board shows it being prepared, then the download).

EXPORT_COLUMNS = [
    "Council",
    "Action",
    "Owner",
    "Due by",
    "Status",
    "Overdue",
    "Latest update",
    "Updated",
    "Offer",
    "Source",
]


def export_rows(actions) -> list[list[str]]:
    return [
        [
            action.local_authority.name,
            _safe(action.what),
            _safe(action.owner),
            action.due_date.isoformat(),
            action.get_status_display(),
            "yes" if action.is_overdue else "no",
            _safe(action.latest_note or ""),
            action.latest_at.date().isoformat() if action.latest_at else "",
            action.source_label.offer if action.source_label else "Other",
            _safe(action.source_label.name) if action.source_label else "",
        ]
        for action in actions
    ]


def _safe(text: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return f"'{text}" if text[:1] in {"=", "+", "-", "@"} else text


class _Tier2Export(Report):
    extension = ""

    def rows(self, group, version) -> list[list[str]]:
        filters = BoardFilters(**version.options)
        return export_rows(with_source_labels(tier2_board(group=group, filters=filters)))

    def may_download_version(self, user, group, version) -> bool:
        # The file holds the filters one person chose: theirs alone.
        return version.requested_by_id is not None and version.requested_by_id == user.pk

    def filename(self, group, version) -> str:
        day = timezone.localdate()
        return f"{group.name} actions {day:%Y-%m-%d}.{self.extension}"


@register
class Tier2CsvExport(_Tier2Export):
    identifier = TIER2_CSV
    title = "Tier 2 actions (CSV)"
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def file_content(self, group, version) -> bytes:
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(self.rows(group, version))
        return buffer.getvalue().encode("utf-8")


@register
class Tier2XlsxExport(_Tier2Export):
    identifier = TIER2_XLSX
    title = "Tier 2 actions (Excel)"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def file_content(self, group, version) -> bytes:
        # write_only: rows stream to the file instead of a cell object each in memory.
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=group.name[:31] or "Actions")  # Excel's limit
        sheet.append(EXPORT_COLUMNS)
        for row in self.rows(group, version):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
