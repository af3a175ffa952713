"""Scoping: the programme manager records the meeting, advisers, focus and dates, and the
scope with its lines of enquiry, then sends the proposal; the sponsor accepts it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from peerchallenge.models import Role
from peerchallenge.views.mixins import form_errors_from, refusals_on
from reports.registry import get_report
from reports.views import report_requested_message

from ..data import focus_areas
from ..forms.scoping import ScopeForm, ScopingForm
from ..models import ScopeElement
from ..permissions import sees_the_challenge
from ..selectors import ChallengePage
from ..services.scoping import (
    PROPOSAL_REPORT,
    advisers_in,
    challenge_probes,
    proposal_accept,
    proposal_missing,
    proposal_send,
    scope_elements_with_probe_counts,
    scope_save,
    scoping_open,
    scoping_save,
)
from .base import ChallengeMixin, page_of


def _proposal_url(challenge) -> str:
    """Back to the scoping part of the challenge, where its summary and proposal are."""
    return reverse(
        "lga_cspc:proposal",
        kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
    )


def scoping_detail_context(*, challenge, user, page: ChallengePage | None = None) -> dict:
    """What the challenge page's scoping section (`lga_cspc/_detail_scoping.html`) shows to
    this person: the elements with their probe counts, the proposal versions they may
    download, what is still missing before sending, and which actions they may take."""
    page = page_of(challenge, page)
    challenge = page.challenge
    elements = scope_elements_with_probe_counts(challenge=challenge)
    can_manage = user.has_perm("lga_cspc.manage_challenge", challenge)
    versions = page.versions.get(PROPOSAL_REPORT, [])
    report = get_report(PROPOSAL_REPORT)
    entitled = sees_the_challenge(user, challenge)
    shown = []
    for version in versions:
        version.may_download = (
            entitled
            and version.is_rendered
            and report.may_download_version(user, challenge, version)
        )
        if version.may_download or can_manage:
            shown.append(version)
    latest = versions[0] if versions else None
    open_for_change = scoping_open(challenge=challenge)
    can_accept = (
        open_for_change
        and challenge.proposal_sent_at is not None
        and challenge.proposal_accepted_at is None
        and latest is not None
        and latest.is_rendered
        and user.has_perm("lga_cspc.accept_proposal", challenge)
    )
    return {
        "scoping_elements": elements,
        "scoping_versions": shown,
        "scoping_can_manage": can_manage and open_for_change,
        "scoping_can_accept": can_accept,
        "scoping_missing": (
            list(
                proposal_missing(
                    challenge=challenge, element_names={e.name for e, _ in elements}
                ).values()
            )
            if can_manage
            else []
        ),
    }


class ScopingView(ChallengeMixin, TemplateView):
    """The scoping meeting, the region's advisers, the agreed focus and the on-site dates."""

    challenge_permission = "lga_cspc.manage_challenge"
    template_name = "lga_cspc/scoping.html"

    def scoping_form(self, data=None):
        alliance_id = self.challenge.alliance_id
        form = ScopingForm(
            data,
            initial=ScopingForm.initial_from(self.challenge),
            principal_advisers=advisers_in(alliance_id=alliance_id, role=Role.PRINCIPAL_ADVISER),
            improvement_advisers=advisers_in(
                alliance_id=alliance_id, role=Role.IMPROVEMENT_ADVISER
            ),
        )
        form.helper.form_action = reverse(
            "lga_cspc:scoping",
            kwargs={"alliance": self.challenge.alliance.slug, "challenge": self.challenge.pk},
        )
        return form

    def post(self, request, *args, **kwargs):
        form = self.scoping_form(request.POST)
        if form.is_valid():
            with refusals_on(form):
                scoping_save(
                    challenge=self.challenge, user=request.user, **form.service_arguments()
                )
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, "Scoping saved.")
        return redirect(_proposal_url(self.challenge))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.scoping_form())
        return context


class ScopeElementsView(ChallengeMixin, TemplateView):
    """The core elements (always) and the thematic modules, each with its probes."""

    challenge_permission = "lga_cspc.manage_challenge"
    template_name = "lga_cspc/scope_elements.html"

    def setup_page(self):
        self.elements = list(ScopeElement.objects.filter(challenge=self.challenge))
        probes: dict[str, list[str]] = {}
        # Lines that came with a reason (from a data pack's flag): the reason is shown.
        self.reasons = []
        for kloe in challenge_probes(challenge=self.challenge):
            probes.setdefault(kloe.title, []).append(kloe.question)
            if kloe.why_it_matters:
                self.reasons.append(kloe)
        self.modules = [e.name for e in self.elements if e.kind == ScopeElement.Kind.MODULE]
        # The core elements show before they are first saved, with their default probes.
        self.names = [*focus_areas.CORE_NAMES, *self.modules]
        self.initial = {"modules": self.modules}
        for name in self.names:
            lines = probes.get(name)
            if lines is None and name in focus_areas.CORE_NAMES:
                lines = focus_areas.BY_NAME[name].default_probes
            self.initial[focus_areas.field_key(name)] = "\n".join(lines or ())

    def scope_form(self, data=None):
        return ScopeForm(
            data,
            initial=self.initial,
            elements=self.names,
            extra_modules=[name for name in self.modules if name not in focus_areas.MODULE_NAMES],
        )

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_page()
        form = self.scope_form(request.POST)
        if form.is_valid():
            try:
                change = scope_save(
                    challenge=self.challenge,
                    user=request.user,
                    modules=form.cleaned_data["modules"],
                    probes=form.probes(),
                )
            except ValidationError as error:
                form_errors_from(form, error)
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form))
        done = "Scope saved."
        if change.added:
            done += (
                f" Added {', '.join(change.added)} with its usual lines of enquiry: change "
                "them below if needed."
            )
        if change.removed:
            done += f" Removed {', '.join(change.removed)} and its lines of enquiry."
        messages.success(request, done)
        chosen = len(form.cleaned_data["modules"])
        if chosen != focus_areas.TYPICAL_MODULES:
            messages.warning(
                request,
                f"You chose {chosen} thematic module{'s' if chosen != 1 else ''}: a peer "
                f"challenge typically has {focus_areas.TYPICAL_MODULES}. Check this is what was "
                "agreed.",
            )
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.scope_form())
        context["core_names"] = focus_areas.CORE_NAMES
        context["reasons"] = self.reasons
        return context


class ProposalSendView(ScopingView):
    """POST: render the proposal PDF and, once ready, email the sponsor. What is missing
    comes back on the scoping form, as errors on its fields."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            version = proposal_send(challenge=self.challenge, user=request.user)
        except ValidationError as error:
            form = self.scoping_form(ScopingForm.data_from(self.challenge))
            form.is_valid()
            form_errors_from(form, error)
            missing_scope = "elements" in getattr(error, "error_dict", {})
            return self.render_to_response(
                self.get_context_data(form=form, missing_scope=missing_scope)
            )
        report_requested_message(
            request,
            version,
            f"Version {version.number} of the scoping proposal is being produced. The sponsor "
            "will be emailed to accept it when it is ready.",
        )
        return redirect(_proposal_url(self.challenge))


class ProposalAcceptView(ChallengeMixin, TemplateView):
    """POST: the sponsor accepts the latest rendered proposal."""

    challenge_permission = "lga_cspc.accept_proposal"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            proposal_accept(challenge=self.challenge, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, "Scoping proposal accepted. The LGA will now assemble the peer team."
            )
        return redirect(_proposal_url(self.challenge))
