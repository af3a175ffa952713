"""Peer scrutiny of the self-evaluations and peer challenge of the development plans (one
model, `Scrutiny.stage`): the planners' pairing pages, and the pages where a scrutinising
council comments (on a section, or a priority) and records its moderation note, and where
the council replies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from peerchallenge.concurrency import values_version
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.views.mixins import AllianceObjectMixin, ConfirmMixin, refusals_on

from ..forms import CommentForm, ModerationForm, ReplyForm, ScrutinyAddForm
from ..models import Priority, Scrutiny, ScrutinyComment, TemplateSection
from ..selectors import scrutinies_of, texts_of
from ..services.scrutiny import (
    challenge_pairs_copy,
    comment_save,
    moderation_save,
    reply_save,
    scrutiny_add,
    scrutiny_groups_assign,
    scrutiny_remove,
    scrutiny_suggest,
)
from .cycle import CycleMixin, RegionalMixin
from .plan import PlanMixin, to_plan
from .self_evaluation import SelfEvaluationMixin, to_self_evaluation

SE, PLAN = Scrutiny.Stage.SELF_EVALUATION, Scrutiny.Stage.PLAN
# The pairing pages' URL names, by stage.
PAIRING_PAGE = {SE: "improvement:scrutiny", PLAN: "improvement:challenge"}


def to_pairings(cycle, stage):
    return redirect(PAIRING_PAGE[stage], alliance=cycle.alliance.slug, improvement_cycle=cycle.pk)


class ScrutinyView(CycleMixin, TemplateView):
    """Who scrutinises (or challenges) whom: the pairings made, or how to make them."""

    permission_required = "improvement.manage_cycle"
    template_name = "improvement/scrutiny.html"
    stage = SE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scrutinies = scrutinies_of(self.cycle, stage=self.stage)
        by_council: dict = {}
        for scrutiny in scrutinies:
            by_council.setdefault(scrutiny.council, []).append(scrutiny)
        context.update(
            stage=self.stage,
            by_council=sorted(by_council.items(), key=lambda item: item[0].name),
            suggestion=[] if scrutinies or self.stage == PLAN else scrutiny_suggest(self.cycle),
            scrutiny_pairs=len(scrutinies_of(self.cycle)) if self.stage == PLAN else 0,
            assign_url=f"{PAIRING_PAGE[self.stage]}_assign",
            add_url=f"{PAIRING_PAGE[self.stage]}_add",
        )
        return context


class ScrutinyAssignView(CycleMixin, View):
    """POST: make the suggested pairings (the suggestion is worked out again: the same); for
    the plans, the self-evaluations' pairings again."""

    permission_required = "improvement.manage_cycle"
    http_method_names = ["post"]
    stage = SE

    def post(self, request, *args, **kwargs):
        if self.stage == PLAN:
            made = challenge_pairs_copy(cycle=self.cycle, assigned_by=request.user)
        else:
            groups = scrutiny_suggest(self.cycle)
            made = scrutiny_groups_assign(cycle=self.cycle, groups=groups, assigned_by=request.user)
        messages.success(
            request,
            f"{made} pairing{'s' if made != 1 else ''} made: each council is "
            f"{'challenged' if self.stage == PLAN else 'scrutinised'} by the others in its group.",
        )
        return to_pairings(self.cycle, self.stage)


class ScrutinyAddView(CycleMixin, FormView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/scrutiny_add.html"
    form_class = ScrutinyAddForm
    stage = SE

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["councils"] = councils_of_alliance(alliance=self.alliance).order_by("name")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(stage=self.stage, back_url=PAIRING_PAGE[self.stage])
        return context

    def form_valid(self, form):
        with refusals_on(form):
            scrutiny = scrutiny_add(
                cycle=self.cycle,
                council=form.cleaned_data["council"],
                scrutineer=form.cleaned_data["scrutineer"],
                assigned_by=self.request.user,
                stage=self.stage,
            )
        if form.errors:
            return self.form_invalid(form)
        done = "challenges" if self.stage == PLAN else "scrutinises"
        what = "development plan" if self.stage == PLAN else "self-evaluation"
        messages.success(
            self.request, f"{scrutiny.scrutineer.name} {done} {scrutiny.council.name}'s {what}."
        )
        return to_pairings(self.cycle, self.stage)


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
            messages.success(request, f"The pairing {self.scrutiny} is removed.")
        return to_pairings(self.scrutiny.cycle, self.scrutiny.stage)


class _ScrutinyText:
    """A text of one scrutiny of the council's work (in the URL): written by the
    scrutinising council (`by_scrutineer`) or by the council; 404 for anyone else, or when
    the scrutiny is not this council's. Mixed with the page of the work it is about
    (SelfEvaluationMixin or PlanMixin), which sets `scrutinising` and `may_write`, and then
    FormView: the page's mixin must come before FormView, so that its dispatch (the
    alliance, the object, the permissions) runs."""

    by_scrutineer = True
    stage = SE
    template_name = "improvement/scrutiny_text.html"

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        self.scrutiny = (
            Scrutiny.objects.filter(
                cycle=found, stage=self.stage, council=self.council, pk=self.kwargs["scrutiny"]
            )
            .select_related("scrutineer", "council")
            .first()
        )
        if self.scrutiny is None:
            raise Http404("No such scrutiny.")
        if self.by_scrutineer:
            allowed = self.locked and self.scrutiny.scrutineer_id in self.scrutinising
        else:
            allowed = self.may_write
        if not allowed:
            raise Http404("No such page.")
        return None

    def back(self, anchor=""):
        anchor = anchor or f"scrutiny-{self.scrutiny.pk}"
        if self.stage == PLAN:
            response = to_plan(self.cycle, self.council)
            response["Location"] += f"#{anchor}"
            return response
        return to_self_evaluation(self.cycle, self.council, anchor)

    def quoted(self) -> tuple[str, str] | None:
        """What the page shows above the form: (heading, text)."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            scrutiny=self.scrutiny,
            quoted=self.quoted(),
            page_title=form.fields[form.field_name].label,
            work="development plan" if self.stage == PLAN else "self-evaluation",
            work_url="improvement:plan" if self.stage == PLAN else "improvement:self_evaluation",
        )
        return context


class _Comment(_ScrutinyText):
    form_class = CommentForm

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        if self.stage == PLAN:
            self.about = Priority.objects.filter(plan=self.plan, pk=self.kwargs["priority"]).first()
        else:
            self.about = TemplateSection.objects.filter(
                cycle=found, pk=self.kwargs["template_section"]
            ).first()
        if self.about is None:
            raise Http404("Nothing to comment on.")
        key = "priority" if self.stage == PLAN else "section"
        self.comment = ScrutinyComment.objects.filter(
            scrutiny=self.scrutiny, **{key: self.about}
        ).first()
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["label"] = f"{self.scrutiny.scrutineer.name}'s comment on “{self.about.title}”"
        kwargs["hint"] = (
            "What it shows well, and what to ask about. Leave it empty to remove the comment."
        )
        return kwargs

    def get_initial(self):
        current = self.comment.text if self.comment else ""
        return {"text": current, "base_version": values_version({"text": current})}

    def form_valid(self, form):
        about = {"priority": self.about} if self.stage == PLAN else {"section": self.about}
        with refusals_on(form):
            comment_save(
                scrutiny=self.scrutiny,
                text=form.cleaned_data["text"],
                written_by=self.request.user,
                base_version=form.cleaned_data["base_version"],
                **about,
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"The comment on “{self.about.title}” is saved.")
        prefix = "priority" if self.stage == PLAN else "section"
        return self.back(f"{prefix}-{self.about.pk}")


class CommentEditView(_Comment, SelfEvaluationMixin, FormView):
    def quoted(self):
        text = texts_of(self.evaluation).get(self.about.pk)
        return (f"What {self.council.name} wrote", text.text if text else "")


class ChallengeCommentView(_Comment, PlanMixin, FormView):
    stage = PLAN

    def quoted(self):
        priority = self.about
        return (
            f"{self.council.name}'s priority",
            f"{priority.what}\nOwner: {priority.owner}. Due by {priority.due_date:%-d %B %Y}.",
        )


class _Moderation(_ScrutinyText):
    form_class = ModerationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["label"] = f"{self.scrutiny.scrutineer.name}'s moderation note"
        what = "development plan" if self.stage == PLAN else "self-evaluation"
        kwargs["hint"] = (
            f"Your overall view of {self.council.name}'s {what}: how well it knows itself, "
            "where its judgements or plans need more evidence, what the council should do next."
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


class ModerationView(_Moderation, SelfEvaluationMixin, FormView):
    pass


class ChallengeModerationView(_Moderation, PlanMixin, FormView):
    stage = PLAN


class _Reply(_ScrutinyText):
    form_class = ReplyForm
    by_scrutineer = False

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        if not self.scrutiny.moderation_note:
            messages.info(request, "Reply once the moderation note is recorded.")
            return self.back()
        return None

    def quoted(self):
        return (f"{self.scrutiny.scrutineer.name}'s moderation note", self.scrutiny.moderation_note)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["label"] = f"{self.council.name}'s reply to {self.scrutiny.scrutineer.name}"
        kwargs["hint"] = "What you take from it, and what you will do about it."
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


class ReplyView(_Reply, SelfEvaluationMixin, FormView):
    pass


class ChallengeReplyView(_Reply, PlanMixin, FormView):
    stage = PLAN
