"""The written feedback report as a PDF (draft for factual accuracy, then final), registered
with the reports registry when LgaCspcConfig imports this module (extra_report_modules)."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peerchallenge.dates import day_text
from peerchallenge.emails import email_send
from peerchallenge.models import Role
from peerchallenge.permissions import roles_in
from peerchallenge.recipients import email_addresses, people_of
from reports.registry import OFFICIAL_SENSITIVE, Report, register

from .. import permissions as rules
from ..models import Challenge, FeedbackReport, ReportState
from ..selectors import challenge_sponsors
from ..services.report import (
    FEEDBACK_REPORT,
    FINAL_TITLE,
    SECTIONS,
    paragraphs,
)
from ..services.scoping import scope_elements_with_probes
from ..services.team import challenge_team
from .cases import key_findings


def case_review_appendix(challenge: Challenge) -> dict | None:
    """The case record review's key messages and its cases' findings, or None while there is
    no case review (it is built in another part of the app)."""
    try:
        review = challenge.case_review
    except (ObjectDoesNotExist, AttributeError):
        return None
    if review is None:
        return None
    try:
        cases = list(review.cases.order_by("reference"))
    except AttributeError:
        cases = []
    for case in cases:
        case.key_findings = key_findings(case)
    return {
        "key_messages": paragraphs(getattr(review, "key_messages", "")),
        "cases": cases,
    }


def dcs_emails(challenge: Challenge) -> list[str]:
    """The council's active DCS(s) in the alliance and its sponsor
    (selectors.challenge_sponsors), each once."""
    people = people_of(
        alliance=challenge.alliance_id,
        council_ids=[challenge.local_authority_id],
        council_roles=[Role.DCS],
    )
    dcs = people.council(challenge.local_authority_id, Role.DCS)
    return email_addresses([*dcs, *challenge_sponsors(challenge=challenge, people=people)])


@register
class FeedbackReportPdf(Report):
    identifier = FEEDBACK_REPORT
    title = "Written feedback report"
    template = "lga_cspc/reports/feedback_report.html"
    marking = OFFICIAL_SENSITIVE  # the peer team's findings on a council

    def council_of(self, challenge: Challenge) -> str:
        return challenge.local_authority.name

    def is_draft(self, challenge: Challenge, version) -> bool:
        """Every version before the final is a draft for factual accuracy."""
        return version.title != FINAL_TITLE

    def version_line(self, challenge: Challenge, version) -> str:
        if version is None:
            return super().version_line(challenge, version)
        day = date_format(timezone.localtime(version.requested_at), "j F Y")
        if self.is_draft(challenge, version):
            return f"Draft for factual accuracy, version {version.number}, {day}"
        return f"Final report, issued {day}"

    def context(self, challenge: Challenge) -> dict:
        feedback = FeedbackReport.objects.get(challenge=challenge)
        final = feedback.state == ReportState.FINAL
        offer = challenge.offer
        council = challenge.local_authority.name
        status = (
            "Final"
            if final
            else "Draft for factual accuracy"
            + (
                f": comments by {day_text(feedback.accuracy_closes_on)}"
                if feedback.accuracy_closes_on
                else ""
            )
        )
        return {
            "title": f"{'FINAL' if final else 'DRAFT'} written feedback: {offer.name}, {council}",
            "metadata": [
                ("Council", council),
                ("Offer", offer.name),
                (
                    "On site",
                    f"{day_text(challenge.onsite_start)} to {day_text(challenge.onsite_end)}",
                ),
                ("Status", status),
            ],
            "challenge": challenge,
            "feedback": feedback,
            "final": final,
            "report_sections": [
                {"key": key, "heading": label, "paragraphs": paragraphs(getattr(feedback, key))}
                for key, label in SECTIONS
            ],
            "appendix": case_review_appendix(challenge),
            # As the LGA's letters do: who the peer team were, and what they looked at.
            "team": challenge_team(challenge=challenge),
            "elements": scope_elements_with_probes(challenge=challenge),
        }

    def filename(self, challenge: Challenge, version) -> str:
        kind = "final" if version.title == FINAL_TITLE else "draft"
        return f"{challenge.local_authority.name} - written feedback ({kind}) v{version.number}.pdf"

    def may_download_version(self, user, challenge: Challenge, version) -> bool:
        """Drafts and finals alike: the LGA's planners, the named advisers, the team and the
        host council's people."""
        return bool(
            roles_in(user, challenge.alliance_id) & rules.PLANNERS
            or rules.named_adviser(user, challenge)
            or rules.on_the_team(user, challenge)
            or rules.my_council(user, challenge)
        )

    def on_rendered(self, challenge: Challenge, version) -> None:
        """Tell the DCS: the draft to comment on (and by when), or the final to download."""
        final = version.title == FINAL_TITLE
        feedback = FeedbackReport.objects.filter(challenge=challenge).first()
        path = reverse(
            "lga_cspc:report",
            kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
        )
        context = {
            "challenge": challenge,
            "version": version,
            "path": path,
            "closes_on": feedback.accuracy_closes_on if feedback else None,
        }
        for email in dcs_emails(challenge):  # one message each
            email_send(
                template="cspc_report_final" if final else "cspc_report_draft",
                to=[email],
                context=context,
                dedupe_key=f"report:{version.pk}:{email}",
            )
