"""GOV.UK "Check your answers": a question page, then a page of the answers, then send.

The question page has one button, "Continue". Valid answers (the form's and the service's
own checks, which write nothing) are kept in the person's session, not in the database,
and the person is sent to the check page: every answer in a summary list with a "Change"
link back to its field, what the service must say before sending, and the one button that
sends. "Change" opens the question page with every answer filled in (`?change=1`).

The draft is kept as strings and ids, the way the form reads them back (a date as
2027-05-10, a council by its pk), signed with a salt naming the draft, the alliance and the
person, so a draft of one alliance is nothing in another. Every read rebuilds the form from
it, inside the request's alliance: the form's querysets decide again what may be chosen (a
pk of another alliance or council is "not a valid choice", never data), and the service
checks again (an offer closed meanwhile). A GET never writes the session.

Sending replaces the draft with what it became (`{"sent": pk}`): a repeated POST of the
check page (a double click, the browser's back button) is sent to the first one's result
and does nothing again. Two POSTs at the very same moment are the form token's to settle
(peerchallenge.form_tokens): the second waits for the first's result.

An offer's view supplies the form, its checks, its summary rows and the sending; this
module knows nothing of any offer."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.shortcuts import redirect, render
from django.urls import reverse

from .mixins import form_errors_from

ALREADY_SENT = "This form was already sent, so it was not sent again."


@dataclass(frozen=True)
class Answer:
    """One row of the check page: the question, the answer, and the field its "Change"
    link focuses ("" for an answer that cannot be changed), named in the link's visually
    hidden text by `names` ("the council")."""

    question: str
    answer: str
    field: str = ""
    names: str = ""


def answers_data(form) -> dict:
    """A valid form's cleaned values as strings and ids, as the form reads them back."""
    data = {}
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if isinstance(value, Model):
            data[name] = str(value.pk)
        elif isinstance(value, datetime.date | datetime.time):
            data[name] = value.isoformat()
        elif isinstance(value, bool):
            data[name] = "on" if value else ""
        elif isinstance(value, list | tuple) or hasattr(value, "values_list"):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


class CheckAnswersMixin:
    """What the question page and the check page share: the draft in the session, and the
    offer's hooks. The offer's view sets the names and supplies the `answers_*` methods."""

    draft_name = ""  # "lga_cspc.booking": names the draft in the session
    question_url_name = ""
    check_url_name = ""
    question_template = ""

    # The offer's hooks -----------------------------------------------------------------

    def answers_form(self, data=None):
        """The question's form, bound to `data` if given."""
        raise NotImplementedError

    def answers_check(self, form) -> None:
        """The service's checks of a valid form (ValidationError), writing nothing."""

    def answers_rows(self, form) -> list[Answer]:
        raise NotImplementedError

    def answers_context(self, form) -> dict:
        """What the check page says besides the answers (a subsidy, a warning)."""
        return {}

    def answers_send(self, form) -> Model:
        """Call the service that does the work; ValidationError if it refuses."""
        raise NotImplementedError

    def answers_sent_message(self, sent: Model) -> str:
        raise NotImplementedError

    def answers_sent_url(self, pk: int) -> str:
        raise NotImplementedError

    # The draft ---------------------------------------------------------------------------

    def _draft_key(self) -> str:
        return f"check_answers:{self.draft_name}:{self.request.alliance.pk}"

    def _draft_salt(self) -> str:
        return f"{self._draft_key()}:{self.request.user.pk}"

    def draft_read(self) -> dict:
        """The draft (`{"answers": {...}}` or `{"sent": pk}`), or {} if none (or not this
        person's, alliance's or day's)."""
        signed = self.request.session.get(self._draft_key())
        if not signed:
            return {}
        try:
            return signing.loads(
                signed, salt=self._draft_salt(), max_age=settings.SESSION_COOKIE_AGE
            )
        except signing.BadSignature:
            return {}

    def draft_write(self, draft: dict) -> None:
        self.request.session[self._draft_key()] = signing.dumps(draft, salt=self._draft_salt())

    # Shared steps ------------------------------------------------------------------------

    def answers_valid(self, form) -> bool:
        """The form's checks, then the service's; errors on the form."""
        if not form.is_valid():
            return False
        try:
            self.answers_check(form)
        except ValidationError as error:
            form_errors_from(form, error)
        return not form.errors

    def question_url(self, *, change: bool = False) -> str:
        url = reverse(self.question_url_name, kwargs={"alliance": self.request.alliance.slug})
        return f"{url}?change=1" if change else url

    def check_url(self) -> str:
        return reverse(self.check_url_name, kwargs={"alliance": self.request.alliance.slug})

    def question_page(self, form):
        """The question page with this form (its errors shown by the error summary); its
        form posts to the question page, wherever it is shown."""
        context = self.get_context_data(form=form, question_url=self.question_url())
        return render(self.request, self.question_template, context)


class QuestionPageMixin(CheckAnswersMixin):
    """The question page: "Continue" keeps valid answers and goes to the check page."""

    def get(self, request, *args, **kwargs):
        answers = self.draft_read().get("answers")
        if request.GET.get("change") and answers is not None:
            form = self.answers_form(answers)
            self.answers_valid(form)  # what changed since (an offer closed) is shown
        else:
            form = self.answers_form()
        return self.question_page(form)

    def post(self, request, *args, **kwargs):
        form = self.answers_form(request.POST)
        if not self.answers_valid(form):
            return self.question_page(form)
        self.draft_write({"answers": answers_data(form)})
        return redirect(self.check_url())


class CheckPageMixin(CheckAnswersMixin):
    """The check page: the answers, each with "Change", and the button that sends."""

    def get(self, request, *args, **kwargs):
        answers = self.draft_read().get("answers")
        if answers is None:
            return redirect(self.question_url())
        form = self.answers_form(answers)
        if not self.answers_valid(form):
            return redirect(self.question_url(change=True))
        return self.render_to_response(self.check_context(form))

    def check_context(self, form) -> dict:
        question_url = self.question_url(change=True)
        rows = [
            {
                "question": row.question,
                "answer": row.answer,
                "names": row.names,
                "change_url": f"{question_url}#id_{row.field}" if row.field else "",
            }
            for row in self.answers_rows(form)
        ]
        return self.get_context_data(
            form=form, answers=rows, change_url=question_url, **self.answers_context(form)
        )

    def post(self, request, *args, **kwargs):
        draft = self.draft_read()
        if "sent" in draft:
            messages.info(request, ALREADY_SENT)
            return redirect(self.answers_sent_url(draft["sent"]))
        if "answers" not in draft:
            return redirect(self.question_url())
        form = self.answers_form(draft["answers"])
        if not self.answers_valid(form):
            return self.question_page(form)
        try:
            sent = self.answers_send(form)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.question_page(form)
        self.draft_write({"sent": sent.pk})
        messages.success(request, self.answers_sent_message(sent))
        return redirect(self.answers_sent_url(sent.pk))
