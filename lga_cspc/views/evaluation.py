"""After the challenge: the LGA's evaluation page (the DCS interview, the follow-up, sending
the team's questionnaires), each peer's questionnaire, the aggregated results across the
LGA's challenges, and the next steps the CIA records on the council's improvement plan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from peerchallenge.concurrency import EditConflict
from peerchallenge.permissions import may_view_improvement_plan
from peerchallenge.views.mixins import form_errors_from

from ..forms.evaluation import (
    EvaluationRecordForm,
    EvaluationScheduleForm,
    NextStepForm,
    QuestionnaireForm,
)
from ..models import Challenge, Questionnaire, TeamMember
from ..selectors import ChallengePage, next_steps_of
from ..services.evaluation import (
    QUESTIONNAIRE_STAGES,
    RATINGS,
    evaluation_of,
    evaluation_record,
    evaluation_schedule,
    evaluation_summary,
    evaluation_with_defaults,
    evaluators_of,
    next_step_record,
    questionnaire_answer,
    questionnaires_send,
)
from .base import ChallengeMixin, CspcMixin, page_of
from .team import MemberMixin


def evaluation_detail_context(
    *, challenge: Challenge, user, page: ChallengePage | None = None
) -> dict:
    """What the challenge's page shows of the after-challenge work
    (lga_cspc/_detail_evaluation.html): the interview and follow-up, the viewer's own
    questionnaire, the next steps agreed, and which pages the viewer may open."""
    page = page_of(challenge, page)
    challenge = page.challenge
    can_evaluate = user.has_perm("lga_cspc.evaluate", challenge)
    # With the default dates until it is scheduled; only the planners see it.
    evaluation = (
        evaluation_with_defaults(challenge=challenge, evaluation=page.evaluation)
        if can_evaluate
        else None
    )
    place = page.team_place(user)
    return {
        "evaluation": evaluation,
        "evaluation_can_evaluate": can_evaluate,
        "evaluation_can_record_next_steps": user.has_perm("lga_cspc.record_next_steps", challenge),
        # Read with the team: None when there is no place or no questionnaire.
        "evaluation_my_questionnaire": getattr(place, "questionnaire", None),
        "evaluation_next_steps": page.counts.next_steps,
        "evaluation_can_see_plan": may_view_improvement_plan(
            user, alliance=challenge.alliance, council=challenge.local_authority
        ),
    }


def to_page(view, name: str):
    return redirect(f"lga_cspc:{name}", alliance=view.alliance.slug, challenge=view.challenge.pk)


class EvaluationView(ChallengeMixin, TemplateView):
    """The LGA's planners schedule and record the DCS interview, set the follow-up, and send
    the team's questionnaires once the final report is issued."""

    challenge_permission = "lga_cspc.evaluate"
    template_name = "lga_cspc/evaluation.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.forms = {}

    def schedule_form(self, data=None):
        evaluation = self.evaluation
        return EvaluationScheduleForm(
            data,
            initial=EvaluationScheduleForm.initial_from(evaluation),
            interviewers=evaluators_of(alliance=self.alliance),
        )

    def get(self, request, *args, **kwargs):
        self.evaluation = evaluation_of(challenge=self.challenge)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.evaluation = evaluation_of(challenge=self.challenge)
        if "send_questionnaires" in request.POST:
            try:
                created = questionnaires_send(challenge=self.challenge, user=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                if created:
                    count = len(created)
                    messages.success(
                        request,
                        f"The evaluation questionnaire was sent to {count} "
                        f"member{'s' if count != 1 else ''} of the team.",
                    )
                else:
                    messages.success(request, "Every member of the team already has one.")
            return to_page(self, "evaluation")
        if "record" in request.POST:
            form = EvaluationRecordForm(request.POST)
            self.forms["record_form"] = form
            service, done = evaluation_record, "The evaluation interview was recorded."
        else:
            form = self.schedule_form(request.POST)
            self.forms["schedule_form"] = form
            service, done = evaluation_schedule, "The evaluation schedule was saved."
        if form.is_valid():
            try:
                service(challenge=self.challenge, user=request.user, **form.service_arguments())
            except EditConflict as conflict:
                form.conflict_show(conflict)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, done)
                return to_page(self, "evaluation")
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(
            TeamMember.objects.filter(challenge=self.challenge)
            .select_related("user", "questionnaire")
            .order_by("role", "user__full_name")
        )
        for member in members:
            member.sent = getattr(member, "questionnaire", None)
        context.update(
            evaluation=self.evaluation,
            schedule_form=self.forms.get("schedule_form") or self.schedule_form(),
            record_form=self.forms.get("record_form")
            or EvaluationRecordForm(initial=EvaluationRecordForm.initial_from(self.evaluation)),
            members=members,
            can_send=self.challenge.stage in QUESTIONNAIRE_STAGES,
            unsent=sum(member.sent is None for member in members),
        )
        return context


class QuestionnaireView(ChallengeMixin, MemberMixin, FormView):
    """A peer answers their own questionnaire, once: others who see the challenge get 403,
    a place on another challenge's team 404."""

    member_permission = "lga_cspc.answer_questionnaire"
    template_name = "lga_cspc/questionnaire.html"
    form_class = QuestionnaireForm

    def get_questionnaire(self):
        if not hasattr(self, "_questionnaire"):
            self._questionnaire = Questionnaire.objects.filter(member=self.member).first()
        return self._questionnaire

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["labels"] = {
            name: Questionnaire._meta.get_field(name).verbose_name for name in RATINGS
        }
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questionnaire = self.get_questionnaire()
        answers = []
        if questionnaire and questionnaire.submitted_at:
            answers = [
                (Questionnaire._meta.get_field(name).verbose_name, getattr(questionnaire, name))
                for name in RATINGS
            ]
        context.update(member=self.member, questionnaire=questionnaire, answers=answers)
        return context

    def form_valid(self, form):
        questionnaire = self.get_questionnaire()
        if questionnaire is None:
            form.add_error(None, "No questionnaire has been sent to you for this challenge yet.")
            return self.form_invalid(form)
        try:
            questionnaire_answer(questionnaire=questionnaire, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Thank you: your answers were sent to the LGA.")
        return to_page(self, "after")


class NextStepsView(ChallengeMixin, FormView):
    """The CIA (and the LGA's planners) record the next steps agreed with the council: each
    an action on the council's improvement plan, from this challenge."""

    challenge_permission = "lga_cspc.record_next_steps"
    template_name = "lga_cspc/next_steps.html"
    form_class = NextStepForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            actions=list(next_steps_of(challenge=self.challenge)),
            follow_up=evaluation_of(challenge=self.challenge).follow_up_suggested,
            can_see_plan=may_view_improvement_plan(
                self.request.user,
                alliance=self.alliance,
                council=self.challenge.local_authority,
            ),
        )
        return context

    def form_valid(self, form):
        try:
            action = next_step_record(
                challenge=self.challenge, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Added to {self.challenge.local_authority.name}'s improvement plan: “{action}”.",
        )
        return to_page(self, "next_steps")


class EvaluationSummaryView(CspcMixin, TemplateView):
    """The questionnaires' results per challenge and across all, for the LGA's planners."""

    permission_required = "lga_cspc.view_challenges"
    template_name = "lga_cspc/evaluation_summary.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("lga_cspc.evaluate", self.alliance):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, overall = evaluation_summary(alliance=self.alliance)
        context.update(
            rows=rows,
            overall=overall,
            ratings=[(name, Questionnaire._meta.get_field(name).verbose_name) for name in RATINGS],
        )
        return context
