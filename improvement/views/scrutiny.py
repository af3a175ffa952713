"""Peer scrutiny of the self-evaluations: the planners' pairing page, and the pages where a
scrutinising council comments on a section and records its moderation note, and where the
scrutinised council replies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from peerchallenge.concurrency import values_version
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.views.mixins import AllianceObjectMixin, ConfirmMixin, refusals_on

from ..forms import CommentForm, ModerationForm, ReplyForm, ScrutinyAddForm
from ..models import Scrutiny, ScrutinyComment, TemplateSection
from ..selectors import scrutinies_of, texts_of
from ..services.scrutiny import (
    comment_save,
    moderation_save,
    reply_save,
    scrutiny_add,
    scrutiny_groups_assign,
    scrutiny_remove,
    scrutiny_suggest,
)
from .cycle import CycleMixin, RegionalMixin
from .self_evaluation import SelfEvaluationMixin, to_self_evaluation


def to_scrutiny(cycle):
    return redirect(
        "improvement:scrutiny", alliance=cycle.alliance.slug, improvement_cycle=cycle.pk
    )


class ScrutinyView(CycleMixin, TemplateView):
    """Who scrutinises whom: the pairings made, or the suggested groups to make them from."""

    permission_required = "improvement.manage_cycle"
    template_name = "improvement/scrutiny.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scrutinies = scrutinies_of(self.cycle)
        by_council: dict = {}
        for scrutiny in scrutinies:
            by_council.setdefault(scrutiny.council, []).append(scrutiny)
        context.update(
            by_council=sorted(by_council.items(), key=lambda item: item[0].name),
            suggestion=[] if scrutinies else scrutiny_suggest(self.cycle),
        )
        return context


class ScrutinyAssignView(CycleMixin, View):
    """POST: make the suggested pairings (the suggestion is worked out again: the same)."""

    permission_required = "improvement.manage_cycle"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        groups = scrutiny_suggest(self.cycle)
        made = scrutiny_groups_assign(cycle=self.cycle, groups=groups, assigned_by=request.user)
        messages.success(
            request,
            f"{made} pairing{'s' if made != 1 else ''} made: each council is scrutinised by the "
            "others in its group.",
        )
        return to_scrutiny(self.cycle)


class ScrutinyAddView(CycleMixin, FormView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/scrutiny_add.html"
    form_class = ScrutinyAddForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["councils"] = councils_of_alliance(alliance=self.alliance).order_by("name")
        return kwargs

    def form_valid(self, form):
        with refusals_on(form):
            scrutiny = scrutiny_add(
                cycle=self.cycle,
                council=form.cleaned_data["council"],
                scrutineer=form.cleaned_data["scrutineer"],
                assigned_by=self.request.user,
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{scrutiny.scrutineer.name} scrutinises {scrutiny.council.name}'s self-evaluation.",
        )
        return to_scrutiny(self.cycle)


class ScrutinyRemoveView(RegionalMixin, AllianceObjectMixin, ConfirmMixin, TemplateView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/scrutiny_remove.html"
    object_model = Scrutiny
    object_kwarg = "scrutiny"
    object_name = "scrutiny"
    object_related = ("cycle", "council", "scrutineer")
    not_found = "No such pairing."

    def confirmed_post(self, request, *args, **kwargs):
        try:
            scrutiny_remove(scrutiny=self.scrutiny)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request,
                f"{self.scrutiny.scrutineer.name} no longer scrutinises "
                f"{self.scrutiny.council.name}'s self-evaluation.",
            )
        return to_scrutiny(self.scrutiny.cycle)


class ScrutinyTextMixin(SelfEvaluationMixin, FormView):
    """A text of one scrutiny of the council's self-evaluation (in the URL): written by the
    scrutinising council (`by_scrutineer`) or by the scrutinised council; 404 for anyone
    else, or when the scrutiny is not this council's."""

    by_scrutineer = True

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        self.scrutiny = (
            Scrutiny.objects.filter(
                cycle=found,
                stage=Scrutiny.Stage.SELF_EVALUATION,
                council=self.council,
                pk=self.kwargs["scrutiny"],
            )
            .select_related("scrutineer", "council")
            .first()
        )
        if self.scrutiny is None:
            raise Http404("No such scrutiny.")
        allowed = (
            self.scrutiny.scrutineer_id in self.scrutinising
            if self.by_scrutineer
            else self.may_write
        )
        if not allowed or (not self.locked and self.by_scrutineer):
            raise Http404("No such page.")
        return None

    def back(self):
        return to_self_evaluation(self.cycle, self.council, f"scrutiny-{self.scrutiny.pk}")

    def quoted(self) -> tuple[str, str] | None:
        """What the page shows above the form: (heading, text)."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            scrutiny=self.scrutiny,
            quoted=self.quoted(),
            page_title=context["form"].fields[context["form"].field_name].label,
        )
        return context


class CommentEditView(ScrutinyTextMixin):
    template_name = "improvement/scrutiny_text.html"
    form_class = CommentForm

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        self.section = TemplateSection.objects.filter(
            cycle=found, pk=self.kwargs["template_section"]
        ).first()
        if self.section is None:
            raise Http404("No such section.")
        self.comment = ScrutinyComment.objects.filter(
            scrutiny=self.scrutiny, section=self.section
        ).first()
        return None

    def quoted(self):
        text = texts_of(self.evaluation).get(self.section.pk)
        return (f"What {self.council.name} wrote", text.text if text else "")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["label"] = f"{self.scrutiny.scrutineer.name}'s comment on “{self.section.title}”"
        kwargs["hint"] = (
            "What the self-evaluation shows well, and what to ask about. Leave it empty to "
            "remove the comment."
        )
        return kwargs

    def get_initial(self):
        current = self.comment.text if self.comment else ""
        return {"text": current, "base_version": values_version({"text": current})}

    def form_valid(self, form):
        with refusals_on(form):
            comment_save(
                scrutiny=self.scrutiny,
                section=self.section,
                text=form.cleaned_data["text"],
                written_by=self.request.user,
                base_version=form.cleaned_data["base_version"],
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"The comment on “{self.section.title}” is saved.")
        return to_self_evaluation(self.cycle, self.council, f"section-{self.section.pk}")


class ModerationView(ScrutinyTextMixin):
    template_name = "improvement/scrutiny_text.html"
    form_class = ModerationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["label"] = f"{self.scrutiny.scrutineer.name}'s moderation note"
        kwargs["hint"] = (
            f"Your overall view of {self.council.name}'s self-evaluation: how well it knows "
            "itself, where its judgements need more evidence, what the council should do next."
        )
        return kwargs

    def get_initial(self):
        current = self.scrutiny.moderation_note
        return {"note": current, "base_version": values_version({"moderation_note": current})}

    def form_valid(self, form):
        with refusals_on(form):
            moderation_save(
                scrutiny=self.scrutiny,
                note=form.cleaned_data["note"],
                user=self.request.user,
                base_version=form.cleaned_data["base_version"],
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, "The moderation note is saved.")
        return self.back()


class ReplyView(ScrutinyTextMixin):
    template_name = "improvement/scrutiny_text.html"
    form_class = ReplyForm
    by_scrutineer = False

    def quoted(self):
        return (f"{self.scrutiny.scrutineer.name}'s moderation note", self.scrutiny.moderation_note)

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        if not self.scrutiny.moderation_note:
            messages.info(request, "Reply once the moderation note is recorded.")
            return self.back()
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["label"] = f"{self.council.name}'s reply to {self.scrutiny.scrutineer.name}"
        kwargs["hint"] = "What you take from the scrutiny, and what you will do about it."
        return kwargs

    def get_initial(self):
        current = self.scrutiny.reply
        return {"reply": current, "base_version": values_version({"reply": current})}

    def form_valid(self, form):
        with refusals_on(form):
            reply_save(
                scrutiny=self.scrutiny,
                reply=form.cleaned_data["reply"],
                user=self.request.user,
                base_version=form.cleaned_data["base_version"],
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, "Your reply is saved.")
        return self.back()
