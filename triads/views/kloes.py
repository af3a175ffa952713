"""A triad's page and its key lines of enquiry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from peerchallenge.concurrency import record_version
from peerchallenge.models import KeyLineOfEnquiry
from peerchallenge.services import kloe_comment_add, kloe_create, kloe_share, kloe_update
from peerchallenge.services.kloes import KLOE_FIELDS
from peerchallenge.views.mixins import form_errors_from, refusals_on

from ..forms.kloes import CommentForm, ConsultantForm, KloeForm
from ..permissions import kloe_abilities
from ..selectors import consultants_of_alliance, kloes_visible_to, triad_documents
from ..services.cycles import triad_assign_consultant
from .base import TriadMixin


class KloeMixin(TriadMixin):
    """A KLOE of this triad's cycle and councils that the person may read; 404 otherwise,
    403 when they may read it but not do what the view does."""

    kloe_permission = "peerchallenge.view_keylineofenquiry"

    def check_object(self, request, **kwargs) -> None:
        self.kloe = (
            KeyLineOfEnquiry.objects.filter(
                alliance=request.alliance,
                pk=kwargs["kloe"],
                challenge_id=kwargs["cycle"],
                local_authority__in=self.triad_council_ids(),
            )
            .select_related("local_authority", "challenge_type")
            .first()
        )
        if self.kloe is None or not request.user.has_perm(
            "peerchallenge.view_keylineofenquiry", self.kloe
        ):
            raise Http404("No such key line of enquiry for you.")
        if not request.user.has_perm(self.kloe_permission, self.kloe):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kloe"] = self.kloe
        return context


class TriadDetailView(TriadMixin, TemplateView):
    template_name = "triads/triad_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        kloes = kloes_visible_to(user=user, triad=self.triad, cycle=self.cycle)
        members = list(self.triad.members.select_related("council"))
        by_council = {m.council_id: [] for m in members}
        for kloe in kloes:
            for name, allowed in kloe_abilities(user, kloe).items():
                setattr(kloe, name, allowed)
            by_council[kloe.local_authority_id].append(kloe)
        documents = triad_documents(triad=self.triad, cycle=self.cycle)
        context["councils"] = [
            (m.council, by_council[m.council_id], documents.get(m.council_id, [])) for m in members
        ]
        context["can_write"] = self.my_councils_here().exists()
        context["comment_form"] = CommentForm()
        return context


class KloeCreateView(TriadMixin, FormView):
    template_name = "triads/kloe_form.html"
    form_class = KloeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        councils = self.my_councils_here()
        if not councils.exists():
            raise PermissionDenied  # sees the triad (consultant, planner) but writes none
        kwargs["councils"] = councils
        self.councils = councils
        return kwargs

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        council = data.pop("council", None) or self.councils.get()
        try:
            kloe_create(
                challenge=self.cycle, local_authority=council, created_by=self.request.user, **data
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Key line of enquiry saved as a draft.")
        return self.triad_url()


class KloeEditView(KloeMixin, FormView):
    kloe_permission = "peerchallenge.change_keylineofenquiry"
    template_name = "triads/kloe_form.html"
    form_class = KloeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["councils"] = None
        return kwargs

    def get_initial(self):
        return {
            **{name: getattr(self.kloe, name) for name in KLOE_FIELDS},
            "base_version": record_version(self.kloe, KLOE_FIELDS),
        }

    def form_valid(self, form):
        with refusals_on(form):
            kloe_update(kloe=self.kloe, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{self.kloe.title}” saved.")
        return self.triad_url()


class KloeShareView(KloeMixin, View):
    kloe_permission = "peerchallenge.share_keylineofenquiry"

    def post(self, request, *args, **kwargs):
        kloe_share(kloe=self.kloe, shared_by=request.user)
        messages.success(request, f"“{self.kloe.title}” is now shared with your triad.")
        return self.triad_url()


class KloeCommentView(KloeMixin, FormView):
    kloe_permission = "peerchallenge.comment_keylineofenquiry"
    template_name = "triads/kloe_comment.html"
    form_class = CommentForm

    def form_valid(self, form):
        kloe_comment_add(kloe=self.kloe, author=self.request.user, text=form.cleaned_data["text"])
        messages.success(self.request, "Comment added.")
        return self.triad_url()


class TriadConsultantView(TriadMixin, FormView):
    """The planners choose the triad's consultant. Like every page of the triad, 404 for whoever
    may not see the triad (a council outside it); 403 for one who sees it without the role."""

    permission_required = "triads.manage_cycle"
    template_name = "triads/triad_consultant.html"
    form_class = ConsultantForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["consultants"] = consultants_of_alliance(alliance=self.alliance)
        return kwargs

    def get_initial(self):
        return {"consultant": self.triad.consultant}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["triad_councils"] = [
            m.council for m in self.triad.members.select_related("council")
        ]
        return context

    def form_valid(self, form):
        try:
            triad_assign_consultant(triad=self.triad, consultant=form.cleaned_data["consultant"])
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Consultant for {self.triad} saved.")
        return redirect("triads:cycle_detail", alliance=self.alliance.slug, cycle=self.cycle.pk)
