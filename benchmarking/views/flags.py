"""Answering the flags on one indicator of a council's data pack: explained, set aside, or
a line of enquiry on one of the council's challenges."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from peerchallenge.kloe_targets import kloe_targets_for
from peerchallenge.views.councils import CouncilMixin

from ..forms import FlagAnswerForm
from ..forms.flags import TEXT_FIELDS
from ..models import FlagAnswer, Indicator
from ..permissions import may_answer_flags
from ..selectors_flags import answers_of, flag_row, real_flags
from ..services.flags import figures_quoted, flag_answer


class FlagAnswerView(CouncilMixin, FormView):
    """Every member reads a council's pack; its flags are answered by its own organisers
    and DCS and by the alliance's programme managers and data lead (403 for the others).
    An indicator the pack shows without a flag, or does not show, says so."""

    permission_required = "benchmarking.view_data_pack"
    template_name = "benchmarking/flag_answer.html"
    form_class = FlagAnswerForm

    def dispatch(self, request, *args, **kwargs):
        self.indicator = Indicator.objects.filter(code=kwargs["indicator"]).first()
        if self.indicator is None:
            raise Http404("No such indicator.")
        return super().dispatch(request, *args, **kwargs)

    def _load(self):
        """After the alliance and council are known (and the person may read the pack)."""
        user = self.request.user
        if not may_answer_flags(user, alliance=self.alliance, council=self.council):
            raise PermissionDenied
        self.row = flag_row(alliance=self.alliance, council=self.council, indicator=self.indicator)
        self.flags = real_flags(self.row) if self.row else []
        self.answer = None
        if self.flags:
            self.answer = answers_of(alliance=self.alliance, council=self.council).get(
                (self.indicator.pk, self.row.period)
            )
        self.targets = (
            kloe_targets_for(alliance=self.alliance, council=self.council, user=user)
            if self.flags
            else []
        )

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "targets": self.targets,
            "has_line": self.answer is not None and self.answer.kloe_id is not None,
        }

    def get_initial(self):
        initial = {"period": self.row.period if self.row else ""}
        if self.answer is not None:
            initial["answer"] = self.answer.answer
            initial[TEXT_FIELDS[self.answer.answer]] = self.answer.text
        return initial

    def pack_url(self) -> str:
        url = reverse(
            "benchmarking:data_pack",
            kwargs={"alliance": self.alliance.slug, "gss": self.council.gss_code},
        )
        # The indicator's section of the pack (its anchor, as views.pack writes it).
        return f"{url}#{self.indicator.code.replace('_', '-')}"

    def form_valid(self, form):
        arguments = form.service_arguments()
        try:
            answered = flag_answer(
                alliance=self.alliance,
                council=self.council,
                indicator=self.indicator,
                answered_by=self.request.user,
                **arguments,
            )
        except ValidationError as error:
            # The service names the text "text": it is the box of the answer chosen.
            boxes = {"text": TEXT_FIELDS.get(arguments["answer"])}
            for name, errors in error.message_dict.items():
                field = boxes.get(name, name)
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        if answered.answer == FlagAnswer.Answer.ENQUIRY and answered.kloe is not None:
            messages.success(
                self.request,
                f"Answer saved. The line of enquiry “{answered.kloe.title}” is a draft on the "
                "challenge: change it and share it from there.",
            )
        else:
            messages.success(self.request, "Answer saved.")
        return redirect(self.pack_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            indicator=self.indicator,
            row=self.row,
            flags=self.flags,
            answer=self.answer,
            figures=figures_quoted(council=self.council, row=self.row) if self.flags else "",
            pack_url=self.pack_url(),
        )
        return context
