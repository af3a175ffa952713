"""The CSPC reports (scoping proposal), registered with the reports registry when
LgaCspcConfig.ready() imports this module."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peerchallenge.dates import weekday_text
from peerchallenge.emails import email_send
from peerchallenge.permissions import roles_in
from reports.registry import OFFICIAL_SENSITIVE, Report, register

from .. import permissions as rules
from ..models import Challenge
from ..selectors import sponsor_emails
from ..services.scoping import case_list_labels, scope_elements_with_probes


@register
class ScopingProposalReport(Report):
    identifier = "lga_cspc.scoping_proposal"
    title = "Peer challenge scoping proposal"
    template = "lga_cspc/reports/scoping_proposal.html"
    marking = OFFICIAL_SENSITIVE  # a council's position and what will be looked at

    def council_of(self, challenge: Challenge) -> str:
        return challenge.local_authority.name

    def context(self, challenge: Challenge) -> dict:
        offer = challenge.offer
        if offer.fully_funded:
            funding = offer.funding_note or "Fully funded"
        elif challenge.subsidy_percent:
            funding = f"{challenge.subsidy_percent}% LGA subsidy"
        else:
            funding = "No LGA subsidy"
        if challenge.subsidy_reason and not offer.fully_funded:
            funding = f"{funding} ({challenge.subsidy_reason})"
        meeting = challenge.scoping_meeting_at
        return {
            "title": f"Scoping proposal: {offer.name}, {challenge.local_authority.name}",
            "metadata": [
                ("Council", challenge.local_authority.name),
                ("Offer", offer.name),
            ],
            "challenge": challenge,
            "offer": offer,
            "funding": funding,
            "meeting": (
                date_format(timezone.localtime(meeting), "l j F Y, H:i") if meeting else ""
            ),
            "onsite": (
                f"{weekday_text(challenge.onsite_start)} to {weekday_text(challenge.onsite_end)} "
                f"({challenge.days} day{'s' if challenge.days != 1 else ''})"
            ),
            "case_review": weekday_text(challenge.case_review_date),
            "case_lists": case_list_labels(challenge.case_lists),
            "elements": scope_elements_with_probes(challenge=challenge),
            "documents": [
                line.strip() for line in challenge.documents_required.splitlines() if line.strip()
            ],
        }

    def filename(self, challenge: Challenge, version) -> str:
        return f"{challenge.local_authority.name} - scoping proposal v{version.number}.pdf"

    def may_download_version(self, user, challenge: Challenge, version) -> bool:
        """The LGA's planners, the named advisers and the host council's people; not the
        peers (the team is assembled from the accepted scope)."""
        return bool(
            roles_in(user, challenge.alliance_id) & rules.PLANNERS
            or rules.named_adviser(user, challenge)
            or rules.my_council(user, challenge)
        )

    def on_rendered(self, challenge: Challenge, version) -> None:
        """Ask the sponsor (or, until one is named, the council's DCSs) to accept it."""
        emails = sponsor_emails(challenge=challenge)
        path = reverse(
            "lga_cspc:challenge_detail",
            kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
        )
        for email in emails:  # one message each: recipients do not see each other
            email_send(
                template="cspc_proposal",
                to=[email],
                context={"challenge": challenge, "version": version, "path": path},
                dedupe_key=f"report:{version.pk}:{email}",
            )
