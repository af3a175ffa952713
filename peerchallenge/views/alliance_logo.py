"""The alliance's logo for its reports: uploaded, replaced or removed by its admins, seen
by its members (never through a public URL: the file is in the default storage)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from ..forms import AllianceLogoForm
from ..services.alliance_logo import alliance_logo_remove, alliance_logo_save
from ..uploads import IMAGE_KINDS
from .mixins import AlliancePermissionMixin, ConfirmMixin, client_ip, form_errors_from


class AllianceLogoView(AlliancePermissionMixin, FormView):
    permission_required = "peerchallenge.manage_alliance"
    template_name = "peerchallenge/alliance_logo.html"
    form_class = AllianceLogoForm

    def form_valid(self, form):
        try:
            alliance_logo_save(
                alliance=self.alliance,
                upload=form.cleaned_data["file"],
                user=self.request.user,
                ip_address=client_ip(self.request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The logo was saved. New reports show it on the cover.")
        return redirect("alliance_logo", alliance=self.alliance.slug)


class AllianceLogoRemoveView(ConfirmMixin, AlliancePermissionMixin, TemplateView):
    """Removing the logo asks first (a destructive step): the reports made from then on show
    the alliance's name only."""

    permission_required = "peerchallenge.manage_alliance"
    template_name = "peerchallenge/alliance_logo_remove.html"

    def get(self, request, *args, **kwargs):
        if not self.alliance.report_logo:
            return redirect("alliance_logo", alliance=self.alliance.slug)
        return super().get(request, *args, **kwargs)

    def confirmed_post(self, request, *args, **kwargs):
        alliance_logo_remove(
            alliance=self.alliance, user=request.user, ip_address=client_ip(request)
        )
        messages.success(request, "The logo was removed from the alliance's reports.")
        return redirect("alliance_logo", alliance=self.alliance.slug)


class AllianceLogoImageView(AlliancePermissionMixin, View):
    """The logo itself, for the preview: any member of the alliance."""

    permission_required = "peerchallenge.view_alliance"

    def get(self, request, *args, **kwargs):
        logo = self.alliance.report_logo
        if not logo:
            raise Http404("The alliance has no logo.")
        try:
            with logo.open("rb") as file:
                content = file.read()
        except OSError:
            raise Http404("The logo's file is missing.") from None
        content_type = next(
            (kind for magic, kind in IMAGE_KINDS.values() if content.startswith(magic)), None
        )
        if content_type is None:
            raise Http404("The logo is not an image we serve.")
        response = HttpResponse(content, content_type=content_type)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
