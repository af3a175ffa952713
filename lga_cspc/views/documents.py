"""Preparation: the advance documentation checklist. Everyone who sees the challenge reads
it; the host council (and the LGA's planners) upload; the peer challenge manager (and the
planners) review; every download is written to the access log."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from peerchallenge.models import DocumentVersion
from peerchallenge.uploads import accept_attribute
from peerchallenge.views.documents import document_version_response
from peerchallenge.views.mixins import form_errors_from

from ..forms.documents import ChecklistReviewForm, ChecklistUploadForm
from ..models import AdvanceDocument, Challenge
from ..selectors import ChallengePage
from ..services.documents import (
    MISSING_STATES,
    checklist_generate,
    checklist_items,
    checklist_review,
    checklist_upload,
)
from .base import ChallengeMixin, page_of


def checklist_detail_context(
    *, challenge: Challenge, user, page: ChallengePage | None = None
) -> dict:
    """What the challenge's page shows of the checklist (lga_cspc/_detail_checklist.html)."""
    return {"checklist_counts": page_of(challenge, page).counts.checklist}


def to_checklist(view):
    return redirect("lga_cspc:checklist", alliance=view.alliance.slug, challenge=view.challenge.pk)


class ItemMixin:
    """An item of this challenge's checklist, for views that list it after ChallengeMixin in
    their bases (so the challenge is checked first): 404 for an item of another challenge."""

    def dispatch(self, request, *args, **kwargs):
        self.item = (
            AdvanceDocument.objects.filter(challenge=self.challenge, pk=kwargs["item"])
            .select_related("reviewed_by")
            .first()
        )
        if self.item is None:
            raise Http404("No such item on this checklist.")
        self.item.challenge = self.challenge
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        return context


class ChecklistView(ChallengeMixin, TemplateView):
    """The checklist for everyone who sees the challenge. It is generated when the sponsor
    accepts the scoping proposal; whoever may review it adds what a changed scope asks for
    with the button (a POST: opening the page never writes)."""

    template_name = "lga_cspc/checklist.html"

    @cached_property
    def can_review(self) -> bool:
        return self.request.user.has_perm("lga_cspc.review_documents", self.challenge)

    def get(self, request, *args, **kwargs):
        self.items = list(checklist_items(challenge=self.challenge))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """Generate again: adds what the scope now asks for, keeps everything else."""
        if not self.can_review:
            raise PermissionDenied
        created = checklist_generate(challenge=self.challenge, user=request.user)
        if created:
            titles = ", ".join(f"“{item.title}”" for item in created)
            messages.success(request, f"Added to the checklist: {titles}.")
        else:
            messages.success(request, "The checklist already has everything the scope asks for.")
        return to_checklist(self)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = self.items
        missing_only = self.request.GET.get("show") == "missing"
        missing = [item for item in items if item.state in MISSING_STATES]
        context.update(
            items=missing if missing_only else items,
            missing_only=missing_only,
            total=len(items),
            accepted=sum(item.state == AdvanceDocument.State.ACCEPTED for item in items),
            awaiting_review=sum(item.state == AdvanceDocument.State.UPLOADED for item in items),
            missing_count=len(missing),
            can_review=self.can_review,
            can_organise=self.request.user.has_perm("lga_cspc.organise", self.challenge),
            states=AdvanceDocument.State,
        )
        return context


class ChecklistUploadView(ChallengeMixin, ItemMixin, FormView):
    challenge_permission = "lga_cspc.organise"
    template_name = "lga_cspc/checklist_upload.html"
    form_class = ChecklistUploadForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            accept=accept_attribute(),
            max_mb=settings.PEERCHALLENGE_UPLOAD_MAX_BYTES // (1024 * 1024),
        )
        return kwargs

    def form_valid(self, form):
        try:
            version = checklist_upload(
                item=self.item, upload=form.cleaned_data["file"], uploaded_by=self.request.user
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        what = "A new version of" if version.number > 1 else "The document"
        messages.success(
            self.request,
            f"{what} “{self.item.title}” was uploaded. The peer challenge manager will review it.",
        )
        return to_checklist(self)


class ChecklistReviewView(ChallengeMixin, ItemMixin, FormView):
    challenge_permission = "lga_cspc.review_documents"
    template_name = "lga_cspc/checklist_review.html"
    form_class = ChecklistReviewForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = []
        if self.item.document_id:
            versions = list(
                DocumentVersion.objects.filter(document_id=self.item.document_id)
                .select_related("uploaded_by")
                .order_by("-number")
            )
        context.update(
            versions=versions,
            reviewable=self.item.state == AdvanceDocument.State.UPLOADED,
        )
        return context

    def form_valid(self, form):
        try:
            item = checklist_review(item=self.item, reviewer=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        if item.state == AdvanceDocument.State.ACCEPTED:
            messages.success(self.request, f"“{item.title}” accepted.")
        else:
            messages.success(self.request, f"The council was asked for more for “{item.title}”.")
        return to_checklist(self)


class ChecklistDownloadView(ChallengeMixin, ItemMixin, View):
    """A version of an item's file, for whoever sees the challenge: 404 for a version that
    is not of this item's document."""

    def get(self, request, *args, **kwargs):
        version = (
            DocumentVersion.objects.filter(
                alliance=request.alliance,
                document_id=self.item.document_id,
                number=kwargs["version"],
            ).first()
            if self.item.document_id
            else None
        )
        if version is None:
            raise Http404("No such version of this document.")
        return document_version_response(request, version=version)
