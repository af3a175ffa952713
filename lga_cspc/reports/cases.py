"""The case record review report, registered with the reports registry when
LgaCspcConfig imports this module (extra_report_modules)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from peerchallenge.permissions import roles_in
from reports.registry import OFFICIAL_SENSITIVE, Report, register

from .. import permissions as rules
from ..models import CaseFile, Challenge
from ..services.cases import case_files, case_review_due, case_review_of

KEY_FINDING_WORDS = 12


def key_findings(case: CaseFile) -> str:
    """A case's findings in a few words for the summary table: the start of its strengths
    and of its areas for development (the detail follows in the report)."""
    parts = [
        f"{label}: {Truncator(' '.join(text.split())).words(KEY_FINDING_WORDS)}"
        for label, text in (
            ("Strengths", case.strengths),
            ("To develop", case.areas_for_development),
        )
        if text.strip()
    ]
    return " ".join(f"{part.rstrip('.')}." for part in parts) or "No findings recorded."


@register
class CaseReviewReport(Report):
    identifier = "lga_cspc.case_review"
    title = "Case record review"
    template = "lga_cspc/reports/case_review.html"
    marking = OFFICIAL_SENSITIVE  # findings on children's cases

    def council_of(self, challenge: Challenge) -> str:
        return challenge.local_authority.name

    def context(self, challenge: Challenge) -> dict:
        review = case_review_of(challenge=challenge)
        cases = list(case_files(review=review))
        by_quality = [
            (value, label, sum(case.quality == value for case in cases))
            for value, label in CaseFile.Quality.choices
        ]
        not_reviewed = sum(case.reviewed_at is None for case in cases)
        if not_reviewed:
            by_quality.append(("", "Not reviewed yet", not_reviewed))
        for case in cases:
            case.key_findings = key_findings(case)
        by_source = [
            (label, sum(case.source == value for case in cases))
            for value, label in CaseFile.Source.choices
        ]
        discussion_at = review.sponsor_discussion_at if review else None
        return {
            "title": f"Case record review: {challenge.local_authority.name}",
            "metadata": [
                ("Council", challenge.local_authority.name),
                ("Offer", challenge.offer.name),
                ("Case record review", date_format(case_review_due(challenge=challenge), "j F Y")),
            ],
            "challenge": challenge,
            "review": review,
            "cases": cases,
            "reviewed": len(cases) - not_reviewed,
            "by_quality": by_quality,
            "by_source": [(label, n) for label, n in by_source if n],
            "escalated": sum(case.escalated for case in cases),
            "discussion_at": (
                date_format(timezone.localtime(discussion_at), "l j F Y, H:i")
                if discussion_at
                else ""
            ),
        }

    def filename(self, challenge: Challenge, version) -> str:
        return f"{challenge.local_authority.name} - case record review v{version.number}.pdf"

    def may_download_version(self, user, challenge: Challenge, version) -> bool:
        """The LGA's planners, the peer team, the named advisers and the host council's
        people (the report is shared with the team and the council before on site)."""
        return bool(
            roles_in(user, challenge.alliance_id) & rules.PLANNERS
            or rules.on_the_team(user, challenge)
            or rules.named_adviser(user, challenge)
            or rules.my_council(user, challenge)
        )
