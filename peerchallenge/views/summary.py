"""The page of an offer's summary report (a triad cycle's, a thematic event's): the people
who may write it save its texts, and the programme manager issues it as the next numbered
PDF version. The flow is the same in every offer; the offer says who may do what and
supplies its form and its two services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from peerchallenge.concurrency import EditConflict
from reports.views import report_requested_message


class SummaryReportMixin:
    """With a TemplateView after an offer's object mixin. A person without
    `write_permission` on `summary_subject()` gets 403 for the page; issuing also needs
    `issue_permission` on the alliance. A save that meets another writer's edit shows the
    conflict on the form (peerchallenge.concurrency); an issue the service refuses shows
    its reasons as `issue_errors`. Anything else posted goes to `save_post()`, which an
    offer extends for the page's other forms."""

    write_permission = ""  # on the summary's subject
    issue_permission = ""  # on the alliance
    issuing_message = ""  # "Version {number} of ... is being produced ..."
    saved_message = "Summary saved."

    def summary_subject(self):
        """The object the summary is of (the cycle, the event)."""
        raise NotImplementedError

    def summary_form(self, data=None):
        """The summary's form, bound to `data` when posted, else with the saved texts."""
        raise NotImplementedError

    def summary_save(self, form) -> None:
        """Save the valid form's texts (the offer's service; may raise EditConflict)."""
        raise NotImplementedError

    def summary_issue(self, *, issued_by):
        """Issue the next version (the offer's service) and return it."""
        raise NotImplementedError

    def setup_page(self):
        user = self.request.user
        if not user.has_perm(self.write_permission, self.summary_subject()):
            raise PermissionDenied
        self.can_issue = user.has_perm(self.issue_permission, self.alliance)

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_page()
        if "issue" in request.POST:
            return self.issue_post(request)
        return self.save_post(request)

    def issue_post(self, request):
        if not self.can_issue:
            raise PermissionDenied
        try:
            version = self.summary_issue(issued_by=request.user)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(issue_errors=error.messages))
        report_requested_message(
            request, version, self.issuing_message.format(number=version.number)
        )
        return redirect(request.path)

    def save_post(self, request):
        form = self.summary_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            self.summary_save(form)
        except EditConflict as conflict:
            form.conflict_show(conflict)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, self.saved_message)
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.summary_form())
        context["can_issue"] = self.can_issue
        return context
