"""A council's self-evaluation: read by its own people and the alliance's planners (anyone
else gets 404), written section by section by its organisers and DCS, submitted by its DCS,
returned by a planner with comments."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from peerchallenge.concurrency import values_version
from peerchallenge.council_facts import council_facts_for
from peerchallenge.models import DocumentVersion
from peerchallenge.uploads import accept_attribute
from peerchallenge.views.documents import document_version_response
from peerchallenge.views.mixins import refusals_on

from ..forms import EvidenceForm, ReturnForm, SectionTextForm, SubmitForm
from ..models import SelfEvaluation, TemplateSection
from ..selectors import (
    evidence_of,
    scrutinies_of_council,
    self_evaluation_of,
    template_of,
    texts_of,
)
from ..services.self_evaluation import (
    evidence_attach,
    section_save,
    self_evaluation_return,
    self_evaluation_submit,
)
from .cycle import CouncilWorkMixin


def to_self_evaluation(cycle, council, anchor=""):
    response = redirect(
        "improvement:self_evaluation",
        alliance=cycle.alliance.slug,
        improvement_cycle=cycle.pk,
        gss=council.gss_code,
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


class SelfEvaluationMixin(CouncilWorkMixin):
    """A page of one council's self-evaluation."""

    work_name = "self-evaluation"
    locked_text = "The self-evaluation is submitted: it can no longer change."

    def work_of(self, cycle, council):
        return self_evaluation_of(cycle=cycle, council=council)

    def to_work(self):
        return to_self_evaluation(self.cycle, self.council)

    @property
    def evaluation(self):
        return self.work

    def check_object(self, request, found):
        super().check_object(request, found)
        self.may_review = request.user.has_perm(
            "improvement.review_self_evaluations", request.alliance
        )
        return None

    def facts(self) -> list:
        """What other apps know about the council (its data pack's flags and answers), for
        the template's data section."""
        return council_facts_for(
            alliance=self.alliance, council=self.council, user=self.request.user
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            council=self.council,
            evaluation=self.evaluation,
            may_write=self.may_write and not self.locked,
            may_submit=self.may_submit and not self.locked,
            may_return=self.may_review and self.locked,
        )
        return context


class SelfEvaluationView(SelfEvaluationMixin, TemplateView):
    template_name = "improvement/self_evaluation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        texts = texts_of(self.evaluation)
        scrutinies = scrutinies_of_council(self.cycle, self.council)
        comments: dict[int, list] = {}
        for scrutiny in scrutinies:
            for comment in scrutiny.comments.all():
                comments.setdefault(comment.section_id, []).append((scrutiny, comment))
        sections = [
            (section, texts.get(section.pk), comments.get(section.pk, []))
            for section in template_of(self.cycle)
        ]
        mine = [s for s in scrutinies if s.scrutineer_id in self.scrutinising]
        has_data = any(section.kind == TemplateSection.Kind.DATA for section, _t, _c in sections)
        context.update(
            facts=self.facts() if has_data else [],
            sections=sections,
            written=sum(1 for _section, text, _c in sections if text and text.text),
            scrutinies=scrutinies,
            evidence=evidence_of(self.evaluation),
            my_scrutinies=mine if self.locked else [],
            may_reply=self.may_write,
        )
        return context


class SectionEditView(SelfEvaluationMixin, FormView):
    """One section, its own form: saving it loses nothing written elsewhere."""

    template_name = "improvement/section_edit.html"
    form_class = SectionTextForm

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        self.section = TemplateSection.objects.filter(
            cycle=found, pk=self.kwargs["template_section"]
        ).first()
        if self.section is None:
            raise Http404("No such section.")
        refused = self.writer_only(request)
        if refused is not None:
            return refused
        self.text = texts_of(self.evaluation).get(self.section.pk)
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["section"] = self.section
        return kwargs

    def get_initial(self):
        current = self.text.text if self.text else ""
        return {"text": current, "base_version": values_version({"text": current})}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            section=self.section,
            text=self.text,
            facts=self.facts() if self.section.kind == TemplateSection.Kind.DATA else [],
        )
        return context

    def form_valid(self, form):
        with refusals_on(form):
            section_save(
                cycle=self.cycle,
                council=self.council,
                section=self.section,
                text=form.cleaned_data["text"],
                saved_by=self.request.user,
                base_version=form.cleaned_data["base_version"],
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{self.section.title}” is saved.")
        return to_self_evaluation(self.cycle, self.council, f"section-{self.section.pk}")


class SubmitView(SelfEvaluationMixin, FormView):
    template_name = "improvement/submit.html"
    form_class = SubmitForm

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        if not self.may_submit:
            raise Http404("No such page.")
        if self.locked:
            messages.info(request, "The self-evaluation is already submitted.")
            return to_self_evaluation(found, self.council)
        return None

    def form_valid(self, form):
        if self.evaluation is None:
            form.add_error(None, "Write the self-evaluation before submitting it.")
            return self.form_invalid(form)
        with refusals_on(form):
            self_evaluation_submit(
                evaluation=self.evaluation, submitted_by=self.request.user, **form.cleaned_data
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.council.name}'s self-evaluation is submitted. The alliance's programme "
            "team can now read it.",
        )
        return to_self_evaluation(self.cycle, self.council)


class ReturnView(SelfEvaluationMixin, FormView):
    template_name = "improvement/return.html"
    form_class = ReturnForm

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        if not self.may_review:
            raise Http404("No such page.")
        if not self.locked:
            messages.info(request, "Only a submitted self-evaluation can be returned.")
            return to_self_evaluation(found, self.council)
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sections"] = template_of(self.cycle)
        return kwargs

    def form_valid(self, form):
        with refusals_on(form):
            self_evaluation_return(
                evaluation=self.evaluation,
                returned_by=self.request.user,
                comment=form.cleaned_data["comment"],
                section_comments=form.section_comments(),
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.council.name}'s self-evaluation is returned to the council with your comments.",
        )
        return to_self_evaluation(self.cycle, self.council)


class EvidenceAttachView(SelfEvaluationMixin, FormView):
    """Attach a document to the self-evaluation: its writers, while it is not submitted."""

    template_name = "improvement/evidence_form.html"
    form_class = EvidenceForm

    def check_object(self, request, found):
        return super().check_object(request, found) or self.writer_only(request)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            accept=accept_attribute(),
            max_mb=settings.PEERCHALLENGE_UPLOAD_MAX_BYTES // (1024 * 1024),
        )
        return kwargs

    def form_valid(self, form):
        with refusals_on(form):
            version = evidence_attach(
                cycle=self.cycle,
                council=self.council,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                uploaded_by=self.request.user,
            )
        if form.errors:
            return self.form_invalid(form)
        what = "A new version of" if version.number > 1 else "The document"
        messages.success(self.request, f"{what} “{version.document.title}” is attached.")
        return to_self_evaluation(self.cycle, self.council, "evidence")


class EvidenceDownloadView(SelfEvaluationMixin, View):
    """A version of a document attached to the self-evaluation, for whoever reads it
    (logged in the access log); 404 for anyone else or any other document."""

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        self.version = (
            DocumentVersion.objects.filter(
                alliance=request.alliance,
                document_id=self.kwargs["document"],
                number=self.kwargs["version"],
                document__challenge_type=ContentType.objects.get_for_model(SelfEvaluation),
                document__challenge_id=self.evaluation.pk if self.evaluation else None,
            )
            .select_related("document__challenge_type")
            .first()
        )
        if self.version is None or not request.user.has_perm(
            "peerchallenge.view_document", self.version.document
        ):
            raise Http404("No such document for you.")
        return None

    def get(self, request, *args, **kwargs):
        return document_version_response(request, version=self.version)
