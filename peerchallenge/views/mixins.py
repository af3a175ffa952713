from django.core.exceptions import PermissionDenied
from django.http import Http404


class AlliancePermissionMixin:
    """A view inside `/a/<alliance>/`: the middleware has already resolved the alliance and
    404'd non-members. The view names the permission it needs; a member whose roles do not
    grant it gets 403."""

    permission_required: str = ""
    # An offer that runs in one kind of alliance only (Alliance.Kind): 404 in the others,
    # before the view looks anything up.
    alliance_kind: str = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.alliance_kind and request.alliance.kind != self.alliance_kind:
            raise Http404(f"Not a page of a {request.alliance.get_kind_display()}.")

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_required:
            raise AssertionError(f"{type(self).__name__} must name its permission_required.")
        self.alliance = request.alliance
        if not request.user.has_perm(self.permission_required, self.alliance):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alliance"] = self.alliance
        return context


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def form_errors_from(form, error) -> None:
    """Put a service's ValidationError on the form, next to its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
