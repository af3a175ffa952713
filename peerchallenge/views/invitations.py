from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django_scopes import scopes_disabled

from ..forms import AcceptInvitationForm, GDSForm
from ..models import Invitation, User
from ..services import invitation_accept


class AcceptForm(GDSForm):
    submit_label = "Accept invitation"


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(View):
    """The link in the invitation email. The token is the key; nobody else can see it."""

    template_name = "peerchallenge/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        # The token identifies the invitation before the visitor belongs to any alliance.
        with scopes_disabled():
            self.invitation = (
                Invitation.objects.for_token(kwargs["token"])
                .select_related("alliance", "local_authority")
                .first()
            )
        if self.invitation is None or not self.invitation.is_pending:
            return render(request, "peerchallenge/invitation_invalid.html", status=404)
        self.existing = User.objects.filter(email__iexact=self.invitation.email).first()
        with scopes_disabled():
            return super().dispatch(request, *args, **kwargs)

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"invitation": self.invitation, "form": form, "existing": self.existing},
            status=status,
        )

    def _new_form(self, data=None):
        if self.existing:
            return AcceptForm(data)
        return AcceptInvitationForm(
            data, email=self.invitation.email, initial={"full_name": self.invitation.full_name}
        )

    def get(self, request, *args, **kwargs):
        return self._render(self._new_form())

    def post(self, request, *args, **kwargs):
        form = self._new_form(request.POST)
        if self.existing and request.user != self.existing:
            # Existing accounts accept while signed in as themselves.
            return self._render(form, status=403)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            if self.existing:
                user = invitation_accept(invitation=self.invitation, user=self.existing)
            else:
                user = invitation_accept(
                    invitation=self.invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="peerchallenge.auth_backends.SignInBackend")
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self._render(form, status=400)
        messages.success(
            request,
            f"You have joined {self.invitation.alliance} as "
            f"{self.invitation.get_role_display().lower()}.",
        )
        return redirect("home")
