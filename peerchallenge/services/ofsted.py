"""Writes of the national Ofsted reference data: only staff load Ofsted's published outcomes.

An import is all or nothing: every row is checked first (shape by `csvimport.csv_read`,
meaning here), and any problem refuses the whole file with every problem's line number, so a
half-loaded publication never mixes with the last one.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..csvimport import CsvError, csv_read
from ..models import LocalAuthority, OfstedGrade, OfstedImport, OfstedJudgement, User

OFSTED_CSV_COLUMNS = ("gss_code", "grade", "date")
_GRADES_BY_WORD = {
    **{value: value for value in OfstedGrade.values},
    **{label.lower(): value for value, label in OfstedGrade.choices},
    "requires improvement": OfstedGrade.REQUIRES_IMPROVEMENT,
    "ri": OfstedGrade.REQUIRES_IMPROVEMENT,
    "1": OfstedGrade.OUTSTANDING,
    "2": OfstedGrade.GOOD,
    "3": OfstedGrade.REQUIRES_IMPROVEMENT,
    "4": OfstedGrade.INADEQUATE,
}


@dataclass
class OfstedImportResult:
    load: OfstedImport
    added: list[OfstedJudgement] = field(default_factory=list)
    unchanged: int = 0  # rows already on record from an earlier load


def _parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def ofsted_import_csv(
    *, upload, source: str, imported_by: User | None, file_name: str = ""
) -> OfstedImportResult:
    """Load Ofsted's published outcomes (CSV: gss_code, grade, date) as national judgements.

    Writes one `OfstedImport` (source, who, when) and an `OfstedJudgement` for each row not
    already on record. Raises CsvError (a ValidationError) listing every problem by line, and
    then writes nothing. Sends nothing. Challenges already booked keep their subsidy.
    """
    source = " ".join((source or "").split())
    if not source:
        raise CsvError([(None, "Enter the publication the outcomes come from.")])
    rows = csv_read(
        upload=upload, columns=OFSTED_CSV_COLUMNS, max_bytes=settings.PEERCHALLENGE_CSV_MAX_BYTES
    )
    councils = {c.gss_code: c for c in LocalAuthority.objects.all()}
    today = timezone.localdate()
    problems, judgements, seen = [], [], {}
    for row in rows:
        code = row["gss_code"].upper()
        council = councils.get(code)
        if council is None:
            problems.append((row.line, f"“{code or '(empty)'}” is not the ONS code of a council."))
            continue
        grade = _GRADES_BY_WORD.get(row["grade"].lower())
        if grade is None:
            problems.append((row.line, f"“{row['grade']}” is not an Ofsted grade ({council})."))
            continue
        try:
            judged = _parse_date(row["date"])
        except ValueError:
            problems.append(
                (row.line, f"“{row['date']}” is not a date, use YYYY-MM-DD ({council}).")
            )
            continue
        if judged > today:
            problems.append((row.line, f"The date for {council} is in the future."))
            continue
        if (council.pk, judged) in seen and seen[(council.pk, judged)][0] != grade:
            problems.append(
                (row.line, f"{council} has two grades for {judged:%-d %B %Y} in this file.")
            )
            continue
        seen[(council.pk, judged)] = (grade, row.line)
        judgements.append((council, grade, judged))
    if problems:
        raise CsvError(problems)
    return ofsted_load(
        judgements=judgements, source=source, imported_by=imported_by, file_name=file_name
    )


def ofsted_load(
    *,
    judgements: list[tuple[LocalAuthority, str, date]],
    source: str,
    imported_by: User | None,
    file_name: str = "",
) -> OfstedImportResult:
    """Record checked judgements (council, grade, date) as one `OfstedImport`; those already
    on record are counted, not repeated. Used by the CSV import and the demo."""
    with transaction.atomic():
        load = OfstedImport.objects.create(
            source=source[:300], file_name=(file_name or "")[:255], imported_by=imported_by
        )
        result = OfstedImportResult(load=load)
        on_record = set(
            OfstedJudgement.objects.filter(
                local_authority__in=[council for council, _, _ in judgements]
            ).values_list("local_authority_id", "judgement_date", "grade")
        )
        for council, grade, judged in dict.fromkeys(judgements):
            if (council.pk, judged, grade) in on_record:
                result.unchanged += 1
                continue
            result.added.append(
                OfstedJudgement(
                    local_authority=council, grade=grade, judgement_date=judged, source=load
                )
            )
        OfstedJudgement.objects.bulk_create(result.added)
    return result
