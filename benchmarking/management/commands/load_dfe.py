"""Load DfE's published children's services statistics: the extract shipped with the app
(benchmarking/data/dfe), or next year's files with their catalogue in a directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarking.dfe_files import FileRefused
from benchmarking.models import ATTRIBUTION
from benchmarking.services import dfe_directory_load
from benchmarking.services.loading import DFE_DIRECTORY


class Command(BaseCommand):
    help = "Load DfE's indicators, their figures and the statistical neighbours."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=DFE_DIRECTORY,
            help="A directory with indicators.csv, the files it names and "
            "statistical_neighbours_2025.csv (default: the shipped extract).",
        )

    def handle(self, *args, **options):
        try:
            result = dfe_directory_load(options["dir"])
        except (FileRefused, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        for name, report in result.reports.items():
            refused = f", {len(report.refused)} rows refused" if report.refused else ""
            self.stdout.write(
                f"{name}: {report.rows_read} rows, {report.figures} read, "
                f"{len(report.councils_matched)} councils{refused}"
            )
            for refusal in report.refused[:20]:
                self.stdout.write(f"  line {refusal.line}: {refusal.reason}")
        self.stdout.write(
            f"Figures: {result.added} added, {result.revised} revised, "
            f"{result.unchanged} unchanged. {ATTRIBUTION}"
        )
