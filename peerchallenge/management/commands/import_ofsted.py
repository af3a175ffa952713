"""Load Ofsted's published outcomes from a CSV file, as the staff page
/reference/ofsted/import/ does: the same checks, all or nothing, every problem by line."""

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from peerchallenge.csvimport import CsvError
from peerchallenge.models import User
from peerchallenge.services import ofsted_import_csv


class Command(BaseCommand):
    help = (
        "Import Ofsted ILACS judgements (CSV: gss_code, grade, date) as national reference "
        "data. Nothing is imported if any row has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file.")
        parser.add_argument(
            "--source", required=True, help="The publication the outcomes come from."
        )
        parser.add_argument(
            "--by", default="", help="Email address of the staff member importing (recorded)."
        )

    def handle(self, *args, path, source, by, **options):
        imported_by = None
        if by:
            imported_by = User.objects.filter(email__iexact=by, is_staff=True).first()
            if imported_by is None:
                raise CommandError(f"No staff account with the address {by}.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}.")
        # The same bound as the web form: read no more than the limit (csv_read checks it).
        with file.open("rb") as handle:
            content = handle.read(settings.PEERCHALLENGE_CSV_MAX_BYTES + 1)
        upload = SimpleUploadedFile(file.name, content, content_type="text/csv")
        try:
            result = ofsted_import_csv(
                upload=upload, source=source, imported_by=imported_by, file_name=file.name
            )
        except CsvError as error:
            raise CommandError("Nothing was imported.\n" + "\n".join(error.messages)) from None
        self.stdout.write(
            f"Imported {len(result.added)} new judgements; {result.unchanged} already on record."
        )
