"""The findings report as a PDF (registered with the report registry from the AppConfig)."""

from django.utils.formats import date_format

from peerchallenge.emails import email_send
from reports.registry import OFFICIAL_SENSITIVE, Report, register

from .models import Recommendation, Review
from .services.findings import FINDINGS_REPORT
from .services.request import council_dcs_emails, review_path
from .services.team import review_team


def paragraphs(text: str) -> list[str]:
    return [
        part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()
    ]


def _day(value) -> str:
    return date_format(value, "j F Y")


@register
class FindingsReport(Report):
    identifier = FINDINGS_REPORT
    title = "On-demand peer challenge: findings"
    template = "ondemand/reports/findings.html"
    marking = OFFICIAL_SENSITIVE  # the peers' findings on a council's service

    def council_of(self, review: Review) -> str:
        return review.local_authority.name

    def context(self, review: Review) -> dict:
        days = (
            _day(review.first_day)
            if review.days == 1
            else f"{_day(review.first_day)} and {_day(review.last_day)}"
        )
        return {
            "title": f"{review.local_authority.name}: {review.service_area} — findings",
            "metadata": [
                ("Council", review.local_authority.name),
                ("Service area", review.service_area),
                ("Review", days),
            ],
            "review": review,
            "findings": paragraphs(review.key_findings),
            "recommendations": list(Recommendation.objects.filter(review=review)),
            "team": [m for m in review_team(review=review) if m.response == "accepted"],
            "activities": list(review.activities.all()),
        }

    def filename(self, review: Review, version) -> str:
        council = review.local_authority.name
        return f"{council} - {review.service_area} - findings v{version.number}.pdf"

    def on_rendered(self, review: Review, version) -> None:
        """Tell the host council's DCS that the findings report is ready to download."""
        context = {
            "council": review.local_authority.name,
            "service_area": review.service_area,
            "number": version.number,
            "path": review_path(review),
        }
        for email in council_dcs_emails(review=review):  # one message each
            email_send(
                template="ondemand_findings_issued",
                to=[email],
                context=context,
                dedupe_key=f"report:{version.pk}:{email}",
            )
