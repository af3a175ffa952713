from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from ..forms import InvitationForm, MembershipForm
from ..models import Invitation, Membership
from ..selectors import councils_of_alliance, members_of_alliance, pending_invitations
from ..services import (
    invitation_cancel,
    invitation_create,
    membership_change_role,
    membership_remove,
)
from .mixins import AlliancePermissionMixin, ConfirmMixin, form_errors_from

MEMBERS_PER_PAGE = 50


class MemberListView(AlliancePermissionMixin, TemplateView):
    permission_required = "peerchallenge.view_members"
    template_name = "peerchallenge/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(members_of_alliance(alliance=self.alliance), MEMBERS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        can_manage = self.request.user.has_perm("peerchallenge.manage_members", self.alliance)
        context.update(
            page=page,
            can_manage=can_manage,
            invitations=list(pending_invitations(alliance=self.alliance)) if can_manage else [],
        )
        return context


class MemberInviteView(AlliancePermissionMixin, FormView):
    permission_required = "peerchallenge.manage_members"
    template_name = "peerchallenge/member_invite.html"
    form_class = InvitationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["councils"] = councils_of_alliance(alliance=self.alliance)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            invitation, _token = invitation_create(
                alliance=self.alliance,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                local_authority=data["local_authority"],
                invited_by=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Invitation sent to {invitation.email}.")
        return redirect("member_list", alliance=self.alliance.slug)


class MembershipMixin(AlliancePermissionMixin):
    permission_required = "peerchallenge.manage_members"

    def dispatch(self, request, *args, **kwargs):
        self.membership = (
            Membership.objects.filter(alliance=request.alliance, pk=kwargs["membership"])
            .select_related("user", "local_authority")
            .first()
        )
        if self.membership is None:
            raise Http404("No such membership in this alliance.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["membership"] = self.membership
        return context


class MembershipEditView(MembershipMixin, FormView):
    template_name = "peerchallenge/membership_edit.html"
    form_class = MembershipForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["councils"] = councils_of_alliance(alliance=self.alliance)
        return kwargs

    def get_initial(self):
        return {"role": self.membership.role, "local_authority": self.membership.local_authority}

    def form_valid(self, form):
        try:
            membership_change_role(
                membership=self.membership,
                role=form.cleaned_data["role"],
                local_authority=form.cleaned_data["local_authority"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.membership.user}'s role was changed.")
        return redirect("member_list", alliance=self.alliance.slug)


class MembershipRemoveView(MembershipMixin, ConfirmMixin, TemplateView):
    template_name = "peerchallenge/membership_remove.html"

    def confirmed_post(self, request, *args, **kwargs):
        try:
            membership_remove(membership=self.membership)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages), status=400)
        messages.success(
            request,
            f"{self.membership.user} no longer has the role "
            f"{self.membership.get_role_display().lower()}.",
        )
        return redirect("member_list", alliance=self.alliance.slug)


class InvitationCancelView(AlliancePermissionMixin, ConfirmMixin, TemplateView):
    permission_required = "peerchallenge.manage_members"
    template_name = "peerchallenge/invitation_cancel.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = (
            Invitation.objects.filter(alliance=request.alliance, pk=kwargs["invitation"])
            .pending()
            .first()
        )
        if self.invitation is None:
            raise Http404("No such pending invitation in this alliance.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation
        return context

    def confirmed_post(self, request, *args, **kwargs):
        invitation_cancel(invitation=self.invitation)
        messages.success(request, f"The invitation to {self.invitation.email} was cancelled.")
        return redirect("member_list", alliance=self.alliance.slug)
