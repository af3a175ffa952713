"""Evidence documents of a triad: upload (a council's people), download (whoever sees the
triad), every download written to the access log."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.views.generic import FormView, View

from peerchallenge.models import DocumentVersion
from peerchallenge.services import document_upload
from peerchallenge.uploads import accept_attribute
from peerchallenge.views.documents import document_version_response
from peerchallenge.views.mixins import form_errors_from

from ..forms.documents import DocumentForm
from .base import TriadMixin


class DocumentUploadView(TriadMixin, FormView):
    template_name = "triads/document_form.html"
    form_class = DocumentForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.councils = self.my_councils_here()
        if not self.councils.exists():
            raise PermissionDenied  # sees the triad but uploads for no council in it
        kwargs.update(
            councils=self.councils,
            accept=accept_attribute(),
            max_mb=settings.PEERCHALLENGE_UPLOAD_MAX_BYTES // (1024 * 1024),
        )
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        council = data.get("council") or self.councils.get()
        try:
            version = document_upload(
                challenge=self.cycle,
                local_authority=council,
                title=data["title"],
                upload=data["file"],
                uploaded_by=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        what = "A new version of" if version.number > 1 else "The document"
        messages.success(self.request, f"{what} “{version.document.title}” was uploaded.")
        return self.triad_url()


class DocumentDownloadView(TriadMixin, View):
    def check_object(self, request, **kwargs) -> None:
        self.version = (
            DocumentVersion.objects.filter(
                alliance=request.alliance,
                document_id=kwargs["document"],
                number=kwargs["version"],
                document__challenge_id=kwargs["cycle"],
                document__local_authority__in=self.triad_council_ids(),
            )
            .select_related("document__challenge_type")
            .first()
        )
        if self.version is None or not request.user.has_perm(
            "peerchallenge.view_document", self.version.document
        ):
            raise Http404("No such document for you.")

    def get(self, request, *args, **kwargs):
        return document_version_response(request, version=self.version)
