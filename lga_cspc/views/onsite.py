"""On site: the team's log (emerging issues for the "no surprises" log, session notes,
strengths, areas for further consideration, good practice, case studies) and the outline of
the feedback presentation.

- The team and the LGA's planners (`lga_cspc.record_on_site`) read every note, add notes
  and share emerging issues with the sponsor.
- The advisers named on the challenge read every note and the presentation, add nothing.
- The host council's sponsor and organiser see only the emerging issues shared with them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from peerchallenge.services import sessions_of
from peerchallenge.views.mixins import form_errors_from

from ..forms.onsite import SiteNoteForm
from ..models import Challenge, SiteNote
from ..selectors import ChallengePage
from ..services.onsite import (
    notes_by_kind,
    presentation_outline,
    reads_every_note,
    shared_issues,
    site_note_add,
    site_note_share,
    site_notes,
)
from .base import ChallengeMixin, page_of


def site_log_detail_context(
    *, challenge: Challenge, user, page: ChallengePage | None = None
) -> dict:
    """What the challenge's page shows of the on-site log (lga_cspc/_detail_site_log.html):
    for the team and the advisers, the notes by kind and how many issues were shared; for
    the council, how many emerging issues were shared with them."""
    page = page_of(challenge, page)
    counts = page.counts.site_log
    every = reads_every_note(user, page.challenge)
    return {
        "site_log_counts": counts if every else None,
        "site_log_shared": counts["shared"],
        "site_log_reads_every_note": every,
    }


def to_site_log(view, anchor: str = ""):
    response = redirect(
        "lga_cspc:site_log", alliance=view.alliance.slug, challenge=view.challenge.pk
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


class ReadsEveryNoteMixin:
    """For views that list it after ChallengeMixin (the challenge is checked first): 403 for
    whoever sees the challenge but not the team's notes (the host council)."""

    def dispatch(self, request, *args, **kwargs):
        if not reads_every_note(request.user, self.challenge):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SiteLogView(ChallengeMixin, FormView):
    """The log for whoever sees the challenge: every note, by kind, for the team and the
    advisers (the team adds notes here); the shared emerging issues for the council."""

    form_class = SiteNoteForm

    @cached_property
    def can_record(self) -> bool:
        return self.request.user.has_perm("lga_cspc.record_on_site", self.challenge)

    @cached_property
    def every_note(self) -> bool:
        return self.can_record or reads_every_note(self.request.user, self.challenge)

    def get_template_names(self):
        if self.every_note:
            return ["lga_cspc/site_log.html"]
        return ["lga_cspc/site_log_shared.html"]

    def post(self, request, *args, **kwargs):
        if not self.can_record:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        if not self.can_record:
            return None
        return super().get_form(form_class)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sessions"] = list(sessions_of(challenge=self.challenge).prefetch_related(None))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.every_note:
            notes = list(site_notes(challenge=self.challenge))
            context.update(
                groups=notes_by_kind(notes),
                total=len(notes),
                shared_count=sum(note.shared_with_sponsor_at is not None for note in notes),
                can_record=self.can_record,
                kinds=SiteNote.Kind,
            )
        else:
            context["issues"] = list(shared_issues(challenge=self.challenge))
        return context

    def form_valid(self, form):
        try:
            note = site_note_add(
                challenge=self.challenge, author=self.request.user, **form.note_fields()
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        what = note.get_kind_display()
        if note.kind == SiteNote.Kind.EMERGING_ISSUE:
            messages.success(
                self.request,
                f"{what} added. Share it with the sponsor when the team is ready.",
            )
        else:
            messages.success(self.request, f"{what} added.")
        return to_site_log(self, anchor=f"note-{note.pk}")


class SiteNoteShareView(ChallengeMixin, View):
    """Share an emerging issue with the sponsor (POST only)."""

    challenge_permission = "lga_cspc.record_on_site"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        note = SiteNote.objects.filter(challenge=self.challenge, pk=kwargs["note"]).first()
        if note is None:
            raise Http404("No such note in this challenge's log.")
        label = f"“{note}”"
        try:
            shared = site_note_share(note=note, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return to_site_log(self, anchor=f"note-{note.pk}")
        if shared:
            messages.success(request, f"The emerging issue {label} was shared with the sponsor.")
        else:
            messages.info(
                request,
                f"The emerging issue {label} was already shared with the sponsor on "
                f"{date_format(timezone.localtime(note.shared_with_sponsor_at), 'j F Y')}: "
                "nothing was sent again.",
            )
        return to_site_log(self, anchor=f"note-{note.pk}")


class PresentationView(ChallengeMixin, ReadsEveryNoteMixin, TemplateView):
    """The printable outline of the feedback presentation, for the team, the planners and
    the named advisers."""

    template_name = "lga_cspc/presentation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = presentation_outline(challenge=self.challenge)
        case_studies = next(s for s in sections if s.kind == SiteNote.Kind.CASE_STUDY)
        context.update(
            sections=sections,
            no_case_study=not case_studies.notes,
            case_studies_recorded=case_studies.recorded,
            nothing_recorded=not any(section.recorded for section in sections),
        )
        return context
