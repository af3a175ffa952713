"""An agreed action's own pages: change its wording, owner or due date; remove it with a
reason. (Its page with updates and history is `tier2.ActionDetailView`.)"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from ..forms import ActionChangeForm, ActionRemoveForm
from ..models import Action
from ..services import ActionRemoved, action_change, action_fingerprint, action_remove
from .mixins import AlliancePermissionMixin, form_errors_from, safe_next


class ActionMixin(AlliancePermissionMixin):
    """One agreed action of this alliance that the person may see, as `self.action`; 404
    otherwise. A removed action is seen only by those who may change actions (they see that
    it was removed, by whom and why); everyone else gets 404, as if it had never been."""

    permission_required = "peerchallenge.view_alliance"
    # What the person must also be allowed on the action itself (403 when they may see it
    # but not do this).
    action_permission = ""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.action = (
            Action.all_objects.filter(alliance=request.alliance, pk=kwargs["action"])
            .select_related("local_authority", "tier2_group", "source_type", "removed_by")
            .first()
        )
        if self.action is None or not user.has_perm("peerchallenge.view_action", self.action):
            raise Http404("No such action for you.")
        self.can_change = user.has_perm("peerchallenge.change_action", self.action)
        if self.action.is_removed and not self.can_change:
            raise Http404("No such action for you.")
        if self.action_permission and not user.has_perm(self.action_permission, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def action_url(self) -> str:
        return reverse("action_detail", args=[self.request.alliance.slug, self.action.pk])

    def back_url(self, default: str) -> str:
        """Where Cancel and a done change lead: the page the person came from (an offer's
        list of agreed actions, passed as a safe `?next=`), else `default`."""
        return safe_next(self.request) or default

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.helper.form_action = self.request.get_full_path()  # keeps ?next= on the POST
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action=self.action,
            action_url=self.action_url(),
            back_url=self.back_url(self.action_url()),
        )
        return context


class ActionChangeView(ActionMixin, FormView):
    action_permission = "peerchallenge.change_action"
    template_name = "peerchallenge/action_change.html"
    form_class = ActionChangeForm

    def get(self, request, *args, **kwargs):
        if self.action.is_removed:
            return self.refuse_removed()
        return super().get(request, *args, **kwargs)

    def refuse_removed(self):
        messages.error(self.request, "This action has been removed: it can no longer be changed.")
        return redirect(self.action_url())

    def get_initial(self):
        return {
            "what": self.action.what,
            "owner": self.action.owner,
            "due_date": self.action.due_date,
            "fingerprint": action_fingerprint(self.action),
        }

    def form_valid(self, form):
        try:
            changed = action_change(
                action=self.action,
                what=form.cleaned_data["what"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                changed_by=self.request.user,
                fingerprint=form.cleaned_data["fingerprint"],
            )
        except ActionRemoved:
            return self.refuse_removed()
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, "Action changed." if changed else "Nothing was changed: no changes."
        )
        return redirect(self.back_url(self.action_url()))

    def post(self, request, *args, **kwargs):
        if self.action.is_removed:
            return self.refuse_removed()
        return super().post(request, *args, **kwargs)


class ActionRemoveView(ActionMixin, FormView):
    """Asks for the reason before removing: removing is a soft delete, but it takes the
    action off every plan, board and reminder."""

    action_permission = "peerchallenge.change_action"
    template_name = "peerchallenge/action_remove.html"
    form_class = ActionRemoveForm

    def get(self, request, *args, **kwargs):
        if self.action.is_removed:
            return self.already_removed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.action.is_removed:
            return self.already_removed()
        return super().post(request, *args, **kwargs)

    def already_removed(self):
        messages.info(self.request, "This action has already been removed.")
        return redirect(self.action_url())

    def form_valid(self, form):
        try:
            removed = action_remove(
                action=self.action,
                removed_by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        if not removed:
            return self.already_removed()
        messages.success(
            self.request,
            f"Action removed from {self.action.local_authority.name}'s improvement plan.",
        )
        plan = reverse(
            "improvement_plan",
            args=[self.request.alliance.slug, self.action.local_authority.gss_code],
        )
        return redirect(self.back_url(plan))
