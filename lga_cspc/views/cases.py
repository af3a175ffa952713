"""The case record review. The peer challenge manager or team leader (and the LGA's
planners) add cases by reference, assign reviewers from the team, record the discussion
with the sponsor and the key messages, and share the report; each reviewer records the
findings of their cases; the rest of the team and the named advisers read them.

The host council's people see when the review is due and, once shared, the key messages
and the report: never the case rows (the cases are the council's children's records; the
peers' notes on them reach the council only through the report)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from peerchallenge.views.mixins import ConfirmMixin, refusals_on
from reports.registry import get_report
from reports.views import report_requested_message

from .. import permissions as rules
from ..forms.cases import CaseAssignForm, CaseFindingsForm, CasesAddForm, DiscussionForm
from ..models import CaseFile, Challenge
from ..selectors import ChallengePage
from ..services.cases import (
    CASE_REVIEW_REPORT,
    MAX_CASES,
    TYPICAL_CASES,
    agreed_sources,
    case_delete,
    case_files,
    case_findings_save,
    case_review_discussion_save,
    case_review_due,
    case_review_of,
    case_review_share,
    case_review_versions,
    cases_add,
    cases_assign,
    may_record_findings,
    team_reviewers,
)
from .base import ChallengeMixin, page_of


def may_see_cases(user, challenge: Challenge) -> bool:
    """The case rows and findings: the planners, the team and the named advisers; not the
    host council's people."""
    return user.has_perm("lga_cspc.record_findings", challenge) or rules.named_adviser(
        user, challenge
    )


def report_versions_for(
    user, challenge: Challenge, *, can_manage: bool, versions: list | None = None
) -> list:
    """The case review report's versions this person is shown, newest first, each with
    `may_download`. Managers also see versions being prepared or failed. `versions`: all of
    them, newest first, as a caller read them; else one query."""
    if versions is None:
        versions = list(case_review_versions(challenge=challenge))
    if not versions:
        return []
    report = get_report(CASE_REVIEW_REPORT)
    entitled = rules.sees_the_challenge(user, challenge) and report.may_download_version(
        user, challenge, None
    )
    shown = []
    for version in versions:
        version.may_download = entitled and version.is_rendered
        if version.may_download or can_manage:
            shown.append(version)
    return shown


def case_review_detail_context(
    *, challenge: Challenge, user, page: ChallengePage | None = None
) -> dict:
    """What the challenge page's case review section (lga_cspc/_detail_case_review.html)
    shows this person: the due date, the counts (to those who see the cases), when the
    report was shared and a link to its latest version they may download."""
    page = page_of(challenge, page)
    challenge = page.challenge
    review = page.case_review
    sees_cases = may_see_cases(user, challenge)
    versions = report_versions_for(
        user,
        challenge,
        can_manage=False,
        versions=page.versions.get(CASE_REVIEW_REPORT, []),
    )
    return {
        "case_review_due": case_review_due(challenge=challenge),
        "case_review_counts": page.counts.cases if sees_cases else None,
        "case_review_shared_at": review.shared_at if review else None,
        "case_review_download": next((v for v in versions if v.may_download), None),
    }


def to_case_review(view):
    return redirect(
        "lga_cspc:case_review", alliance=view.alliance.slug, challenge=view.challenge.pk
    )


class CaseReviewView(ChallengeMixin, TemplateView):
    """The review for everyone who sees the challenge (the council: without the cases);
    its forms for whoever manages the cases."""

    template_name = "lga_cspc/case_review.html"
    FORMS = ("add", "assign", "discussion", "share")

    @cached_property
    def can_manage(self) -> bool:
        return self.request.user.has_perm("lga_cspc.manage_cases", self.challenge)

    @cached_property
    def sees_cases(self) -> bool:
        return may_see_cases(self.request.user, self.challenge)

    @cached_property
    def review(self):
        return case_review_of(challenge=self.challenge)

    @cached_property
    def cases(self) -> list[CaseFile]:
        return list(case_files(review=self.review)) if self.sees_cases else []

    @cached_property
    def reviewers(self) -> list:
        return team_reviewers(challenge=self.challenge)

    def forms(self, data=None, which: str = "") -> dict:
        def bound(name):
            return data if which == name else None

        return {
            "add_form": CasesAddForm(
                bound("add"), sources=agreed_sources(challenge=self.challenge)
            ),
            "assign_form": CaseAssignForm(
                bound("assign"), cases=self.cases, reviewers=self.reviewers
            ),
            "discussion_form": DiscussionForm(
                bound("discussion"), initial=DiscussionForm.initial_from(self.review)
            ),
        }

    def post(self, request, *args, **kwargs):
        if not self.can_manage:
            raise PermissionDenied
        which = next((name for name in self.FORMS if name in request.POST), "")
        if not which:
            return to_case_review(self)
        if which == "share":
            return self.share()
        forms = self.forms(request.POST, which)
        form = forms[f"{which}_form"]
        if form.is_valid():
            with refusals_on(form):
                done = getattr(self, f"save_{which}")(form)
        if form.errors:
            return self.render_to_response(self.get_context_data(error_form=form, **forms))
        messages.success(request, done)
        return to_case_review(self)

    def save_add(self, form) -> str:
        created = cases_add(
            challenge=self.challenge,
            references=form.reference_list(),
            source=form.cleaned_data["source"],
            user=self.request.user,
        )
        return f"{len(created)} case{'s' if len(created) != 1 else ''} added."

    def save_assign(self, form) -> str:
        changed = cases_assign(
            challenge=self.challenge, assignments=form.assignments(), user=self.request.user
        )
        return f"Reviewers saved ({changed} case{'s' if changed != 1 else ''} changed)."

    def save_discussion(self, form) -> str:
        case_review_discussion_save(
            challenge=self.challenge, user=self.request.user, **form.service_arguments()
        )
        return "Discussion with the sponsor and key messages saved."

    def share(self):
        try:
            version = case_review_share(challenge=self.challenge, user=self.request.user)
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(share_errors=error.messages, **self.forms())
            )
        report_requested_message(
            self.request,
            version,
            f"Version {version.number} of the case review report is being produced. The team, "
            "the sponsor and the organiser have been emailed: they can download it from this "
            "page and the challenge's page.",
        )
        return to_case_review(self)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.can_manage:
            for name, form in self.forms().items():
                context.setdefault(name, form)
        cases = self.cases
        reviewed = sum(case.reviewed_at is not None for case in cases)
        user = self.request.user
        context.update(
            review=self.review,
            due=case_review_due(challenge=self.challenge),
            can_manage=self.can_manage,
            sees_cases=self.sees_cases,
            cases=cases,
            total=len(cases),
            reviewed=reviewed,
            typical_cases=TYPICAL_CASES,
            agreed_lists=[label for _, label in agreed_sources(challenge=self.challenge)],
            max_cases=MAX_CASES,
            versions=report_versions_for(user, self.challenge, can_manage=self.can_manage),
            my_cases={case.pk for case in cases if case.reviewer_id == user.pk},
        )
        context.setdefault("share_errors", [])
        return context


class CaseMixin:
    """A case of this challenge's review, for views that list it after ChallengeMixin in
    their bases: 403 for whoever may not see cases (the host council), then 404 for a case
    of another challenge."""

    def dispatch(self, request, *args, **kwargs):
        if not may_see_cases(request.user, self.challenge):
            raise PermissionDenied
        self.case = (
            CaseFile.objects.filter(review__challenge=self.challenge, pk=kwargs["case"])
            .select_related("reviewer")
            .first()
        )
        if self.case is None:
            raise Http404("No such case on this review.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        return context


class CaseFindingsView(ChallengeMixin, CaseMixin, TemplateView):
    """A case's findings: recorded by its reviewer (or whoever manages the cases), read by
    the rest of the team and the named advisers."""

    template_name = "lga_cspc/case_findings.html"

    @cached_property
    def can_edit(self) -> bool:
        return may_record_findings(self.request.user, self.case, self.challenge)

    def post(self, request, *args, **kwargs):
        if not self.can_edit:
            raise PermissionDenied
        form = CaseFindingsForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                case_findings_save(case=self.case, user=request.user, **form.cleaned_data)
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, f"Findings for case {self.case.reference} saved.")
        return to_case_review(self)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.can_edit:
            initial = CaseFindingsForm.initial_from(self.case)
            context.setdefault("form", CaseFindingsForm(initial=initial))
        context["can_edit"] = self.can_edit
        return context


class CaseDeleteView(ChallengeMixin, CaseMixin, ConfirmMixin, TemplateView):
    """A confirmation page; only its "Yes, remove" (confirm=yes) removes the case and its
    findings."""

    challenge_permission = "lga_cspc.manage_cases"
    template_name = "lga_cspc/case_delete.html"

    def confirmed_post(self, request, *args, **kwargs):
        reference = self.case.reference
        case_delete(case=self.case, user=request.user)
        messages.success(request, f"Case {reference} removed from the review.")
        return to_case_review(self)
